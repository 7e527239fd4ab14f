"""The window's library workflow and desktop pieces hooked in: File > Add music folder...,
Music folders..., Open demo library; Edit > Preferences; Your library > Write tags...,
Export dataset...; Help; the toolbar with its icons, the app icon, drops, and the empty
library's buttons."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from explorer.library.store import default_store_path
from explorer.ui.dataset_dialog import DatasetDialog
from explorer.ui.library_empty_state import LibraryEmptyState, is_demo_catalog
from explorer.ui.library_workflow import install_library_workflow
from explorer.ui.resources import action_icon, app_icon
from explorer.ui.tag_dialog import WriteTagsDialog

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

# (what it does, keys) for the shortcuts that are not menu items' own
# What a window on a catalog on a server does not do yet (the command line refuses the same).
NOT_ON_SERVER = (
    "{what} does not open a catalog on a PostgreSQL server yet: open the catalog file "
    "(File > Open catalog…) for it."
)
EXTRA_SHORTCUTS = (("Accept the chosen match (in Your library)", "A"), ("Reject it", "R"))


def _menu(window: MainWindow, title: str) -> QMenu:
    """The menu bar's menu called `title` (without its &)."""
    for item in window.menuBar().actions():
        menu = item.menu()
        if item.text().replace("&", "") == title and isinstance(menu, QMenu):
            return menu
    return window.menuBar().addMenu(title)


class WindowExtras(QObject):
    """Owns what it hooked in (the workflow, the empty state, the toolbar)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        window.setWindowIcon(app_icon())
        menus = window.menus.actions
        file_menu, edit = _menu(window, "File"), _menu(window, "Edit")
        self.workflow = install_library_workflow(
            window,
            window.source,
            file_menu=file_menu,
            edit_menu=edit,
            help_menu=window.menuBar().addMenu("&Help"),
            on_change=self._on_library_changed,
            on_error=window.say,
            extra_shortcuts=EXTRA_SHORTCUTS,
            before=menus["quit"],
        )
        self._decisions_in_menu(edit)
        library_menu = window.menuBar().addMenu("&Your library")
        self.write_tags_action = window.menus.action(
            library_menu, "write-tags", "&Write tags…", None, self.write_tags
        )
        window.menus.action(library_menu, "export-dataset", "&Export dataset…", None, self.export)
        self.empty = LibraryEmptyState(self.workflow.add_music, demo=is_demo_catalog(window.source))
        window.results.stack.addWidget(self.empty)
        self.toolbar = self._toolbar()

    def _decisions_in_menu(self, edit: QMenu) -> None:
        """A and R shown in the Edit menu (the keys stay with the list and the tree, where
        they act on the highlighted file; the items act on the chosen one)."""
        first = edit.actions()[2] if len(edit.actions()) > 2 else None
        for name, text, key in (
            ("accept", "&Accept the chosen match", "A"),
            ("reject", "Re&ject the chosen match", "R"),
        ):
            item = QAction(text, self.w)
            item.setShortcut(QKeySequence(key))
            item.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # shown, not grabbed
            item.triggered.connect(partial(self._decide, name))
            if first is not None:
                edit.insertAction(first, item)
            else:
                edit.addAction(item)
            self.w.menus.actions[name] = item

    def _decide(self, action: str, _checked: bool = False) -> None:
        self.w.library.decide(action)

    def _toolbar(self) -> QToolBar:
        bar = QToolBar("Toolbar", self.w)
        bar.setObjectName("mainToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        menus = self.w.menus.actions
        for icon, item in (
            ("back", menus["back"]),
            ("forward", menus["forward"]),
            ("add-folder", self.workflow.add_folder_action),
            ("build-index", menus["build-index"]),
            ("write-tags", self.write_tags_action),
        ):
            item.setIcon(action_icon(icon))
            bar.addAction(item)
        self.w.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        return bar

    def _on_library_changed(self, sentence: str) -> None:
        self.w.say(sentence)
        self.w.library.refresh()

    def show_empty(self, empty: bool) -> None:
        """The buttons in place of Your library's list while it is empty."""
        stack = self.w.results.stack
        if empty:
            stack.setCurrentWidget(self.empty)
        elif stack.currentWidget() is self.empty:
            grouped = self.w.library.grouped()
            stack.setCurrentWidget(self.w.library.tree if grouped else self.w.results.view)

    def chosen_files(self) -> list[int]:
        """The files Write tags works on: those listed in Your library, else the chosen one."""
        library = self.w.library
        listed = [library.model.row(i) for i in range(library.model.rowCount())]
        ids = [row.file_id for row in listed if row is not None]
        if not ids and library.chosen_file is not None:
            ids = [library.chosen_file]
        return ids

    def write_tags(self) -> None:
        if self.w.source.is_server:
            self.w.say(NOT_ON_SERVER.format(what="Write tags"))
            return
        ids = self.chosen_files()
        if not ids:
            self.w.say("Open Your library and choose the files to write tags to first.")
            return
        self.tag_dialog = WriteTagsDialog(
            self.w,
            catalog_path=self.w.source.path,
            store_path=default_store_path(),
            file_ids=ids,
        )
        self.tag_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tag_dialog.open()

    def export(self) -> None:
        if self.w.source.is_server:
            self.w.say(NOT_ON_SERVER.format(what="Export dataset"))
            return
        self.dataset_dialog = DatasetDialog(
            self.w.worker, self.w.results.search_box.text(), parent=self.w
        )
        self.dataset_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dataset_dialog.open()
