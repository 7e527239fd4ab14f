"""pyproject.toml lists every package, and the resources install as `explorer.resources`."""

from __future__ import annotations

import tomllib
from pathlib import Path

from explorer.desktop import APP_ID, ICON_SIZES, resource_root

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "explorer").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["tool"]["setuptools"]["package-dir"]["explorer.resources"] == "resources"


def test_the_resources_are_read_from_the_package() -> None:
    root = resource_root()
    assert (root / f"{APP_ID}.desktop").read_text(encoding="utf-8").startswith("[Desktop Entry]")
    assert (root / f"{APP_ID}.metainfo.xml").is_file()
    for size in ICON_SIZES:
        png = root / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
