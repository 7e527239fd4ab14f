"""The main window: search box, results, browse tree and detail pane; menus and navigation."""

from __future__ import annotations

import itertools
import shlex
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.catalog import Catalog
from explorer.catalog.records import ImageRow
from explorer.errors import CancelledError, KnownError
from explorer.index import IndexProgress, build_index, index_status
from explorer.library.store import LibraryStore, default_store_path, open_store
from explorer.log import get_logger
from explorer.matching.links import Links
from explorer.matching.reports import (
    DuplicateFile,
    MissingTrack,
    UnmatchedFile,
    album_presence,
    duplicates,
    missing_tracks,
    owned_ids,
    unmatched,
)
from explorer.matching.review import (
    ReviewRow,
    file_by_id,
    filter_problems,
    find_candidate,
    folder_rows,
    library_folders,
    library_page,
    linked_candidate,
    named_row,
    pages_by_position,
    review_html,
    review_row,
)
from explorer.matching.run import match_library
from explorer.paths import config_dir
from explorer.search.engine import SearchEngine
from explorer.search.query import parse_query
from explorer.search.results import KINDS, EntityKind, SearchHit, SearchPage
from explorer.ui.browse_tree_model import BrowseTreeModel
from explorer.ui.covers import FOLDER_KEY, NETWORK_KEY, CoverLoader
from explorer.ui.detail_pane import (
    DetailPane,
    album_html,
    artist_html,
    track_html,
)
from explorer.ui.library_model import LibraryModel
from explorer.ui.library_tree_model import LibraryTreeModel
from explorer.ui.report_dialog import ReportDialog
from explorer.ui.search_results_model import SearchResultsModel
from explorer.ui.workers import CatalogWorker, run_in_background

log = get_logger("ui")

APP_TITLE = "Catalog Explorer"
# Milliseconds after the last keystroke before searching; lower feels faster, costs more.
DEBOUNCE_MS = 120
# Results asked per page; more pages come as the view scrolls.
PAGE_SIZE = 50
# Artists per page of the browse tree's top level.
TREE_PAGE = 200
# Height of the cover above the detail pane, in pixels.
COVER_PX = 216
COVER_TEXT_PX = 28  # the label's height while it shows a sentence instead
MAX_RECENT = 8
# Seconds between reloads of Your library while a re-match runs (a reload per progress
# report, every 200 files, kept the view busy and lost its scrolling).
MATCH_RELOAD_S = 2.0
KIND_LABELS = {"track": "Tracks", "album": "Albums", "artist": "Artists"}
TAB_KINDS: tuple[EntityKind, ...] = ("track", "album", "artist")  # the result tabs, in order
TOP_ARTISTS = "Most followed artists"
# The genre box's item that says the tree shows one album (it names the album).
FOCUS_ITEM = "focus"
REPORTS: dict[str, tuple[str, type, str]] = {  # title, row type, what an empty one means
    "missing": (
        "Missing tracks",
        MissingTrack,
        "no album you have files of misses a track (or no file is linked yet)",
    ),
    "duplicates": ("Duplicates", DuplicateFile, "no recording is in your library twice"),
    "unmatched": ("Unmatched files", UnmatchedFile, "every file of your library is linked"),
}


def add_music_hint(catalog_path: Path) -> str:
    """How to put music in Your library (the README's command, on this catalog)."""
    return (
        "Your library is empty. To add your music, run in a terminal: "
        f"explorer match ~/Music --catalog {shlex.quote(str(catalog_path))} "
        "(your music folder in place of ~/Music), then open this tab again."
    )


def settings() -> QSettings:
    return QSettings(str(config_dir() / "explorer.ini"), QSettings.Format.IniFormat)


def forget_recent(path: str | Path) -> None:
    """Take a catalog that cannot be opened (moved, deleted) off the recent list."""
    store = settings()
    gone = {str(path), str(Path(path).resolve())}
    store.setValue("recent", [p for p in recent_catalogs(store) if p not in gone])


def recent_catalogs(store: QSettings) -> list[str]:
    """The recent catalogs' paths (an INI file gives a list of one back as its string)."""
    value = store.value("recent")
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str) and item]
    return []


