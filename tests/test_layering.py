"""The architecture's rules: Qt only in ui/, printing only in cli/, ui and cli apart."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "explorer"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _area(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _prints(tree: ast.AST) -> int:
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    )


def test_there_are_modules_to_check() -> None:
    assert len(MODULES) > 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_keeps_the_layers(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = _imports(tree)
    area = _area(path)
    if area != "ui":
        assert not {name for name in imports if name.split(".")[0] == "PySide6"}, "Qt outside ui/"
        assert _prints(tree) == 0 or area == "cli", "print() outside cli/"
    if area == "ui":
        assert not {name for name in imports if name.startswith("explorer.cli")}
    if area not in ("ui", "cli") and path.name != "__main__.py":
        assert not {n for n in imports if n.startswith(("explorer.ui", "explorer.cli"))}


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    tree = ast.parse("from PySide6.QtCore import QObject\nprint('x')\n")
    assert "PySide6.QtCore" in _imports(tree)
    assert _prints(tree) == 1
