"""The library workflow's menu items in one call: File > Add music folder..., Open demo
library, Music folders...; Edit > Preferences...; Help > Keyboard shortcuts, About; and
drops of folders and files on the window.

API:
    workflow = install_library_workflow(window, catalog_path, file_menu=..., edit_menu=...,
        help_menu=..., on_change=callback)
    `on_change(sentence)`: called after music was added, a folder removed or the
        preferences saved, with a sentence for the status bar: reload Your library there.
    `on_error(sentence)` (optional; default: a message box): an addition that failed.
    `extra_shortcuts`: (what it does, keys) rows for QShortcuts (A, R) in the shortcuts
        table, which is made from the window's actions each time it opens.
    `before`: an action of the File menu to insert the items before (e.g. Quit).
    Returns a LibraryWorkflow: the controller and each QAction (for a toolbar:
    workflow.add_folder_action).

Hooking it in the window (after its menus are built):
    self.workflow = install_library_workflow(self, self.catalog_path,
        file_menu=file_menu, edit_menu=edit, help_menu=self.menuBar().addMenu("&Help"),
        on_change=self._on_library_changed, before=quit_action,
        extra_shortcuts=[("Accept the chosen match", "A"), ("Reject it", "R")])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMessageBox

from explorer.catalog.source import CatalogLike
from explorer.matching.add_music import AddSummary
from explorer.ui.add_music import AddMusicController, MusicDrops, summary_sentence
from explorer.ui.help_dialogs import AboutDialog, ShortcutsDialog
from explorer.ui.music_folders_dialog import MusicFoldersDialog
from explorer.ui.preferences_dialog import PreferencesDialog


@dataclass(frozen=True)
class LibraryWorkflow:
    """What install_library_workflow made."""

    add_music: AddMusicController
    add_folder_action: QAction
    demo_library_action: QAction
    music_folders_action: QAction
    preferences_action: QAction
    shortcuts_action: QAction
    about_action: QAction


def install_library_workflow(
    window: QMainWindow,
    catalog: CatalogLike,
    *,
    file_menu: QMenu,
    edit_menu: QMenu,
    help_menu: QMenu,
    on_change: Callable[[str], None],
    on_error: Callable[[str], None] | None = None,
    extra_shortcuts: Sequence[tuple[str, QKeySequence | str]] = (),
    before: QAction | None = None,
    store_path: Path | None = None,
) -> LibraryWorkflow:
    """Add the workflow's actions to the menus and drops to the window (see the module's
    docstring)."""
    controller = AddMusicController(catalog, parent=window, store_path=store_path)

    def added(summary: AddSummary) -> None:
        on_change(summary_sentence(summary))

    def failed(message: str) -> None:
        if on_error is not None:
            on_error(message)
        else:
            QMessageBox.warning(window, "Add music", message)

    controller.finished.connect(added)
    controller.failed.connect(failed)
    MusicDrops(window, controller)

    def action(menu: QMenu, text: str, slot: Callable[[], object], *, first: bool) -> QAction:
        made = QAction(text, window)
        made.triggered.connect(lambda _checked=False: slot())
        if first and before is not None:
            menu.insertAction(before, made)
        else:
            menu.addAction(made)
        return made

    def show(dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # made anew each time
        dialog.open()

    def music_folders() -> None:
        dialog = MusicFoldersDialog(controller, parent=window)
        dialog.removed.connect(on_change)
        show(dialog)

    def preferences() -> None:
        dialog = PreferencesDialog(parent=window)
        dialog.saved.connect(lambda _saved: on_change("Preferences saved."))
        show(dialog)

    def shortcuts() -> None:
        actions = window.findChildren(QAction)
        show(ShortcutsDialog(actions, extra=extra_shortcuts, parent=window))

    def about() -> None:
        show(AboutDialog(catalog, store_path=store_path, parent=window))

    add_folder = action(file_menu, "&Add music folder…", controller.choose_and_start, first=True)
    demo = action(file_menu, "Open demo &library", controller.start_demo, first=True)
    folders = action(file_menu, "&Music folders…", music_folders, first=True)
    if before is not None:
        file_menu.insertSeparator(before)
    edit_menu.addSeparator()
    prefs = action(edit_menu, "&Preferences…", preferences, first=False)
    prefs.setShortcut(QKeySequence.StandardKey.Preferences)
    keys = action(help_menu, "&Keyboard shortcuts", shortcuts, first=False)
    about_action = action(help_menu, "&About Catalog Explorer", about, first=False)
    return LibraryWorkflow(controller, add_folder, demo, folders, prefs, keys, about_action)
