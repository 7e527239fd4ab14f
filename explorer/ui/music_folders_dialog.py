"""File > Music folders...: the folders of the library with their files and decisions;
Add, Rescan (through the AddMusicController) and Remove after a confirmation.

API:
    dialog = MusicFoldersDialog(controller, parent=window)  # controller: AddMusicController
    dialog.open()  # lists the folders (read on a thread), refreshed after each addition
    dialog.table: the QTableWidget of folders (columns FOLDER, FILES, DECISIONS, SCANNED)
    dialog.confirm_box: the open Remove question, else None

Remove forgets the folder's files, their links and the history of those links (the files
on disk stay). The question says how many files, and how many carry decisions of the
user (accepted, rejected, linked by hand) that are lost with them and cannot be undone;
when there are such decisions, a copy of the store is written next to it first and the
sentence after names it.

Signals:
    removed(str): a sentence saying what was forgotten (for the status bar).

Hooking it in the window:
    file_menu.addAction("Music folders…", lambda: MusicFoldersDialog(
        self.add_music, parent=self).open())
    dialog.removed.connect(...)  # status bar, and reload Your library
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.errors import KnownError
from explorer.library.store import RootSummary, backup_store, default_store_path, open_store
from explorer.log import get_logger
from explorer.matching.add_music import AddSummary, summary_sentence
from explorer.ui.add_music import AddMusicController, emit_if_alive
from explorer.ui.workers import run_in_background

log = get_logger("ui")

FOLDER, FILES, DECISIONS, SCANNED = range(4)
HEADERS = ("Folder", "Files", "Your decisions", "Last scanned")


@dataclass(frozen=True)
class Removed:
    """A folder forgotten: its files, and the copy of the store made first (if any)."""

    folder: str
    files: int
    backup: Path | None


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def remove_question(item: RootSummary) -> str:
    """The confirmation's text: what is forgotten, and the decisions lost with it."""
    text = (
        f"Forget {item.root.display}? Its {_plural(item.files, 'file')} and their links "
        "leave your library (the files on disk are not touched)."
    )
    if item.decisions:
        text += (
            f" {_plural(item.decisions, 'file')} of them "
            f"{'carries a decision' if item.decisions == 1 else 'carry decisions'} of yours "
            "(accepted, rejected or linked by hand): they are lost too and cannot be undone; "
            "a copy of the store is kept first."
        )
    return text


def forget_root(store_path: Path, root_id: int) -> Removed:
    """Forget a root; with decisions under it, back the store up next to it first."""
    with open_store(store_path) as store:
        found = [item for item in store.root_summaries() if item.root.id == root_id]
        if not found:
            raise KnownError("That folder is not in your library any more.")
        item = found[0]
        backup = None
        if item.decisions:
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = backup_store(
                store_path, store_path.with_name(f"{store_path.name}.before-remove-{stamp}.bak")
            )
        files = store.remove_root(root_id)
    return Removed(item.root.display, files, backup)


def removed_sentence(removed: Removed) -> str:
    text = f"Forgot {removed.folder} ({_plural(removed.files, 'file')})."
    if removed.backup is not None:
        text += f" The store as it was is kept at {removed.backup}."
    return text


