"""What the Your library tab shows while the library is empty: buttons that add music (a
folder, or the demo library on the demo catalog), and a drop target for folders.

API:
    empty = LibraryEmptyState(controller, demo=True, parent=tab)
        `controller`: the window's AddMusicController; `demo`: offer Open demo library
        (on the demo catalog: paths.default_demo_catalog()).
    empty.add_button, empty.demo_button: the buttons (demo_button hidden without `demo`).
    empty.message: the QLabel under them; it says what the last addition did.
    is_demo_catalog(path) -> bool: whether `path` is the demo catalog `make run` opens.

Hooking it in the window (Your library's page, in a QStackedWidget beside the list):
    self.library_empty = LibraryEmptyState(self.add_music,
        demo=is_demo_catalog(self.catalog_path), parent=self)
    stack.addWidget(self.library_empty)  # shown instead of the list while it is empty
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from explorer.catalog.source import CatalogLike, CatalogSource
from explorer.matching.add_music import AddSummary
from explorer.paths import default_demo_catalog
from explorer.ui.add_music import AddMusicController, MusicDrops, summary_sentence

HEADING = "Your library is empty"
EXPLANATION = (
    "Add a folder of music: its files are read and linked to the catalog's recordings, "
    "and those the matcher is unsure of wait here for your review. You can also drop "
    "folders or files on the window."
)
DEMO_EXPLANATION = (
    " To try it in a minute, open the demo library: labelled files made for this catalog."
)


def is_demo_catalog(catalog: CatalogLike) -> bool:
    """Whether `catalog` is the demo catalog file (the one `make run` opens)."""
    source = CatalogSource.of(catalog)
    if source.is_server:
        return False
    try:
        return source.path.resolve() == default_demo_catalog().resolve()
    except OSError:
        return False


class LibraryEmptyState(QWidget):
    """Buttons in place of an empty library (see the module's docstring)."""

    def __init__(
        self, controller: AddMusicController, *, demo: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("libraryEmptyState")
        self.controller = controller
        heading = QLabel(HEADING, self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        explanation = QLabel(EXPLANATION + (DEMO_EXPLANATION if demo else ""), self)
        explanation.setWordWrap(True)
        self.add_button = QPushButton("Add music folder…", self)
        self.add_button.setDefault(True)
        self.demo_button = QPushButton("Open demo library", self)
        self.demo_button.setVisible(demo)
        self.add_button.clicked.connect(controller.choose_and_start)
        self.demo_button.clicked.connect(controller.start_demo)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (heading, explanation, self.message):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(heading)
        layout.addWidget(explanation)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(2)
        MusicDrops(self, controller)
        controller.progressed.connect(self._on_busy)
        controller.finished.connect(self._on_finished)
        controller.failed.connect(self._on_failed)

    @Slot(object)
    def _on_busy(self, _state: object) -> None:
        self.add_button.setEnabled(False)
        self.demo_button.setEnabled(False)

    def _idle(self, text: str) -> None:
        self.add_button.setEnabled(True)
        self.demo_button.setEnabled(True)
        self.message.setText(text)

    @Slot(object)
    def _on_finished(self, summary: AddSummary) -> None:
        self._idle(summary_sentence(summary))

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._idle(message)
