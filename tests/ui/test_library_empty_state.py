"""The empty Your library: buttons, not a command; the demo library in one click on the
demo catalog; folders dropped on it added; the window's drops through MusicDrops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.demo.library import write_demo_library
from explorer.library.store import open_store
from explorer.paths import default_demo_catalog
from explorer.ui.add_music import AddMusicController, MusicDrops
from explorer.ui.library_empty_state import LibraryEmptyState, is_demo_catalog
from explorer.ui.preferences import WORKERS_KEY
from tests.ui.waits import WAIT_MS


@pytest.fixture
def controller(
    indexed_catalog_path: Path, tmp_path: Path, qtbot: QtBot
) -> Iterator[AddMusicController]:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(WORKERS_KEY, 1)
    yield AddMusicController(
        indexed_catalog_path,
        parent=window,
        store_path=tmp_path / "library.sqlite3",
        settings=settings,
    )


def _drop(widget: QWidget, paths: list[Path]) -> tuple[bool, bool]:
    """Drag `paths` onto the widget and drop them; whether each event was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        QPoint(5, 5), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(
        QPointF(5, 5), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_the_demo_button_adds_the_demo_library(
    qtbot: QtBot, controller: AddMusicController
) -> None:
    empty = LibraryEmptyState(controller, demo=True)
    qtbot.addWidget(empty)
    empty.show()
    assert empty.demo_button.isVisible()
    assert not any("explorer match" in label.text() for label in empty.findChildren(QLabel))
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as done:
        qtbot.mouseClick(empty.demo_button, Qt.MouseButton.LeftButton)
    summary = done.args[0]
    assert summary.scanned > 0 and summary.matched + summary.review > 0
    assert empty.message.text().startswith(f"{summary.scanned} files scanned: ")
    assert empty.add_button.isEnabled() and empty.demo_button.isEnabled()


def test_no_demo_button_on_another_catalog(qtbot: QtBot, controller: AddMusicController) -> None:
    empty = LibraryEmptyState(controller, demo=False)
    qtbot.addWidget(empty)
    empty.show()
    assert empty.add_button.isVisible() and not empty.demo_button.isVisible()


def test_a_folder_dropped_is_added(
    qtbot: QtBot, controller: AddMusicController, indexed_catalog_path: Path, tmp_path: Path
) -> None:
    music = tmp_path / "dropped"
    with open_catalog(indexed_catalog_path) as catalog:
        truth = write_demo_library(catalog, music, albums=2, seed=2)
    empty = LibraryEmptyState(controller, demo=False)
    qtbot.addWidget(empty)
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as done:
        assert _drop(empty, [music]) == (True, True)
    assert done.args[0].scanned == len(truth)
    assert controller.store_path is not None
    with open_store(controller.store_path) as store:
        assert [item.root.display for item in store.root_summaries()] == [str(music)]


def test_the_window_takes_drops_of_files_only(
    qtbot: QtBot, controller: AddMusicController, tmp_path: Path
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    MusicDrops(window, controller)
    assert window.acceptDrops()
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/song.flac")])
    enter = QDragEnterEvent(
        QPoint(1, 1),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted() and not controller.running
    empty = tmp_path / "empty"
    empty.mkdir()
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as done:
        assert _drop(window, [empty]) == (True, True)
    assert done.args[0].empty == (str(empty),)


@pytest.mark.parametrize(
    ("path", "demo"), [(None, True), (Path("/elsewhere/catalog.sqlite3"), False)]
)
def test_is_demo_catalog(path: Path | None, demo: bool) -> None:
    assert is_demo_catalog(path or default_demo_catalog()) is demo  # None: the demo's path
