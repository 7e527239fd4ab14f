"""What a person sees and does: pasted links, the tree's state, keys, an empty library,
progress that shows, colours told apart, headers that fit and read as words."""

from __future__ import annotations

import dataclasses
import itertools
import math
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.errors import CancelledError
from explorer.library.store import default_store_path
from explorer.matching.reports import MissingTrack
from explorer.ui.browse_pane import FOCUS_ITEM, TOP_ARTISTS
from explorer.ui.jobs import TREE_PAGE
from explorer.ui.library_model import STATUS_COLOURS, STATUS_TEXT
from explorer.ui.main_window import MainWindow
from explorer.ui.workers import QueryOp
from tests.ui.test_review import _library_window
from tests.ui.waits import WAIT_MS


def _album_and_artist(path: Path) -> tuple[str, str, str]:
    """An album's id and name, and its first artist's id."""
    with open_catalog(path) as catalog:
        album = catalog.album_by_rowid(5)
        assert album is not None and album.artists and album.name
        return album.id, album.name, album.artists[0].id


def _shown(window: MainWindow, kind: str, entity_id: str) -> bool:
    current = window.detail.current
    return current is not None and current[0] == kind and getattr(current[1], "id", "") == entity_id


# -- 1. a pasted link of an album or an artist --------------------------------------------


def test_a_pasted_album_or_artist_link_opens_in_its_tab(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    album_id, _name, artist_id = _album_and_artist(indexed_catalog_path)
    assert window.tabs.currentIndex() == 0  # Tracks
    window.search_box.setText(f"https://open.spotify.com/album/{album_id}?si=abc")
    qtbot.waitUntil(lambda: _shown(window, "album", album_id), timeout=WAIT_MS)
    assert window.tabs.currentIndex() == 1
    assert window.results_view.model() is window.models["album"]
    hit = window.models["album"].hit(0)
    assert hit is not None and hit.id == album_id
    assert window.count_label.text().startswith("1 album")  # not "1 albums"
    assert not window.count_label.text().startswith("1 albums")

    window.tabs.setCurrentIndex(0)
    window.search_box.setText(f"spotify:artist:{artist_id}")
    qtbot.waitUntil(lambda: _shown(window, "artist", artist_id), timeout=WAIT_MS)
    assert window.tabs.currentIndex() == 2

    window.tabs.setCurrentIndex(0)
    window.search_box.setText(album_id)  # a bare ID says no kind: the one that has it
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _shown(window, "album", album_id), timeout=WAIT_MS)


# -- 2. the tree after Enter on an album ----------------------------------------------------


def _top_level(window: MainWindow) -> list[tuple[str, str | None]]:
    tree = window.tree_model
    nodes = [tree.node(tree.index(r, 0)) for r in range(tree.rowCount())]
    return [(node.kind, node.entity_id) for node in nodes]


