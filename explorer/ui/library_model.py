"""The user's files with their links, paged from the user store (status in text and colour),
and the catalog facets of their linked tracks (BPM, key, energy, ...: columns hidden until
chosen in the header's menu, library_columns.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from explorer.library.facet_cache import LinkFacets
from explorer.matching.review import ReviewRow
from explorer.text.keys import camelot, standard_name

Index = QModelIndex | QPersistentModelIndex
BASE_COLUMNS = ("Status", "Confidence", "Margin", "File", "Linked track", "Album")
# The linked track's facets from the catalog; hidden until chosen (library_columns.py).
FACET_COLUMNS = (
    "BPM",
    "Key",
    "Camelot",
    "Energy",
    "Danceability",
    "Valence",
    "Genres",
    "Year",
    "Popularity",
)
COLUMNS = BASE_COLUMNS + FACET_COLUMNS
_NO_FACETS = ("",) * len(FACET_COLUMNS)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def facet_texts(facets: LinkFacets | None) -> tuple[str, ...]:
    """The facet columns' texts of one file (empty where the catalog has no value)."""
    if facets is None:
        return _NO_FACETS
    return (
        "" if facets.tempo is None else f"{facets.tempo:.0f}",
        standard_name(facets.key, facets.mode),
        camelot(facets.key, facets.mode),
        _share(facets.energy),
        _share(facets.danceability),
        _share(facets.valence),
        ", ".join(facets.genres),
        "" if facets.year is None else str(facets.year),
        "" if facets.popularity is None else str(facets.popularity),
    )


# Background colours of statuses; the text says the same (never colour alone). Each
# differs plainly from every other (the tests measure it): a light green for the matcher's
# match and a strong one for yours, blue for a link by hand, amber to review, orange for
# no match, red for rejected, purple for a file that could not be read, grey before any
# match. All light, under STATUS_TEXT (dark), whatever the theme's text colour.
STATUS_COLOURS = {
    "matched": "#dcfce7",
    "accepted": "#86efac",
    "manual": "#93c5fd",
    "review": "#fde68a",
    "unmatched": "#fed7aa",
    "rejected": "#fca5a5",
    "error": "#d8b4fe",
    "not matched": "#e5e7eb",
}
STATUS_TEXT = "#111827"


class LibraryModel(QAbstractTableModel):
    """Files in id order, FILE_PAGE at a time as the view scrolls.

    Signals:
        moreWanted(int): the last file id shown, when the view wants the next page.
    """

    moreWanted = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ReviewRow] = []
        self._ids: set[int] = set()  # the files listed (each once)
        self._facets: dict[int, tuple[str, ...]] = {}  # file id -> facet columns' texts
        self._more = False
        self._waiting = False
        # the last row of the last page as it was read: where a sorted list goes on (a
        # decision edits the row shown, and its new sort key would skip files)
        self.last_read: ReviewRow | None = None

    def set_rows(self, rows: list[ReviewRow], more: bool) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._ids = {row.file_id for row in rows}
        self._facets = {row.file_id: facet_texts(row.facets) for row in rows}
        self._more = more
        self._waiting = False
        self.last_read = rows[-1] if rows else None
        self.endResetModel()

    def append_rows(self, rows: list[ReviewRow], more: bool) -> None:
        """Add the next page; a file shown already (a decision moved it on in a sorted
        list) keeps its row, each file is listed once."""
        self._waiting = False
        self._more = more
        self.last_read = rows[-1] if rows else self.last_read
        rows = [row for row in rows if row.file_id not in self._ids]
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._ids.update(row.file_id for row in rows)
        self._facets.update((row.file_id, facet_texts(row.facets)) for row in rows)
        self.endInsertRows()

    def replace_row(self, row: ReviewRow) -> None:
        """Show a file's new state after a decision (a row without facets keeps those shown
        while it is linked to the same track)."""
        for position, old in enumerate(self._rows):
            if old.file_id == row.file_id:
                if row.facets is None and old.track_id == row.track_id:
                    row = replace(row, facets=old.facets)
                self._rows[position] = row
                self._facets[row.file_id] = facet_texts(row.facets)
                self.dataChanged.emit(
                    self.index(position, 0), self.index(position, len(COLUMNS) - 1)
                )
                return

    def row(self, position: int) -> ReviewRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def count_text(self) -> str:
        """`37`, or `500+` while more pages exist."""
        return f"{len(self._rows):,}{'+' if self._more else ''}"

    def position_of(self, file_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.file_id == file_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return row.status
            if column == 1:
                return "" if row.confidence is None else f"{row.confidence:.2f}"
            if column == 2:
                return "" if row.margin is None else f"{row.margin:.2f}"
            if column < len(BASE_COLUMNS):
                return (row.path, row.track, row.album)[column - 3]
            return self._facets.get(row.file_id, _NO_FACETS)[column - len(BASE_COLUMNS)]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 0:
            return QColor(STATUS_COLOURS.get(row.status, "#ffffff"))
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QColor(STATUS_TEXT)  # dark on the light colour, also in a dark theme
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.path
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._more and not self._waiting

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._waiting = True
            self.moreWanted.emit(self._rows[-1].file_id if self._rows else 0)
