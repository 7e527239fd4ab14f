"""Edit > Preferences: match thresholds, matching processes, cover folder and downloads; the
data and cache folders shown with Open folder. Saved in the settings file on OK.

API:
    dialog = PreferencesDialog(parent=window)  # `settings`: the QSettings (default
        app_settings()); `open_folder`: how a folder is shown (default: the desktop's
        file manager through QDesktopServices)
    dialog.open()  # OK saves (save_preferences) and emits saved(Preferences)
    Fields: matched, review (QDoubleSpinBox), workers (QSpinBox, 0 = "Automatic"),
    cover_folder (QLineEdit, Choose… / Clear), cover_downloads (QCheckBox),
    data_folder, cache_folder (read-only QLineEdit, each with an Open folder button).

Signals:
    saved(object): the Preferences written (show the cover again: its folder or
        downloads may have changed; the next match reads match_settings()).

Hooking it in the window:
    edit_menu.addAction("Preferences…", self._preferences)  # QKeySequence.Preferences
    def _preferences(self):
        dialog = PreferencesDialog(parent=self)
        dialog.saved.connect(lambda _p: self._show_cover(self._cover_url))
        dialog.open()
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.matching.decide import Thresholds
from explorer.paths import cache_dir, data_dir
from explorer.ui.preferences import (
    MAX_WORKERS,
    MatchSettings,
    Preferences,
    app_settings,
    read_preferences,
    save_preferences,
)

THRESHOLD_STEP = 0.01


def open_in_file_manager(folder: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class PreferencesDialog(QDialog):
    """The preferences (see the module's docstring)."""

    saved = Signal(object)

    def __init__(
        self,
        *,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
        open_folder: Callable[[Path], object] = open_in_file_manager,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings or app_settings()
        self.open_folder = open_folder
        current = read_preferences(self.settings)
        form = QFormLayout()
        self.matched = self._threshold(current.match.thresholds.matched_confidence)
        self.review = self._threshold(current.match.thresholds.review_confidence)
        self.matched.valueChanged.connect(self._keep_order)
        self.review.valueChanged.connect(self._keep_order)
        form.addRow("Link without asking from confidence:", self.matched)
        form.addRow("Send to review from confidence:", self.review)
        self.workers = QSpinBox(self)
        self.workers.setRange(0, MAX_WORKERS)
        self.workers.setSpecialValueText("Automatic")
        self.workers.setValue(current.match.workers or 0)
        form.addRow("Matching processes:", self.workers)
        self.cover_folder = QLineEdit(str(current.cover_folder or ""), self)
        self.cover_folder.setPlaceholderText("none")
        choose = QPushButton("Choose…", self)
        choose.clicked.connect(self._choose_cover_folder)
        clear = QPushButton("Clear", self)
        clear.clicked.connect(self.cover_folder.clear)
        form.addRow("Cover folder:", self._row(self.cover_folder, choose, clear))
        self.cover_downloads = QCheckBox("Download covers that are not in the folder", self)
        self.cover_downloads.setChecked(current.cover_downloads)
        form.addRow("", self.cover_downloads)
        self.data_folder, data_row = self._shown_folder(data_dir(), "your library store")
        self.cache_folder, cache_row = self._shown_folder(cache_dir(), "search indexes, covers")
        form.addRow("Data folder:", data_row)
        form.addRow("Cache folder:", cache_row)
        note = QLabel(
            "Thresholds and processes apply to the next match; files decided by you are "
            "never changed by one.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.defaults_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _threshold(self, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(0.0, 1.0)
        box.setDecimals(2)
        box.setSingleStep(THRESHOLD_STEP)
        box.setKeyboardTracking(False)  # "0.9" typed is not 0 first (see _keep_order)
        box.setValue(value)
        return box

    def _row(self, *widgets: QWidget) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        return row

    def _shown_folder(self, folder: Path, holds: str) -> tuple[QLineEdit, QWidget]:
        line = QLineEdit(str(folder), self)
        line.setReadOnly(True)
        line.setToolTip(f"Holds {holds}.")
        button = QPushButton("Open folder", self)
        button.clicked.connect(lambda: self.open_folder(folder))
        return line, self._row(line, button)

    def _keep_order(self) -> None:
        """Review stays at or below matched: the one not being edited follows."""
        if self.review.value() > self.matched.value():
            if self.sender() is self.matched:
                self.review.setValue(self.matched.value())
            else:
                self.matched.setValue(self.review.value())

    def _choose_cover_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder of cover images (named like the image URLs)", self.cover_folder.text()
        )
        if folder:
            self.cover_folder.setText(folder)

    def restore_defaults(self) -> None:
        defaults = Thresholds()
        self.matched.setValue(defaults.matched_confidence)
        self.review.setValue(defaults.review_confidence)
        self.workers.setValue(0)

    def chosen(self) -> Preferences:
        """The preferences as the dialog shows them."""
        folder = self.cover_folder.text().strip()
        return Preferences(
            MatchSettings(
                Thresholds(
                    matched_confidence=round(self.matched.value(), 2),
                    review_confidence=round(self.review.value(), 2),
                ),
                self.workers.value() or None,
            ),
            Path(folder).expanduser() if folder else None,
            self.cover_downloads.isChecked(),
        )

    def accept(self) -> None:
        value = self.chosen()
        save_preferences(value, self.settings)
        self.saved.emit(value)
        super().accept()
