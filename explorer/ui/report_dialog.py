"""A report (missing tracks, duplicates, unmatched files) in a table, with Export CSV."""

from __future__ import annotations

import csv
import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# Rows shown in the table at most; Export writes every row.
MAX_SHOWN = 5_000
# Widest a column is made to fit its contents, in pixels (a long path or album name would
# push the columns after it off the dialog).
MAX_COLUMN_PX = 320
# Columns shown first, in this order, where a report has them (the rest follow, the
# catalog's ids last): what a person reads before the numbers.
FIRST_COLUMNS = (
    "album",
    "album_artists",
    "disc_number",
    "track_number",
    "title",
    "path",
    "status",
    "reason",
)
WORDS = {"isrc": "ISRC", "id": "ID", "upc": "UPC", "s": "(s)"}


def field_words(name: str) -> str:
    """A field's name as words: `track_name` -> `Track name`, `track_id` -> `Track ID`,
    `duration_s` -> `Duration (s)`."""
    text = " ".join(WORDS.get(word, word) for word in name.split("_") if word)
    return text[:1].upper() + text[1:] if text else name


def shown_fields(names: list[str]) -> list[str]:
    """The order of the columns in the table (the CSV keeps the rows' own order)."""
    first = [name for name in FIRST_COLUMNS if name in names]
    ids = [name for name in names if name.endswith("_id") and name not in first]
    rest = [name for name in names if name not in first and name not in ids]
    return first + rest + ids


# A link's status in the words of Your library ("auto" is the matcher's own link).
STATUS_WORDS = {"auto": "matched", "manual": "linked by you", "accepted": "accepted"}
# Cells longer than this many characters also show whole in their tooltip.
LONG_CELL = 40


class ReportDialog(QDialog):
    """Shows report rows (frozen dataclasses) and exports them as CSV.

    `row_type`: the rows' dataclass, for the header of a report without rows; `empty`: the
    sentence shown when there are none.
    """

    def __init__(
        self,
        title: str,
        rows: list[Any],
        parent: QWidget | None = None,
        *,
        row_type: type | None = None,
        empty: str = "Nothing to report.",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(title)
        self.rows = rows
        kind = type(rows[0]) if rows else row_type
        self.fields = (
            [f.name for f in dataclasses.fields(kind)]
            if kind is not None and dataclasses.is_dataclass(kind)
            else []
        )
        layout = QVBoxLayout(self)
        self.summary = QLabel(f"{len(rows):,} rows" if rows else empty, self)
        self.summary.setObjectName("reportSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        shown = shown_fields(self.fields)
        self.table = QTableWidget(min(len(rows), MAX_SHOWN), len(shown), self)
        self.table.setObjectName("reportTable")
        self.table.setTabKeyNavigation(False)
        for c, name in enumerate(shown):
            header = QTableWidgetItem(field_words(name))
            header.setToolTip(name)  # the column's name in the CSV
            self.table.setHorizontalHeaderItem(c, header)
        # a long path keeps its start and its file name, whole in its tooltip
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for r, row in enumerate(rows[:MAX_SHOWN]):
            for c, name in enumerate(shown):
                value = getattr(row, name)
                text = "" if value is None else str(value)
                item = QTableWidgetItem(STATUS_WORDS.get(text, text) if name == "status" else text)
                if value is not None and len(str(value)) > LONG_CELL:
                    item.setToolTip(str(value))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for c in range(len(shown)):
            if self.table.columnWidth(c) > MAX_COLUMN_PX:
                self.table.setColumnWidth(c, MAX_COLUMN_PX)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = buttons.addButton(
            "Export CSV…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.export_button.clicked.connect(self._export)
        self.export_button.setEnabled(bool(rows))  # nothing to export
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 600)

    def export_to(self, path: str) -> int:
        """Write every row as CSV under a header of the field names (the header alone
        when there are no rows); returns how many rows."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=self.fields)
            writer.writeheader()
            for row in self.rows:
                writer.writerow({name: getattr(row, name) for name in self.fields})
        return len(self.rows)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the report", "report.csv", "CSV (*.csv)"
        )
        if path:
            try:
                written = self.export_to(path)
            except OSError as exc:
                self.summary.setText(f"Could not write {path}: {exc.strerror or exc}.")
                return
            self.summary.setText(f"{len(self.rows):,} rows; {written:,} written to {path}.")
