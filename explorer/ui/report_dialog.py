"""A report (missing tracks, duplicates, unmatched files) in a table, with Export CSV."""

from __future__ import annotations

import csv
import dataclasses
from typing import Any

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


class ReportDialog(QDialog):
    """Shows report rows (frozen dataclasses) and exports them as CSV."""

    def __init__(self, title: str, rows: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(title)
        self.rows = rows
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(rows):,} rows" if rows else "Nothing to report.", self))
        fields = [f.name for f in dataclasses.fields(rows[0])] if rows else []
        self.table = QTableWidget(min(len(rows), MAX_SHOWN), len(fields), self)
        self.table.setObjectName("reportTable")
        self.table.setHorizontalHeaderLabels(fields)
        for r, row in enumerate(rows[:MAX_SHOWN]):
            for c, name in enumerate(fields):
                value = getattr(row, name)
                self.table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        export = buttons.addButton("Export CSV…", QDialogButtonBox.ButtonRole.ActionRole)
        export.clicked.connect(self._export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1000, 600)

    def export_to(self, path: str) -> int:
        """Write every row as CSV with a header; returns how many rows."""
        if not self.rows:
            return 0
        fields = [f.name for f in dataclasses.fields(self.rows[0])]
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            for row in self.rows:
                writer.writerow({name: getattr(row, name) for name in fields})
        return len(self.rows)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the report", "report.csv", "CSV (*.csv)"
        )
        if path:
            self.export_to(path)
