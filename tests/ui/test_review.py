"""The review in the window: accept, reject, pick, link by hand, undo/redo, kept on restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.library.store import default_store_path, open_store
from explorer.matching.links import Links
from explorer.matching.review import ReviewRow, review_row
from explorer.ui.app import create_main_window
from explorer.ui.main_window import MainWindow
from tests.ui.waits import WAIT_MS


def _library_window(path: Path, qtbot: QtBot, files: int) -> MainWindow:
    window = create_main_window(path)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: window.library_model.rowCount() == files, timeout=WAIT_MS)
    return window


def _choose(window: MainWindow, qtbot: QtBot, position: int) -> ReviewRow:
    """Select the library's row at `position` and wait until it is the chosen file."""
    row = window.library_model.row(position)
    assert row is not None
    window.results_view.selectRow(position)
    qtbot.waitUntil(lambda: window.library.chosen_file == row.file_id, timeout=WAIT_MS)
    return row


def _status(window: MainWindow, file_id: int) -> str:
    row = window.library_model.row(window.library_model.position_of(file_id))
    return row.status if row else "?"


def test_review_decisions_undo_redo_and_restart(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    model = window.library_model
    first, second, third, fourth = (model.row(i) for i in range(4))
    assert first and second and third and fourth
    window.results_view.selectRow(0)
    qtbot.waitUntil(lambda: "confidence" in window.detail.toPlainText(), timeout=WAIT_MS)
    window.library.decide("accept", first.file_id)
    qtbot.waitUntil(lambda: _status(window, first.file_id) == "accepted", timeout=WAIT_MS)
    window.library.decide("reject", second.file_id)
    qtbot.waitUntil(lambda: _status(window, second.file_id) == "rejected", timeout=WAIT_MS)
    with open_store(default_store_path()) as store:
        detail = Links(store).get(third.file_id)
    assert detail is not None
    choice = (detail.detail.get("alternatives") or [None])[0] or detail.detail.get("best")
    assert choice is not None
    url = f"explorer://pick/{third.file_id}/{choice['track_id']}/{choice['album_id'] or '-'}/{choice['isrc'] or '-'}"
    window.details.on_link(QUrl(url))
    qtbot.waitUntil(lambda: _status(window, third.file_id) == "manual", timeout=WAIT_MS)
    picked = model.row(model.position_of(third.file_id))
    assert picked is not None and picked.confidence == pytest.approx(choice["score"])
    window.library.decide(
        "manual", fourth.file_id, track_id=first.track_id, album_id=None, isrc=None
    )
    qtbot.waitUntil(lambda: _status(window, fourth.file_id) == "manual", timeout=WAIT_MS)
    window.library.undo()  # the link by hand
    qtbot.waitUntil(lambda: _status(window, fourth.file_id) == fourth.status, timeout=WAIT_MS)
    window.library.redo()
    qtbot.waitUntil(lambda: _status(window, fourth.file_id) == "manual", timeout=WAIT_MS)
    window.close()
    again = _library_window(indexed_catalog_path, qtbot, matched_library)  # a restart
    assert _status(again, first.file_id) == "accepted"
    assert _status(again, second.file_id) == "rejected"
    assert _status(again, third.file_id) == "manual"
    assert _status(again, fourth.file_id) == "manual"
    again.close()


def test_keys_a_and_r(indexed_catalog_path: Path, matched_library: int, qtbot: QtBot) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    row = window.library_model.row(1)
    assert row is not None
    window.results_view.selectRow(1)
    window.results_view.setFocus()
    qtbot.waitUntil(lambda: window.library.chosen_file == row.file_id, timeout=WAIT_MS)
    qtbot.keyClick(window.results_view, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: _status(window, row.file_id) == "rejected", timeout=WAIT_MS)
    qtbot.keyClick(window.results_view, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: _status(window, row.file_id) == "accepted", timeout=WAIT_MS)
    window.close()


def test_text_filter(indexed_catalog_path: Path, matched_library: int, qtbot: QtBot) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    row = window.library_model.row(0)
    assert row is not None
    name = row.path.rsplit("/", 1)[-1]
    window.search_box.setText(name)
    window.results.search_now()
    qtbot.waitUntil(lambda: window.library_model.rowCount() == 1, timeout=WAIT_MS)
    window.close()


def test_accept_all_rematch_and_a_report(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    rejected = window.library_model.row(0)
    assert rejected is not None
    window.library.decide("reject", rejected.file_id)
    qtbot.waitUntil(lambda: _status(window, rejected.file_id) == "rejected", timeout=WAIT_MS)
    with open_store(default_store_path()) as store:
        expected = Links(store).count_acceptable(0.95)
    window.library_actions.accept_all(0.95)
    qtbot.waitUntil(
        lambda: f"Accepted {expected:,}" in window.statusBar().currentMessage(), timeout=5000
    )
    window.library_actions.rematch_all()
    qtbot.waitUntil(lambda: "kept" in window.statusBar().currentMessage(), timeout=20000)
    assert _status(window, rejected.file_id) == "rejected"
    window.library_actions.show_report("unmatched")
    qtbot.waitUntil(lambda: window.library_actions.report_dialog is not None, timeout=WAIT_MS)
    assert window.library_actions.report_dialog is not None
    written = window.library_actions.report_dialog.export_to(str(tmp_path / "unmatched.csv"))
    lines = (tmp_path / "unmatched.csv").read_text().splitlines()
    assert lines[0].startswith("path,status,reason") and len(lines) == written + 1
    assert any("rejected" in line for line in lines[1:])
    window.library_actions.report_dialog.close()
    window.close()


def test_the_library_pages_as_it_scrolls(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.matching import review

    monkeypatch.setattr(review, "PAGE", 7)
    window = create_main_window(indexed_catalog_path)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: window.library_model.rowCount() >= 7, timeout=WAIT_MS)
    # pages of 7 (a shown view may already have asked for the next pages to fill itself)
    shown = window.library_model.rowCount()
    assert shown % 7 == 0 or shown == matched_library
    while window.library_model.rowCount() < matched_library:
        shown = window.library_model.rowCount()

        def grew(before: int = shown) -> bool:
            return window.library_model.rowCount() > before

        window.library_model.fetchMore(window.library_model.index(-1, -1))
        qtbot.waitUntil(grew, timeout=WAIT_MS)
    assert window.library_model.rowCount() == matched_library
    window.close()


def _tree_status(tree: object, folder: object) -> str:
    row = tree.file_at(tree.index(0, 0, folder))  # type: ignore[attr-defined]
    return row.status if row is not None else "?"


def test_grouped_by_folder(indexed_catalog_path: Path, matched_library: int, qtbot: QtBot) -> None:
    window = create_main_window(indexed_catalog_path)
    qtbot.addWidget(window)
    window.show()
    window.group_action.setChecked(True)
    window.tabs.setCurrentIndex(3)
    tree = window.library_tree_model
    qtbot.waitUntil(lambda: tree.rowCount() > 0, timeout=WAIT_MS)
    folder = tree.index(0, 0)
    window.library_tree.expand(folder)
    qtbot.waitUntil(lambda: tree.rowCount(folder) > 0, timeout=WAIT_MS)
    first = tree.index(0, 0, folder)
    window.library_tree.setCurrentIndex(first)
    row = tree.file_at(first)
    assert row is not None
    qtbot.waitUntil(lambda: window.library.chosen_file == row.file_id, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "confidence" in window.detail.toPlainText(), timeout=WAIT_MS)
    window.library.decide("reject")
    qtbot.waitUntil(lambda: _tree_status(tree, folder) == "rejected", timeout=WAIT_MS)
    window.library.undo()
    qtbot.waitUntil(lambda: _tree_status(tree, folder) == row.status, timeout=WAIT_MS)
    window.close()


def test_library_models_pass_the_model_tester(
    matched_library: int, qtmodeltester: ModelTester
) -> None:
    from explorer.matching.review import library_page
    from explorer.ui.library_model import LibraryModel
    from explorer.ui.library_tree_model import LibraryTreeModel

    with open_store(default_store_path()) as store:
        rows, more = library_page(store, limit=10)
        flat = LibraryModel()
        flat.set_rows(rows, more)
        qtmodeltester.check(flat)
        grouped = LibraryTreeModel()
        folders = store.folders()
        grouped.set_folders(folders)
        links = Links(store)
        grouped.set_files(
            0, [review_row(f, links.get(f.id)) for f in store.files_in_folder(folders[0])]
        )
        qtmodeltester.check(grouped)


def test_enter_in_your_library_opens_the_file(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    window.search_box.setText("a")  # the hidden Tracks results must not be what opens
    third = window.library_model.row(2)
    assert third is not None
    window.results.open_result(window.library_model.index(2, 0))
    name = third.path.rsplit("/", 1)[-1]
    qtbot.waitUntil(lambda: name in window.detail.toPlainText(), timeout=WAIT_MS)
    assert window.library.chosen_file == third.file_id
    assert window.details.history == []  # no catalog entity was opened
    window.close()


def test_a_reload_keeps_the_chosen_file(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    third = _choose(window, qtbot, 2)
    with qtbot.waitSignal(window.library_model.modelReset, timeout=WAIT_MS):
        window.results.search_now()  # as after accept all, a re-match, an undone batch
    qtbot.wait(50)
    assert window.library.chosen_file == third.file_id
    assert window.results_view.currentIndex().row() == 2
    window.close()


def test_undoing_accept_all_shows_the_files_as_they_were(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    before = {window.library_model.row(i).status for i in range(matched_library)}  # type: ignore[union-attr]
    assert "accepted" not in before

    def accepted() -> int:
        rows = (window.library_model.row(i) for i in range(window.library_model.rowCount()))
        return sum(1 for row in rows if row is not None and row.status == "accepted")

    window.library_actions.accept_all(0.5)
    qtbot.waitUntil(lambda: accepted() > 1, timeout=WAIT_MS)
    batch = accepted()
    window.library.undo()
    qtbot.waitUntil(lambda: accepted() == 0, timeout=WAIT_MS)
    assert f"Undone: accept all ({batch:,} files)." in window.statusBar().currentMessage()
    window.close()


def test_ctrl_z_in_the_filter_box_undoes_a_decision(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    first = window.library_model.row(0)
    assert first is not None
    window.library.decide("reject", first.file_id)
    qtbot.waitUntil(lambda: _status(window, first.file_id) == "rejected", timeout=WAIT_MS)
    window.activateWindow()
    window.search_box.setFocus()
    qtbot.waitUntil(window.search_box.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _status(window, first.file_id) == first.status, timeout=WAIT_MS)
    qtbot.keyClick(
        window.search_box,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: _status(window, first.file_id) == "rejected", timeout=WAIT_MS)
    window.close()


def test_link_the_chosen_file_to_a_search_result(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    first = _choose(window, qtbot, 0)
    with open_catalog(indexed_catalog_path) as catalog:
        (track,) = catalog.tracks_by_rowids([321])
    assert track.isrc and track.album is not None
    window.tabs.setCurrentIndex(0)
    window.search_box.setText(f"isrc:{track.isrc}")
    window.results.search_now()
    model = window.models["track"]
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=WAIT_MS)
    hit = model.hit(0)
    assert hit is not None and hit.id == track.id
    action = window.details.link_action(hit)
    assert action is not None
    assert action[0] == f"Link {first.path.rsplit('/', 1)[-1]} to this track"
    action[1]()
    qtbot.waitUntil(
        lambda: (window.library_model.row(0) or first).status == "manual", timeout=WAIT_MS
    )
    with open_store(default_store_path()) as store:
        link = Links(store).get(first.file_id)
    assert link is not None
    # the result's ISRC and album, read from the catalog
    assert (link.track_id, link.album_id, link.isrc) == (track.id, track.album.id, track.isrc)
    assert window.details.shown_isrc(hit) in (None, track.isrc)
    # the pane and the list name the track (the matcher never offered it: no ids shown)
    window.tabs.setCurrentIndex(3)
    window.library.open_file(first.file_id)
    on = f"{track.name} on {track.album.name}"
    qtbot.waitUntil(lambda: on in window.detail.toPlainText(), timeout=WAIT_MS)
    assert f"track {track.id}" not in window.detail.toPlainText()
    qtbot.waitUntil(
        lambda: track.name in (window.library_model.row(0) or first).track, timeout=5000
    )
    window.close()


def test_a_rematch_that_fails_is_said_and_frees_the_window(
    indexed_catalog_path: Path,
    matched_library: int,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    from explorer.ui import library_actions

    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    monkeypatch.setattr(library_actions, "match_library", broken)
    window.library_actions.rematch_all()
    qtbot.waitUntil(lambda: window.library_actions.match_cancel is None, timeout=WAIT_MS)
    assert "Matching failed (OperationalError: disk I/O error)" in (
        window.statusBar().currentMessage()
    )
    monkeypatch.undo()
    window.library_actions.rematch_all()  # a later run is not refused
    qtbot.waitUntil(lambda: "kept" in window.statusBar().currentMessage(), timeout=20000)
    window.close()


def test_closing_the_window_cancels_a_rematch(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    import threading

    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    window.library_actions.rematch_all()
    cancel = window.library_actions.match_cancel
    assert cancel is not None
    window.close()
    assert cancel.is_set()
    for thread in threading.enumerate():
        if thread.name == "matching":
            thread.join(timeout=20)


def test_the_filter_applies_to_the_library_grouped_by_folder(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = create_main_window(indexed_catalog_path)
    qtbot.addWidget(window)
    window.show()
    window.group_action.setChecked(True)
    window.tabs.setCurrentIndex(3)
    tree = window.library_tree_model
    qtbot.waitUntil(lambda: tree.rowCount() > 1, timeout=WAIT_MS)
    folder = tree.index(1, 0)  # the second folder's first file
    window.library_tree.expand(folder)
    qtbot.waitUntil(lambda: tree.rowCount(folder) > 0, timeout=WAIT_MS)
    chosen = tree.file_at(tree.index(0, 0, folder))
    assert chosen is not None
    window.library_tree.setCurrentIndex(tree.index(0, 0, folder))
    qtbot.waitUntil(lambda: window.library.chosen_file == chosen.file_id, timeout=WAIT_MS)
    window.library.decide("reject")
    qtbot.waitUntil(lambda: _tree_status(tree, folder) == "rejected", timeout=WAIT_MS)
    window.search_box.setText("status:Rejected")
    window.results.search_now()
    qtbot.waitUntil(lambda: tree.rowCount() == 1, timeout=WAIT_MS)
    only = tree.index(0, 0)
    window.library_tree.expand(only)
    qtbot.waitUntil(lambda: tree.rowCount(only) > 0, timeout=WAIT_MS)
    assert tree.rowCount(only) == 1
    shown = tree.file_at(tree.index(0, 0, only))
    assert shown is not None and shown.file_id == chosen.file_id
    assert window.count_label.text() == "1 folder"
    # the hidden flat list was not reloaded behind the tree, so the chosen file stays
    assert window.library.chosen_file == chosen.file_id
    window.search_box.setText("sort:bogus")
    window.results.search_now()
    qtbot.waitUntil(lambda: "not understood: sort:" in window.count_label.text(), timeout=WAIT_MS)
    window.close()


def _link_status(file_id: int) -> str | None:
    with open_store(default_store_path()) as store:
        link = Links(store).get(file_id)
    return link.status if link else None


def test_keys_never_decide_for_a_file_not_highlighted(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    window = _library_window(indexed_catalog_path, qtbot, matched_library)
    window.activateWindow()
    first = _choose(window, qtbot, 0)
    window.search_box.setText("zzzqqq-no-such-file")  # the chosen file filtered out
    with qtbot.waitSignal(window.library_model.modelReset, timeout=WAIT_MS):
        window.results.search_now()
    assert window.library_model.rowCount() == 0
    window.results_view.setFocus()
    qtbot.waitUntil(window.results_view.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(window.results_view, Qt.Key.Key_R)
    qtbot.wait(300)
    assert _link_status(first.file_id) == "auto"
    assert "Choose a file first" in window.statusBar().currentMessage()
    # grouped by folder, a folder row highlighted: R decides nothing either
    window.search_box.setText("")
    window.group_action.setChecked(True)
    window.results.on_tab(3)
    tree = window.library_tree_model
    qtbot.waitUntil(lambda: tree.rowCount() > 0, timeout=WAIT_MS)
    window.library_tree.setCurrentIndex(tree.index(0, 0))  # a folder
    window.library_tree.setFocus()
    qtbot.waitUntil(window.library_tree.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(window.library_tree, Qt.Key.Key_R)
    qtbot.wait(300)
    assert _link_status(first.file_id) == "auto"
    window.close()


def test_a_reload_that_does_not_list_the_chosen_file_chooses_no_other(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.matching import review

    monkeypatch.setattr(review, "PAGE", 5)
    window = create_main_window(indexed_catalog_path)
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(3)
    model = window.library_model
    qtbot.waitUntil(lambda: model.rowCount() >= 5, timeout=WAIT_MS)
    while model.rowCount() < 8:
        before = model.rowCount()
        model.fetchMore(model.index(-1, -1))
        qtbot.waitUntil(lambda before=before: model.rowCount() > before, timeout=WAIT_MS)  # type: ignore[misc]
    eighth = _choose(window, qtbot, 7)
    with qtbot.waitSignal(model.modelReset, timeout=WAIT_MS):
        window.results.search_now()  # the first page only: the chosen file is not in it
    qtbot.wait(100)
    assert window.library.chosen_file == eighth.file_id
    assert not window.results_view.currentIndex().isValid()
    window.close()


def test_an_unreadable_file_takes_no_decision(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot, tmp_path: Path
) -> None:
    from explorer.library.records import FileRead

    with open_store(default_store_path()) as store:
        root = store.add_root(tmp_path)
        store.save_reads(root.id, [FileRead(b"/music/broken.flac", 1, 1, "error", "not FLAC")])
        broken = store.file_by_path(b"/music/broken.flac")
    assert broken is not None
    window = _library_window(indexed_catalog_path, qtbot, matched_library + 1)
    for action in ("reject", "accept"):
        window.library.decide(action, broken.id)
        qtbot.waitUntil(
            lambda: "could not be read" in window.statusBar().currentMessage(), timeout=5000
        )
        window.statusBar().clearMessage()
    assert _link_status(broken.id) is None
    with open_catalog(indexed_catalog_path) as catalog:
        (track,) = catalog.tracks_by_rowids([321])
    window.library.decide(
        "manual", broken.id, track_id=track.id, album_id=None, isrc=None
    )  # by hand
    qtbot.waitUntil(lambda: _link_status(broken.id) == "manual", timeout=WAIT_MS)
    window.close()


@pytest.mark.parametrize("sort", ["sort:status", "sort:confidence", "sort:path"])
def test_sorted_pages_list_each_file_once_after_decisions(
    indexed_catalog_path: Path,
    matched_library: int,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    sort: str,
) -> None:
    """Decisions move files in a sorted list; the pages after them neither skip a file
    nor list one twice (an OFFSET did both)."""
    from explorer.matching import review

    monkeypatch.setattr(review, "PAGE", 4)
    window = create_main_window(indexed_catalog_path)
    qtbot.addWidget(window)
    window.search_box.setText(sort)
    window.tabs.setCurrentIndex(3)
    model = window.library_model
    qtbot.waitUntil(lambda: model.rowCount() >= 4, timeout=WAIT_MS)
    qtbot.wait(400)  # the filter's own reload (debounced) is done: decisions come after it
    for position in range(4):  # rejected (status), sorted elsewhere now; the last shown too
        row = model.row(position)
        assert row is not None
        window.library.decide("reject", row.file_id)
        qtbot.waitUntil(lambda fid=row.file_id: _status(window, fid) == "rejected", timeout=WAIT_MS)  # type: ignore[misc]
    qtbot.wait(300)
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
        qtbot.waitUntil(lambda: not model._waiting, timeout=WAIT_MS)  # the page answered
    ids = [model.row(i).file_id for i in range(model.rowCount())]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids)) == matched_library
    window.close()


def test_grouped_accept_all_keeps_folders_open_and_the_link_names_the_file(
    indexed_catalog_path: Path, matched_library: int, qtbot: QtBot
) -> None:
    from explorer.search.results import SearchHit

    window = create_main_window(indexed_catalog_path)
    qtbot.addWidget(window)
    window.show()
    window.group_action.setChecked(True)
    window.tabs.setCurrentIndex(3)
    tree = window.library_tree_model
    qtbot.waitUntil(lambda: tree.rowCount() > 0, timeout=WAIT_MS)
    folder = tree.index(0, 0)
    window.library_tree.expand(folder)
    qtbot.waitUntil(lambda: tree.rowCount(folder) > 0, timeout=WAIT_MS)
    first = tree.file_at(tree.index(0, 0, folder))
    assert first is not None
    window.library_tree.setCurrentIndex(tree.index(0, 0, folder))
    qtbot.waitUntil(lambda: window.library.chosen_file == first.file_id, timeout=WAIT_MS)
    hit = SearchHit("track", "x" * 22, 1, "A track")
    action = window.details.link_action(hit)
    assert action is not None and action[0] == f"Link {first.path.rsplit('/', 1)[-1]} to this track"
    window.library_actions.accept_all(0.5)
    qtbot.waitUntil(lambda: _tree_status(tree, folder) == "accepted", timeout=WAIT_MS)
    assert window.library_tree.isExpanded(folder) and tree.rowCount(folder) > 0
    window.close()
