"""The "Write tags..." dialog: choose fields, preview before -> after, write, cancel, undo.

Use (the window owner hooks it into Your library and the toolbar):

    dialog = WriteTagsDialog(parent, catalog_path=..., store_path=..., file_ids=[...])
    dialog.open()

`file_ids` are the store's ids of the chosen files (`explorer.tagging.plan.files_under`
turns folders into them). The preview, the write and the undo each run on a thread of
their own with their own store and catalog connections (`workers.run_in_background`);
their answers come back by the signals below. Nothing is written before a preview.

Signals:
    previewed(object): the Preview of the chosen files.
    progressed(int, int): files written so far, files to write.
    wrote(object): the WriteSummary of a write or an undo.
    failed(str): a sentence for the user.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.catalog import open_catalog
from explorer.errors import KnownError
from explorer.library.store import open_store
from explorer.log import get_logger
from explorer.tagging.fields import ID_FIELDS, LABELS, OPTIONAL_FIELDS
from explorer.tagging.plan import Preview, plan_files
from explorer.tagging.undo import undo
from explorer.tagging.writer import WriteProgress, WriteSummary, write_plans
from explorer.text.words import plural
from explorer.ui.workers import run_in_background

log = get_logger("ui")

# Rows of changes shown in the preview table at most (the write covers every file).
MAX_PREVIEW_ROWS = 5_000
# Check boxes of optional fields per row of the field choice.
FIELDS_PER_ROW = 4
NONE_TEXT = "(none)"


def _texts(values: Sequence[str]) -> str:
    return "; ".join(values) if values else NONE_TEXT


class WriteTagsDialog(QDialog):
    """Writes the linked recordings into the chosen files' tags, with preview and undo."""

    previewed = Signal(object)
    progressed = Signal(int, int)
    wrote = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        catalog_path: Path,
        store_path: Path,
        file_ids: Sequence[int],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("writeTagsDialog")
        self.setWindowTitle("Write tags")
        self.catalog_path = Path(catalog_path)
        self.store_path = Path(store_path)
        self.file_ids = list(file_ids)
        self.preview: Preview | None = None
        self.last_batch: int | None = None
        self._cancel = threading.Event()
        self._busy = False
        self._verb = "written"
        self._build()
        self.previewed.connect(self._on_previewed)
        self.progressed.connect(self._on_progress)
        self.wrote.connect(self._on_wrote)
        self.failed.connect(self._on_failed)

    # -- layout ----------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        choice = QGroupBox("Fields to write (the identifiers are always written)")
        grid = QGridLayout(choice)
        self.field_boxes: dict[str, QCheckBox] = {}
        ids = QCheckBox(", ".join(LABELS[name] for name in ID_FIELDS))
        ids.setChecked(True)
        ids.setEnabled(False)
        grid.addWidget(ids, 0, 0, 1, FIELDS_PER_ROW)
        for index, name in enumerate(OPTIONAL_FIELDS):
            box = QCheckBox(LABELS[name])
            box.setObjectName(f"field_{name}")
            box.toggled.connect(self._fields_changed)
            self.field_boxes[name] = box
            grid.addWidget(box, 1 + index // FIELDS_PER_ROW, index % FIELDS_PER_ROW)
        self.keep_mtime = QCheckBox("Keep the files' modification times")
        grid.addWidget(self.keep_mtime, 2 + len(OPTIONAL_FIELDS) // FIELDS_PER_ROW, 0, 1, 4)
        layout.addWidget(choice)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("previewTable")
        self.table.setHorizontalHeaderLabels(["File", "Field", "Before", "After"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, stretch=3)
        layout.addWidget(QLabel("Cannot be written:"))
        self.refused = QTableWidget(0, 2)
        self.refused.setObjectName("refusedTable")
        self.refused.setHorizontalHeaderLabels(["File", "Why"])
        self.refused.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refused.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.refused, stretch=1)

        self.status = QLabel(f"{len(self.file_ids):,} files chosen. Preview shows what changes.")
        self.status.setObjectName("tagStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)

        buttons = QHBoxLayout()
        self.preview_button = QPushButton("Preview")
        self.write_button = QPushButton("Write")
        self.cancel_button = QPushButton("Cancel")
        self.undo_button = QPushButton("Undo")
        self.close_button = QPushButton("Close")
        for button, slot in (
            (self.preview_button, self.start_preview),
            (self.write_button, self.start_write),
            (self.cancel_button, self.cancel),
            (self.undo_button, self.start_undo),
            (self.close_button, self.reject),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self._enable()
        self.resize(900, 600)

    def fields(self) -> tuple[str, ...]:
        """The fields chosen: the identifiers and the optional fields checked."""
        chosen = {name for name, box in self.field_boxes.items() if box.isChecked()}
        return ID_FIELDS + tuple(name for name in OPTIONAL_FIELDS if name in chosen)

    def _enable(self) -> None:
        ready = self.preview is not None and bool(self.preview.to_write)
        self.preview_button.setEnabled(not self._busy)
        self.write_button.setEnabled(not self._busy and ready)
        self.cancel_button.setEnabled(self._busy)
        self.undo_button.setEnabled(not self._busy and self.last_batch is not None)
        for box in self.field_boxes.values():
            box.setEnabled(not self._busy)

    @Slot()
    def _fields_changed(self) -> None:
        """Another choice of fields needs another preview before anything is written."""
        self.preview = None
        self.table.setRowCount(0)
        self._enable()

    # -- work off the GUI thread -------------------------------------------------------

    def _start(self, work: Callable[[], None], text: str) -> None:
        self._busy = True
        self._cancel.clear()
        self.status.setText(text)
        self._enable()

        def guarded() -> None:
            try:
                work()
            except KnownError as exc:
                self.failed.emit(str(exc))
            except Exception as exc:  # a bug: say it, keep the window alive
                log.exception("tag writing failed")
                self.failed.emit(f"Internal error: {exc}")

        run_in_background(guarded, name="write-tags")

    @Slot()
    def start_preview(self) -> None:
        fields = self.fields()
        ids = list(self.file_ids)

        def work() -> None:
            with open_catalog(self.catalog_path) as catalog, open_store(self.store_path) as store:
                self.previewed.emit(plan_files(store, catalog, ids, fields=fields))

        self._start(work, "Reading the files…")

    @Slot()
    def start_write(self) -> None:
        preview = self.preview
        if preview is None or not preview.to_write:
            return
        keep_mtime = self.keep_mtime.isChecked()
        self.progress.setRange(0, len(preview.to_write))
        self.progress.setValue(0)
        self.progress.setVisible(True)

        def work() -> None:
            with open_store(self.store_path) as store:
                summary = write_plans(
                    store, preview.plans, fields=preview.fields, keep_mtime=keep_mtime,
                    progress=self._report, cancel=self._cancel,
                )  # fmt: skip
            self.wrote.emit(summary)

        self._verb = "written"
        self._start(work, "Writing…")

    @Slot()
    def start_undo(self) -> None:
        batch = self.last_batch
        if batch is None:
            return

        def work() -> None:
            with open_store(self.store_path) as store:
                summary = undo(store, batch_id=batch, progress=self._report, cancel=self._cancel)
            self.wrote.emit(summary)

        self._verb = "put back"
        self._start(work, "Putting the earlier tags back…")

    @Slot()
    def cancel(self) -> None:
        """Stop after the file being written (the files written stay written)."""
        self._cancel.set()
        self.status.setText("Stopping after the file being written…")

    def _report(self, state: WriteProgress) -> None:  # on the worker thread
        self.progressed.emit(state.done, state.total)

    # -- answers (GUI thread) ------------------------------------------------------------

    @Slot(object)
    def _on_previewed(self, preview: Preview) -> None:
        self._busy = False
        self.preview = preview
        self._fill(preview)
        counts = preview.counts
        self.status.setText(
            f"{counts.get('write', 0):,} files to write, {counts.get('unchanged', 0):,} "
            f"unchanged (their tags already say so), {counts.get('unwritable', 0):,} cannot "
            "be written."
        )
        self._enable()

    def _fill(self, preview: Preview) -> None:
        rows: list[tuple[str, str, str, str]] = []
        for plan in preview.plans:
            if plan.status == "unchanged":
                rows.append((plan.display, "", "unchanged", ""))
            for change in plan.changes:
                label = f"{LABELS.get(change.field, change.field)} ({change.name})"
                rows.append((plan.display, label, _texts(change.before), _texts(change.after)))
            if len(rows) >= MAX_PREVIEW_ROWS:
                break
        _set_rows(self.table, rows[:MAX_PREVIEW_ROWS])
        refused = [(p.display, p.problem or "") for p in preview.plans if p.status == "unwritable"]
        _set_rows(self.refused, refused)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    @Slot(object)
    def _on_wrote(self, summary: WriteSummary) -> None:
        self._busy = False
        self.progress.setVisible(False)
        if summary.written:
            self.last_batch = summary.batch_id
        self.preview = None  # the files changed: a new preview before writing again
        text = (
            f"{plural(summary.written, 'file')} {self._verb}, {summary.unchanged:,} unchanged, "
            f"{summary.failed:,} failed" + (" (cancelled)" if summary.cancelled else "") + "."
        )
        failures = [f"{o.display}: {o.reason}" for o in summary.outcomes if o.status == "failed"]
        if failures:
            text += " " + " ".join(failures[:3]) + (" …" if len(failures) > 3 else "")
        self.status.setText(text)
        self._enable()

    @Slot(str)
    def _on_failed(self, sentence: str) -> None:
        self._busy = False
        self.progress.setVisible(False)
        self.status.setText(sentence)
        self._enable()

    def reject(self) -> None:
        """Closing while writing stops after the current file."""
        self._cancel.set()
        super().reject()


def _set_rows(table: QTableWidget, rows: Sequence[Sequence[Any]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            item.setToolTip(str(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, column, item)
    table.resizeColumnsToContents()
