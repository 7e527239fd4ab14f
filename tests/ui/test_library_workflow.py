"""The library workflow installed on the real main window: its menu items driven as a user
does (demo library, a drop, Music folders, Help, Preferences)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.demo.library import write_demo_library
from explorer.library.store import default_store_path
from explorer.ui.help_dialogs import AboutDialog, ShortcutsDialog
from explorer.ui.library_workflow import LibraryWorkflow
from explorer.ui.main_window import MainWindow
from explorer.ui.music_folders_dialog import MusicFoldersDialog
from explorer.ui.preferences_dialog import PreferencesDialog
from tests.ui.waits import WAIT_MS


def _menu(window: MainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and menu.title().replace("&", "") == title:
            return menu
    return window.menuBar().addMenu(title)


def _texts(menu: QMenu) -> list[str]:
    return [action.text().replace("&", "") or "-" for action in menu.actions()]


def test_the_window_gets_the_library_workflow(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, indexed_catalog_path: Path
) -> None:
    """The window's own menus (File, Help), drops and dialogs, driven as a user would."""
    workflow = window.extras.workflow
    said: list[str] = []
    window.statusBar().messageChanged.connect(lambda text: said.append(text) if text else None)
    assert _texts(_menu(window, "File"))[-5:] == [
        "Add music folder…",
        "Open demo library",
        "Music folders…",
        "-",
        "Quit",
    ]
    assert _texts(_menu(window, "Help")) == ["Keyboard shortcuts", "About Catalog Explorer"]
    demo = next(a for a in _menu(window, "File").actions() if a.text() == "Open demo &library")
    assert demo is workflow.demo_library_action
    try:
        _drive(qtbot, window, workflow, tmp_path, indexed_catalog_path, said)
    finally:
        path = default_store_path()
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def _drive(
    qtbot: QtBot,
    window: MainWindow,
    workflow: LibraryWorkflow,
    tmp_path: Path,
    indexed_catalog_path: Path,
    said: list[str],
) -> None:
    with qtbot.waitSignal(workflow.add_music.finished, timeout=WAIT_MS):
        workflow.demo_library_action.trigger()
    qtbot.waitUntil(lambda: any(" files scanned: " in text for text in said))
    assert said[-1].split(" files scanned: ")[0].isdigit()
    count = len(said)

    dropped = tmp_path / "dropped"
    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, dropped, albums=1, seed=3)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    how = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(QPoint(5, 5), *how)
    assert QApplication.sendEvent(window, enter) and enter.isAccepted()
    with qtbot.waitSignal(workflow.add_music.finished, timeout=WAIT_MS):
        QApplication.sendEvent(window, QDropEvent(QPointF(5, 5), *how))
    qtbot.waitUntil(lambda: len(said) > count)
    count = len(said)

    workflow.music_folders_action.trigger()
    [folders] = window.findChildren(MusicFoldersDialog)
    qtbot.waitUntil(lambda: folders.table.rowCount() == 2)
    folders.close()

    workflow.shortcuts_action.trigger()
    [shortcuts] = window.findChildren(ShortcutsDialog)
    assert {row.action for row in shortcuts.rows} >= {"Open catalog", "Accept the chosen match"}
    shortcuts.close()

    workflow.about_action.trigger()
    [about] = window.findChildren(AboutDialog)
    assert f"Catalog: {indexed_catalog_path}" in about.label.text()
    qtbot.waitUntil(lambda: "finding" not in about.label.text())
    about.close()

    workflow.preferences_action.trigger()
    [preferences] = window.findChildren(PreferencesDialog)
    qtbot.keyClick(preferences, Qt.Key.Key_Escape)  # nothing saved, nothing said
    assert len(said) == count
    assert isinstance(workflow.add_folder_action, QAction)  # for a toolbar
