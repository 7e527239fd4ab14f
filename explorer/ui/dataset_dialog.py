"""Your library > Export dataset...: the files of the view's filter as a labelled audio
dataset (matching/dataset.py), written by the catalog worker."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from explorer.catalog import Catalog
from explorer.errors import KnownError
from explorer.library.store import default_store_path, open_store
from explorer.matching.dataset import FIELDS, FORMATS, DatasetSummary, export_dataset
from explorer.text.words import plural
from explorer.ui.workers import CatalogWorker, QueryOp

# Label check boxes per row of the grid.
FIELD_COLUMNS = 3


def summary_text(summary: DatasetSummary) -> str:
    """What was written, in one sentence for the dialog."""
    left = ", ".join(f"{count:,} {why}" for why, count in sorted(summary.left_out.items()))
    return (
        f"Wrote {plural(summary.written, 'file')} and {summary.metadata.name} to {summary.directory}"
        + (f"; left out {left}" if left else "")
        + "."
    )


class DatasetDialog(QDialog):
    """Choose a folder, the labels, the metadata format and copy or link; Export runs on
    `worker` (its catalog) and says what was written or why not."""

    def __init__(
        self,
        worker: CatalogWorker,
        filter_text: str,
        *,
        store_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export dataset")
        self.worker = worker
        self.filter_text = filter_text
        self.store_path = store_path or default_store_path()
        self.summary: DatasetSummary | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText("a new or empty folder")
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._choose_folder)
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        form.addRow("Folder:", folder_row)
        form.addRow("Filter:", QLabel(filter_text.strip() or "(every file)", self))
        self.format = QComboBox(self)
        has_parquet = importlib.util.find_spec("pyarrow") is not None
        for name in FORMATS:
            self.format.addItem(f"metadata.{name}", name)
        if not has_parquet:  # said, not hidden
            item = self.format.model().item(FORMATS.index("parquet"))  # type: ignore[attr-defined]
            item.setEnabled(False)
            item.setToolTip("Parquet needs pyarrow: pip install 'catalog-explorer[parquet]'")
        form.addRow("Metadata:", self.format)
        self.copy = QRadioButton("Copy the audio files", self)
        self.link = QRadioButton("Link them (hard links; symbolic across drives)", self)
        self.copy.setChecked(True)
        modes = QVBoxLayout()
        modes.addWidget(self.copy)
        modes.addWidget(self.link)
        form.addRow("Audio:", modes)
        self.include_review = QCheckBox("Files to review", self)
        self.include_unmatched = QCheckBox("Unmatched files (without labels)", self)
        extra = QVBoxLayout()
        extra.addWidget(self.include_review)
        extra.addWidget(self.include_unmatched)
        form.addRow("Also:", extra)
        layout.addLayout(form)
        grid = QGridLayout()
        self.fields: dict[str, QCheckBox] = {}
        for position, name in enumerate(FIELDS):
            box = QCheckBox(name, self)
            box.setChecked(True)
            box.setToolTip(FIELDS[name])
            self.fields[name] = box
            grid.addWidget(box, position // FIELD_COLUMNS, position % FIELD_COLUMNS)
        layout.addWidget(QLabel("Labels (file_name, confidence and status always):", self))
        layout.addLayout(grid)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.export_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    @Slot()
    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for the dataset")
        if chosen:
            self.folder.setText(chosen)

    def chosen_fields(self) -> tuple[str, ...]:
        return tuple(name for name, box in self.fields.items() if box.isChecked())

    @Slot()
    def start(self) -> None:
        """Run the export on the worker (the dialog stays usable; one export at a time)."""
        folder = self.folder.text().strip()
        if not folder:
            self.message.setText("Choose a folder for the dataset first.")
            return
        directory = Path(folder).expanduser()
        options: dict[str, Any] = {
            "filter_text": self.filter_text,
            "fields": self.chosen_fields(),
            "fmt": self.format.currentData(),
            "mode": "link" if self.link.isChecked() else "copy",
            "include_review": self.include_review.isChecked(),
            "include_unmatched": self.include_unmatched.isChecked(),
        }
        store_path = self.store_path

        def job(catalog: Catalog, _engine: Any) -> DatasetSummary:
            if not store_path.exists():  # never made here: a scan makes it
                raise KnownError("There is no library yet: add a music folder and match it.")
            with open_store(store_path) as store:
                return export_dataset(store, catalog, directory, **options)

        self.export_button.setEnabled(False)
        self.message.setText("Writing the dataset…")
        self.worker.run(QueryOp(job, self._on_finished, self._on_failed, latest=self))

    def _on_finished(self, result: DatasetSummary) -> None:
        self.export_button.setEnabled(True)
        if isinstance(result, DatasetSummary):
            self.summary = result
            self.message.setText(summary_text(result))

    def _on_failed(self, sentence: str) -> None:
        self.export_button.setEnabled(True)
        self.message.setText(sentence)