def test_an_album_in_the_tree_is_named_and_the_top_artists_come_back(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    album_id, name, _artist = _album_and_artist(indexed_catalog_path)
    qtbot.waitUntil(lambda: window.tree_model.rowCount() == TREE_PAGE, timeout=WAIT_MS)
    top = _top_level(window)
    qtbot.waitUntil(lambda: window.genre_box.count() > 1, timeout=WAIT_MS)
    window.tabs.setCurrentIndex(1)
    window.search_box.setText(f"spotify:album:{album_id}")
    qtbot.waitUntil(lambda: window.models["album"].rowCount() == 1, timeout=WAIT_MS)
    window.results_view.setFocus()
    window.results.open_result(window.models["album"].index(0, 0))  # Enter
    qtbot.waitUntil(lambda: _top_level(window) == [("album", album_id)], timeout=WAIT_MS)
    assert window.genre_box.currentText() == f"Album: {name}"
    assert window.genre_box.itemText(0) == TOP_ARTISTS

    most_followed = next(
        a for a in window.findChildren(QAction) if a.text() == "&Most followed artists"
    )
    most_followed.trigger()
    qtbot.waitUntil(lambda: _top_level(window) == top, timeout=WAIT_MS)
    assert window.genre_box.currentText() == TOP_ARTISTS
    assert window.genre_box.findData(FOCUS_ITEM) == -1

    window.results.open_result(window.models["album"].index(0, 0))
    qtbot.waitUntil(lambda: window.genre_box.currentText() == f"Album: {name}", timeout=WAIT_MS)
    window.genre_box.activated.emit(0)  # the genre box's first item
    qtbot.waitUntil(lambda: _top_level(window) == top, timeout=WAIT_MS)
    assert window.genre_box.currentText() == TOP_ARTISTS

    window.results.open_result(window.models["album"].index(0, 0))
    qtbot.waitUntil(lambda: window.genre_box.findData(FOCUS_ITEM) == 1, timeout=WAIT_MS)
    genre = window.genre_box.itemText(2)
    window.genre_box.activated.emit(2)  # a genre: the album's item goes, the genre is chosen
    assert window.genre_box.currentText() == genre
    assert window.genre_box.findData(FOCUS_ITEM) == -1


def test_asking_for_the_top_artists_twice_lists_them_once(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.tree_model.rowCount() == TREE_PAGE, timeout=WAIT_MS)
    top = _top_level(window)
    window.browse.show_top()
    window.browse.show_top()  # the first page asked for is not added after the second reset
    qtbot.waitUntil(lambda: window.tree_model.rowCount() >= TREE_PAGE, timeout=WAIT_MS)
    after = QueryOp(lambda c, e: "after", window.status_label.setText)
    window.worker.run(after)  # answered after both pages
    qtbot.waitUntil(lambda: window.status_label.text() == "after", timeout=WAIT_MS)
    assert _top_level(window) == top


# -- 3. the keyboard --------------------------------------------------------------------


def _activate(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)


@pytest.mark.parametrize("key", [Qt.Key.Key_Down, Qt.Key.Key_PageDown])
def test_down_in_the_search_box_and_tab_move_between_the_panes(
    window: MainWindow, qtbot: QtBot, key: Qt.Key
) -> None:
    _activate(window, qtbot)
    window.search_box.setText("love")
    model = window.models["track"]
    qtbot.waitUntil(lambda: model.rowCount() > 1, timeout=WAIT_MS)
    window.results_view.setCurrentIndex(QModelIndex())  # no row chosen
    window.search_box.setFocus()
    qtbot.waitUntil(window.search_box.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(window.search_box, key)
    assert window.results_view.hasFocus()
    assert window.results_view.currentIndex().row() == 0
    assert window.results_view.selectionModel().isRowSelected(0, QModelIndex())
    qtbot.keyClick(window.results_view, Qt.Key.Key_Tab)
    assert window.tree.hasFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Tab)
    assert window.detail.hasFocus()
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Backtab)
    assert window.results_view.hasFocus()
    qtbot.keyClick(window.results_view, Qt.Key.Key_Backtab)
    assert window.search_box.hasFocus()


