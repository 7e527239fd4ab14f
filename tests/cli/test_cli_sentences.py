"""The command line's sentences for the situations a new user meets first."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from explorer.cli.main import main
from explorer.paths import default_demo_catalog

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "audio" / "sample.flac"


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


def test_scan_of_a_file_scans_that_one_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "music"
    folder.mkdir()
    for name in ("one.flac", "two.flac"):
        shutil.copy(SAMPLE, folder / name)
    store = str(tmp_path / "store.sqlite3")
    assert main(["scan", str(folder / "one.flac"), "--store", store, "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [Path(line["path"]) for line in lines] == [folder / "one.flac"]
    assert lines[0]["status"] == "ok" and lines[0]["isrc"]
    assert main(["scan", str(folder / "one.flac"), "--store", store]) == 0  # again: unchanged
    assert "1 file: 0 read, 1 unchanged" in capsys.readouterr().out


def test_scan_of_a_file_that_is_not_audio_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("no music")
    assert main(["scan", str(notes), "--store", str(tmp_path / "s.sqlite3")]) == 1
    assert "notes.txt is not an audio file" in capsys.readouterr().err