class MusicFoldersDialog(QDialog):
    """The library's folders (see the module's docstring)."""

    removed = Signal(str)
    _listed = Signal(int, object)  # from the job's thread: request number, [RootSummary]
    _forgotten = Signal(object)
    _failed = Signal(str)

    def __init__(self, controller: AddMusicController, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Music folders")
        self.controller = controller
        self.store_path = controller.store_path or default_store_path()
        self.items: list[RootSummary] = []
        self.confirm_box: QMessageBox | None = None
        self._said: str | None = None  # what the last change did, shown after the list
        self._numbers = itertools.count(1)
        self._latest = 0
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FOLDER, QHeaderView.ResizeMode.Stretch)
        for column in (FILES, DECISIONS, SCANNED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.note = QLabel("Reading your library…", self)
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.add_button = QPushButton("&Add folder…", self)
        self.rescan_button = QPushButton("&Rescan", self)
        self.remove_button = QPushButton("Re&move…", self)
        for button in (self.add_button, self.rescan_button, self.remove_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(controller.choose_and_start)
        self.rescan_button.clicked.connect(self.rescan)
        self.remove_button.clicked.connect(self.ask_remove)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(760, 320)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._listed.connect(self._on_listed)
        self._forgotten.connect(self._on_forgotten)
        self._failed.connect(self._on_failed)
        controller.finished.connect(self._on_added)
        controller.failed.connect(self._on_failed)
        self._update_buttons()
        self.refresh()

    def chosen(self) -> RootSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        idle = not self.controller.running
        chosen = self.chosen() is not None
        self.add_button.setEnabled(idle)
        self.rescan_button.setEnabled(idle and chosen)
        self.remove_button.setEnabled(idle and chosen)

    def refresh(self) -> None:
        """Read the folders again (on a thread; an older answer is dropped)."""
        number = next(self._numbers)
        self._latest = number
        path = self.store_path

        def work() -> None:
            try:
                if not path.exists():  # no library yet: nothing to list, none created
                    emit_if_alive(self._listed, number, [])
                    return
                with open_store(path) as store:
                    emit_if_alive(self._listed, number, store.root_summaries())
            except KnownError as exc:
                emit_if_alive(self._failed, str(exc))

        run_in_background(work, name="music-folders")

    @Slot(int, object)
    def _on_listed(self, number: int, items: list[RootSummary]) -> None:
        if number != self._latest:
            return
        chosen = self.chosen()
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            scanned = item.root.last_scan_at
            cells = (
                item.root.display,
                f"{item.files:,}",
                f"{item.decisions:,}",
                time.strftime("%Y-%m-%d %H:%M", time.localtime(scanned)) if scanned else "never",
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column != FOLDER:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, cell)
            if chosen is not None and item.root.id == chosen.root.id:
                self.table.selectRow(row)
        if self._said:
            self.note.setText(self._said)
        elif not items:
            self.note.setText("No music folders yet: Add folder… scans one and matches its files.")
        else:
            self.note.setText(
                "Rescan reads a folder again (new, changed and vanished files) and matches it."
            )
        self._update_buttons()

    def rescan(self) -> None:
        item = self.chosen()
        if item is not None and self.controller.start([Path(os.fsdecode(item.root.path))]):
            self._update_buttons()

    def ask_remove(self) -> None:
        """Ask before forgetting the chosen folder (kept in `confirm_box` while open)."""
        item = self.chosen()
        if item is None or self.confirm_box is not None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Remove music folder", remove_question(item), parent=self
        )
        forget = box.addButton("Forget folder", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        root_id = item.root.id

        def answered(_result: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is forget:
                self._remove(root_id)

        box.finished.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.confirm_box = box
        box.open()

    def _remove(self, root_id: int) -> None:
        path = self.store_path
        self.remove_button.setEnabled(False)

        def work() -> None:
            try:
                emit_if_alive(self._forgotten, forget_root(path, root_id))
            except KnownError as exc:
                emit_if_alive(self._failed, str(exc))
            except Exception as exc:  # a bug: say it, keep the dialog alive
                log.exception("removing a music folder failed")
                emit_if_alive(
                    self._failed, f"The folder could not be removed ({exc}); nothing was lost."
                )

        run_in_background(work, name="music-folders-remove")

    @Slot(object)
    def _on_forgotten(self, removed: Removed) -> None:
        sentence = removed_sentence(removed)
        self._said = sentence
        self.removed.emit(sentence)
        self.refresh()

    @Slot(object)
    def _on_added(self, summary: AddSummary) -> None:
        self._said = summary_sentence(summary)
        self.refresh()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.note.setText(message)
        self._update_buttons()
