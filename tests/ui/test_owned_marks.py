"""The browser marks what the user owns: results and an album's tracks, yours or missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.library.records import FileRead
from explorer.library.store import default_store_path, open_store
from explorer.matching.links import Links
from explorer.ui.app import create_main_window
from explorer.ui.search_results_model import OWNED_MARK
from tests.ui.waits import WAIT_MS


@pytest.fixture
def owned_track(indexed_catalog_path: Path, tmp_path: Path) -> Iterator[tuple[str, str, str, str]]:
    with open_catalog(indexed_catalog_path) as catalog:
        (rowid,) = catalog.execute(
            "SELECT rowid FROM albums WHERE album_type = 'album' AND total_tracks >= 5 LIMIT 1"
        ).fetchone()
        album = catalog.album_by_rowid(rowid)
        assert album is not None and len(album.tracks) >= 2
        track = album.tracks[0]
        artist = track.artists[0].name
    path = default_store_path()
    assert not path.exists()
    with open_store(path) as store:
        root = store.add_root(tmp_path)
        store.save_reads(root.id, [FileRead(b"/music/a.flac", 1, 1, "ok")])
        row = store.file_by_path(b"/music/a.flac")
        assert row is not None
        Links(store).decide(row.id, "manual", track_id=track.id, album_id=album.id, isrc=track.isrc)
    yield track.id, track.name, artist, album.id
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def test_results_and_album_show_what_is_yours(
    indexed_catalog_path: Path, owned_track: tuple[str, str, str, str], qtbot: QtBot
) -> None:
    track_id, name, artist, album_id = owned_track
    window = create_main_window(indexed_catalog_path)
    qtbot.addWidget(window)
    try:
        window.search_box.setText(f"{artist} {name} ")
        window.results.search_now()
        model = window.models["track"]
        column = model.columnCount() - 1

        def mark() -> str:
            for row in range(model.rowCount()):
                hit = model.hit(row)
                if hit is not None and hit.id == track_id:
                    return str(model.data(model.index(row, column)))
            return "?"

        qtbot.waitUntil(lambda: mark() == OWNED_MARK, timeout=WAIT_MS)
        window.details.open_entity("album", album_id)
        qtbot.waitUntil(lambda: "You have 1 of" in window.detail.toPlainText(), timeout=WAIT_MS)
        assert "missing" in window.detail.toPlainText()
        window.browse.show_album(album_id)
        tree = window.tree_model
        qtbot.waitUntil(
            lambda: tree.rowCount() == 1 and tree.node(tree.index(0, 0)).kind == "album",
            timeout=5000,
        )
        album_index = tree.index(0, 0)
        assert "✓ yours" in str(tree.data(tree.index(0, 2)))
        details = [
            str(tree.data(tree.index(r, 2, album_index))) for r in range(tree.rowCount(album_index))
        ]
        assert sum("✓ yours" in d for d in details) == 1
    finally:
        window.close()
