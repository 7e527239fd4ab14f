"""Reports and exports checked against a library whose truth is known."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main
from explorer.demo.library import LibraryFile, write_demo_library


@dataclass
class Library:
    store: str
    catalog: Path
    removed: list[LibraryFile]
    copied: Path
    junk: Path
    truth: list[LibraryFile]


@pytest.fixture(scope="module")
def library(indexed_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("reports")
    with open_catalog(indexed_catalog_path) as catalog:
        truth = write_demo_library(catalog, root / "music", albums=8, seed=31)
    clean = [f for f in truth if f.damage in ("clean", "isrc", "duration", "noise")]
    folder = clean[0].path.parent
    in_folder = [f for f in truth if f.path.parent == folder]
    removed = in_folder[1:3]
    for item in removed:
        item.path.unlink()
    copied = root / "music" / "copies" / in_folder[0].path.name
    copied.parent.mkdir()
    shutil.copy(in_folder[0].path, copied)
    junk = root / "music" / "junk.mp3"
    junk.write_bytes(b"\x00not audio at all" * 10)
    store = str(root / "store.sqlite3")
    assert (
        main(
            ["match", str(root / "music"), "--catalog", str(indexed_catalog_path), "--store", store]
        )
        == 0
    )
    return Library(store, indexed_catalog_path, removed, copied, junk, truth)


def _both(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    assert main([*args, "--json"]) == 0
    as_json = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main([*args, "--csv"]) == 0
    as_csv = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(as_json) == len(as_csv)
    for j, c in zip(as_json, as_csv, strict=True):
        assert {k: ("" if v is None else str(v)) for k, v in j.items()} == c
    return as_csv


def test_missing_lists_the_removed_tracks(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _both(
        ["report", "missing", "--catalog", str(library.catalog), "--store", library.store], capsys
    )
    missing = {r["track_id"] for r in rows}
    for item in library.removed:
        assert item.track_id in missing
    kept = {f.track_id for f in library.truth if f.damage == "clean" and f not in library.removed}
    assert not kept & missing


def test_duplicates_show_the_copy_and_the_original(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _both(["report", "duplicates", "--store", library.store], capsys)
    by_key: dict[str, list[str]] = {}
    for row in rows:
        by_key.setdefault(row["key"], []).append(row["path"])
    assert any(str(library.copied) in paths and len(paths) == 2 for paths in by_key.values())
    assert all(row["format"] == "flac" for row in rows)


def test_unmatched_gives_the_reason(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _both(["report", "unmatched", "--store", library.store], capsys)
    junk = [r for r in rows if r["path"] == str(library.junk)]
    assert junk and junk[0]["status"] == "error" and junk[0]["reason"]


def test_export_links(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _both(["export", "links", "--store", library.store], capsys)
    assert len(rows) == len(library.truth) - len(library.removed) + 1
    assert all(0.0 <= float(r["confidence"]) <= 1.0 for r in rows)
    assert {r["status"] for r in rows} <= {
        "matched", "review", "unmatched", "accepted", "rejected", "manual"
    }  # fmt: skip


def test_m3u_in_catalog_order(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    album_id = library.removed[0].album_id
    assert (
        main(
            ["export", "m3u", album_id, "--catalog", str(library.catalog), "--store", library.store]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "#EXTM3U"
    paths = [line for line in lines if not line.startswith("#")]
    assert paths == sorted(paths)  # the demo library names files by track number
    assert not {str(item.path) for item in library.removed} & set(paths)
    args = [
        "export",
        "m3u",
        "--all-albums",
        str(tmp_path / "lists"),
        "--catalog",
        str(library.catalog),
        "--store",
        library.store,
    ]
    assert main(args) == 0
    assert len(list((tmp_path / "lists").glob("*.m3u8"))) >= 2


def test_missing_needs_the_catalog(library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "missing", "--store", library.store]) == 1
    assert "--catalog" in capsys.readouterr().err
