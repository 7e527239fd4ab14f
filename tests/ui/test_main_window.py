"""Driving the real window on a demo catalog with its index."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableView, QTextBrowser, QTreeView
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.errors import NotACatalogError
from explorer.search.engine import SearchEngine
from explorer.ui.app import create_main_window
from explorer.ui.main_window import MainWindow
from tests.ui.waits import WAIT_MS


def _track(path: Path) -> tuple[str, str, str, str, str]:
    with open_catalog(path) as catalog:
        (track,) = catalog.tracks_by_rowids([321])
        assert track.album is not None and track.isrc
        return track.id, track.name, track.artists[0].name, track.album.name, track.isrc


def _ids(model: object) -> list[str]:
    hits = [model.hit(r) for r in range(model.rowCount())]  # type: ignore[attr-defined]
    return [hit.id for hit in hits if hit is not None]


def test_the_main_widgets_have_their_names(window: MainWindow) -> None:
    assert isinstance(window.findChild(QLineEdit, "searchBox"), QLineEdit)
    assert isinstance(window.findChild(QTableView, "resultsView"), QTableView)
    assert isinstance(window.findChild(QTreeView, "browseTree"), QTreeView)
    assert isinstance(window.findChild(QTextBrowser, "detailPane"), QTextBrowser)
    assert window.search_box.hasFocus() or not window.isActiveWindow()


def test_search_open_album_read_isrc_go_back(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    track_id, name, artist, album, isrc = _track(indexed_catalog_path)
    for char in f"{artist} {name} ":  # typed one character at a time (any script)
        window.search_box.insert(char)
    model = window.models["track"]
    qtbot.waitUntil(lambda: track_id in _ids(model), timeout=WAIT_MS)
    row = _ids(model).index(track_id)
    window.results_view.selectRow(row)
    qtbot.waitUntil(lambda: isrc in window.detail.toPlainText(), timeout=WAIT_MS)
    window.results.open_result(
        model.index(row, 0)
    )  # Enter / double-click: the album opens in the tree
    tree = window.tree_model
    qtbot.waitUntil(
        lambda: tree.rowCount() == 1 and tree.node(tree.index(0, 0)).kind == "album", timeout=5000
    )
    album_index = tree.index(0, 0)
    assert tree.data(album_index) == album or album == ""
    titles = [tree.data(tree.index(r, 0, album_index)) for r in range(tree.rowCount(album_index))]
    assert any(name in title for title in titles)
    window.tree.clicked.emit(album_index)  # open the album itself
    qtbot.waitUntil(
        lambda: window.detail.current is not None and window.detail.current[0] == "album",
        timeout=5000,
    )
    window.details.go_back()
    qtbot.waitUntil(
        lambda: window.detail.current is not None and window.detail.current[0] == "track",
        timeout=5000,
    )
    assert isrc in window.detail.toPlainText()
    window.details.go_forward()
    qtbot.waitUntil(
        lambda: window.detail.current is not None and window.detail.current[0] == "album",
        timeout=5000,
    )


def test_fast_typing_ends_with_the_last_answer(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    text = "night lo"
    for char in text:  # each keystroke starts a search; only the last answer may stay
        window.search_box.setText(window.search_box.text() + char)
        window.results.search_now()
    with open_catalog(indexed_catalog_path) as catalog:
        expected = [
            hit.id for hit in SearchEngine(catalog).search(text, kind="track", limit=50).hits
        ]
    model = window.models["track"]
    qtbot.waitUntil(lambda: _ids(model) == expected, timeout=WAIT_MS)


def test_tabs_show_albums_and_artists(window: MainWindow, qtbot: QtBot) -> None:
    window.search_box.setText("love")
    window.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: window.models["artist"].rowCount() > 0, timeout=WAIT_MS)
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.models["album"].rowCount() > 0, timeout=WAIT_MS)
    assert window.results_view.model() is window.models["album"]


def test_tree_starts_with_the_most_followed_artists_and_expands(
    window: MainWindow, qtbot: QtBot
) -> None:
    tree = window.tree_model
    qtbot.waitUntil(lambda: tree.rowCount() > 0, timeout=WAIT_MS)
    first_page = tree.rowCount()
    assert tree.more_artists is not None  # the demo has more artists than one page
    window.tree.scrollToBottom()  # scrolling to the end asks for the next page
    qtbot.waitUntil(lambda: tree.rowCount() > first_page, timeout=WAIT_MS)
    artist = tree.index(0, 0)
    assert tree.hasChildren(artist) and tree.canFetchMore(artist)
    tree.fetchMore(artist)
    qtbot.waitUntil(lambda: tree.rowCount(artist) > 0, timeout=WAIT_MS)
    group = tree.index(0, 0, artist)
    tree.fetchMore(group)
    album = tree.index(0, 0, group)
    assert tree.node(album).kind == "album"
    tree.fetchMore(album)
    qtbot.waitUntil(lambda: tree.rowCount(album) > 0, timeout=WAIT_MS)
    assert tree.node(tree.index(0, 0, album)).kind == "track"


def test_status_bar_names_the_catalog_and_the_index(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: "tracks" in window.status_label.text(), timeout=WAIT_MS)
    assert "search index ready" in window.status_label.text()


def test_a_bad_file_is_refused(tmp_path: Path, qtbot: QtBot) -> None:
    bad = tmp_path / "x.sqlite3"
    bad.write_text("not a catalog")
    with pytest.raises(NotACatalogError):
        create_main_window(bad)


def test_keyboard_focus_shortcut(window: MainWindow, qtbot: QtBot) -> None:
    window.tree.setFocus()
    window.results.focus_search()
    assert window.search_box.hasFocus() or not window.isActiveWindow()
    assert Qt.Key.Key_L  # Ctrl+L is bound in the Go menu


def test_index_built_from_the_window(demo_catalog_path: Path, tmp_path: Path, qtbot: QtBot) -> None:
    import shutil

    copy = tmp_path / "unindexed.sqlite3"
    shutil.copy(demo_catalog_path, copy)
    window = create_main_window(copy)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: "no search index" in window.status_label.text(), timeout=WAIT_MS)
        window.search_box.setText("love")
        window.results.search_now()
        qtbot.waitUntil(
            lambda: "index" in window.count_label.text(), timeout=5000
        )  # reduced-mode notice
        window.menus.build_index()
        qtbot.waitUntil(lambda: "search index ready" in window.status_label.text(), timeout=20000)
        qtbot.waitUntil(lambda: window.models["track"].rowCount() > 0, timeout=WAIT_MS)
    finally:
        window.close()


def test_a_build_that_fails_is_said_and_leaves_the_window_free(
    demo_catalog_path: Path, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error in the build (here: the index folder is a file) is reported in
    the status bar, and the window is not left waiting for a build that has ended."""
    from explorer.paths import cache_dir

    monkeypatch.setenv("EXPLORER_HOME", str(tmp_path / "home"))
    (cache_dir() / "index").write_text("not a folder")
    window = create_main_window(demo_catalog_path)
    qtbot.addWidget(window)
    try:
        window.menus.build_index()
        qtbot.waitUntil(lambda: window.menus.build_cancel is None, timeout=20000)
        assert "failed" in window.statusBar().currentMessage()
        assert window.menus.progress is None
    finally:
        window.close()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("recent=/a/one.sqlite3", ["/a/one.sqlite3"]),  # a list of one, as Qt writes it
        ("recent=/a/one.sqlite3, /b/two.sqlite3", ["/a/one.sqlite3", "/b/two.sqlite3"]),
        ("recent=@Invalid()", []),
        ("recent=", []),
        ("other=1", []),
    ],
)
def test_recent_catalogs_read_back_as_paths(tmp_path: Path, line: str, expected: list[str]) -> None:
    """What the settings file holds after a restart (written here as Qt writes it)."""
    from PySide6.QtCore import QSettings

    from explorer.ui.main_window import recent_catalogs

    path = tmp_path / "explorer.ini"
    path.write_text(f"[General]\n{line}\n")
    assert recent_catalogs(QSettings(str(path), QSettings.Format.IniFormat)) == expected


