"""The window's menus and their actions (File, Edit, Reports, Go, View, Index), and the
search index build they start."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMenu, QProgressDialog

from explorer.catalog import open_catalog
from explorer.catalog.publish import is_postgres_url
from explorer.errors import CancelledError, KnownError
from explorer.index import IndexProgress, build_index
from explorer.log import get_logger
from explorer.ui.settings import recent_catalogs, settings
from explorer.ui.workers import run_in_background

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

log = get_logger("ui")

SERVER_URL_EXAMPLE = "postgresql://user@host/dbname"
SERVER_URL_HELP = (
    "The URL of a catalog published with `explorer publish`:\n"
    f"{SERVER_URL_EXAMPLE}  (port: host:5432)\n\n"
    "The password comes from ~/.pgpass or PGPASSWORD; a password typed in the URL is\n"
    "used for this session only and never remembered."
)


class MenuActions(QObject):
    """Builds the menu bar; owns the index build started from it.

    Signals (from the build's thread):
        indexProgress(object): IndexProgress of a running build.
        indexDone(str): "" when the build finished, else a sentence why it stopped.
    """

    indexProgress = Signal(object)
    indexDone = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.build_cancel: threading.Event | None = None
        self.progress: QProgressDialog | None = None
        self.indexProgress.connect(self._on_index_progress)
        self.indexDone.connect(self._on_index_done)
        self.actions: dict[str, QAction] = {}  # by a short name, for tests and the toolbar

    def action(
        self, menu: QMenu, name: str, text: str, shortcut: Any, slot: Callable[[], Any]
    ) -> QAction:
        """A menu item calling `slot` with no argument (a triggered signal's `checked`
        never reaches it)."""
        item = QAction(text, self.w)
        if shortcut is not None:
            item.setShortcut(shortcut)
        item.triggered.connect(lambda _checked=False: slot())
        menu.addAction(item)
        self.actions[name] = item
        return item

    def build(self) -> None:
        w, bar = self.w, self.w.menuBar()
        library, more, details = w.library, w.library_actions, w.details
        file_menu = bar.addMenu("&File")
        self.action(
            file_menu, "open", "&Open catalog…", QKeySequence.StandardKey.Open, self._choose
        )
        self.action(
            file_menu, "open-server", "Open catalog from &server…", None, self.ask_server_url
        )
        self.action(file_menu, "demo", "Open &demo catalog", None, self._open_demo)
        self.recent_menu = file_menu.addMenu("&Recent catalogs")
        # filled as it opens: catalogs opened since (in any window) are in it
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self.action(file_menu, "quit", "&Quit", QKeySequence.StandardKey.Quit, w.close)
        edit = bar.addMenu("&Edit")
        self.action(edit, "undo", "&Undo decision", QKeySequence.StandardKey.Undo, library.undo)
        self.action(edit, "redo", "&Redo decision", QKeySequence("Ctrl+Shift+Z"), library.redo)
        edit.addSeparator()
        self.action(
            edit,
            "accept-all",
            "Accept all matches with confidence at least…",
            None,
            more.ask_accept_all,
        )
        self.action(edit, "rematch", "Re-match the chosen file", None, more.rematch_chosen)
        self.action(
            edit, "rematch-all", "Re-match everything not decided by me", None, more.rematch_all
        )
        reports = bar.addMenu("&Reports")
        for kind, text in (
            ("missing", "&Missing tracks of your albums…"),
            ("duplicates", "&Duplicates…"),
            ("unmatched", "&Unmatched files…"),
        ):
            self.action(reports, kind, text, None, partial(more.show_report, kind))
        for widget in (w.results.view, library.tree):
            for key, decision in (("A", "accept"), ("R", "reject")):
                shortcut = QShortcut(QKeySequence(key), widget)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(partial(library.key_decision, decision))
        go = bar.addMenu("&Go")
        self.back_action = self.action(
            go, "back", "&Back", QKeySequence("Alt+Left"), details.go_back
        )
        self.forward_action = self.action(
            go, "forward", "&Forward", QKeySequence("Alt+Right"), details.go_forward
        )
        self.action(go, "search", "Search (Ctrl+L)", QKeySequence("Ctrl+L"), w.results.focus_search)
        focus_f = QAction(w)
        focus_f.setShortcut(QKeySequence.StandardKey.Find)
        focus_f.triggered.connect(w.results.focus_search)
        w.addAction(focus_f)
        self.action(go, "top", "&Most followed artists", None, w.browse.show_top)
        view = bar.addMenu("&View")
        self.action(view, "cover-folder", "Cover &folder…", None, details.choose_cover_folder)
        self.network_action = QAction("&Download covers from the internet", w)
        self.network_action.setCheckable(True)
        self.network_action.setChecked(details.covers.network_allowed)
        self.network_action.triggered.connect(details.toggle_network)
        view.addAction(self.network_action)
        view.addAction(library.group_action)
        index_menu = bar.addMenu("&Index")
        built = self.action(
            index_menu, "build-index", "&Build search index…", None, self.build_index
        )
        if w.source.is_server:
            built.setEnabled(False)  # `explorer publish` made the search structures there
            built.setToolTip("The search index of a catalog on a server lives on the server.")
        self.update_nav()

    def update_nav(self) -> None:
        if hasattr(self, "back_action"):
            details = self.w.details
            self.back_action.setEnabled(details.position > 0)
            self.forward_action.setEnabled(details.position < len(details.history) - 1)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_catalogs(settings()):
            item = self.recent_menu.addAction(path)
            item.triggered.connect(lambda _=False, p=path: self.w.opened.emit(p))

    def _choose(self) -> None:
        source = self.w.source
        path, _ = QFileDialog.getOpenFileName(
            self.w,
            "Open a catalog",
            "" if source.is_server else str(source.path.parent),
            "SQLite catalogs (*.sqlite3 *.sqlite *.db);;All files (*)",
        )
        if path:
            self.w.opened.emit(path)

    def ask_server_url(self) -> None:
        """Ask for the URL of a catalog published into PostgreSQL, and open it."""
        current = self.w.source.label if self.w.source.is_server else SERVER_URL_EXAMPLE
        url, chosen = QInputDialog.getText(
            self.w,
            "Open catalog from server",
            SERVER_URL_HELP,
            QLineEdit.EchoMode.Normal,
            current,
        )
        self.open_server_url(url if chosen else "")

    def open_server_url(self, url: str) -> None:
        """Open the catalog at `url` (a sentence when it is no PostgreSQL URL)."""
        url = url.strip()
        if not url:
            return
        if not is_postgres_url(url):
            self.w.say(f"'{url}' is not a PostgreSQL URL: write it as {SERVER_URL_EXAMPLE}.")
            return
        self.w.opened.emit(url)

    def _open_demo(self) -> None:
        from explorer.paths import default_demo_catalog

        self.w.opened.emit(str(default_demo_catalog()))

    # -- index -------------------------------------------------------------------------------

    def build_index(self) -> None:
        """Build the search index in a background thread, with progress and cancel."""
        if self.w.source.is_server:
            self.w.say(
                "A catalog on a server has no search index to build: `explorer publish` "
                "made its search structures on the server."
            )
            return
        if self.build_cancel is not None:
            return
        cancel = threading.Event()
        self.build_cancel = cancel
        self.progress = QProgressDialog("Building the search index…", "Cancel", 0, 1000, self.w)
        self.progress.setWindowTitle("Search index")
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(cancel.set)
        # QProgressDialog counts its minimum duration from a setValue at its minimum (its
        # own timer, started when it is made, waits 4 s): shown at once, not at the first
        # progress report
        self.progress.setValue(0)
        path = self.w.source.path

        def work() -> None:
            try:
                with open_catalog(path) as catalog:
                    build_index(catalog, progress=self.indexProgress.emit, cancel=cancel)
                self.indexDone.emit("")
            except CancelledError:
                self.indexDone.emit("cancelled; it goes on from where it stopped next time")
            except KnownError as exc:
                self.indexDone.emit(str(exc))
            except Exception as exc:  # a bug: never leave the window waiting for the build
                log.exception("index build failed")
                self.indexDone.emit(f"failed ({type(exc).__name__}: {exc}); the log has details")

        run_in_background(work, name="index-build")

    @Slot(object)
    def _on_index_progress(self, progress: IndexProgress) -> None:
        if self.progress is not None:
            self.progress.setValue(int(progress.share * 1000))
            left = f", about {progress.seconds_left:.0f} s left" if progress.seconds_left else ""
            self.progress.setLabelText(
                f"Indexing {progress.part}: {progress.rows_done:,} of {progress.rows_total:,} rows{left}"
            )

    @Slot(str)
    def _on_index_done(self, problem: str) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress = None
        self.build_cancel = None
        self.w.statusBar().showMessage(
            f"Index build {problem}." if problem else "The search index is ready.", 8000
        )
        self.w.ask_status()
        self.w.results.search_now()

    def stop(self) -> None:
        if self.build_cancel is not None:
            self.build_cancel.set()
