"""A new user's first minutes, in the window alone: the demo catalog, a search, the demo
library added from the File menu, its files matched, one reviewed, the decision undone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from explorer.library.store import default_store_path
from explorer.ui.main_window import MainWindow
from tests.ui.test_review import _choose, _status
from tests.ui.test_window_hookup import _item
from tests.ui.waits import WAIT_MS


@pytest.fixture
def fresh_store() -> Iterator[None]:
    path = default_store_path()
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    yield
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def test_demo_search_add_the_demo_library_review_one_and_undo(
    window: MainWindow, qtbot: QtBot, fresh_store: None
) -> None:
    window.search_box.setText("night")
    tracks = window.models["track"]
    qtbot.waitUntil(lambda: tracks.rowCount() > 0, timeout=WAIT_MS)
    hit = tracks.hit(0)
    assert hit is not None and "night" in hit.name.lower()

    workflow = window.extras.workflow
    with qtbot.waitSignal(workflow.add_music.finished, timeout=WAIT_MS) as added:
        _item(window, "File", "Open demo library").trigger()
    summary = added.args[0]
    assert summary.scanned > 0 and summary.matched > 0 and not summary.cancelled

    window.search_box.clear()
    window.tabs.setCurrentIndex(3)  # Your library
    model = window.library_model
    qtbot.waitUntil(lambda: model.rowCount() == summary.scanned, timeout=WAIT_MS)
    row = _choose(window, qtbot, 0)
    assert row.status == "matched"
    qtbot.waitUntil(lambda: "confidence" in window.detail.toPlainText(), timeout=WAIT_MS)

    _item(window, "Edit", "Reject").trigger()
    qtbot.waitUntil(lambda: _status(window, row.file_id) == "rejected", timeout=WAIT_MS)
    _item(window, "Edit", "Undo decision").trigger()
    qtbot.waitUntil(lambda: _status(window, row.file_id) == "matched", timeout=WAIT_MS)
    assert "Undone" in window.statusBar().currentMessage()
