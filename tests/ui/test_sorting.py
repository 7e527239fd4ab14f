"""A click on a results header sorts: the search results loaded (and says the order is
theirs only), Your library by the `sort:` word of its filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from explorer.ui.main_window import MainWindow
from explorer.ui.result_sorting import NO_LIBRARY_SORT, sort_word_of, with_sort_word
from tests.ui.test_review import _library_window
from tests.ui.waits import WAIT_MS


def _click_header(window: MainWindow, qtbot: QtBot, name: str) -> None:
    view = window.results_view
    model = view.model()
    columns = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    header = view.horizontalHeader()
    column = columns.index(name)
    if model.rowCount():
        view.scrollTo(model.index(0, column))  # the section in view
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def _years(window: MainWindow) -> list[int]:
    model = window.models["track"]
    hits = [model.hit(row) for row in range(model.rowCount())]
    return [-1 if hit is None or hit.year is None else hit.year for hit in hits]


def test_a_header_click_sorts_the_results_loaded_and_says_so(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.ui import jobs

    monkeypatch.setattr(jobs, "PAGE_SIZE", 20)
    window.search_box.setText("a")
    window.results.search_now()
    model = window.models["track"]
    qtbot.waitUntil(lambda: model.rowCount() >= 20, timeout=WAIT_MS)
    relevance = [model.hit(row) for row in range(model.rowCount())]
    assert _years(window) != sorted(_years(window))  # else the test shows nothing

    _click_header(window, qtbot, "Year")
    assert _years(window) == sorted(_years(window))
    assert "sorted by Year, ascending: the" in window.count_label.text()
    assert "loaded (more join as you scroll)" in window.count_label.text()
    _click_header(window, qtbot, "Year")
    assert _years(window) == sorted(_years(window), reverse=True)
    header = window.results_view.horizontalHeader()
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    shown = model.rowCount()
    model.fetchMore(model.index(-1, -1))  # the next page joins the order
    qtbot.waitUntil(lambda: model.rowCount() > shown, timeout=WAIT_MS)
    assert _years(window) == sorted(_years(window), reverse=True)

    window.search_box.setText("a ")  # a new search: the best first again, no indicator
    window.results.search_now()
    qtbot.waitUntil(lambda: model.sorted_by is None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: model.rowCount() >= 20, timeout=WAIT_MS)
    assert [model.hit(row) for row in range(20)] == relevance[:20]
    assert header.sortIndicatorSection() == -1
    assert "sorted" not in window.count_label.text()


def test_a_library_header_click_writes_the_sort_word(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    try:
        window.search_box.setText("status:matched")
        _click_header(window, qtbot, "Confidence")
        assert window.search_box.text() == "status:matched sort:confidence"
        model = window.library_model

        def confidences() -> list[float]:
            rows = [model.row(r) for r in range(model.rowCount())]
            return [-1.0 if r is None or r.confidence is None else r.confidence for r in rows]

        qtbot.waitUntil(lambda: confidences() == sorted(confidences()), timeout=WAIT_MS)
        header = window.results_view.horizontalHeader()
        assert (
            window.library_model.headerData(
                header.sortIndicatorSection(), Qt.Orientation.Horizontal
            )
            == "Confidence"
        )
        _click_header(window, qtbot, "Margin")  # no order for it: said, filter unchanged
        assert window.count_label.text() == NO_LIBRARY_SORT
        assert window.search_box.text() == "status:matched sort:confidence"
    finally:
        window.close()


@pytest.mark.parametrize(
    ("text", "word", "after"),
    [
        ("", "bpm", "sort:bpm"),
        ("status:review sort:path", "year", "status:review sort:year"),
        ("sort:path  folder:x", "status", "folder:x sort:status"),
    ],
)
def test_the_sort_word_is_replaced(text: str, word: str, after: str) -> None:
    assert with_sort_word(text, word) == after
    assert sort_word_of(after) == word