class MainWindow(QMainWindow):
    """One catalog's window. All catalog work runs in `self.worker`.

    Signals:
        indexProgress(object): IndexProgress of a running build (from its thread).
        indexDone(str): "" when the build finished, else a sentence why it stopped.
        opened(str): a catalog path the user chose to open (File menu).
    """

    indexProgress = Signal(object)
    indexDone = Signal(str)
    opened = Signal(str)
    matchProgress = Signal(object)
    matchDone = Signal(str)

    def __init__(self, catalog_path: Path) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.catalog_path = catalog_path
        self.setWindowTitle(f"{catalog_path.name} — {APP_TITLE}")
        self.kind: EntityKind = "track"
        self.history: list[tuple[str, str]] = []
        self.position = -1
        self._search_number = 0
        self._detail_number = 0
        # per result kind: (close spellings, the notice) of its current search
        self._search_notes: dict[EntityKind, tuple[bool, str | None]] = {}
        self._build_cancel: threading.Event | None = None
        self._progress: QProgressDialog | None = None
        self.worker = CatalogWorker(catalog_path, self)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self._build_widgets()
        self._build_menus()
        self._restore()
        self.indexProgress.connect(self._on_index_progress)
        self.indexDone.connect(self._on_index_done)
        self.matchProgress.connect(self._on_match_progress)
        self.matchDone.connect(self._on_match_done)
        self._match_cancel: threading.Event | None = None
        self._match_progress: QProgressDialog | None = None
        self._match_reloaded = 0.0  # when the library view last followed a re-match
        self.report_dialog: ReportDialog | None = None
        self.accept_box: QMessageBox | None = None  # the question of Edit > Accept all
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self._search_now)
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # mouse back/forward buttons
        self.worker.submit("status", _status_job)
        self.worker.submit("genres", lambda catalog, engine: catalog.genres())
        self.tree_model.reset_top()  # asks for the first page of artists
        self.search_box.setFocus()

    # -- building -----------------------------------------------------------------------

    def _build_widgets(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        self.search_box = QLineEdit(central)
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            'Search: words in any order · artist: album: year:1990..1999 type:single · "phrases" · IDs and links'
            " · in Your library: status:review format:flac folder:… confidence<0.9 sort:confidence"
        )
        self.search_box.textChanged.connect(self._on_text_changed)
        self.search_box.returnPressed.connect(self._open_current_result)
        layout.addWidget(self.search_box)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        left = QSplitter(Qt.Orientation.Vertical, self.splitter)
        left.setObjectName("leftSplitter")
        self.left_splitter = left
        results = QWidget(left)
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabBar(results)
        self.tabs.setObjectName("resultTabs")
        for kind in TAB_KINDS:
            self.tabs.addTab(KIND_LABELS[kind])
        self.tabs.addTab("Your library")
        self.tabs.currentChanged.connect(self._on_tab)
        results_layout.addWidget(self.tabs)
        self.models: dict[EntityKind, SearchResultsModel] = {}
        for kind in KINDS:
            model = SearchResultsModel(kind, self)
            model.moreWanted.connect(self._on_more_wanted)
            self.models[kind] = model
        self.results_view = QTableView(results)
        self.results_view.setObjectName("resultsView")
        self.results_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results_view.verticalHeader().setVisible(False)
        self.results_view.verticalHeader().setDefaultSectionSize(22)
        self.results_view.setWordWrap(False)
        self.results_view.setTabKeyNavigation(False)  # Tab moves on to the tree, not a cell
        self.results_view.horizontalHeader().setStretchLastSection(True)
        self.library_model = LibraryModel(self)
        self.library_model.moreWanted.connect(self._on_more_files)
        self.library_mode = False
        self._chosen_file: int | None = None
        self.results_view.setModel(self.models["track"])
        self.results_view.doubleClicked.connect(self._open_result)
        self.results_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.results_view.customContextMenuRequested.connect(self._results_menu)
        self._connect_selection()
        self._size_columns()
        self.results_stack = QStackedWidget(results)
        self.results_stack.addWidget(self.results_view)
        self.library_tree_model = LibraryTreeModel(self)
        self.library_tree_model.wantFolder.connect(self._on_want_folder)
        self.library_tree = QTreeView(results)
        self.library_tree.setObjectName("libraryTree")
        self.library_tree.setModel(self.library_tree_model)
        self.library_tree.setUniformRowHeights(True)
        self.library_tree.setTabKeyNavigation(False)
        self.library_tree.header().resizeSection(0, 420)
        self.library_tree.selectionModel().currentChanged.connect(self._on_library_tree_selected)
        self.results_stack.addWidget(self.library_tree)
        results_layout.addWidget(self.results_stack)
        self.count_label = QLabel("", results)
        self.count_label.setWordWrap(True)  # a long notice wraps, the panes keep their widths
        results_layout.addWidget(self.count_label)
        browse = QWidget(left)
        browse_layout = QVBoxLayout(browse)
        browse_layout.setContentsMargins(0, 0, 0, 0)
        self.genre_box = QComboBox(browse)
        self.genre_box.setObjectName("genreBox")
        self.genre_box.addItem(TOP_ARTISTS)
        self.genre_box.activated.connect(self._on_genre)
        browse_layout.addWidget(self.genre_box)
        self.tree_model = BrowseTreeModel(self)
        self.tree_model.wantChildren.connect(self._on_want_children)
        self.tree = QTreeView(browse)
        browse_layout.addWidget(self.tree)
        self.tree.setObjectName("browseTree")
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setTabKeyNavigation(False)
        self.tree.header().resizeSection(0, 360)
        self.tree.header().resizeSection(1, 110)
        self.tree.clicked.connect(self._on_tree_clicked)
        self.tree.activated.connect(self._on_tree_clicked)
        self.tree.verticalScrollBar().valueChanged.connect(self._on_tree_scrolled)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        right = QWidget(self.splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.cover_label = QLabel("", right)
        self.cover_label.setObjectName("coverLabel")
        self.cover_label.setFixedHeight(COVER_PX)
        self.cover_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.cover_label.setWordWrap(True)
        right_layout.addWidget(self.cover_label)
        self.detail = DetailPane(right)
        self.detail.anchorClicked.connect(self._on_link)
        right_layout.addWidget(self.detail, 1)
        self.covers = CoverLoader(settings(), self)
        self.covers.ready.connect(self._on_cover)
        self.covers.unavailable.connect(self._on_no_cover)
        self._cover_url: str | None = None
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel("Opening…", self)
        self.statusBar().addPermanentWidget(self.status_label)
        self.resize(1280, 800)
        self.splitter.setSizes([720, 560])
        left.setSizes([420, 380])
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

    def _connect_selection(self) -> None:
        self.results_view.selectionModel().currentRowChanged.connect(self._on_result_selected)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(
            file_menu, "&Open catalog…", QKeySequence.StandardKey.Open, self._choose_catalog
        )
        self._action(file_menu, "Open &demo catalog", None, self._open_demo)
        self.recent_menu = file_menu.addMenu("&Recent catalogs")
        # filled as it opens: catalogs opened since (in any window) are in it
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        edit = self.menuBar().addMenu("&Edit")
        self._action(edit, "&Undo decision", QKeySequence.StandardKey.Undo, self.undo)
        self._action(edit, "&Redo decision", QKeySequence("Ctrl+Shift+Z"), self.redo)
        edit.addSeparator()
        self._action(
            edit, "Accept all matches with confidence at least…", None, self.ask_accept_all
        )
        self._action(edit, "Re-match the chosen file", None, self.rematch_chosen)
        self._action(edit, "Re-match everything not decided by me", None, self.rematch_all)
        reports = self.menuBar().addMenu("&Reports")
        self._action(
            reports, "&Missing tracks of your albums…", None, lambda: self.show_report("missing")
        )
        self._action(reports, "&Duplicates…", None, lambda: self.show_report("duplicates"))
        self._action(reports, "&Unmatched files…", None, lambda: self.show_report("unmatched"))
        for widget in (self.results_view, self.library_tree):
            accept = QShortcut(QKeySequence("A"), widget)
            accept.setContext(Qt.ShortcutContext.WidgetShortcut)
            accept.activated.connect(lambda: self._key_decision("accept"))
            reject = QShortcut(QKeySequence("R"), widget)
            reject.setContext(Qt.ShortcutContext.WidgetShortcut)
            reject.activated.connect(lambda: self._key_decision("reject"))
        go = self.menuBar().addMenu("&Go")
        self.back_action = self._action(go, "&Back", QKeySequence("Alt+Left"), self.go_back)
        self.forward_action = self._action(
            go, "&Forward", QKeySequence("Alt+Right"), self.go_forward
        )
        self._action(go, "Search (Ctrl+L)", QKeySequence("Ctrl+L"), self.focus_search)
        focus_f = QAction(self)
        focus_f.setShortcut(QKeySequence.StandardKey.Find)
        focus_f.triggered.connect(self.focus_search)
        self.addAction(focus_f)
        self._action(go, "&Most followed artists", None, self._show_top)
        view = self.menuBar().addMenu("&View")
        self._action(view, "Cover &folder…", None, self._choose_cover_folder)
        self.network_action = self._action(
            view, "&Download covers from the internet", None, self._toggle_network
        )
        self.network_action.setCheckable(True)
        self.network_action.setChecked(self.covers.network_allowed)
        self.group_action = self._action(
            view, "&Group your library by folder", None, self._toggle_grouped
        )
        self.group_action.setCheckable(True)
        index_menu = self.menuBar().addMenu("&Index")
        self._action(index_menu, "&Build search index…", None, self.build_index)
        self._update_nav()

    def _action(self, menu: QMenu, text: str, shortcut: Any, slot: Any) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # -- settings -------------------------------------------------------------------------

    def _restore(self) -> None:
        store = settings()
        for name, splitter in (("main", self.splitter), ("left", self.left_splitter)):
            state = store.value(f"splitters/{name}")
            if state is not None:
                splitter.restoreState(state)
        recent = [str(self.catalog_path.resolve())] + [
            p for p in recent_catalogs(store) if p != str(self.catalog_path.resolve())
        ]
        store.setValue("recent", recent[:MAX_RECENT])

    def closeEvent(self, event: Any) -> None:
        store = settings()
        store.setValue("splitters/main", self.splitter.saveState())
        store.setValue("splitters/left", self.left_splitter.saveState())
        if self._build_cancel is not None:
            self._build_cancel.set()
        if self._match_cancel is not None:
            self._match_cancel.set()  # what was matched so far is kept
        app = QGuiApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.worker.stop()
        super().closeEvent(event)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_catalogs(settings()):
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.opened.emit(p))

    def _choose_catalog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open a catalog",
            str(self.catalog_path.parent),
            "SQLite catalogs (*.sqlite3 *.sqlite *.db);;All files (*)",
        )
        if path:
            self.opened.emit(path)

    def _open_demo(self) -> None:
        from explorer.paths import default_demo_catalog

        self.opened.emit(str(default_demo_catalog()))

    # -- search ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def focus_results(self) -> None:
        """Move the keyboard into the results shown (Down in the search box), choosing the
        first row when none is chosen."""
        view: QAbstractItemView = (
            self.library_tree
            if self.results_stack.currentWidget() is self.library_tree
            else self.results_view
        )
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        model = view.model()
        if not view.currentIndex().isValid() and model is not None and model.rowCount() > 0:
            view.setCurrentIndex(model.index(0, 0))

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        self.debounce.start()

    def _size_columns(self) -> None:
        widths = {
            "track": (240, 180, 200, 50, 50, 70),
            "album": (260, 220, 90, 50),
            "artist": (300, 110),
        }
        self._fit_columns(widths[self.kind])

    def _fit_columns(self, widths: tuple[int, ...]) -> None:
        """The results' columns at these widths (the rest at the default), each at least as
        wide as its header's text."""
        header = self.results_view.horizontalHeader()
        model = self.results_view.model()
        for column in range(model.columnCount() if model is not None else 0):
            wanted = widths[column] if column < len(widths) else header.defaultSectionSize()
            self.results_view.setColumnWidth(column, max(wanted, header.sectionSizeHint(column)))

    def _toggle_grouped(self, grouped: bool) -> None:
        self._on_tab(self.tabs.currentIndex())

    @Slot(int, str)
    def _on_want_folder(self, number: int, folder: str) -> None:
        text = self.search_box.text()  # the filter applies to the folders' files too
        self.worker.submit(
            f"folder-{number}", lambda c, e: (number, _folder_job(folder, text)), supersede=False
        )

    @Slot(QModelIndex, QModelIndex)
    def _on_library_tree_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.library_tree_model.file_at(current)
        if row is not None:
            self.open_file(row.file_id)

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        self.library_mode = index == 3
        grouped = self.library_mode and self.group_action.isChecked()
        self.results_stack.setCurrentWidget(self.library_tree if grouped else self.results_view)
        if grouped:
            self._search_now()
            return
        # a file's path loses its beginning when too long, so its name shows
        self.results_view.setTextElideMode(
            Qt.TextElideMode.ElideLeft if self.library_mode else Qt.TextElideMode.ElideRight
        )
        if self.library_mode:
            self.results_view.setModel(self.library_model)
            self._fit_columns((90, 80, 60, 420, 260))
        else:
            self.kind = TAB_KINDS[index]
            self.results_view.setModel(self.models[self.kind])
            self._size_columns()
        self._connect_selection()
        self._search_now()

    def _search_now(self) -> None:
        text = self.search_box.text()
        if self.library_mode and self.group_action.isChecked():
            # grouped by folder: the filter picks the folders, and their files
            self.worker.submit("folders", lambda c, e: _folders_job(text))
            return
        if self.library_mode:
            self.worker.submit("files", lambda c, e: _files_job(0, text))
            return
        kind = self.kind
        if not text.strip():
            self.models[kind].clear()
            self.count_label.setText("")
            return
        ref = parse_query(text).ref
        if ref is not None and ref.kind is not None and ref.kind != kind:
            # a pasted album or artist link: its tab shows it (and searches again)
            self.tabs.setCurrentIndex(TAB_KINDS.index(ref.kind))
            return
        self._search_number = self.worker.submit(
            "search", lambda catalog, engine: _search_job(engine, text, kind, None)
        )

    @Slot(str)
    def _on_more_wanted(self, cursor: str) -> None:
        text, kind = self.search_box.text(), self.kind
        self.worker.submit(
            f"more-{kind}",
            lambda catalog, engine: _search_job(engine, text, kind, cursor),
            supersede=False,
        )

    # -- answers --------------------------------------------------------------------------

    @Slot(int, str, object)
    def _on_finished(self, number: int, channel: str, result: Any) -> None:
        if not self.worker.is_latest(number, channel) and not channel.startswith(
            ("tree", "folder-", "history", "decision", "refreshed-folder")
        ):
            return  # a late answer to an older request: dropped
        if channel == "search":
            page: SearchPage = result[0]
            model = self.models[page.kind]
            model.set_page(page, result[1])
            self._search_notes[page.kind] = (page.fuzzy, page.notice)
            if page.kind != self.kind and page.hits and not self.library_mode:
                # a pasted bare ID of another kind: its tab shows it (and searches again)
                self.tabs.setCurrentIndex(TAB_KINDS.index(page.kind))
                return
            self._show_count(page.kind)
            if page.kind == self.kind and page.hits:
                self.results_view.selectRow(0)
        elif channel == "more-files":
            self.library_model.append_rows(*result)
            self._show_count(None)
        elif channel.startswith("more-"):
            self.models[result[0].kind].append_page(result[0], result[1])
            self._show_count(result[0].kind)
        elif channel.startswith("tree"):
            self._on_tree_answer(result)
        elif channel == "detail":
            kind, record, html, cover = result
            self.detail.show_entity(kind, record, html)
            self._show_cover(cover)
        elif channel == "genres":
            self.genre_box.addItems(result)
        elif channel == "genre":
            self.tree_model.set_artists(result)
        elif channel == "focus":
            self._on_focus(result)
        elif channel == "status":
            self.status_label.setText(result)
        elif channel == "files":
            rows, more = result
            self.library_model.set_rows(rows, more)
            self._show_count(None)
            if rows and self.library_mode and not self.group_action.isChecked():
                # the file chosen before a reload stays chosen: highlighted when listed,
                # else nothing is (the pane keeps showing it); the first file without one
                chosen = self.library_model.position_of(self._chosen_file or -1)
                if chosen >= 0 or self._chosen_file is None:
                    self.results_view.selectRow(max(chosen, 0))
            elif self._library_is_empty(len(rows)):
                self.detail.show_message(add_music_hint(self.catalog_path))
        elif channel == "folders":
            self.library_tree_model.set_folders(result)
            if self._library_is_empty(len(result)):
                self.count_label.setText(add_music_hint(self.catalog_path))
                self.detail.show_message(add_music_hint(self.catalog_path))
            else:
                folders = f"{len(result):,} folder{'' if len(result) == 1 else 's'}"
                self.count_label.setText(f"{folders}{self._filter_note()}")
        elif channel.startswith("folder-"):
            self.library_tree_model.set_files(*result)
        elif channel == "refreshed-folder":
            for row in result:
                self.library_tree_model.replace_row(row)
        elif channel == "accept-preview":
            self._confirm_accept_all(*result)
        elif channel == "accept-all":
            self.statusBar().showMessage(
                f"Accepted {result:,} matches (Edit > Undo takes them back).", 8000
            )
            if self.library_mode and self.group_action.isChecked():
                self._refresh_open_folders()  # the tree keeps its folders open
            else:
                self._search_now()
        elif channel == "report":
            kind, rows, has_library = result
            title, row_type, empty = REPORTS[kind]
            if not has_library:
                empty = add_music_hint(self.catalog_path)
            self.report_dialog = ReportDialog(
                title, rows, self, row_type=row_type, empty=f"Nothing to report: {empty}"
            )
            self.report_dialog.show()
        elif channel == "history":
            row, html, said = result
            self._on_finished(number, "decision", (row, html))
            if row is not None:
                self.statusBar().showMessage(said, 6000)
                if self.library_mode and self.group_action.isChecked():
                    self._refresh_open_folders()  # an undone batch (accept all): many rows
                elif self.library_mode:
                    self._search_now()
        elif channel in ("review", "decision"):
            row, html = result
            if row is not None:
                self.library_model.replace_row(row)
                self.library_tree_model.replace_row(row)
                if self._chosen_file == row.file_id:
                    self.detail.show_entity("file", row, html)
                    self._cover_url = None
                    self.cover_label.setPixmap(QPixmap())
                    self.cover_label.setText("")
                    self.cover_label.setFixedHeight(COVER_TEXT_PX)
            elif html:
                self.statusBar().showMessage(html, 6000)

    def _show_count(self, kind: EntityKind | None) -> None:
        """The count under the results of `kind` (None: the library's), when shown."""
        if kind is None:
            if self.library_mode and not self.group_action.isChecked():
                if self._library_is_empty(self.library_model.rowCount()):
                    self.count_label.setText(add_music_hint(self.catalog_path))
                    return
                count = self.library_model.count_text()
                self.count_label.setText(f"{count} files{self._filter_note()}")
            return
        if kind != self.kind or self.library_mode:
            return
        fuzzy, notice = self._search_notes.get(kind, (False, None))
        note = f" — {notice}" if notice else ""
        close = " (close spellings)" if fuzzy else ""
        text = f"{self.models[kind].count_text()} {KIND_LABELS[kind].lower()}{close}{note}"
        self.count_label.setText(text)

    def _library_is_empty(self, shown: int) -> bool:
        """Your library is shown and has nothing in it (`shown` rows, with no filter)."""
        return self.library_mode and shown == 0 and not self.search_box.text().strip()

    def _refresh_open_folders(self) -> None:
        """The files of the folders open in the grouped library, read again (the tree
        keeps its folders open and its selection)."""
        text = self.search_box.text()
        for folder in self.library_tree_model.loaded_folders():
            self.worker.submit("refreshed-folder", _folder_refresh(folder, text), supersede=False)

    def _filter_note(self) -> str:
        """What the library filter did not understand, as a note after the count."""
        problems = filter_problems(self.search_box.text())
        return f" — not understood: {'; '.join(problems)}" if problems else ""

    @Slot(int, str, str)
    def _on_failed(self, number: int, channel: str, message: str) -> None:
        if channel == "detail":
            self.detail.show_message(message)
        else:
            self.statusBar().showMessage(message, 8000)

    # -- results -> detail ----------------------------------------------------------------

    @Slot(QModelIndex, QModelIndex)
    def _on_result_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.library_mode:
            row = self.library_model.row(current.row())
            if row is not None:
                self.open_file(row.file_id)
            return
        hit = self.models[self.kind].hit(current.row())
        if hit is not None:
            self.open_entity(hit.kind, hit.id)

    def _open_current_result(self) -> None:
        index = self.results_view.currentIndex()
        if index.isValid():
            self._open_result(index)

    @Slot(QModelIndex)
    def _open_result(self, index: QModelIndex) -> None:
        if self.library_mode:
            row = self.library_model.row(index.row())
            if row is not None:
                self.open_file(row.file_id)
            return
        hit = self.models[self.kind].hit(index.row())
        if hit is None:
            return
        if hit.kind == "album":
            self.show_album_in_tree(hit.id)
        elif hit.kind == "track" and hit.album_id:
            self.show_album_in_tree(hit.album_id)
        self.open_entity(hit.kind, hit.id)

    def open_entity(self, kind: str, entity_id: str, *, remember: bool = True) -> None:
        """Show one artist, album or track in the detail pane (and in the history)."""
        if remember and not (
            self.position >= 0 and self.history[self.position] == (kind, entity_id)
        ):
            del self.history[self.position + 1 :]
            self.history.append((kind, entity_id))
            self.position = len(self.history) - 1
            self._update_nav()
        self._detail_number = self.worker.submit(
            "detail", lambda c, e: _detail_job(c, kind, entity_id)
        )

    def go_back(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.open_entity(*self.history[self.position], remember=False)
            self._update_nav()

    def go_forward(self) -> None:
        if self.position < len(self.history) - 1:
            self.position += 1
            self.open_entity(*self.history[self.position], remember=False)
            self._update_nav()

    def _update_nav(self) -> None:
        if hasattr(self, "back_action"):
            self.back_action.setEnabled(self.position > 0)
            self.forward_action.setEnabled(self.position < len(self.history) - 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_box
            and self.library_mode
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
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.focus_results()
            return True
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return super().eventFilter(watched, event)

    @Slot(QUrl)
    def _on_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            webbrowser.open(url.toString())
            return
        parts = [p for p in url.toString().removeprefix("explorer://").split("/") if p]
        if len(parts) == 2 and parts[0] in ("accept", "reject", "unlink") and parts[1].isdigit():
            self.decide(parts[0], int(parts[1]))
            return
        if len(parts) == 5 and parts[0] == "pick" and parts[1].isdigit():
            track_id, album_id, isrc = (None if p == "-" else p for p in parts[2:])
            self.decide("pick", int(parts[1]), track_id=track_id, album_id=album_id, isrc=isrc)
            return
        if len(parts) == 3 and parts[0] == "tree" and parts[1] == "album":
            self.show_album_in_tree(parts[2])
        elif len(parts) == 2 and parts[0] in ("artist", "album", "track"):
            self.open_entity(parts[0], parts[1])

    # -- tree -----------------------------------------------------------------------------

    @Slot(int, str, str)
    def _on_want_children(self, node_id: int, kind: str, entity_id: str) -> None:
        below = self.tree_model.more_artists
        generation = self.tree_model.generation
        if kind == "root":
            self.worker.submit(
                f"tree-{node_id}",
                lambda c, e: ("top", node_id, (*_top_artists_job(c, below), generation)),
                supersede=False,
            )
        elif kind == "artist":
            self.worker.submit(
                f"tree-{node_id}",
                lambda c, e: ("groups", node_id, _groups_job(c, entity_id)),
                supersede=False,
            )
        elif kind == "album":
            self.worker.submit(
                f"tree-{node_id}",
                lambda c, e: ("tracks", node_id, _album_job(c, entity_id)),
                supersede=False,
            )

    @Slot(int)
    def _on_tree_scrolled(self, value: int) -> None:
        bar = self.tree.verticalScrollBar()
        if value >= bar.maximum() - bar.pageStep():
            self.tree_model.fetch_more_top()

    def _on_tree_answer(self, result: tuple[str, int, Any]) -> None:
        what, node_id, payload = result
        if what == "top":
            artists, more, generation = payload
            self.tree_model.add_top_artists(artists, more, generation)
        elif what == "groups":
            groups, owned = payload
            self.tree_model.owned |= owned
            self.tree_model.add_groups(node_id, groups)
        elif what == "tracks":
            album, owned = payload
            self.tree_model.owned |= owned
            self.tree_model.add_tracks(node_id, album)

    @Slot(QModelIndex)
    def _on_tree_clicked(self, index: QModelIndex) -> None:
        node = self.tree_model.node(index)
        if node.entity_id and node.kind in ("artist", "album", "track"):
            self.open_entity(node.kind, node.entity_id)

    def show_album_in_tree(self, album_id: str) -> None:
        """Show the album with its tracks in the browse tree."""
        self.worker.submit("focus", lambda c, e: _album_job(c, album_id))

    def _on_focus(self, result: Any) -> None:
        album, owned = result
        if album is None:
            return
        self.tree_model.owned |= owned
        index = self.tree_model.focus_album(album)
        self.tree.expand(index)
        self.tree.setCurrentIndex(index)
        self._set_focus_item(f"Album: {album.name or '(no name)'}")

    def _set_focus_item(self, text: str | None) -> None:
        """Say in the genre box what the tree shows when it is one album (`text`), as the
        item after "Most followed artists"; None takes that item away."""
        box = self.genre_box
        old = box.findData(FOCUS_ITEM)
        if old >= 0:
            box.removeItem(old)
        if text is not None:
            box.insertItem(1, text, FOCUS_ITEM)
            box.setItemData(
                1,
                "The tree shows this album only: choose Most followed artists or a genre "
                "to browse again.",
                Qt.ItemDataRole.ToolTipRole,
            )
            box.setCurrentIndex(1)

    # -- your library: review ---------------------------------------------------------------

    @Slot(int)
    def _on_more_files(self, after_id: int) -> None:
        text = self.search_box.text()
        # sorted pages continue after the last row shown (its sort key), not a file id
        after = self.library_model.last_read if pages_by_position(text) else None
        self.worker.submit(
            "more-files", lambda c, e: _files_job(after_id, text, after), supersede=False
        )

    def open_file(self, file_id: int) -> None:
        """Show one file's match, explained, in the detail pane."""
        self._chosen_file = file_id
        self.worker.submit("review", lambda c, e: _review_job(file_id, c))

    def decide(self, action: str, file_id: int | None = None, **target: str | None) -> None:
        """accept / reject / unlink / pick / manual for a file (the chosen one by default)."""
        chosen = file_id if file_id is not None else self._chosen_file
        if chosen is None:
            self.statusBar().showMessage("Choose a file in Your library first.", 6000)
            return
        self.worker.submit(
            "decision", lambda c, e: _decision_job(chosen, action, target, c), supersede=False
        )

    def undo(self) -> None:
        self.worker.submit("history", lambda c, e: _history_job("undo", c), supersede=False)

    def redo(self) -> None:
        self.worker.submit("history", lambda c, e: _history_job("redo", c), supersede=False)

    def ask_accept_all(self, threshold: float | None = None) -> None:
        """Ask for X (unless given), show how many links that accepts, and accept them on
        confirmation."""
        if threshold is None:
            threshold, ok = QInputDialog.getDouble(
                self, "Accept all", "Accept every match with confidence at least:", 0.9, 0.0, 1.0, 2
            )
            if not ok:
                return
        chosen = threshold
        self.worker.submit(
            "accept-preview", lambda c, e: (chosen, _accept_all_job(chosen, apply=False))
        )

    def _confirm_accept_all(self, threshold: float, count: int) -> None:
        """Ask before accepting `count` links (kept in `accept_box` while open); with none
        to accept, say so instead of asking."""
        if count == 0:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Accept all",
                f"No matches at or above {threshold:.2f} to accept.",
                QMessageBox.StandardButton.Ok,
                self,
            )
        else:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Accept all",
                f"Accept {count:,} matches with confidence at least {threshold:.2f}?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self,
            )

            def answered(button: int) -> None:
                if button == QMessageBox.StandardButton.Yes:
                    self.accept_all(threshold)

            box.finished.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._forget_accept_box)
        self.accept_box = box
        box.open()

    def _forget_accept_box(self, _result: int) -> None:
        self.accept_box = None  # closed, and deleted with it

    def accept_all(self, threshold: float) -> None:
        self.worker.submit(
            "accept-all", lambda c, e: _accept_all_job(threshold, apply=True), supersede=False
        )

    def rematch_chosen(self) -> None:
        if self._chosen_file is not None:
            self.rematch([self._chosen_file])

    def rematch_all(self) -> None:
        self.rematch(None)

    def rematch(self, file_ids: list[int] | None) -> None:
        """Match again in the background (decisions of yours are kept), with progress."""
        if self._match_cancel is not None:
            return
        cancel = threading.Event()
        self._match_cancel = cancel
        self._match_progress = QProgressDialog("Matching…", "Cancel", 0, 1000, self)
        self._match_progress.setWindowTitle("Matching")
        self._match_progress.setMinimumDuration(300)
        self._match_progress.canceled.connect(cancel.set)
        # shown after 300 ms even when no progress comes early (see build_index)
        self._match_progress.setValue(0)
        path = self.catalog_path

        def work() -> None:
            from explorer.catalog import open_catalog

            try:
                with open_catalog(path) as catalog, open_store(default_store_path()) as store:
                    summary = match_library(
                        store,
                        catalog,
                        file_ids=file_ids,
                        cancel=cancel,
                        progress=self.matchProgress.emit,
                    )
                self.matchDone.emit(
                    f"Matched {summary.matched:,}, to review {summary.review:,}, unmatched "
                    f"{summary.unmatched:,}; {summary.kept:,} decided by you were kept."
                )
            except CancelledError:
                self.matchDone.emit("Matching cancelled; what was matched so far is kept.")
            except KnownError as exc:
                self.matchDone.emit(str(exc))
            except Exception as exc:  # a bug: never leave the window waiting for the run
                log.exception("matching failed")
                self.matchDone.emit(
                    f"Matching failed ({type(exc).__name__}: {exc}); what was matched so far "
                    "is kept, and the log has details."
                )

        run_in_background(work, name="matching")

    @Slot(object)
    def _on_match_progress(self, progress: Any) -> None:
        if self._match_progress is not None and progress.files_total:
            self._match_progress.setValue(int(1000 * progress.files_done / progress.files_total))
            self._match_progress.setLabelText(
                f"Matching: {progress.files_done:,} of {progress.files_total:,} files "
                f"({progress.files_per_second:,.0f}/s)"
            )
        now = time.monotonic()
        if self.library_mode and now - self._match_reloaded >= MATCH_RELOAD_S:
            self._match_reloaded = now
            self._search_now()  # the view follows the results as they arrive

    @Slot(str)
    def _on_match_done(self, message: str) -> None:
        if self._match_progress is not None:
            self._match_progress.reset()
            self._match_progress = None
        self._match_cancel = None
        self.statusBar().showMessage(message, 10000)
        if self.library_mode:
            self._search_now()

    def show_report(self, kind: str) -> None:
        self.worker.submit("report", lambda c, e: _report_job(c, kind), supersede=False)

    def _key_decision(self, action: str) -> None:
        """A or R: for the file highlighted in the list or tree, never another one (the
        one chosen before may be filtered out, or a folder row highlighted)."""
        if not self.library_mode:
            return
        if self.results_view.hasFocus() and not self.group_action.isChecked():
            row = self.library_model.row(self.results_view.currentIndex().row())
        elif self.library_tree.hasFocus() and self.group_action.isChecked():
            row = self.library_tree_model.file_at(self.library_tree.currentIndex())
        else:
            return
        if row is None:
            self.statusBar().showMessage("Choose a file first (A accepts, R rejects).", 6000)
            return
        self.decide(action, row.file_id)

    # -- genres ---------------------------------------------------------------------------

    @Slot(int)
    def _on_genre(self, index: int) -> None:
        if index <= 0:
            self._show_top()
            return
        if self.genre_box.itemData(index) == FOCUS_ITEM:
            return  # the album shown: the tree stays as it is
        genre = self.genre_box.itemText(index)
        self._set_focus_item(None)
        self.genre_box.setCurrentIndex(self.genre_box.findText(genre))
        self.worker.submit("genre", lambda catalog, engine: catalog.artists_of_genre(genre))

    def _show_top(self) -> None:
        self._set_focus_item(None)
        self.genre_box.setCurrentIndex(0)
        self.tree_model.reset_top()

    # -- covers ---------------------------------------------------------------------------

    def _show_cover(self, url: str | None) -> None:
        self._cover_url = url
        self.cover_label.setPixmap(QPixmap())
        self.cover_label.setFixedHeight(COVER_TEXT_PX)
        if url is None:
            self.cover_label.setText("No cover in the catalog.")
            return
        self.cover_label.setText("Loading the cover…")
        self.covers.request(url)

    @Slot(str, QPixmap)
    def _on_cover(self, url: str, pixmap: QPixmap) -> None:
        if url == self._cover_url:
            self.cover_label.setFixedHeight(COVER_PX)
            size = COVER_PX - 8
            self.cover_label.setPixmap(
                pixmap.scaled(
                    size,
                    size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    @Slot(str, str)
    def _on_no_cover(self, url: str, reason: str) -> None:
        if url == self._cover_url:
            self.cover_label.setText(reason)

    def _choose_cover_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder of cover images (named like the image URLs)"
        )
        if folder:
            self.covers.settings.setValue(FOLDER_KEY, folder)
            self._show_cover(self._cover_url)

    def _toggle_network(self, allowed: bool) -> None:
        self.covers.settings.setValue(NETWORK_KEY, "true" if allowed else "false")
        self._show_cover(self._cover_url)

    # -- context menus --------------------------------------------------------------------

    def _copy_menu(
        self,
        kind: str,
        entity_id: str,
        isrc: str | None,
        where: Any,
        first: tuple[str, Any] | None = None,
    ) -> None:
        """Copy and open actions for one entity (`first`: an action above them)."""
        menu = QMenu(self)
        if first is not None:
            menu.addAction(*first)
            menu.addSeparator()
        clipboard = QGuiApplication.clipboard()
        menu.addAction("Copy ID", lambda: clipboard.setText(entity_id))
        menu.addAction("Copy URI", lambda: clipboard.setText(f"spotify:{kind}:{entity_id}"))
        if isrc:
            menu.addAction("Copy ISRC", lambda: clipboard.setText(isrc))
        menu.addAction(
            "Open web page", lambda: webbrowser.open(f"https://open.spotify.com/{kind}/{entity_id}")
        )
        menu.exec(where)

    def _results_menu(self, point: Any) -> None:
        if self.library_mode:
            return
        hit = self.models[self.kind].hit(self.results_view.indexAt(point).row())
        if hit is not None:
            where = self.results_view.viewport().mapToGlobal(point)
            self._copy_menu(hit.kind, hit.id, self.shown_isrc(hit), where, self.link_action(hit))

    def shown_isrc(self, hit: SearchHit) -> str | None:
        """The ISRC of a track result when the pane shows that track (results carry none)."""
        shown = self.detail.current
        if hit.kind != "track" or not shown or shown[0] != "track":
            return None
        record = shown[1]
        return getattr(record, "isrc", None) if getattr(record, "id", None) == hit.id else None

    def link_action(self, hit: SearchHit) -> tuple[str, Any] | None:
        """ "Link <the chosen file> to this track" for a track result, once a file of Your
        library was chosen; None otherwise."""
        chosen = self._chosen_file
        if hit.kind != "track" or chosen is None:
            return None
        row = self.library_model.row(self.library_model.position_of(chosen))
        row = row or self.library_tree_model.row_of(chosen)  # grouped by folder
        name = row.path.rsplit("/", 1)[-1] if row is not None else "the chosen file"
        return (
            f"Link {name} to this track",
            lambda: self.decide(
                "manual", chosen, track_id=hit.id, album_id=hit.album_id, isrc=None
            ),
        )

    def _tree_menu(self, point: Any) -> None:
        node = self.tree_model.node(self.tree.indexAt(point))
        if node.entity_id and node.kind in ("artist", "album", "track"):
            self._copy_menu(
                node.kind, node.entity_id, None, self.tree.viewport().mapToGlobal(point)
            )

    # -- index ----------------------------------------------------------------------------

    def build_index(self) -> None:
        """Build the search index in a background thread, with progress and cancel."""
        if self._build_cancel is not None:
            return
        cancel = threading.Event()
        self._build_cancel = cancel
        self._progress = QProgressDialog("Building the search index…", "Cancel", 0, 1000, self)
        self._progress.setWindowTitle("Search index")
        self._progress.setMinimumDuration(0)
        self._progress.canceled.connect(cancel.set)
        # QProgressDialog counts its minimum duration from a setValue at its minimum (its
        # own timer, started when it is made, waits 4 s): shown at once, not at the first
        # progress report
        self._progress.setValue(0)
        path = self.catalog_path

        def work() -> None:
            from explorer.catalog import open_catalog

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
        if self._progress is not None:
            self._progress.setValue(int(progress.share * 1000))
            left = f", about {progress.seconds_left:.0f} s left" if progress.seconds_left else ""
            self._progress.setLabelText(
                f"Indexing {progress.part}: {progress.rows_done:,} of {progress.rows_total:,} rows{left}"
            )

    @Slot(str)
    def _on_index_done(self, problem: str) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress = None
        self._build_cancel = None
        self.statusBar().showMessage(
            f"Index build {problem}." if problem else "The search index is ready.", 8000
        )
        self.worker.submit("status", _status_job)
        self._search_now()


# -- jobs (run on the worker thread) ------------------------------------------------------


_thread_state = threading.local()


def _user_store() -> LibraryStore | None:
    """This worker thread's user store, None while there is none (never created here)."""
    store: LibraryStore | None = getattr(_thread_state, "store", None)
    if store is None:
        path = default_store_path()
        if not path.exists():
            return None
        store = open_store(path)
        _thread_state.store = store
    return store


def _search_job(
    engine: SearchEngine, text: str, kind: EntityKind, cursor: str | None
) -> tuple[SearchPage, set[str]]:
    """A page of results and which of them the user has files of. A pasted bare ID that
    is not of `kind` is looked up as the other kinds: the page is then of the kind found."""
    page = engine.search(text, kind=kind, limit=PAGE_SIZE, cursor=cursor)
    if not page.hits and cursor is None:
        ref = parse_query(text).ref
        if ref is not None and ref.kind is None:
            for other in KINDS:
                if other != kind:
                    found = engine.search(text, kind=other, limit=PAGE_SIZE)
                    if found.hits:
                        page = found
                        break
    store = _user_store()
    owned = owned_ids(store, kind, [hit.id for hit in page.hits]) if store is not None else set()
    return page, owned


def _files_job(
    after_id: int, text: str, after: ReviewRow | None = None
) -> tuple[list[ReviewRow], bool]:
    store = _user_store()
    if store is None:
        return [], False
    return library_page(store, after_id=after_id, after=after, text=text)


def _folders_job(text: str) -> list[str]:
    store = _user_store()
    return library_folders(store, text) if store is not None else []


def _folder_refresh(folder: str, text: str) -> Callable[[Catalog, SearchEngine], list[ReviewRow]]:
    """A job reading one folder's files again."""
    return lambda catalog, engine: _folder_job(folder, text)


def _folder_job(folder: str, text: str) -> list[ReviewRow]:
    store = _user_store()
    return folder_rows(store, folder, text) if store is not None else []


def _review_job(file_id: int, catalog: Catalog | None = None) -> tuple[ReviewRow | None, str]:
    store = _user_store()
    if store is None:
        return None, "There is no library yet: scan and match a folder (`explorer match DIR`)."
    file = file_by_id(store, file_id)
    if file is None:
        return None, "That file is no longer in the library."
    links = Links(store)
    link = links.get(file_id)
    row = review_row(file, link)
    linked = None
    if catalog is not None and link is not None and link.track_id is not None:
        # a track the matcher never offered (linked from a search result): its names
        track = None if find_candidate(link.detail, link.track_id) else catalog.track(link.track_id)
        linked = linked_candidate(track) if track is not None else None
        row = named_row(row, linked) if linked is not None else row
    return row, review_html(file, link, links.history(file_id), linked)


def _decision_job(
    file_id: int, action: str, target: dict[str, str | None], catalog: Catalog | None = None
) -> tuple[ReviewRow | None, str]:
    store = _user_store()
    if store is None:
        return None, "There is no library yet."
    links = Links(store)
    file = file_by_id(store, file_id)
    if file is None:
        return None, "That file is no longer in the library."
    # an unreadable file can still be linked by hand (you know what it is); nothing else
    if file.status != "ok" and action not in ("unlink", "manual"):
        return None, (
            f"{file.display.rsplit('/', 1)[-1]} could not be read ({file.error or file.status}); "
            "there is nothing to decide until a scan reads it."
        )
    if action == "accept":
        current = links.get(file_id)
        if current is None or current.track_id is None:
            return None, "There is no link to accept: pick an alternative or link by hand."
        links.decide(file_id, "accepted")
    elif action == "reject":
        links.decide(file_id, "rejected")
    elif action == "unlink":
        links.unlink(file_id)
    elif action in ("pick", "manual"):
        track_id = target.get("track_id")
        if catalog is not None and track_id and not target.get("isrc"):
            # linked from a search result: its ISRC and album from the catalog
            track = catalog.track(track_id)
            if track is None:
                return None, "That track is not in this catalog."
            target = {
                "track_id": track_id,
                "album_id": target.get("album_id") or (track.album.id if track.album else None),
                "isrc": track.isrc,
            }
        links.decide(
            file_id,
            "manual",
            track_id=target.get("track_id"),
            album_id=target.get("album_id"),
            isrc=target.get("isrc"),
            action=action,
        )
    return _review_job(file_id, catalog)


def _accept_all_job(threshold: float, *, apply: bool) -> int:
    store = _user_store()
    if store is None:
        return 0
    links = Links(store)
    return links.accept_all(threshold) if apply else links.count_acceptable(threshold)


def _report_job(catalog: Catalog, kind: str) -> tuple[str, list[Any], bool]:
    """The report's kind, its rows, and whether there is a library at all."""
    store = _user_store()
    if store is None or not store.files(limit=1):
        return kind, [], False
    if kind == "missing":
        return kind, list(missing_tracks(store, catalog)), True
    if kind == "duplicates":
        return kind, list(duplicates(store)), True
    return kind, list(unmatched(store)), True


def _history_job(which: str, catalog: Catalog | None = None) -> tuple[ReviewRow | None, str, str]:
    """Undo or redo the latest decision: the file's row and pane, and what was done."""
    store = _user_store()
    if store is None:
        return None, "There is no library yet.", ""
    links = Links(store)
    entry = links.undo() if which == "undo" else links.redo()
    if entry is None:
        return None, f"Nothing to {which}.", ""
    row, html = _review_job(entry.file_id, catalog)
    name = row.path.rsplit("/", 1)[-1] if row is not None else "a file"
    what = "Undone" if which == "undo" else "Redone"
    files = f"{entry.batch_size:,} files" if entry.batch_size > 1 else name
    return row, html, f"{what}: {entry.action} ({files})."


def _status_job(catalog: Catalog, engine: SearchEngine) -> str:
    sizes = {item.table: item.rows for item in catalog.estimates()}
    status = index_status(catalog)
    state = (
        "search index ready"
        if status.complete
        else f"no search index (Index > Build; {status.share_done:.0%} built)"
        if status.exists
        else "no search index: names by their beginning only (Index > Build)"
    )
    return (
        f"{catalog.name}: {sizes.get('tracks', 0):,} tracks, {sizes.get('albums', 0):,} albums, "
        f"{sizes.get('artists', 0):,} artists · {state}"
    )


def _detail_job(catalog: Catalog, kind: str, entity_id: str) -> tuple[str, Any, str, str | None]:
    if kind == "track":
        track = catalog.track(entity_id)
        if track is None:
            raise KnownError(f"No track {entity_id} in this catalog.")
        others = [t for t in catalog.tracks_with_isrc(track.isrc or "") if t.id != track.id]
        images = catalog.album_images(track.album_rowid)
        html = track_html(track, catalog.audio_features(track.id), others)
        return kind, track, html, _cover_url(images)
    if kind == "album":
        album = catalog.album(entity_id)
        if album is None:
            raise KnownError(f"No album {entity_id} in this catalog.")
        store = _user_store()
        presence = album_presence(store, album) if store is not None else None
        return kind, album, album_html(album, presence), _cover_url(album.images)
    artist = catalog.artist(entity_id)
    if artist is None:
        raise KnownError(f"No artist {entity_id} in this catalog.")
    html = artist_html(artist, catalog.artist_albums(artist.rowid))
    return kind, artist, html, _cover_url(artist.images)


def _cover_url(images: tuple[ImageRow, ...]) -> str | None:
    """The largest image up to 640 pixels (the catalog lists 640, 300 and 64)."""
    fitting = [image for image in images if image.width <= 640] or list(images)
    return max(fitting, key=lambda image: image.width).url if fitting else None


def _top_artists_job(
    catalog: Catalog, below: tuple[int, int] | None
) -> tuple[list[Any], tuple[int, int] | None]:
    artists = catalog.top_artists(limit=TREE_PAGE, below=below)
    more = (artists[-1].followers, artists[-1].rowid) if len(artists) == TREE_PAGE else None
    return artists, more


def _groups_job(catalog: Catalog, artist_id: str) -> tuple[Any, set[str]]:
    """An artist's release groups, and which of those albums the user has tracks of."""
    artist = catalog.artist(artist_id)
    if artist is None:
        raise KnownError(f"No artist {artist_id} in this catalog.")
    groups = catalog.artist_albums(artist.rowid)
    store = _user_store()
    ids = [album.id for _, albums in groups.items() for album in albums]
    return groups, owned_ids(store, "album", ids) if store is not None else set()


def _album_job(catalog: Catalog, album_id: str) -> tuple[Any, set[str]]:
    """An album with its tracks, and which of them (and whether it) the user has."""
    album = catalog.album(album_id)
    store = _user_store()
    if album is None or store is None:
        return album, set()
    owned = owned_ids(store, "track", [t.id for t in album.tracks])
    if owned:
        owned.add(album.id)
    return album, owned


def show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.critical(parent, APP_TITLE, message)
