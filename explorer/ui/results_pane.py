"""The results pane: the search box, the result tabs (Tracks, Albums, Artists, Your
library), the results table and the count under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.search.query import parse_query
from explorer.search.results import KINDS, EntityKind
from explorer.ui import jobs
from explorer.ui.result_sorting import HeaderSorting
from explorer.ui.search_results_model import SearchResultsModel
from explorer.ui.workers import QueryOp

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

# Milliseconds after the last keystroke before searching; lower feels faster, costs more.
DEBOUNCE_MS = 120
KIND_LABELS = {"track": "Tracks", "album": "Albums", "artist": "Artists"}
TAB_KINDS: tuple[EntityKind, ...] = ("track", "album", "artist")  # the result tabs, in order
LIBRARY_TAB = 3
# Each column's width when there is room: the name columns first, then the short ones.
COLUMN_WIDTHS = {
    "track": (240, 180, 200, 50, 50, 75, 60, 65),
    "album": (260, 220, 90, 50, 75, 65),
    "artist": (300, 110, 75),
}
LIBRARY_WIDTHS = (90, 80, 60, 420, 260)
# The name columns (the first ones) give up width down to this when the table is narrow,
# so that every column shows without scrolling sideways (at 1280x800 too).
MIN_NAME_WIDTH = 110
NAME_COLUMNS = {"track": 3, "album": 2, "artist": 1}
PLACEHOLDER = (
    'Search: words in any order · artist: album: year:1990..1999 type:single · "phrases" · IDs and links'
    " · in Your library: status:review format:flac folder:… confidence<0.9 sort:confidence"
)


def narrowed(widths: tuple[int, ...], names: int, room: int) -> tuple[int, ...]:
    """`widths` with the first `names` columns made narrower (in proportion, not below
    MIN_NAME_WIDTH) until all fit in `room` pixels."""
    over = sum(widths) - room
    name_total = sum(widths[:names])
    if over <= 0 or name_total <= 0:
        return widths
    scale = max(0.0, (name_total - over) / name_total)
    names_now = tuple(max(MIN_NAME_WIDTH, int(w * scale)) for w in widths[:names])
    return names_now + widths[names:]


class ResultsPane(QObject):
    """The search box and what it finds; Your library's list is shown in the same table."""

    def __init__(self, window: MainWindow, parent: QWidget) -> None:
        super().__init__(window)
        self.w = window
        self.kind: EntityKind = "track"
        self.library_mode = False
        # per result kind: (close spellings, the notice) of its current search
        self._notes: dict[EntityKind, tuple[bool, str | None]] = {}
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(PLACEHOLDER)
        self.widget = QWidget(parent)
        self.layout = QVBoxLayout(self.widget)
        self.layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabBar(self.widget)
        self.tabs.setObjectName("resultTabs")
        for kind in TAB_KINDS:
            self.tabs.addTab(KIND_LABELS[kind])
        self.tabs.addTab("Your library")
        self.layout.addWidget(self.tabs)
        self.models: dict[EntityKind, SearchResultsModel] = {}
        for kind in KINDS:
            model = SearchResultsModel(kind, self)
            model.moreWanted.connect(self._on_more_wanted)
            self.models[kind] = model
        view = self.view = QTableView(self.widget)
        view.setObjectName("resultsView")
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().setVisible(False)
        view.verticalHeader().setDefaultSectionSize(22)
        view.setWordWrap(False)
        view.setTabKeyNavigation(False)  # Tab moves on to the tree, not a cell
        view.horizontalHeader().setStretchLastSection(True)
        view.setModel(self.models["track"])
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._auto_fit = True  # the columns follow the table's width (until sized by hand)
        self._fitting = False
        view.installEventFilter(self)
        view.horizontalHeader().sectionResized.connect(self._on_section_resized)
        self.stack = QStackedWidget(self.widget)
        self.stack.addWidget(view)
        self.count_label = QLabel("", self.widget)
        self.count_label.setWordWrap(True)  # a long notice wraps, the panes keep their widths
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)

    def finish(self) -> None:
        """Connect to the other panes (they exist now) and lay out the rest."""
        self.sorting = HeaderSorting(self)
        self.layout.addWidget(self.stack)
        self.layout.addWidget(self.count_label)
        self.search_box.textChanged.connect(self._on_text_changed)
        self.search_box.returnPressed.connect(self._open_current)
        self.tabs.currentChanged.connect(self.on_tab)
        self.view.doubleClicked.connect(self.open_result)
        self.view.customContextMenuRequested.connect(self.w.details.results_menu)
        self.debounce.timeout.connect(self.search_now)
        self._connect_selection()
        self._size_columns()

    def _connect_selection(self) -> None:
        self.view.selectionModel().currentRowChanged.connect(self._on_selected)

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def focus_results(self) -> None:
        """Move the keyboard into the results shown (Down in the search box), choosing the
        first row when none is chosen."""
        tree = self.w.library.tree
        view: QAbstractItemView = tree if self.stack.currentWidget() is tree else self.view
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        model = view.model()
        if not view.currentIndex().isValid() and model is not None and model.rowCount() > 0:
            view.setCurrentIndex(model.index(0, 0))

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        self.debounce.start()

    def _size_columns(self) -> None:
        self.fit_columns(COLUMN_WIDTHS[self.kind], names=NAME_COLUMNS[self.kind])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Size the columns to the table's width as it changes, until the user sizes one."""
        if (
            watched is self.view
            and event.type() == QEvent.Type.Resize
            and self._auto_fit
            and not self.library_mode
        ):
            self._size_columns()
        return False

    @Slot(int, int, int)
    def _on_section_resized(self, _column: int, _old: int, _new: int) -> None:
        if not self._fitting:
            self._auto_fit = False  # the user sized a column: theirs until the next tab

    def fit_columns(self, widths: tuple[int, ...], *, names: int = 0) -> None:
        """The results' columns at these widths (the rest at the default), each at least as
        wide as its header's text; the first `names` columns narrower if that is what it
        takes for all to show in the table's width."""
        header = self.view.horizontalHeader()
        model = self.view.model()
        count = model.columnCount() if model is not None else 0
        wanted = tuple(
            max(
                widths[column] if column < len(widths) else header.defaultSectionSize(),
                header.sectionSizeHint(column),
            )
            for column in range(count)
        )
        if names:
            wanted = narrowed(wanted, names, self.view.viewport().width())
        self._fitting = True
        try:
            for column, width in enumerate(wanted):
                self.view.setColumnWidth(column, width)
        finally:
            self._fitting = False

    @Slot(int)
    def on_tab(self, index: int) -> None:
        self.library_mode = index == LIBRARY_TAB
        grouped = self.library_mode and self.w.library.grouped()
        self.stack.setCurrentWidget(self.w.library.tree if grouped else self.view)
        if grouped:
            self.search_now()
            return
        # a file's path loses its beginning when too long, so its name shows
        self.view.setTextElideMode(
            Qt.TextElideMode.ElideLeft if self.library_mode else Qt.TextElideMode.ElideRight
        )
        if self.library_mode:
            self.view.setModel(self.w.library.model)
            self.fit_columns(LIBRARY_WIDTHS)
        else:
            self.kind = TAB_KINDS[index]
            self.view.setModel(self.models[self.kind])
            self._auto_fit = True
            self._size_columns()
        self._connect_selection()
        self.sorting.show_order()
        self.search_now()

    def search_now(self) -> None:
        text = self.search_box.text()
        if self.library_mode:
            self.sorting.show_order()  # the filter's sort: word, if any
            self.w.library.search(text)
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
        self.w.worker.run(
            QueryOp(
                lambda catalog, engine: jobs.search(engine, text, kind, None),
                self._on_found,
                latest=self._on_found,
                interrupts=True,
            )
        )

    @Slot(str)
    def _on_more_wanted(self, cursor: str) -> None:
        text, kind = self.search_box.text(), self.kind
        self.w.worker.run(
            QueryOp(
                lambda catalog, engine: jobs.search(engine, text, kind, cursor),
                self._on_more_found,
                latest=("more", kind),
            )
        )

    def _on_found(self, found: jobs.Found) -> None:
        page = found.page
        self.models[page.kind].set_page(page, set(found.owned))  # relevance order again
        self._notes[page.kind] = (page.fuzzy, page.notice)
        if page.kind == self.kind and not self.library_mode:
            self.sorting.show_order()
        if page.kind != self.kind and page.hits and not self.library_mode:
            # a pasted bare ID of another kind: its tab shows it (and searches again)
            self.tabs.setCurrentIndex(TAB_KINDS.index(page.kind))
            return
        self.show_count(page.kind)
        if page.kind == self.kind and page.hits:
            self.view.selectRow(0)

    def _on_more_found(self, found: jobs.Found) -> None:
        self.models[found.page.kind].append_page(found.page, set(found.owned))
        self.show_count(found.page.kind)

    def show_count(self, kind: EntityKind) -> None:
        """The count under the results of `kind`, when shown."""
        if kind != self.kind or self.library_mode:
            return
        fuzzy, notice = self._notes.get(kind, (False, None))
        note = f" — {notice}" if notice else ""
        close = " (close spellings)" if fuzzy else ""
        count = self.models[kind].count_text()
        word = kind if count == "1" else KIND_LABELS[kind].lower()  # 1 track, 2 tracks
        order = self.models[kind].sort_note()
        text = f"{count} {word}{close}{note}" + (f" — {order}" if order else "")
        self.count_label.setText(text)

    @Slot(QModelIndex, QModelIndex)
    def _on_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.library_mode:
            self.w.library.open_row(current.row())
            return
        hit = self.models[self.kind].hit(current.row())
        if hit is not None:
            self.w.details.open_entity(hit.kind, hit.id)

    def _open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.open_result(index)

    @Slot(QModelIndex)
    def open_result(self, index: QModelIndex) -> None:
        """Enter or a double click: a file's review, or the entity (its album in the tree)."""
        if self.library_mode:
            self.w.library.open_row(index.row())
            return
        hit = self.models[self.kind].hit(index.row())
        if hit is None:
            return
        if hit.kind == "album":
            self.w.browse.show_album(hit.id)
        elif hit.kind == "track" and hit.album_id:
            self.w.browse.show_album(hit.album_id)
        self.w.details.open_entity(hit.kind, hit.id)
