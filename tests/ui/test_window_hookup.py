"""The pieces hooked into the window (issue 21), driven as a user would: the toolbar and
its icons, Your library's menu, A and R in the Edit menu, arrow keys in the tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar
from pytestqt.qtbot import QtBot

from explorer.ui.dataset_dialog import DatasetDialog
from explorer.ui.main_window import MainWindow
from explorer.ui.tag_dialog import WriteTagsDialog
from tests.ui.test_review import _choose, _library_window, _status
from tests.ui.waits import WAIT_MS


def _item(window: MainWindow, menu: str, text: str) -> QAction:
    """The menu bar's `menu` item whose text (without &) starts with `text`."""
    bar = next(a for a in window.menuBar().actions() if a.text().replace("&", "") == menu)
    found = bar.menu()
    assert isinstance(found, QMenu)
    return next(a for a in found.actions() if a.text().replace("&", "").startswith(text))


def test_the_toolbar_has_its_actions_with_icons(window: MainWindow) -> None:
    [bar] = window.findChildren(QToolBar)
    texts = [a.text().replace("&", "") for a in bar.actions()]
    assert texts == ["Back", "Forward", "Add music folder…", "Build search index…", "Write tags…"]
    assert all(not a.icon().isNull() for a in bar.actions())
    assert not window.windowIcon().isNull()


def test_the_arrow_keys_in_the_tree_update_the_details(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.tree_model.rowCount() > 2, timeout=WAIT_MS)
    first = window.tree_model.node(window.tree_model.index(0, 0))
    second = window.tree_model.node(window.tree_model.index(1, 0))
    window.tree.setFocus()
    window.tree.setCurrentIndex(window.tree_model.index(0, 0))

    def shown() -> str | None:
        current = window.detail.current
        return getattr(current[1], "id", None) if current else None

    qtbot.waitUntil(lambda: shown() == first.entity_id, timeout=WAIT_MS)
    qtbot.keyClick(window.tree, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: shown() == second.entity_id, timeout=WAIT_MS)


@pytest.mark.parametrize(("key", "status"), [("Accept", "accepted"), ("Reject", "rejected")])
def test_accept_and_reject_are_in_the_edit_menu(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot, key: str, status: str
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    row = _choose(window, qtbot, 0)
    item = _item(window, "Edit", key)
    assert item.shortcut().toString() == key[0]  # A or R, shown beside the item
    item.trigger()
    qtbot.waitUntil(lambda: _status(window, row.file_id) == status, timeout=WAIT_MS)
    window.close()


def test_write_tags_and_export_dataset_open_from_your_library_menu(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    _item(window, "Your library", "Write tags").trigger()
    [tags] = window.findChildren(WriteTagsDialog)
    assert len(tags.file_ids) == matched_library  # the files listed
    tags.close()
    _item(window, "Your library", "Export dataset").trigger()
    [dataset] = window.findChildren(DatasetDialog)
    dataset.close()
    window.close()


def test_write_tags_without_files_says_what_to_do(window: MainWindow, qtbot: QtBot) -> None:
    _item(window, "Your library", "Write tags").trigger()
    assert window.findChildren(WriteTagsDialog) == []
    assert "choose the files" in window.statusBar().currentMessage()


def test_show_the_album_in_the_tree_keeps_the_tree_when_it_holds_the_album(
    window: MainWindow, qtbot: QtBot
) -> None:
    tree = window.tree_model
    qtbot.waitUntil(lambda: tree.rowCount() > 0, timeout=WAIT_MS)
    top = tree.rowCount()
    artist = tree.index(0, 0)
    tree.fetchMore(artist)
    qtbot.waitUntil(lambda: tree.rowCount(artist) > 0, timeout=WAIT_MS)
    group = tree.index(0, 0, artist)
    tree.fetchMore(group)
    album = tree.node(tree.index(0, 0, group))
    assert album.kind == "album" and album.entity_id
    window.details.on_link(QUrl(f"explorer://tree/album/{album.entity_id}"))
    qtbot.waitUntil(lambda: tree.node(window.tree.currentIndex()).id == album.id, timeout=WAIT_MS)
    assert tree.rowCount() == top  # the artists are still there
    assert window.genre_box.currentIndex() == 0  # no "Album: ..." item: the tree is kept


def test_a_single_of_one_track_says_1_track(window: MainWindow, qtbot: QtBot) -> None:
    """Plurals: the tree said "Single/EP, 1 tracks"."""
    tree = window.tree_model
    qtbot.waitUntil(lambda: tree.rowCount() > 0, timeout=WAIT_MS)
    texts: list[str] = []
    for row in range(min(tree.rowCount(), 20)):
        artist = tree.index(row, 0)
        tree.fetchMore(artist)
        qtbot.waitUntil(lambda a=artist: tree.rowCount(a) > 0, timeout=WAIT_MS)  # type: ignore[misc]
        for g in range(tree.rowCount(artist)):
            group = tree.index(g, 0, artist)
            tree.fetchMore(group)
            texts += [str(tree.index(i, 2, group).data()) for i in range(tree.rowCount(group))]
    assert not [text for text in texts if " 1 tracks" in text]
    assert [text for text in texts if " 1 track" in text]  # the demo has such singles
