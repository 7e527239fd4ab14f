"""Sorting by a click on the results' column headers: the search results loaded are
ordered in the window; Your library's files take the matching `sort:` word, which the
store pages through in that order (other library columns say they cannot sort)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot

from explorer.ui.library_model import COLUMNS as LIBRARY_COLUMNS

if TYPE_CHECKING:
    from explorer.ui.results_pane import ResultsPane

# Your library's columns that have a `sort:` word (an order the store pages cheaply).
LIBRARY_SORTS = {
    "Status": "status",
    "Confidence": "confidence",
    "File": "path",
    "BPM": "bpm",
    "Energy": "energy",
    "Danceability": "danceability",
    "Valence": "valence",
    "Year": "year",
    "Popularity": "popularity",
}
_SORT_WORD = re.compile(r"(?<!\S)sort:\S*")
NO_LIBRARY_SORT = (
    f"Your library sorts by {', '.join(list(LIBRARY_SORTS)[:-1])} and {list(LIBRARY_SORTS)[-1]} "
    "(ascending; the sort: word in the filter)."
)


def with_sort_word(text: str, word: str) -> str:
    """The filter `text` with its `sort:` word (if any) replaced by `sort:word`."""
    kept = _SORT_WORD.sub("", text).split()
    return " ".join([*kept, f"sort:{word}"])


def sort_word_of(text: str) -> str | None:
    """The library filter's `sort:` word's value (the last one), or None."""
    found = _SORT_WORD.findall(text)
    return found[-1].removeprefix("sort:") if found else None


class HeaderSorting(QObject):
    """Turns header clicks into an order, and shows each table's order on its header."""

    def __init__(self, pane: ResultsPane) -> None:
        super().__init__(pane)
        self.pane = pane
        self._placing = False
        header = pane.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        self.show_order()
        header.sortIndicatorChanged.connect(self._on_clicked)

    def show_order(self) -> None:
        """Put the shown table's order on the header (no indicator: relevance, or a
        library filter without a `sort:` word)."""
        pane = self.pane
        column, order = -1, Qt.SortOrder.AscendingOrder
        if pane.library_mode:
            word = sort_word_of(pane.search_box.text())
            names = [name for name, value in LIBRARY_SORTS.items() if value == word]
            if names:
                column = LIBRARY_COLUMNS.index(names[0])
        else:
            sorted_by = pane.models[pane.kind].sorted_by
            if sorted_by is not None:
                column, order = sorted_by
        self._placing = True
        try:
            pane.view.horizontalHeader().setSortIndicator(column, order)
        finally:
            self._placing = False

    @Slot(int, Qt.SortOrder)
    def _on_clicked(self, column: int, order: Qt.SortOrder) -> None:
        if self._placing or column < 0:
            return
        pane = self.pane
        if pane.library_mode:
            name = LIBRARY_COLUMNS[column] if column < len(LIBRARY_COLUMNS) else ""
            word = LIBRARY_SORTS.get(name)
            if word is None:
                pane.count_label.setText(NO_LIBRARY_SORT)
            else:  # the filter says the order; searching again shows it
                pane.search_box.setText(with_sort_word(pane.search_box.text(), word))
            self.show_order()
            return
        pane.models[pane.kind].sort(column, order)
        pane.show_count(pane.kind)