def test_the_window_reopens_the_catalog_opened_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`explorer` (the launcher's command) opens the catalog file opened last that is
    still there (not a server's, which may be down); --catalog names another, --demo
    and a first start open the demo (None)."""
    from explorer.catalog.source import CatalogSource
    from explorer.cli.gui_cmd import window_catalog
    from explorer.ui.settings import remember_recent

    monkeypatch.setenv("EXPLORER_HOME", str(tmp_path / "home"))
    assert window_catalog(None, demo=False) is None  # nothing opened yet: the demo
    older, newer = tmp_path / "older.sqlite3", tmp_path / "newer.sqlite3"
    older.write_bytes(b"")
    newer.write_bytes(b"")
    remember_recent(CatalogSource.of(older))
    remember_recent(CatalogSource.of(newer))
    remember_recent(CatalogSource.of("postgresql://team:secret@db.example/catalog"))
    assert window_catalog(None, demo=False) == CatalogSource(str(newer.resolve()))
    assert window_catalog(None, demo=True) is None
    assert window_catalog(str(older), demo=False) == CatalogSource(str(older))
    newer.unlink()  # moved away: the one before it
    assert window_catalog(None, demo=False) == CatalogSource(str(older.resolve()))


def test_the_pane_shows_a_result_again_after_something_else(
    window: MainWindow, indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    track_id, _name, _artist, _album, isrc = _track(indexed_catalog_path)
    window.details.open_entity("track", track_id)
    qtbot.waitUntil(lambda: isrc in window.detail.toPlainText(), timeout=WAIT_MS)
    window.detail.show_message("Something else")  # as a file of Your library shown meanwhile
    window.details.open_entity("track", track_id)  # the history's top already
    qtbot.waitUntil(lambda: isrc in window.detail.toPlainText(), timeout=WAIT_MS)
    assert window.details.history == [("track", track_id)]


def test_the_count_follows_the_pages_loaded(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.ui import jobs

    monkeypatch.setattr(jobs, "PAGE_SIZE", 5)
    window.search_box.setText("a")
    window.results.search_now()
    model = window.models["track"]
    # the view may ask for the next page itself as soon as the first is shown
    qtbot.waitUntil(lambda: model.rowCount() >= 5, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.count_label.text().startswith(f"{model.count_text()} tracks"),
        timeout=WAIT_MS,
    )
    assert model.count_text().endswith("+")
    shown = model.rowCount()
    model.fetchMore(model.index(-1, -1))
    qtbot.waitUntil(lambda: model.rowCount() > shown, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.count_label.text().startswith(f"{model.count_text()} tracks"),
        timeout=WAIT_MS,
    )


def test_recent_catalogs_are_current_and_an_open_one_is_not_opened_twice(
    indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    from explorer.ui.app import _Windows
    from explorer.ui.main_window import forget_recent, recent_catalogs, settings

    windows = _Windows()
    first = windows.open(indexed_catalog_path)
    assert first is not None
    qtbot.addWidget(first)
    assert windows.open(indexed_catalog_path) is first  # raised, not a second window
    assert len(windows.windows) == 1
    first.menus.recent_menu.aboutToShow.emit()  # the menu fills as it opens
    listed = [action.text() for action in first.menus.recent_menu.actions()]
    assert str(indexed_catalog_path.resolve()) in listed  # its own catalog too
    forget_recent(indexed_catalog_path)
    assert str(indexed_catalog_path.resolve()) not in recent_catalogs(settings())
    first.close()
