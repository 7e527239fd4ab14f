"""A table model of one kind of search results, paged by `fetchMore` through the worker."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from explorer.catalog.records import format_duration
from explorer.search.results import EntityKind, SearchHit, SearchPage

Index = QModelIndex | QPersistentModelIndex

COLUMNS: dict[EntityKind, tuple[str, ...]] = {
    "track": ("Title", "Artists", "Album", "Year", "Time", "Popularity", "Explicit", "Yours"),
    "album": ("Album", "Artists", "Type", "Year", "Popularity", "Yours"),
    "artist": ("Artist", "Followers", "Popularity"),
}
# Rows shown at most; past this the user refines the query (a view over 100 M rows hangs).
MAX_ROWS = 5_000


OWNED_MARK = "✓ yours"
# The columns whose sort key is a number (the rest sort by their text, case-blind).
NUMERIC = {"Year", "Time", "Popularity", "Followers"}


def _cells(hit: SearchHit, owned: set[str]) -> tuple[str, ...]:
    mark = OWNED_MARK if hit.id in owned else ""
    if hit.kind == "track":
        return (
            hit.name,
            ", ".join(hit.artists),
            hit.album or "",
            str(hit.year or ""),
            format_duration(hit.duration_ms),
            str(hit.popularity),
            "E" if hit.explicit else "",
            mark,
        )
    if hit.kind == "album":
        kind = {"single": "Single/EP"}.get(hit.album_type or "", (hit.album_type or "").title())
        return (
            hit.name or "(no name)",
            ", ".join(hit.artists),
            kind,
            str(hit.year or ""),
            str(hit.popularity),
            mark,
        )
    return (hit.name, f"{hit.followers or 0:,}", str(hit.popularity))


def _number(hit: SearchHit, column: str) -> int:
    """A numeric column's value; unknown sorts below every known one."""
    value = {
        "Year": hit.year,
        "Time": hit.duration_ms,
        "Popularity": hit.popularity,
        "Followers": hit.followers,
    }[column]
    return -1 if value is None else value


class SearchResultsModel(QAbstractTableModel):
    """Rows of one result kind; cells are prepared strings (data() never computes).

    A click on a column's header sorts the rows loaded (`sort`); pages loaded later join
    that order, and `sort_note` says the order covers only what is loaded. A new search
    shows relevance order again.

    Signals:
        moreWanted(str): the cursor of the next page, when the view scrolls to the end.
    """

    moreWanted = Signal(str)

    def __init__(self, kind: EntityKind, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind: EntityKind = kind
        self._hits: list[SearchHit] = []
        self._cells: list[tuple[str, ...]] = []
        self._cursor: str | None = None
        self._waiting = False
        self.notice: str | None = None
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None  # None: relevance order

    # -- filling ----------------------------------------------------------------------

    def set_page(self, page: SearchPage, owned: set[str] | None = None) -> None:
        """Replace the rows with the first page of a new search (`owned`: ids the user has)."""
        self.beginResetModel()
        self._hits = list(page.hits)
        self._cells = [_cells(hit, owned or set()) for hit in self._hits]
        self._cursor = page.cursor
        self._waiting = False
        self.notice = page.notice
        self.sorted_by = None
        self.endResetModel()

    def append_page(self, page: SearchPage, owned: set[str] | None = None) -> None:
        """Add the next page (the answer to `moreWanted`)."""
        self._waiting = False
        known = {hit.rowid for hit in self._hits}
        new = [hit for hit in page.hits if hit.rowid not in known][: MAX_ROWS - len(self._hits)]
        self._cursor = page.cursor if len(self._hits) + len(new) < MAX_ROWS else None
        if not new:
            return
        first = len(self._hits)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._hits.extend(new)
        self._cells.extend(_cells(hit, owned or set()) for hit in new)
        self.endInsertRows()
        if self.sorted_by is not None:  # the new rows take their places in the order
            self.sort(*self.sorted_by)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows loaded by `column` (stable: ties keep relevance order)."""
        columns = COLUMNS[self.kind]
        if not 0 <= column < len(columns):
            return
        name = columns[column]
        rows = list(zip(self._hits, self._cells, strict=True))

        def key(row: tuple[SearchHit, tuple[str, ...]]) -> Any:
            hit, cells = row
            return _number(hit, name) if name in NUMERIC else cells[column].casefold()

        rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        rowids_before = [hit.rowid for hit in self._hits]
        self._hits = [hit for hit, _ in rows]
        self._cells = [cells for _, cells in rows]
        now_at = {hit.rowid: row for row, hit in enumerate(self._hits)}
        old = self.persistentIndexList()  # the view's current row and selection follow
        moved = [
            self.index(now_at[rowids_before[index.row()]], index.column())
            if index.isValid() and 0 <= index.row() < len(rowids_before)
            else QModelIndex()
            for index in old
        ]
        self.changePersistentIndexList(old, moved)
        self.sorted_by = (column, order)
        self.layoutChanged.emit()

    def sort_note(self) -> str:
        """What the order is, when not relevance: by which column, and over which rows."""
        if self.sorted_by is None:
            return ""
        column, order = self.sorted_by
        name = COLUMNS[self.kind][column]
        way = "descending" if order == Qt.SortOrder.DescendingOrder else "ascending"
        if self._cursor is None:
            return f"sorted by {name}, {way}"
        return f"sorted by {name}, {way}: the {len(self._hits):,} loaded (more join as you scroll)"

    def clear(self) -> None:
        self.set_page(SearchPage(self.kind, (), None, False), set())

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def count_text(self) -> str:
        """`37`, or `50+` while more pages exist."""
        return f"{len(self._hits)}+" if self._cursor else str(len(self._hits))

    # -- Qt ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS[self.kind])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cells):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            cells = self._cells[index.row()]
            return cells[index.column()] if 0 <= index.column() < len(cells) else None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return self._hits[index.row()].id
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[self.kind][index.column()] in (
            "Year",
            "Time",
            "Popularity",
            "Followers",
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            columns = COLUMNS[self.kind]
            return columns[section] if 0 <= section < len(columns) else None
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._cursor is not None and not self._waiting

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent) and self._cursor is not None:
            self._waiting = True  # guards re-entry (QAbstractItemModelTester calls again)
            self.moreWanted.emit(self._cursor)
