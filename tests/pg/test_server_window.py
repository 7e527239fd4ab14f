"""The window on a catalog published into PostgreSQL: the same answers as on the file, a
lost server said in a sentence with Retry (the window never waits on it), the URL
remembered without its password."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.search.results import EntityKind
from explorer.ui.app import _Windows, create_main_window
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import recent_catalogs, settings
from tests.pg.cluster import Cluster, throwaway_server
from tests.pg.conftest import published_copy, serve
from tests.ui.waits import WAIT_MS


@pytest.fixture(scope="module")
def own_server() -> Iterator[Cluster]:
    """A cluster of this module's own: its tests stop and start it."""
    yield from serve(throwaway_server())


@pytest.fixture(scope="module")
def published(indexed_catalog_path: Path, own_server: Cluster) -> str:
    return published_copy(indexed_catalog_path, own_server.url)


def _open(qtbot: QtBot, catalog: object) -> MainWindow:
    window = create_main_window(catalog)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    return window


def _ids(window: MainWindow, kind: EntityKind = "track") -> list[str]:
    model = window.models[kind]
    hits = [model.hit(r) for r in range(model.rowCount())]
    return [hit.id for hit in hits if hit is not None]


def _searched(qtbot: QtBot, window: MainWindow, text: str) -> list[str]:
    """The track hits of `text` typed into a window that has searched nothing yet."""
    assert not window.count_label.text()
    window.search_box.setText(text)
    qtbot.waitUntil(lambda: bool(window.count_label.text()), timeout=WAIT_MS)
    return _ids(window)


def _names(indexed_catalog_path: Path) -> tuple[str, str, str]:
    with open_catalog(indexed_catalog_path) as catalog:
        (track,) = catalog.tracks_by_rowids([321])
        assert track.isrc is not None
        return track.id, f"{track.artists[0].name} {track.name}", track.isrc


def _wait_for_tree(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.tree_model.rowCount() > 10, timeout=WAIT_MS)


@pytest.mark.parametrize("text", ["love", "blak desrts", "night of the", "midnigth", "lo"])
def test_the_window_on_the_server_finds_what_it_finds_on_the_file(
    qtbot: QtBot, indexed_catalog_path: Path, published: str, text: str
) -> None:
    on_file = _open(qtbot, indexed_catalog_path)
    on_server = _open(qtbot, published)
    try:
        expected = _searched(qtbot, on_file, text)
        assert _searched(qtbot, on_server, text) == expected
        if text == "love":
            assert expected
    finally:
        on_file.close()
        on_server.close()


def test_browse_tree_details_and_status_come_from_the_server(
    qtbot: QtBot, indexed_catalog_path: Path, published: str
) -> None:
    track_id, text, isrc = _names(indexed_catalog_path)
    on_file = _open(qtbot, indexed_catalog_path)
    window = _open(qtbot, published)
    try:
        assert "127.0.0.1" in window.windowTitle()
        qtbot.waitUntil(
            lambda: "search on the server" in window.status_label.text(), timeout=WAIT_MS
        )
        for win in (on_file, window):
            _wait_for_tree(qtbot, win)
        rows = min(on_file.tree_model.rowCount(), window.tree_model.rowCount())
        titles = [
            [w.tree_model.data(w.tree_model.index(r, 0)) for r in range(rows)]
            for w in (on_file, window)
        ]
        assert titles[0] == titles[1]
        assert track_id in _searched(qtbot, window, text)
        window.details.open_entity("track", track_id)
        qtbot.waitUntil(lambda: isrc in window.detail.toPlainText(), timeout=WAIT_MS)
        assert not window.menus.actions["build-index"].isEnabled()
    finally:
        on_file.close()
        window.close()


