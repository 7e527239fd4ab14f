"""`report` and `export` on what real libraries hold: files that vanished, odd file names,
long album names, empty reports and a catalog the library was not matched against."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlsplit

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main
from explorer.demo.library import LibraryFile, write_demo_library
from explorer.library.store import open_store
from explorer.matching.links import Links
from explorer.matching.reports import (
    DuplicateFile,
    LinkExport,
    MissingTrack,
    UnmatchedFile,
    owned_album_ids,
)

NEWLINE_NAME = b"03 - line\nbreak.flac"
NOT_UTF8_NAME = b"04 - bad\xff\xfebytes.flac"


@dataclass
class Library:
    music: Path
    store: str
    catalog: Path
    album_id: str  # the album holding the two odd file names
    newline_path: bytes
    not_utf8_path: bytes
    albums: list[str]  # the albums the user has


def _copy_catalog(source: Path, target: Path, change: Callable[[sqlite3.Connection], None]) -> Path:
    """A copy of a SQLite file (SQLite's backup) with `change` made to it."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
        change(dst)
    dst.close()
    src.close()
    return target


def _matched_paths(store_path: str) -> dict[bytes, str]:
    """Path -> linked track id of every file the matcher matched."""
    with open_store(Path(store_path)) as store:
        links = Links(store)
        return {
            row.path: link.track_id
            for row in store.iter_files()
            if (link := links.get(row.id)) and link.decision == "matched" and link.track_id
        }


@pytest.fixture(scope="module")
def library(indexed_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("odd-names")
    with open_catalog(indexed_catalog_path) as catalog:
        truth = write_demo_library(catalog, root / "music", albums=5, seed=49)
    tagged = [f for f in truth if f.damage in ("clean", "isrc", "noise", "duration")]
    album_id = max({f.album_id for f in tagged}, key=lambda a: sum(f.album_id == a for f in truth))
    files = [f for f in truth if f.album_id == album_id]
    assert len(files) >= 4
    folder = os.fsencode(files[0].path.parent)
    newline_path = folder + b"/" + NEWLINE_NAME
    not_utf8_path = folder + b"/" + NOT_UTF8_NAME
    os.rename(os.fsencode(files[0].path), newline_path)
    os.rename(os.fsencode(files[1].path), not_utf8_path)
    store = str(root / "store.sqlite3")
    args = ["match", str(root / "music"), "--catalog", str(indexed_catalog_path)]
    assert main([*args, "--store", store]) == 0
    matched = _matched_paths(store)
    assert newline_path in matched and not_utf8_path in matched
    with open_store(Path(store)) as opened:
        albums = owned_album_ids(opened)
    return Library(
        root / "music", store, indexed_catalog_path, album_id, newline_path, not_utf8_path, albums
    )


def _path_lines(data: bytes) -> list[bytes]:
    return [line for line in data.split(b"\n") if line and not line.startswith(b"#")]


def test_m3u_writes_each_path_as_its_bytes(
    library: Library, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    args = ["export", "m3u", library.album_id, "--catalog", str(library.catalog)]
    assert main([*args, "--store", library.store]) == 0
    out, err = capsysbinary.readouterr()
    paths = _path_lines(out)
    assert library.not_utf8_path in paths
    assert all(os.path.exists(path) for path in paths), paths  # no line is half a path
    assert library.newline_path not in paths
    assert b"Left out 1 file whose path holds a line break" in err
    in_album = [
        p for p in _matched_paths(library.store) if p.startswith(paths[0].rsplit(b"/", 1)[0])
    ]
    assert len(paths) == len(in_album) - 1


def test_all_albums_json_counts_what_was_left_out(
    library: Library, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    target = tmp_path / "lists"
    args = ["export", "m3u", "--all-albums", str(target), "--catalog", str(library.catalog)]
    assert main([*args, "--store", library.store, "--json"]) == 0
    summary = json.loads(capsysbinary.readouterr().out)
    assert summary["skipped"] == 1
    assert summary["skipped_paths"] == [library.newline_path.decode()]
    written = sorted(target.iterdir())
    assert summary["playlists"] == len(written) == len(library.albums)
    paths = [path for playlist in written for path in _path_lines(playlist.read_bytes())]
    assert library.not_utf8_path in paths
    assert all(os.path.exists(path) for path in paths)
    assert summary["files"] == len(paths)


def test_links_carry_the_exact_path_as_uri(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "links", "--store", library.store, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    exact = {unquote_to_bytes(urlsplit(row["uri"]).path): row for row in rows}
    assert all(os.path.exists(path) for path in exact)
    for path, row in exact.items():  # JSON: the exact path, which a script opens again
        assert os.fsencode(row["path"]) == path


LONG = "The Very Long Title of an Album That Goes On " * 4  # 180 characters


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (f"{LONG}Part One", f"{LONG}Part Two"),
        ("夜の" * 80 + "一", "夜の" * 80 + "二"),  # 3 bytes a character: 483 bytes
        ("Live: a/b \\ c? <d> |e| *f* " * 7, "Live: a/b \\ c? <d> |e| *f* " * 7 + "II"),
    ],
    ids=["latin", "japanese", "unsafe-characters"],
)
def test_every_album_gets_its_own_playlist(
    library: Library,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    first: str,
    second: str,
) -> None:
    one, two = library.albums[:2]

    def rename(db: sqlite3.Connection) -> None:
        for album_id, name in ((one, first), (two, second)):
            db.execute("UPDATE albums SET name = ? WHERE id = ?", (name, album_id))
        db.execute(
            "UPDATE artists SET name = 'One Artist' WHERE rowid IN (SELECT artist_rowid "
            "FROM artist_albums aa JOIN albums a ON a.rowid = aa.album_rowid "
            "WHERE a.id IN (?, ?))",
            (one, two),
        )

    catalog = _copy_catalog(library.catalog, tmp_path / "renamed.sqlite3", rename)
    target = tmp_path / "lists"
    args = ["export", "m3u", "--all-albums", str(target), "--catalog", str(catalog)]
    assert main([*args, "--store", library.store]) == 0
    names = [path.name for path in target.iterdir()]
    assert f"Wrote {len(names):,} playlists" in capsys.readouterr().out
    assert len(names) == len(library.albums)
    for album_id in (one, two):
        assert sum(f"[{album_id}]" in name for name in names) == 1
    assert all(len(name.encode()) <= 255 for name in names)


def test_ids_that_differ_only_in_case_get_two_playlists(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Catalog ids are case-sensitive, some file systems are not: album `abC` must not
    overwrite album `ABc`'s playlist there."""
    one, two = library.albums[:2]
    twin = one.swapcase()

    def same_but_case(db: sqlite3.Connection) -> None:
        name = db.execute("SELECT name FROM albums WHERE id = ?", (one,)).fetchone()[0]
        db.execute("UPDATE albums SET id = ?, name = ? WHERE id = ?", (twin, name, two))
        db.execute(
            "UPDATE artists SET name = 'One Artist' WHERE rowid IN (SELECT artist_rowid "
            "FROM artist_albums aa JOIN albums a ON a.rowid = aa.album_rowid "
            "WHERE a.id IN (?, ?))",
            (one, twin),
        )

    def relink(db: sqlite3.Connection) -> None:
        db.execute("UPDATE links SET album_id = ? WHERE album_id = ?", (twin, two))

    catalog = _copy_catalog(library.catalog, tmp_path / "twins.sqlite3", same_but_case)
    store = _copy_catalog(Path(library.store), tmp_path / "store.sqlite3", relink)
    target = tmp_path / "lists"
    args = ["export", "m3u", "--all-albums", str(target), "--catalog", str(catalog)]
    assert main([*args, "--store", str(store)]) == 0
    names = [path.name for path in target.iterdir()]
    assert f"Wrote {len(names):,} playlists" in capsys.readouterr().out
    assert len({name.casefold() for name in names}) == len(names) == len(library.albums)


@pytest.mark.parametrize(
    ("args", "row_type"),
    [
        (["report", "missing"], MissingTrack),
        (["report", "duplicates"], DuplicateFile),
        (["report", "unmatched"], UnmatchedFile),
        (["export", "links"], LinkExport),
    ],
    ids=["missing", "duplicates", "unmatched", "links"],
)
def test_empty_csv_has_its_header(
    args: list[str],
    row_type: type,
    indexed_catalog_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    open_store(tmp_path / "empty.sqlite3").close()  # a store with nothing in it
    store = ["--store", str(tmp_path / "empty.sqlite3"), "--catalog", str(indexed_catalog_path)]
    assert main([*args, *store, "--csv"]) == 0
    out = capsys.readouterr().out
    assert list(csv.reader(io.StringIO(out))) == [[f.name for f in dataclasses.fields(row_type)]]


def _without_first_album(library: Library) -> Callable[[sqlite3.Connection], None]:
    def change(db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM albums WHERE id = ?", (library.albums[0],))

    return change


@pytest.mark.parametrize(
    ("catalog_of", "code", "said"),
    [
        ("same", 0, ""),
        (
            "another",
            1,
            "None of your linked albums are in this catalog; "
            "was the library matched against another one?",
        ),
        ("one album less", 0, "1 of your {albums} linked albums are not in this catalog"),
    ],
)
def test_missing_against_a_catalog(
    library: Library,
    small_catalog_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    catalog_of: str,
    code: int,
    said: str,
) -> None:
    catalogs = {
        "same": lambda: library.catalog,
        "another": lambda: small_catalog_path,
        "one album less": lambda: _copy_catalog(
            library.catalog, tmp_path / "less.sqlite3", _without_first_album(library)
        ),
    }
    args = ["report", "missing", "--catalog", str(catalogs[catalog_of]()), "--store"]
    assert main([*args, library.store]) == code
    out, err = capsys.readouterr()
    assert out == ("" if code else "Nothing to report.\n")  # the demo albums are whole
    if said:
        assert said.format(albums=len(library.albums)) in err
    else:
        assert "catalog" not in err


def test_vanished_files_count_nowhere(
    indexed_catalog_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA's steps: match, delete five files of an album, scan again, then ask."""
    with open_catalog(indexed_catalog_path) as catalog:
        truth = write_demo_library(catalog, tmp_path / "music", albums=3, seed=43)
    store = ["--store", str(tmp_path / "store.sqlite3")]
    cat = ["--catalog", str(indexed_catalog_path)]
    assert main(["match", str(tmp_path / "music"), *cat, *store]) == 0
    matched = _matched_paths(store[1])
    by_album: dict[str, list[LibraryFile]] = {}
    for item in truth:
        if os.fsencode(item.path) in matched:
            by_album.setdefault(item.album_id, []).append(item)
    album_id, files = max(by_album.items(), key=lambda pair: len(pair[1]))
    gone = files[:5]
    for item in gone:
        item.path.unlink()
    assert main(["scan", str(tmp_path / "music"), *store]) == 0
    assert "5 now missing" in capsys.readouterr().out
    assert main(["report", "missing", *cat, *store, "--json"]) == 0
    missing = {json.loads(line)["track_id"] for line in capsys.readouterr().out.splitlines()}
    assert {matched[os.fsencode(item.path)] for item in gone} <= missing
    assert main(["export", "m3u", album_id, *cat, *store]) == 0
    listed = set(capsys.readouterr().out.splitlines())
    assert not {str(item.path) for item in gone} & listed
    assert str(files[5].path) in listed


@pytest.mark.parametrize(
    "extra", [["--json"], ["--csv"], ["--all-albums", "{dir}", "--csv"]], ids=str
)
def test_a_playlist_is_not_json_or_csv(
    library: Library, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], extra: list[str]
) -> None:
    """Only the summary of --all-albums has a JSON form; a playlist itself is M3U."""
    args = ["export", "m3u", library.album_id, "--catalog", str(library.catalog)]
    extra = [word.format(dir=tmp_path / "lists") for word in extra]
    assert main([*args, "--store", library.store, *extra]) == 1
    assert b"only --all-albums DIR takes --json" in capsysbinary.readouterr().err
    assert not (tmp_path / "lists").exists()


@pytest.mark.parametrize(
    "form", ["{id}", "spotify:album:{id}", "https://open.spotify.com/album/{id}?si=x"]
)
def test_m3u_takes_an_album_id_uri_or_link(
    library: Library, form: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    album = form.format(id=library.album_id)
    args = ["export", "m3u", album, "--catalog", str(library.catalog), "--store", library.store]
    assert main(args) == 0
    assert library.not_utf8_path in _path_lines(capsysbinary.readouterr().out)


@pytest.mark.parametrize(
    ("album", "said"),
    [
        ("spotify:track:{id}", "is not an album id"),
        ("not an id", "is not an album id"),
        ("unowned", "None of your files is linked to a track of album"),
    ],
)
def test_m3u_of_what_is_no_album_of_yours_says_so(
    library: Library, album: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if album == "unowned":
        with open_catalog(library.catalog) as catalog:
            (album,) = catalog.execute(
                f"SELECT id FROM albums WHERE id NOT IN ({','.join('?' * len(library.albums))}) "
                "LIMIT 1",
                tuple(library.albums),
            ).fetchone()
    album = album.format(id=library.album_id)
    args = ["export", "m3u", album, "--catalog", str(library.catalog), "--store", library.store]
    assert main(args) == 1
    assert said in capsys.readouterr().err


def test_all_albums_go_on_past_an_album_the_catalog_lacks(
    library: Library, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    less = _copy_catalog(library.catalog, tmp_path / "less.sqlite3", _without_first_album(library))
    target = tmp_path / "lists"
    args = ["export", "m3u", "--all-albums", str(target), "--catalog", str(less)]
    assert main([*args, "--store", library.store, "--json"]) == 0
    summary = json.loads(capsysbinary.readouterr().out)
    assert summary["albums_not_in_catalog"] == [library.albums[0]]
    assert summary["playlists"] == len(library.albums) - 1 == len(list(target.iterdir()))


def test_all_albums_into_a_file_is_one_sentence(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    in_the_way = tmp_path / "afile"
    in_the_way.write_text("x")
    args = ["export", "m3u", "--all-albums", str(in_the_way), "--catalog", str(library.catalog)]
    assert main([*args, "--store", library.store]) == 1
    assert f"Cannot make the folder '{in_the_way}' for the playlists" in capsys.readouterr().err
    assert in_the_way.read_text() == "x"


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "links", "--json"],
        ["library", "--json"],
        ["scan", "{music}", "--json"],
        ["match", "{music}", "--catalog", "{catalog}", "--json"],
    ],
    ids=["export links", "library", "scan", "match"],
)
def test_json_paths_that_are_not_utf8_open_again(
    library: Library, argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Bytes that are not UTF-8 are written as JSON surrogate escapes (\\udcff), which
    json.loads and os.fsencode turn back into the path's bytes; not as the text \\xff."""
    words = [w.format(music=library.music, catalog=library.catalog) for w in argv]
    assert main([*words, "--store", library.store]) == 0
    out = capsysbinary.readouterr().out
    out.decode("utf-8")  # valid UTF-8 throughout
    assert b"\\udcff\\udcfe" in out and b"\\\\xff" not in out
    paths = {os.fsencode(json.loads(line)["path"]) for line in out.splitlines()}
    assert library.not_utf8_path in paths
    assert all(os.path.exists(path) for path in paths if path)


def test_export_links_csv_names_the_status_and_both_titles(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "links", "--store", library.store, "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {"status", "file_title", "file_artists", "track_title", "track_artists"} <= set(rows[0])
    assert {row["status"] for row in rows} <= {
        "matched", "review", "unmatched", "accepted", "rejected", "manual"
    }  # fmt: skip
    matched = [row for row in rows if row["status"] == "matched"]
    assert matched and all(row["track_title"] and row["track_artists"] for row in matched)
    assert any(row["file_title"] for row in matched)
    assert any(row["path"].endswith("bad\\xff\\xfebytes.flac") for row in rows)  # readable
