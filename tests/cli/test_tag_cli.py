"""`explorer tag write|undo|history`: preview, write, summary, exit codes, undo and redo."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main
from explorer.library.tags import read_file
from tests.tagging.conftest import WRITABLE, Library, make_library


@pytest.fixture
def library(tmp_path: Path, small_catalog_path: Path) -> Iterator[Library]:
    with open_catalog(small_catalog_path) as catalog:
        made = make_library(tmp_path, catalog, WRITABLE)
        yield made
        made.store.close()


def _write(library: Library, *more: str) -> list[str]:
    return ["tag", "write", str(library.root), "--catalog", str(library.catalog.path),
            "--store", str(library.store.path), *more]  # fmt: skip


def test_dry_run_previews_and_writes_nothing(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {name: library.path(name).read_bytes() for name in library.tracks}
    assert main(_write(library, "--dry-run", "--fields", "title,bpm")) == 0
    out = capsys.readouterr().out
    track = library.tracks["sample.flac"]
    assert f"track id (SPOTIFY_TRACK_ID): (none) -> {track.id}" in out
    assert f"title (TITLE): Silent Track – Ünïcode -> {track.name}" in out
    assert "files to write" in out
    assert {name: library.path(name).read_bytes() for name in library.tracks} == before


def test_dry_run_json_has_one_object_per_file(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_write(library, "--dry-run", "--json")) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == len(library.tracks)
    assert {line["status"] for line in lines} == {"write"}
    assert all(line["changes"][0]["before"] == [] or line["changes"] for line in lines)


def test_write_undo_redo_and_history(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    path = library.path("id3v23.mp3")
    old = read_file(path).tags
    assert main(_write(library, "--yes")) == 0
    out = capsys.readouterr().out
    assert f"{len(library.tracks)} files written, 0 unchanged, 0 failed; batch 1" in out
    assert read_file(path).tags.spotify_track_id == library.tracks["id3v23.mp3"].id

    assert main(["tag", "history", "--store", str(library.store.path)]) == 0
    assert f"batch 1: write, {len(library.tracks)} files" in capsys.readouterr().out
    assert main(["tag", "history", str(path), "--store", str(library.store.path)]) == 0
    assert "TXXX:SPOTIFY_TRACK_ID: (none) -> " in capsys.readouterr().out

    assert main(["tag", "undo", "--store", str(library.store.path)]) == 0
    assert f"{len(library.tracks)} files put back" in capsys.readouterr().out
    assert read_file(path).tags == old
    assert main(["tag", "undo", str(path), "--store", str(library.store.path)]) == 0  # redo
    assert read_file(path).tags.spotify_track_id == library.tracks["id3v23.mp3"].id


def test_exit_1_when_a_file_cannot_be_written(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    library.path("sample.ogg").chmod(0o444)
    assert main(_write(library, "--yes")) == 1
    out = capsys.readouterr().out
    assert "sample.ogg: the file is read-only" in out
    assert f"{len(library.tracks) - 1} files written" in out


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [(["tag", "undo", "--batch", "99"], "There is no batch 99"),
     (["tag", "undo"], "nothing to undo")],
)  # fmt: skip
def test_undo_mistakes_are_sentences(
    library: Library, capsys: pytest.CaptureFixture[str], argv: list[str], sentence: str
) -> None:
    assert main([*argv, "--store", str(library.store.path)]) == 1
    assert sentence in capsys.readouterr().err


def test_json_writes_only_with_yes(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_write(library, "--json")) == 1
    assert "--json shows no preview" in capsys.readouterr().err
    assert main(_write(library, "--json", "--yes")) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {line["status"] for line in lines} == {"written"}
    assert main(_write(library)) == 0  # again: nothing left to write
    assert "sample.flac: unchanged (its tags already say so)" in capsys.readouterr().out


def test_unknown_field_is_a_sentence(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_write(library, "--fields", "mood")) == 1
    assert "Unknown field 'mood'" in capsys.readouterr().err


def test_paths_outside_the_store(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = tmp_path / "stray.flac"
    stray.write_bytes(b"x")
    argv = ["tag", "write", str(stray), "--catalog", str(library.catalog.path),
            "--store", str(library.store.path)]  # fmt: skip
    assert main(argv) == 1
    assert "is not in the library store" in capsys.readouterr().err


def test_bpm_without_a_features_file_is_said(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alone = tmp_path / "alone" / "catalog.sqlite3"
    alone.parent.mkdir()
    shutil.copy(library.catalog.path, alone)
    argv = ["tag", "write", str(library.root), "--catalog", str(alone),
            "--store", str(library.store.path), "--fields", "bpm,key", "--dry-run"]  # fmt: skip
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "BPM and key are left out" in captured.err
    assert "(TBPM)" not in captured.out


def test_undoing_a_batch_twice_says_which_batch_to_undo(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(library.store.path)]
    path = library.path("sample.flac")
    assert main(_write(library, "--yes")) == 0
    assert main(["tag", "undo", "--batch", "1", *store]) == 0
    old = path.read_bytes()
    capsys.readouterr()
    assert main(["tag", "undo", "--batch", "1", *store]) == 1
    said = capsys.readouterr()
    out = said.out + said.err
    assert "written again since, by batch 2: undo batch 2 first" in out
    assert "the file changed since" not in out
    assert path.read_bytes() == old
    assert main(["tag", "undo", "--batch", "2", *store]) == 0  # the redo
    assert read_file(path).tags.spotify_track_id == library.tracks["sample.flac"].id
