"""The Your library tab: the files as a list or grouped by folder, each file's review, and
the user's decisions on it (accept, reject, pick, undo, redo)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTreeView, QWidget

from explorer.catalog import Catalog
from explorer.matching.library_filter import filter_problems, pages_by_position
from explorer.search.engine import SearchEngine
from explorer.text.words import plural
from explorer.ui import jobs
from explorer.ui.library_model import LibraryModel
from explorer.ui.library_tree_model import LibraryTreeModel
from explorer.ui.workers import QueryOp

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow


def add_music_hint() -> str:
    """How to put music in Your library, in the window."""
    return (
        "Your library is empty: add a music folder (File > Add music folder…, or the "
        "button), or drop folders on the window."
    )


class LibraryPane(QObject):
    """Your files and their links; everything read or decided goes through the worker."""

    def __init__(self, window: MainWindow, parent: QWidget) -> None:
        super().__init__(window)
        self.w = window
        self.chosen_file: int | None = None
        self.model = LibraryModel(self)
        self.model.moreWanted.connect(self._on_more_files)
        self.tree_model = LibraryTreeModel(self)
        self.tree_model.wantFolder.connect(self._on_want_folder)
        self.tree = QTreeView(parent)
        self.tree.setObjectName("libraryTree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setTabKeyNavigation(False)
        self.tree.header().resizeSection(0, 420)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_selected)
        self.group_action = QAction("&Group your library by folder", window)
        self.group_action.setCheckable(True)
        self.group_action.triggered.connect(self._toggle_grouped)

    def grouped(self) -> bool:
        return self.group_action.isChecked()

    def _shown(self) -> bool:
        return self.w.results.library_mode

    def hint(self) -> str:
        return add_music_hint()

    # -- reading ---------------------------------------------------------------------------

    def search(self, text: str) -> None:
        """The files (or folders, grouped) the filter `text` picks."""
        run = self.w.worker.run
        if self.grouped():
            # grouped by folder: the filter picks the folders, and their files
            run(QueryOp(lambda c, e: jobs.folders(text), self._on_folders, latest=self._on_folders))
        else:
            run(
                QueryOp(
                    lambda c, e: jobs.files(0, text),
                    self._on_files,
                    latest=self._on_files,
                    interrupts=True,
                )
            )

    def _toggle_grouped(self, _grouped: bool) -> None:
        results = self.w.results
        results.on_tab(results.tabs.currentIndex())

    @Slot(int)
    def _on_more_files(self, after_id: int) -> None:
        text = self.w.results.search_box.text()
        # sorted pages continue after the last row shown (its sort key), not a file id
        after = self.model.last_read if pages_by_position(text) else None
        self.w.worker.run(
            QueryOp(
                lambda c, e: jobs.files(after_id, text, after),
                self._on_more_files_read,
                latest=self._on_more_files_read,
            )
        )

    def _on_files(self, page: jobs.FilesPage) -> None:
        rows = list(page.rows)
        self.model.set_rows(rows, page.more)
        self.w.extras.show_empty(self._is_empty(len(rows)))
        self.show_count()
        if rows and self._shown() and not self.grouped():
            # the file chosen before a reload stays chosen: highlighted when listed, else
            # nothing is (the pane keeps showing it); the first file without one
            chosen = self.model.position_of(self.chosen_file or -1)
            if chosen >= 0 or self.chosen_file is None:
                self.w.results.view.selectRow(max(chosen, 0))
        elif self._is_empty(len(rows)):
            self.w.details.detail.show_message(self.hint())

    def _on_more_files_read(self, page: jobs.FilesPage) -> None:
        self.model.append_rows(list(page.rows), page.more)
        self.show_count()

    def _on_folders(self, folders: tuple[str, ...]) -> None:
        self.tree_model.set_folders(list(folders))
        self.w.extras.show_empty(self._is_empty(len(folders)))
        label = self.w.results.count_label
        if self._is_empty(len(folders)):
            label.setText(self.hint())
            self.w.details.detail.show_message(self.hint())
        else:
            label.setText(f"{plural(len(folders), 'folder')}{self._filter_note()}")

    @Slot(int, str)
    def _on_want_folder(self, number: int, folder: str) -> None:
        text = self.w.results.search_box.text()  # the filter applies to the folders' files too
        self.w.worker.run(QueryOp(lambda c, e: jobs.folder(number, folder, text), self._on_folder))

    def _on_folder(self, answer: jobs.FolderFiles) -> None:
        self.tree_model.set_files(answer.number, list(answer.rows))

    def refresh(self) -> None:
        """Read what is shown again: the open folders' files when grouped (the tree keeps
        its folders open and its selection), else the list."""
        if self._shown() and self.grouped():
            text = self.w.results.search_box.text()
            for folder in self.tree_model.loaded_folders():
                self.w.worker.run(QueryOp(_folder_job(folder, text), self._on_refreshed))
        elif self._shown():
            self.w.results.search_now()

    def _on_refreshed(self, answer: jobs.FolderFiles) -> None:
        for row in answer.rows:
            self.tree_model.replace_row(row)

    def show_count(self) -> None:
        """The count under the list, when shown."""
        if not self._shown() or self.grouped():
            return
        label = self.w.results.count_label
        if self._is_empty(self.model.rowCount()):
            label.setText(self.hint())
            return
        files = "file" if self.model.count_text() == "1" else "files"
        label.setText(f"{self.model.count_text()} {files}{self._filter_note()}")

    def _is_empty(self, shown: int) -> bool:
        """Your library is shown and has nothing in it (`shown` rows, with no filter)."""
        return self._shown() and shown == 0 and not self.w.results.search_box.text().strip()

    def _filter_note(self) -> str:
        """What the library filter did not understand, as a note after the count."""
        problems = filter_problems(self.w.results.search_box.text())
        return f" — not understood: {'; '.join(problems)}" if problems else ""

    # -- one file ----------------------------------------------------------------------------

    def open_row(self, position: int) -> None:
        row = self.model.row(position)
        if row is not None:
            self.open_file(row.file_id)

    @Slot(QModelIndex, QModelIndex)
    def _on_tree_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.tree_model.file_at(current)
        if row is not None:
            self.open_file(row.file_id)

    def open_file(self, file_id: int) -> None:
        """Show one file's match, explained, in the detail pane."""
        self.chosen_file = file_id
        self.w.worker.run(
            QueryOp(
                lambda c, e: jobs.review(file_id, c),
                self.show_reviewed,
                latest=self.show_reviewed,
                interrupts=True,
            )
        )

    def show_reviewed(self, reviewed: jobs.Reviewed) -> None:
        """A file's row, read again, in the list and tree (and the pane, if chosen)."""
        self.model.replace_row(reviewed.row)
        self.tree_model.replace_row(reviewed.row)
        if self.chosen_file == reviewed.row.file_id:
            self.w.details.show_file(reviewed)

    def decide(self, action: str, file_id: int | None = None, **target: str | None) -> None:
        """accept / reject / unlink / pick / manual for a file (the chosen one by default)."""
        chosen = file_id if file_id is not None else self.chosen_file
        if chosen is None:
            self.w.statusBar().showMessage("Choose a file in Your library first.", 6000)
            return
        self.w.worker.run(
            QueryOp(
                lambda c, e: jobs.decide(chosen, action, target, c),
                self.show_reviewed,
                repeatable=False,  # Retry after a lost server must not decide twice
            )
        )

    def key_decision(self, action: str) -> None:
        """A or R: for the file highlighted in the list or tree, never another one (the
        one chosen before may be filtered out, or a folder row highlighted)."""
        if not self._shown():
            return
        view = self.w.results.view
        if view.hasFocus() and not self.grouped():
            row = self.model.row(view.currentIndex().row())
        elif self.tree.hasFocus() and self.grouped():
            row = self.tree_model.file_at(self.tree.currentIndex())
        else:
            return
        if row is None:
            self.w.statusBar().showMessage("Choose a file first (A accepts, R rejects).", 6000)
            return
        self.decide(action, row.file_id)

    def undo(self) -> None:
        self.w.worker.run(
            QueryOp(lambda c, e: jobs.history("undo", c), self._on_history, repeatable=False)
        )

    def redo(self) -> None:
        self.w.worker.run(
            QueryOp(lambda c, e: jobs.history("redo", c), self._on_history, repeatable=False)
        )

    def _on_history(self, done: jobs.HistoryDone) -> None:
        if done.reviewed is not None:
            self.show_reviewed(done.reviewed)
        self.w.statusBar().showMessage(done.said, 6000)
        self.refresh()  # an undone batch (accept all): many rows


def _folder_job(folder: str, text: str) -> Callable[[Catalog, SearchEngine], jobs.FolderFiles]:
    """A job reading one folder's files again."""
    return lambda catalog, engine: jobs.folder(0, folder, text)
