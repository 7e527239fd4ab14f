"""Files that are gone or unreadable never count as the user's: the reports, the playlists
and the marks of what they own all leave them out (their links stay, for when they return)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.catalog import Catalog, open_catalog
from explorer.demo.library import LibraryFile, write_demo_library
from explorer.library.records import STATUS_ERROR, STATUS_MISSING
from explorer.library.scan import scan
from explorer.library.store import LibraryStore, open_store
from explorer.matching.links import Links
from explorer.matching.reports import (
    album_presence,
    duplicates,
    m3u,
    missing_tracks,
    owned_album_ids,
    owned_ids,
)
from explorer.matching.run import match_library

LOST_OF_ONE_ALBUM = 5


def _delete(path: Path) -> None:
    path.unlink()


def _spoil(path: Path) -> None:
    path.write_bytes(b"\x00no longer audio" * 40)  # another size: the rescan reads it again


# How a file stops being there, and the status the rescan gives it.
LOSSES: dict[str, tuple[Callable[[Path], None], str]] = {
    "deleted": (_delete, STATUS_MISSING),
    "unreadable": (_spoil, STATUS_ERROR),
}


@dataclass
class Lost:
    catalog: Catalog
    store: LibraryStore
    album_id: str  # LOST_OF_ONE_ALBUM of its files lost
    lost_tracks: set[str]  # the tracks those files were linked to
    kept_tracks: set[str]  # the tracks its other files are linked to
    lost_paths: set[str]
    copy: Path  # a copy of a file of another album, whose original is lost
    gone_album: str  # an album all of whose files are lost


def _matched(store: LibraryStore, truth: list[LibraryFile]) -> dict[str, list[tuple[Path, str]]]:
    """(path, linked track id) of the matched files, by the album they were made from."""
    links = Links(store)
    by_album: dict[str, list[tuple[Path, str]]] = {}
    for item in truth:
        row = store.file_by_path(item.path)
        assert row is not None
        link = links.get(row.id)
        if link and link.decision == "matched" and link.track_id:
            by_album.setdefault(item.album_id, []).append((item.path, link.track_id))
    return by_album


@pytest.fixture(params=sorted(LOSSES))
def lost(
    request: pytest.FixtureRequest, indexed_catalog_path: Path, tmp_path: Path
) -> Iterator[Lost]:
    lose, status = LOSSES[request.param]
    catalog = open_catalog(indexed_catalog_path)
    music = tmp_path / "music"
    truth = write_demo_library(catalog, music, albums=6, seed=23)
    store = open_store(tmp_path / "store.sqlite3")
    scan(store, [music])
    match_library(store, catalog)
    by_album = _matched(store, truth)
    files_of = {a: [f for f in truth if f.album_id == a] for a in by_album}
    isrcs_of = {a: {f.isrc for f in files_of[a] if f.isrc} for a in by_album}
    # albums whose files all matched, and whose recordings no other album of the library has
    whole = [
        a
        for a in sorted(by_album)
        if len(by_album[a]) == len(files_of[a])
        and not isrcs_of[a] & {f.isrc for f in truth if f.album_id != a}
    ]
    album_id = next(a for a in whole if len(by_album[a]) > LOST_OF_ONE_ALBUM)
    others = [a for a in whole if a != album_id]
    assert len(others) >= 2, "the demo library needs three albums that match whole"
    copied_album, gone_album = others[0], others[1]
    original = by_album[copied_album][0][0]
    copy = music / "copies" / original.name
    copy.parent.mkdir()
    shutil.copy(original, copy)
    scan(store, [music])
    match_library(store, catalog)
    assert any(row.path == str(copy) for row in duplicates(store))  # the pair, before

    lost_files = by_album[album_id][:LOST_OF_ONE_ALBUM]
    kept_files = by_album[album_id][LOST_OF_ONE_ALBUM:]
    everything_lost = [*lost_files, by_album[copied_album][0], *by_album[gone_album]]
    tracks = [track for _, track in by_album[album_id]]
    assert owned_ids(store, "track", tracks) == set(tracks)  # all theirs, before
    for path, _ in everything_lost:
        lose(path)
    scan(store, [music])
    for path, _ in everything_lost:
        row = store.file_by_path(path)
        assert row is not None and row.status == status
    yield Lost(
        catalog,
        store,
        album_id,
        lost_tracks={track for _, track in lost_files},
        kept_tracks={track for _, track in kept_files},
        lost_paths={str(path) for path, _ in everything_lost},
        copy=copy,
        gone_album=gone_album,
    )
    store.close()
    catalog.close()


def test_owned_ids_leave_out_lost_files(lost: Lost) -> None:
    tracks = sorted(lost.lost_tracks | lost.kept_tracks)
    assert owned_ids(lost.store, "track", tracks) == lost.kept_tracks
    assert owned_ids(lost.store, "album", [lost.album_id, lost.gone_album]) == {lost.album_id}
    assert lost.gone_album not in owned_album_ids(lost.store)
    assert lost.album_id in owned_album_ids(lost.store)


def test_album_presence_marks_lost_tracks_absent(lost: Lost) -> None:
    album = lost.catalog.album(lost.album_id)
    assert album is not None
    presence = album_presence(lost.store, album)
    assert {t for t in lost.lost_tracks if presence[t]} == set()
    assert {t for t in lost.kept_tracks if presence[t]} == lost.kept_tracks


def test_missing_tracks_list_lost_files(lost: Lost) -> None:
    rows = [r for r in missing_tracks(lost.store, lost.catalog) if r.album_id == lost.album_id]
    assert lost.lost_tracks <= {r.track_id for r in rows}
    assert not lost.kept_tracks & {r.track_id for r in rows}
    assert {r.owned for r in rows} == {len(lost.kept_tracks)}
    assert lost.gone_album not in {r.album_id for r in missing_tracks(lost.store, lost.catalog)}


def test_playlist_leaves_out_lost_files(lost: Lost) -> None:
    album = lost.catalog.album(lost.album_id)
    assert album is not None
    playlist = m3u(lost.store, album)
    paths = {os.fsdecode(line) for line in playlist.data.splitlines() if not line.startswith(b"#")}
    assert not paths & lost.lost_paths
    assert playlist.entries == len(paths) == len(lost.kept_tracks)


def test_duplicates_leave_out_lost_files(lost: Lost) -> None:
    paths = {row.path for row in duplicates(lost.store)}
    assert not paths & lost.lost_paths
    assert str(lost.copy) not in paths  # its original is gone: no pair left