def test_down_in_the_filter_box_chooses_the_first_file(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    _activate(window, qtbot)
    window.results_view.setCurrentIndex(QModelIndex())
    window.library.chosen_file = None
    window.search_box.setFocus()
    qtbot.waitUntil(window.search_box.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    first = window.library_model.row(0)
    assert first is not None and window.results_view.hasFocus()
    qtbot.waitUntil(lambda: window.library.chosen_file == first.file_id, timeout=WAIT_MS)
    window.close()


# -- 4. an empty library ----------------------------------------------------------------


def test_an_empty_library_says_how_to_add_music(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot, tmp_path: Path
) -> None:
    assert not default_store_path().exists()
    window.tabs.setCurrentIndex(3)
    empty = window.extras.empty  # the buttons, not a command for a terminal (issue 21)
    qtbot.waitUntil(lambda: window.results.stack.currentWidget() is empty, timeout=WAIT_MS)
    assert "File > Add music folder" in window.count_label.text()
    assert "explorer match" not in window.count_label.text()
    assert empty.add_button.isVisible() and empty.add_button.text().startswith("Add music")
    window.count_label.setText("")
    window.group_action.trigger()  # grouped by folder: the same
    assert window.group_action.isChecked()
    qtbot.waitUntil(lambda: "Add music folder" in window.count_label.text(), timeout=WAIT_MS)
    assert window.results.stack.currentWidget() is empty
    window.group_action.trigger()

    window.library_actions.ask_accept_all(0.9)
    qtbot.waitUntil(lambda: window.library_actions.accept_box is not None, timeout=WAIT_MS)
    box = window.library_actions.accept_box
    assert box is not None
    assert box.text() == "No matches at or above 0.90 to accept."
    assert box.button(QMessageBox.StandardButton.Yes) is None  # nothing to confirm
    box.close()
    assert window.library_actions.accept_box is None

    window.library_actions.show_report("missing")
    qtbot.waitUntil(lambda: window.library_actions.report_dialog is not None, timeout=WAIT_MS)
    dialog = window.library_actions.report_dialog
    assert dialog is not None
    assert dialog.summary.text().startswith("Nothing to report")
    assert "Add music folder" in dialog.summary.text()
    assert not dialog.export_button.isEnabled()
    assert dialog.export_to(str(tmp_path / "missing.csv")) == 0
    header = (tmp_path / "missing.csv").read_text().splitlines()
    assert header == [",".join(field.name for field in dataclasses.fields(MissingTrack))]
    dialog.close()


def test_an_empty_report_says_why(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    window.library_actions.show_report("duplicates")  # the demo library has none
    qtbot.waitUntil(lambda: window.library_actions.report_dialog is not None, timeout=WAIT_MS)
    dialog = window.library_actions.report_dialog
    assert dialog is not None
    assert dialog.summary.text() == "Nothing to report: no recording is in your library twice"
    assert dialog.table.columnCount() > 0  # the columns are there, without rows
    dialog.close()
    window.close()


def test_accept_all_asks_first_then_accepts(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    window.library_actions.ask_accept_all(0.5)
    qtbot.waitUntil(lambda: window.library_actions.accept_box is not None, timeout=WAIT_MS)
    box = window.library_actions.accept_box
    assert box is not None and box.text().startswith("Accept ")
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes is not None
    yes.click()
    qtbot.waitUntil(lambda: "Accepted" in window.statusBar().currentMessage(), timeout=WAIT_MS)
    window.close()


# -- 5. the progress of a re-match ------------------------------------------------------


def test_the_rematch_progress_shows_before_any_progress_comes(
    indexed_catalog_path: Path,
    matched_library: int,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run whose first report is late (a slow disk): the dialog is up within its
    minimum duration of 300 ms anyway, and its Cancel stops the run."""
    from explorer.ui import library_actions

    started = threading.Event()

    def slow(*args: Any, cancel: threading.Event, **kwargs: Any) -> None:
        started.set()
        cancel.wait(20)
        raise CancelledError("cancelled")

    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    monkeypatch.setattr(library_actions, "match_library", slow)
    window.library_actions.rematch_all()
    dialog = window.library_actions.match_progress
    assert dialog is not None
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)  # 300 ms and the event loop's turn
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None
    cancel.click()
    qtbot.waitUntil(lambda: window.library_actions.match_cancel is None, timeout=WAIT_MS)
    assert "cancelled" in window.statusBar().currentMessage()
    window.close()


# -- 6. status colours --------------------------------------------------------------------


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _luminance(colour: QColor) -> float:
    r, g, b = (_linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _lab(colour: QColor) -> tuple[float, float, float]:
    r, g, b = (_linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_status_colours_are_told_apart_and_keep_the_text_readable(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    """Every two statuses differ by a colour difference (CIE76) of 15 at least (the
    old matched/accepted pair: 10, unmatched/rejected: 7); the status text is dark on
    them (contrast 7:1 at least, WCAG AAA)."""
    colours = {status: QColor(code) for status, code in STATUS_COLOURS.items()}
    for (one, a), (two, b) in itertools.combinations(colours.items(), 2):
        assert math.dist(_lab(a), _lab(b)) >= 15, (one, two)
    text = _luminance(QColor(STATUS_TEXT))
    for status, colour in colours.items():
        assert (_luminance(colour) + 0.05) / (text + 0.05) >= 7, status
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    model = window.library_model
    for position in range(model.rowCount()):
        row = model.row(position)
        assert row is not None
        index = model.index(position, 0)
        background = model.data(index, Qt.ItemDataRole.BackgroundRole)
        assert background == colours[row.status]
        assert model.data(index, Qt.ItemDataRole.ForegroundRole) == QColor(STATUS_TEXT)
    window.close()


# -- 7. headers and words ---------------------------------------------------------------


def test_result_columns_are_as_wide_as_their_headers(window: MainWindow, qtbot: QtBot) -> None:
    header = window.results_view.horizontalHeader()
    for tab in (0, 1, 2, 3, 1, 0):  # each tab after another's widths
        window.tabs.setCurrentIndex(tab)
        model = window.results_view.model()
        for column in range(model.columnCount() - 1):  # the last one stretches
            title = model.headerData(column, Qt.Orientation.Horizontal)
            assert header.sectionSize(column) >= header.sectionSizeHint(column), (tab, title)


def test_reports_read_as_words_and_show_the_missing_title(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    window.library_actions.show_report("missing")
    qtbot.waitUntil(lambda: window.library_actions.report_dialog is not None, timeout=WAIT_MS)
    dialog = window.library_actions.report_dialog
    assert dialog is not None and dialog.rows
    table = dialog.table
    qtbot.waitUntil(table.isVisible, timeout=WAIT_MS)
    headers = [
        table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())
    ]
    assert "Track number" in headers and "Album ID" in headers and "ISRC" in headers
    assert not any("_" in text for text in headers)
    title = headers.index("Title")
    right = table.columnViewportPosition(title) + table.columnWidth(title)
    assert table.columnViewportPosition(title) >= 0 and right <= table.viewport().width()
    assert table.model().data(table.model().index(0, title)) == dialog.rows[0].title
    dialog.close()
    window.close()


def test_the_review_names_the_fields_in_words(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    model = window.library_model
    position = next(
        p for p in range(model.rowCount()) if (row := model.row(p)) and row.status == "matched"
    )
    window.splitter.setSizes([1000, 280])  # a narrow pane
    window.results_view.selectRow(position)
    qtbot.waitUntil(lambda: "your file" in window.detail.toPlainText(), timeout=WAIT_MS)
    text = window.detail.toPlainText()
    assert "track number" in text and "disc number" in text
    assert "track_number" not in text
    document = window.detail.document()
    document.setTextWidth(window.detail.viewport().width())
    lines: dict[str, int] = {}
    block = document.firstBlock()
    while block.isValid():
        lines[block.text().replace("\xa0", " ")] = block.layout().lineCount()
        block = block.next()
    for cell in ("field", "alike", "adds", "title", "track number", "disc number"):
        assert lines.get(cell) == 1, (cell, lines.get(cell))  # not broken inside a word
    window.close()


def test_a_report_shows_statuses_in_words_and_long_paths_whole_on_hover(qtbot: QtBot) -> None:
    from explorer.matching.reports import DuplicateFile
    from explorer.ui.report_dialog import ReportDialog

    path = "/music/" + "A Long Folder Name/" * 4 + "01 - Song.flac"
    rows = [
        DuplicateFile("isrc:QZ1", path, "flac", 0, 1.0, "t" * 22, "auto"),
        DuplicateFile("isrc:QZ1", "/m/b.mp3", "mp3", 320_000, 1.0, "t" * 22, "accepted"),
    ]
    dialog = ReportDialog("Duplicates", rows)
    qtbot.addWidget(dialog)
    table = dialog.table
    names = [table.horizontalHeaderItem(c).toolTip() for c in range(table.columnCount())]  # type: ignore[union-attr]
    cell = {name: table.item(0, c) for c, name in enumerate(names)}
    assert cell["status"].text() == "matched"  # type: ignore[union-attr]
    assert table.item(1, names.index("status")).text() == "accepted"  # type: ignore[union-attr]
    assert cell["bitrate"].text() == "0"  # type: ignore[union-attr]
    assert cell["path"].toolTip() == path  # type: ignore[union-attr]
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    dialog.close()


def _menu_item(window: MainWindow, menu: str, text: str) -> QAction:
    """The item of the menu bar's `menu` whose text starts with `text`, as a user finds it."""
    bar_item = next(a for a in window.menuBar().actions() if a.text().replace("&", "") == menu)
    found = bar_item.menu()
    assert isinstance(found, QMenu)
    return next(a for a in found.actions() if a.text().replace("&", "").startswith(text))


def test_accept_all_from_the_edit_menu_asks_for_the_number(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    """Issue 19: the menu's `checked=False` arrived as the threshold 0.0 and nothing was asked."""
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    item = _menu_item(window, "Edit", "Accept all matches")
    more = window.library_actions
    item.trigger()
    qtbot.waitUntil(lambda: more.accept_question is not None, timeout=WAIT_MS)
    question = more.accept_question
    assert question is not None and more.accept_box is None
    assert question.doubleValue() == pytest.approx(0.9)
    question.reject()  # Cancel: nothing more is asked
    assert more.accept_question is None
    item.trigger()
    qtbot.waitUntil(lambda: more.accept_question is not None, timeout=WAIT_MS)
    question = more.accept_question
    assert question is not None
    question.setDoubleValue(0.95)
    question.accept()
    qtbot.waitUntil(lambda: more.accept_box is not None, timeout=WAIT_MS)
    box = more.accept_box
    assert box is not None and "0.95" in box.text() and "0.00" not in box.text()
    box.close()
    window.close()


def test_showing_an_album_of_a_listed_artist_keeps_the_tree_and_selects_it(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    """Show the album in the tree, for an artist the tree lists: the artist opens where it
    is, the album's group with it, and the album is selected; the top artists stay."""
    qtbot.waitUntil(lambda: window.tree_model.rowCount() == TREE_PAGE, timeout=WAIT_MS)
    top = _top_level(window)
    tree = window.tree_model
    artist_id = str(top[3][1])  # not the first: the tree must scroll to it
    with open_catalog(indexed_catalog_path) as catalog:
        artist = catalog.artist(artist_id)
        assert artist is not None
        groups = catalog.artist_albums(artist.rowid)
    album = (groups.albums or groups.singles or groups.compilations)[-1]  # the oldest

    def selected() -> str | None:
        node = tree.node(window.browse.tree.currentIndex())
        return node.entity_id if node.kind == "album" else None

    window.browse.show_album(album.id)
    qtbot.waitUntil(lambda: selected() == album.id, timeout=WAIT_MS)
    assert _top_level(window) == top  # the tree stays
    assert window.genre_box.findData(FOCUS_ITEM) == -1
    artist_index = tree.index(3, 0)
    assert window.browse.tree.isExpanded(artist_index)
    window.browse.show_album(album.id)  # again, now loaded: still selected, tree the same
    qtbot.waitUntil(lambda: selected() == album.id, timeout=WAIT_MS)
    assert _top_level(window) == top


def test_every_result_column_shows_at_1280_by_800(window: MainWindow, qtbot: QtBot) -> None:
    """The window's default size: the name columns give up width so that Time,
    Popularity, Explicit and Yours show without scrolling sideways, on every tab."""
    window.resize(1280, 800)
    view = window.results_view
    for tab in range(3):
        window.tabs.setCurrentIndex(tab)

        def fits() -> bool:
            model = view.model()
            total = sum(view.columnWidth(c) for c in range(model.columnCount()))
            return total <= view.viewport().width()

        qtbot.waitUntil(fits, timeout=WAIT_MS)
