"""Help: the shortcuts table is made from the actions themselves; About names the version,
the catalog, index and store paths and the licence, and copies them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from explorer import __version__
from explorer.catalog import open_catalog
from explorer.index import index_path_for
from explorer.ui.help_dialogs import AboutDialog, ShortcutRow, ShortcutsDialog, shortcut_rows


@pytest.fixture
def menus(qtbot: QtBot) -> QMainWindow:
    """A small window with menus, actions with and without shortcuts, one outside menus."""
    win = QMainWindow()
    qtbot.addWidget(win)
    file_menu = win.menuBar().addMenu("&File")
    file_menu.addAction("&Open catalog…").setShortcut(QKeySequence("Ctrl+O"))
    file_menu.addAction("Add music folder…")  # no shortcut: not listed
    go = win.menuBar().addMenu("&Go")
    back = go.addAction("&Back")
    back.setShortcuts([QKeySequence("Alt+Left"), QKeySequence("Backspace")])
    loose = QAction("Focus &search", win)
    loose.setShortcut(QKeySequence("Ctrl+L"))
    win.addAction(loose)
    return win


def test_rows_come_from_the_actions(menus: QMainWindow) -> None:
    rows = shortcut_rows(menus.findChildren(QAction), extra=[("Accept the chosen match", "A")])
    assert sorted(rows, key=lambda r: r.action) == [
        ShortcutRow("Accept the chosen match", "A", ""),
        ShortcutRow("Back", "Alt+Left, Backspace", "Go"),
        ShortcutRow("Focus search", "Ctrl+L", ""),
        ShortcutRow("Open catalog", "Ctrl+O", "File"),
    ]


def test_a_new_shortcut_shows_without_touching_the_dialog(qtbot: QtBot, menus: QMainWindow) -> None:
    menu = menus.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    menu.addAction("&Quit").setShortcut(QKeySequence("Ctrl+Q"))
    dialog = ShortcutsDialog(menus.findChildren(QAction), parent=menus)
    dialog.open()
    table = dialog.table
    shown = {
        (table.item(r, 0).text(), table.item(r, 1).text())  # type: ignore[union-attr]
        for r in range(table.rowCount())
    }
    assert ("Quit", "Ctrl+Q") in shown and len(shown) == 4
    qtbot.mouseClick(table.horizontalHeader().viewport(), Qt.MouseButton.LeftButton)  # sorts


def test_about_names_the_paths_and_copies_them(
    qtbot: QtBot, indexed_catalog_path: Path, tmp_path: Path
) -> None:
    store = tmp_path / "library.sqlite3"
    dialog = AboutDialog(indexed_catalog_path, store_path=store)
    qtbot.addWidget(dialog)
    dialog.open()
    with open_catalog(indexed_catalog_path) as catalog:
        index = index_path_for(catalog)
    qtbot.waitUntil(lambda: f"Search index: {index}\n" in dialog.label.text())
    text = dialog.label.text()
    assert text.startswith(f"Catalog Explorer {__version__}\n")
    assert f"Catalog: {indexed_catalog_path}\n" in text
    assert f"Library store: {store} (no music added yet)" in text
    assert text.endswith("Licence: MIT")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == text


def test_about_says_when_the_index_is_not_built(
    qtbot: QtBot, small_catalog_path: Path, tmp_path: Path
) -> None:
    copy = Path(shutil.copy(small_catalog_path, tmp_path / "catalog.sqlite3"))  # no index
    dialog = AboutDialog(copy, store_path=tmp_path / "s.sqlite3")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "(not built yet)" in dialog.label.text())


def test_the_main_windows_own_actions_fill_the_table(window: QMainWindow) -> None:
    rows = shortcut_rows(window.findChildren(QAction), extra=[("Accept", "A")])
    assert {(row.action, row.menu) for row in rows} >= {
        ("Open catalog", "File"),
        ("Undo decision", "Edit"),
        ("Back", "Go"),
        ("Accept", ""),
    }
