"""The command line's sentences for the situations a new user meets first."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli.main import main
from explorer.paths import default_demo_catalog


@pytest.mark.parametrize(
    "argv",
    [["match", "somewhere"], ["search", "night"], ["info"], ["index", "status"]],
    ids=["match", "search", "info", "index"],
)
def test_a_missing_catalog_names_the_demo_catalog(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "--catalog PATH" in err and str(default_demo_catalog()) in err


@pytest.mark.parametrize("command", ["scan", "match"])
def test_a_folder_without_audio_is_said(
    command: str,
    indexed_catalog_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "notes.txt").write_text("no music here")
    argv = [command, str(folder), "--store", str(tmp_path / "store.sqlite3")]
    if command == "match":
        argv += ["--catalog", str(indexed_catalog_path)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "No audio files were found" in err and str(folder) in err
