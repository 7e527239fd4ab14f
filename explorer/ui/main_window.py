"""The main window: the panes (results, browse, details, Your library) and the menus put
together, the worker they share, and the window-wide keys."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.catalog.source import CatalogSource
from explorer.ui import jobs
from explorer.ui.actions import MenuActions
from explorer.ui.browse_pane import BrowsePane
from explorer.ui.details_pane import DetailsPane
from explorer.ui.library_actions import LibraryActions
from explorer.ui.library_pane import LibraryPane
from explorer.ui.results_pane import ResultsPane
from explorer.ui.settings import forget_recent, recent_catalogs, remember_recent, settings
from explorer.ui.window_extras import WindowExtras
from explorer.ui.workers import CatalogWorker, QueryOp

APP_TITLE = "Catalog Explorer"

__all__ = ["APP_TITLE", "MainWindow", "forget_recent", "recent_catalogs", "settings", "show_error"]


class MainWindow(QMainWindow):
    """One catalog's window (a file, or a catalog on a PostgreSQL server: `source`). All
    catalog work runs in `self.worker`; each pane is an attribute (`results`, `browse`,
    `details`, `library`), the menus are `menus`.

    Signals:
        opened(str): a catalog path or URL the user chose to open (File menu).
    """

    opened = Signal(str)

    def __init__(self, source: CatalogSource) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.source = source
        self.setWindowTitle(f"{source.short_name} — {APP_TITLE}")
        self.worker = CatalogWorker(source, self, failure=self.say)
        self.worker.lost.connect(self._on_lost)
        self.worker.back.connect(self._on_back)
        self._build_panes()
        self.library_actions = LibraryActions(self)
        self.menus = MenuActions(self)
        self.menus.build()
        self.extras = WindowExtras(self)
        self._restore()
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # mouse back/forward buttons
        self.ask_status()
        self.browse.start()  # the genres and the first page of artists
        self.search_box.setFocus()

    def _build_panes(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        self.left_splitter = QSplitter(Qt.Orientation.Vertical, self.splitter)
        self.left_splitter.setObjectName("leftSplitter")
        self.results = ResultsPane(self, self.left_splitter)
        self.library = LibraryPane(self, self.results.widget)
        self.browse = BrowsePane(self, self.left_splitter)
        self.details = DetailsPane(self, self.splitter)
        self.results.stack.addWidget(self.library.tree)
        self.results.finish()
        layout.addWidget(self.results.search_box)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        # the widgets and models tests and the benchmarks reach, by their old names
        self.search_box, self.tabs = self.results.search_box, self.results.tabs
        self.results_view, self.count_label = self.results.view, self.results.count_label
        self.models = self.results.models
        self.library_model, self.library_tree_model = self.library.model, self.library.tree_model
        self.library_tree, self.group_action = self.library.tree, self.library.group_action
        self.genre_box, self.tree, self.tree_model = (
            self.browse.genre_box,
            self.browse.tree,
            self.browse.model,
        )
        self.detail, self.cover_label = self.details.detail, self.details.cover_label
        self.covers = self.details.covers
        self.status_label = QLabel("Opening…", self)
        # a server that went away: its sentence and a Retry, until an answer comes again
        self.lost_label = QLabel(self)
        self.lost_label.setObjectName("lostLabel")
        self.lost_label.setWordWrap(True)
        self.retry_button = QPushButton("&Retry", self)
        self.retry_button.setObjectName("retryButton")
        self.retry_button.clicked.connect(self.retry)
        # permanent: a passing message does not hide them
        self.statusBar().addPermanentWidget(self.lost_label, 1)
        self.statusBar().addPermanentWidget(self.retry_button)
        self.statusBar().addPermanentWidget(self.status_label)
        self.lost_label.hide()
        self.retry_button.hide()
        self.resize(1280, 800)
        self.splitter.setSizes([720, 560])
        self.left_splitter.setSizes([420, 380])
        # Tab: search box -> results (or the library's folders) -> tree -> details -> the rest
        chain = (
            self.search_box,
            self.results_view,
            self.library_tree,
            self.tree,
            self.detail,
            self.genre_box,
            self.tabs,
        )
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def say(self, message: str) -> None:
        """A sentence in the status bar (a job's failure, a decision refused)."""
        self.statusBar().showMessage(message, 8000)

    def _on_lost(self, message: str) -> None:
        self.lost_label.setText(message)
        self.lost_label.show()
        self.retry_button.show()

    def _on_back(self) -> None:
        self.lost_label.hide()
        self.retry_button.hide()

    def retry(self) -> None:
        """Run again what the lost server failed (searches, pages, details, the status)."""
        self.lost_label.setText(f"Connecting to {self.source.label} again…")
        self.retry_button.hide()
        self.worker.retry()
        self.ask_status()

    def ask_status(self) -> None:
        """The catalog's sizes and index state, in the status bar's corner."""
        self.worker.run(
            QueryOp(jobs.status, self.status_label.setText, latest=self.status_label.setText)
        )

    def _restore(self) -> None:
        store = settings()
        for name, splitter in (("main", self.splitter), ("left", self.left_splitter)):
            state = store.value(f"splitters/{name}")
            if state is not None:
                splitter.restoreState(state)
        remember_recent(self.source)

    def closeEvent(self, event: Any) -> None:
        store = settings()
        store.setValue("splitters/main", self.splitter.saveState())
        store.setValue("splitters/left", self.left_splitter.saveState())
        self.menus.stop()
        self.library_actions.stop()
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.worker.stop()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        search_box = self.results.search_box
        if (
            watched is search_box
            and self.results.library_mode
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
                or QKeySequence(event.keyCombination()) == QKeySequence("Ctrl+Shift+Z")
            )
        ):
            # in Your library the filter box leaves these keys to Edit > Undo / Redo decision
            event.ignore()
            return True
        if (
            watched is search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.results.focus_results()
            return True
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.BackButton:
                self.details.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.details.go_forward()
                return True
        return super().eventFilter(watched, event)


def show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.critical(parent, APP_TITLE, message)
