"""Cover art from a local folder, a placeholder without network consent, the genre list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QPixmap
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.ui.covers import FOLDER_KEY, NETWORK_KEY, cover_name
from explorer.ui.main_window import MainWindow
from tests.ui.waits import WAIT_MS


def _album(path: Path) -> tuple[str, str]:
    with open_catalog(path) as catalog:
        album = catalog.album_by_rowid(5)
        assert album is not None and album.images
        return album.id, album.images[0].url


def test_cover_from_the_local_folder(
    window: MainWindow, indexed_catalog_path: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    album_id, url = _album(indexed_catalog_path)
    picture = QPixmap(40, 40)
    picture.fill(QColor("red"))
    assert picture.save(str(tmp_path / f"{cover_name(url)}.png"))
    window.covers.settings.setValue(FOLDER_KEY, str(tmp_path))
    try:
        window.details.open_entity("album", album_id)
        qtbot.waitUntil(lambda: not window.cover_label.pixmap().isNull(), timeout=WAIT_MS)
    finally:
        window.covers.settings.remove(FOLDER_KEY)


def test_without_consent_nothing_is_downloaded(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    album_id, _ = _album(indexed_catalog_path)
    window.covers.settings.setValue(NETWORK_KEY, "false")
    window.details.open_entity("album", album_id)
    qtbot.waitUntil(lambda: "No cover here" in window.cover_label.text(), timeout=WAIT_MS)
    assert window.covers._manager is None  # no network access was even set up


def test_genre_list_opens_the_artists_of_a_genre(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: window.genre_box.count() > 1, timeout=WAIT_MS)
    genre = window.genre_box.itemText(1)
    with open_catalog(indexed_catalog_path) as catalog:
        expected = [a.id for a in catalog.artists_of_genre(genre)]
    window.genre_box.setCurrentIndex(1)
    window.browse.on_genre(1)
    tree = window.tree_model
    qtbot.waitUntil(
        lambda: [tree.node(tree.index(r, 0)).entity_id for r in range(tree.rowCount())] == expected,
        timeout=5000,
    )
    window.browse.on_genre(0)
    qtbot.waitUntil(lambda: tree.more_artists is not None, timeout=WAIT_MS)
