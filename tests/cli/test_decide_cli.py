"""`explorer decide`: accept, reject, undo and redo from the command line, on a matched
demo library."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main
from explorer.demo.library import write_demo_library
from explorer.library.store import open_store
from explorer.matching.links import Links


@pytest.fixture
def store(indexed_catalog_path: Path, tmp_path: Path) -> str:
    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, tmp_path / "music", albums=2, seed=11)
    path = str(tmp_path / "store.sqlite3")
    args = ["match", str(tmp_path / "music"), "--catalog", str(indexed_catalog_path)]
    assert main([*args, "--store", path]) == 0
    return path


def _linked(store: str) -> tuple[int, str]:
    with open_store(Path(store)) as opened:
        link = next(link for link in Links(opened).page() if link.track_id is not None)
        file = opened.files(after_id=link.file_id - 1, limit=1)[0]
    return link.file_id, file.display


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    answer: dict[str, object] = json.loads(capsys.readouterr().out)
    return answer


@pytest.mark.parametrize(("action", "status"), [("accept", "accepted"), ("reject", "rejected")])
@pytest.mark.parametrize("by", ["path", "id"])
def test_decide_then_undo_and_redo(
    store: str, action: str, status: str, by: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file_id, path = _linked(store)
    name = path if by == "path" else str(file_id)
    done = _json(["decide", action, name, "--store", store], capsys)
    assert done["file_id"] == file_id and done["status"] == status
    undone = _json(["decide", "undo", "--store", store], capsys)
    assert undone["file_id"] == file_id and undone["status"] == "auto"
    redone = _json(["decide", "redo", "--store", store], capsys)
    assert redone["status"] == status
    assert main(["decide", "undo", "--store", store]) == 0
    assert capsys.readouterr().out.startswith("Undone:")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["decide", "accept"], "Name the file to accept"),
        (["decide", "undo", "x.mp3"], "takes no file"),
        (["decide", "accept", "/no/such.mp3"], "is not a file of your library"),
        (["decide", "redo"], "Nothing to redo"),
        (["decide", "pick", "1"], "Name the file and the track"),
        (["decide", "link", "1", "album:x"], "is not a track's ID"),
        (["decide", "unlink", "1", "4uLU6hMCjMI75M1A2tKUQC"], "takes a file only"),
        (["decide", "pick", "1", "4uLU6hMCjMI75M1A2tKUQC"], "did not offer that track"),
    ],
)
def test_mistakes_are_sentences_with_exit_1(
    store: str, args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--store", store]) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_a_store_that_does_not_exist_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["decide", "undo", "--store", str(tmp_path / "none.sqlite3")]) == 1
    assert "There is no library store" in capsys.readouterr().err


def _with_alternative(store: str) -> tuple[int, str, str]:
    """A file, its linked track and another track the matcher offered for it."""
    with open_store(Path(store)) as opened:
        for link in Links(opened).page(limit=10_000):
            others = [
                c["track_id"]
                for c in (link.detail.get("runner_up"), *(link.detail.get("alternatives") or []))
                if isinstance(c, dict) and c.get("track_id") not in (None, link.track_id)
            ]
            if link.track_id and others:
                return link.file_id, link.track_id, others[0]
    raise AssertionError("no file with an alternative in the demo library")


def test_pick_an_alternative_then_unlink(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    file_id, _linked_track, other = _with_alternative(store)
    picked = _json(
        ["decide", "pick", str(file_id), f"spotify:track:{other}", "--store", store], capsys
    )
    assert (picked["status"], picked["track_id"]) == ("manual", other)
    unlinked = _json(["decide", "unlink", str(file_id), "--store", store], capsys)
    assert unlinked["track_id"] is None
    assert _json(["decide", "undo", "--store", store], capsys)["track_id"] == other


def test_link_by_hand_to_any_track_of_the_catalog(
    store: str, indexed_catalog_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file_id, linked_track, _other = _with_alternative(store)
    with open_catalog(indexed_catalog_path) as catalog:  # a track the matcher never offered
        track = catalog.tracks_by_rowids([_track_rowid(indexed_catalog_path)])[0]
    assert track.id != linked_track
    url = f"https://open.spotify.com/track/{track.id}?si=abc"
    args = ["decide", "link", str(file_id), url, "--store", store]
    assert main(args) == 1
    assert "Name the catalog with --catalog" in capsys.readouterr().err
    done = _json([*args, "--catalog", str(indexed_catalog_path)], capsys)
    assert (done["status"], done["track_id"]) == ("manual", track.id)
    with open_store(Path(store)) as opened:
        link = Links(opened).get(file_id)
    assert link is not None and link.isrc == track.isrc
    assert link.album_id == (track.album.id if track.album else None)
    no_such = ["decide", "link", str(file_id), "0" * 22, "--store", store]
    assert main([*no_such, "--catalog", str(indexed_catalog_path)]) == 1
    assert "not in this catalog" in capsys.readouterr().err


def _track_rowid(catalog_path: Path) -> int:
    """The last track of the catalog: not one the demo library's files were made from."""
    con = sqlite3.connect(f"file:{catalog_path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT max(rowid) FROM tracks").fetchone()[0])
    finally:
        con.close()