def test_a_server_that_goes_away_gives_a_sentence_and_a_retry(
    qtbot: QtBot, published: str, own_server: Cluster
) -> None:
    window = _open(qtbot, published)
    try:
        first = _searched(qtbot, window, "love")
        own_server.stop()  # pg_ctl stop -m fast: the window's session ends
        try:
            window.search_box.setText("night")
            qtbot.waitUntil(lambda: window.retry_button.isVisible(), timeout=WAIT_MS)
            sentence = window.lost_label.text()
            assert "PostgreSQL server" in sentence, sentence
            # the window answers meanwhile: its own work goes on while the server is gone
            window.search_box.setText("night of")
            assert window.search_box.text() == "night of"
            qtbot.waitUntil(
                lambda: "PostgreSQL server" in window.lost_label.text(), timeout=WAIT_MS
            )
            assert window.retry_button.isVisible()
        finally:
            own_server.start()
        qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.lost_label.isVisible(), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: bool(_ids(window)) and _ids(window) != first, timeout=WAIT_MS)
        on_server = _ids(window)
    finally:
        window.close()
    with_file = _Windows()  # the same words on a fresh window give the same hits
    fresh = with_file.open(published)
    assert fresh is not None
    qtbot.addWidget(fresh)
    try:
        assert _searched(qtbot, fresh, "night of") == on_server
    finally:
        fresh.close()


def test_the_url_is_remembered_without_its_password(qtbot: QtBot, published: str) -> None:
    with_password = published.replace("postgres@", "postgres:s3cret-word@", 1)
    window = _open(qtbot, with_password)
    try:
        assert "s3cret" not in window.windowTitle()
        recent = recent_catalogs(settings())
        assert published in recent
        assert not any("s3cret" in item for item in recent)
        settings().sync()
        path = Path(settings().fileName())
        assert "s3cret" not in path.read_text(encoding="utf-8")
        assert "open-server" in window.menus.actions  # File > Open catalog from server…
    finally:
        window.close()


def test_open_catalog_from_server_opens_a_second_window_without_waiting(
    qtbot: QtBot, indexed_catalog_path: Path, published: str
) -> None:
    windows = _Windows()
    first = windows.open(indexed_catalog_path)
    assert first is not None
    qtbot.addWidget(first)
    try:
        first.menus.open_server_url("not a url")
        assert "not a PostgreSQL URL" in first.statusBar().currentMessage()
        first.menus.open_server_url(published)  # checked on a thread; the window opens after
        qtbot.waitUntil(lambda: len(windows.windows) == 2, timeout=WAIT_MS)
        second = windows.windows[1]
        qtbot.addWidget(second)
        assert second.source.is_server
        assert _searched(qtbot, second, "love")
    finally:
        for window in windows.windows:
            window.close()


def test_retry_runs_again_what_the_lost_server_failed_but_never_a_decision(
    qtbot: QtBot, published: str, own_server: Cluster
) -> None:
    from explorer.ui.workers import CatalogWorker, QueryOp

    worker = CatalogWorker(published)
    answered: list[str] = []
    lost: list[str] = []
    worker.lost.connect(lost.append)
    try:
        worker.run(QueryOp(lambda c, e: "opened", answered.append))
        qtbot.waitUntil(lambda: answered == ["opened"], timeout=WAIT_MS)
        own_server.stop()
        try:
            worker.run(QueryOp(lambda c, e: f"read {len(c.genres())}", answered.append))
            worker.run(
                QueryOp(
                    lambda c, e: f"decided {len(c.genres())}", answered.append, repeatable=False
                )
            )
            qtbot.waitUntil(lambda: len(lost) == 2, timeout=WAIT_MS)
            assert worker.is_lost
        finally:
            own_server.start()
        worker.retry()
        qtbot.waitUntil(lambda: len(answered) >= 2, timeout=WAIT_MS)
        assert answered[1].startswith("read ") and not worker.is_lost
        worker.run(QueryOp(lambda c, e: "after", answered.append))  # in order: nothing else came
        qtbot.waitUntil(lambda: answered[-1] == "after", timeout=WAIT_MS)
        assert not any(item.startswith("decided") for item in answered)
    finally:
        worker.stop()
