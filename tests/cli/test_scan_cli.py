"""`explorer scan` and `explorer library`: JSON per file, summaries, errors as records."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli.main import EXIT_OK, EXIT_USER_ERROR, main

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"
REQUIRED = {"path", "status", "error", "duration_s", "title", "artists", "album", "isrc"}


@pytest.fixture
def music(tmp_path: Path) -> Path:
    root = tmp_path / "music"
    shutil.copytree(AUDIO, root / "Album")
    (root / "Album" / "broken.mp3").write_bytes(os.urandom(2000))
    not_utf8 = root / "Album" / os.fsdecode(b"Caf\xe9.flac")
    not_utf8.write_bytes((AUDIO / "sample.flac").read_bytes())
    return root


def _lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_scan_json_prints_one_object_per_file(
    music: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store.sqlite3")
    assert main(["scan", str(music), "--store", store, "--json"]) == EXIT_OK
    out = capsys.readouterr()
    objects = _lines(out.out)
    assert len(objects) == 24
    assert all(set(obj) >= REQUIRED for obj in objects)
    by_name = {Path(str(obj["path"])).name: obj for obj in objects}
    flac = by_name["sample.flac"]
    assert flac["status"] == "ok" and flac["isrc"] == "USQX91300001"
    assert flac["artists"] == ["Artist One", "Artist Two"]
    assert flac["duration_s"] == pytest.approx(0.5)
    broken = by_name["broken.mp3"]
    assert broken["status"] == "error" and "damaged" in str(broken["error"])
    assert "Caf\udce9.flac" in by_name  # a name that is not UTF-8, exact (os.fsdecode)
    assert "24 files: 24 read" in out.err


def test_rescan_and_library_listing(
    music: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store.sqlite3")
    main(["scan", str(music), "--store", store])
    assert "24 read" in capsys.readouterr().out
    main(["scan", str(music), "--store", store])
    assert "0 read, 24 unchanged" in capsys.readouterr().out
    assert main(["library", "--store", store, "--json", "--status", "error"]) == EXIT_OK
    errors = _lines(capsys.readouterr().out)
    assert [Path(str(e["path"])).name for e in errors] == ["broken.mp3"]
    assert main(["library", "--store", store]) == EXIT_OK
    text = capsys.readouterr().out
    assert "23 ok, 1 with errors, 0 missing" in text
    assert "Silent Track" in text


def test_empty_library_and_bad_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store.sqlite3")
    assert main(["scan", str(tmp_path / "nope"), "--store", store]) == EXIT_USER_ERROR
    capsys.readouterr()
    assert main(["library", "--store", store]) == EXIT_OK  # made by the scan, empty
    assert "empty" in capsys.readouterr().out
    assert main(["scan", str(tmp_path / "nope"), "--store", store]) == EXIT_USER_ERROR
    assert "not a folder" in capsys.readouterr().err


def test_scan_runs_as_a_command(music: Path, tmp_path: Path) -> None:
    env = {**os.environ, "EXPLORER_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "scan", str(music), "--json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(_lines(done.stdout)) == 24
    assert (tmp_path / "home" / "data" / "library.sqlite3").exists()
