"""Every example of the README's command-line section runs on the demo and gives results."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from explorer.cli.main import main
from explorer.paths import HOME_ENV

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def readme_examples() -> list[str]:
    """The lines of the sh block that follows "Examples" in the README."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"^Examples[^\n]*:\n\n```sh\n(.*?)```", text, re.S | re.M)
    assert block, "the README has no Examples block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _run(line: str, capsys: pytest.CaptureFixture[str]) -> str:
    words = shlex.split(line, comments=True)
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    assert words[0] == "explorer"
    capsys.readouterr()
    code = main(words[1:])
    out = capsys.readouterr()
    assert code == 0, f"{line}\n{out.err}"
    if target:
        Path(target).write_text(out.out, encoding="utf-8")
        return Path(target).read_text(encoding="utf-8")
    return out.out


def test_the_readme_has_examples() -> None:
    lines = readme_examples()
    assert len(lines) >= 5
    assert lines[0].startswith("explorer demo demo.sqlite3")


def test_every_readme_example_gives_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    for line in readme_examples():
        out = _run(line, capsys)
        words = shlex.split(line, comments=True)
        assert out.strip(), f"{line} printed nothing"
        assert "No results" not in out, line
        if "--json" in words:
            rows = [json.loads(row) for row in out.splitlines()]
            assert rows, line
            if words[1] == "match":
                assert any(row["status"] == "matched" for row in rows), line
        if words[1] == "library":  # the table's header prints always: ask for the rows
            listed = _run(f"{line} --json", capsys).splitlines()
            assert listed, f"{line} lists no file"
        if words[1] == "search" and "--type" in words:
            kind = words[words.index("--type") + 1]
            assert all(json.loads(row)["type"] == kind for row in out.splitlines())
