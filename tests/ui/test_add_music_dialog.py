"""Add music folder in the window's controller: real folders scanned and matched in the
background, the progress dialog's Cancel, a folder without audio, the demo library, drops."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QSettings, Qt, QUrl
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.demo.library import DEMO_LIBRARY_ALBUMS, LibraryFile, write_demo_library
from explorer.library.store import open_store
from explorer.matching.add_music import AddProgress, AddSummary
from explorer.paths import data_dir
from explorer.ui.add_music import (
    AddMusicController,
    demo_library_folder,
    dropped_paths,
    progress_text,
    summary_sentence,
)
from explorer.ui.preferences import WORKERS_KEY
from tests.ui.waits import WAIT_MS


@pytest.fixture(scope="module")
def music(
    indexed_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[LibraryFile]]:
    folder = tmp_path_factory.mktemp("music")
    with open_catalog(indexed_catalog_path) as catalog:
        return folder, write_demo_library(catalog, folder, albums=30, seed=4)


@pytest.fixture
def controller(
    indexed_catalog_path: Path, tmp_path: Path, qtbot: QtBot
) -> Iterator[AddMusicController]:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(WORKERS_KEY, 1)  # matched in the job's own thread
    yield AddMusicController(
        indexed_catalog_path,
        parent=window,
        store_path=tmp_path / "library.sqlite3",
        settings=settings,
    )


def _finish(qtbot: QtBot, controller: AddMusicController) -> AddSummary:
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as blocker:
        pass
    summary = blocker.args[0]
    assert isinstance(summary, AddSummary) and not controller.running
    return summary


def test_a_folder_is_added_with_progress(
    qtbot: QtBot, controller: AddMusicController, music: tuple[Path, list[LibraryFile]]
) -> None:
    folder, truth = music
    seen: list[AddProgress] = []
    controller.progressed.connect(seen.append)
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS) as blocker:
        assert controller.start([folder])
        assert not controller.start([folder])  # one addition at a time
    summary = blocker.args[0]
    assert summary.scanned == len(truth) and summary.matched > 0 and not summary.cancelled
    assert {state.phase for state in seen} >= {"scan", "match"}
    assert controller.dialog is None
    with open_store(controller.store_path) as store:
        assert [item.files for item in store.root_summaries()] == [len(truth)]


def test_cancel_in_the_dialog_keeps_what_was_done(
    qtbot: QtBot, controller: AddMusicController, music: tuple[Path, list[LibraryFile]]
) -> None:
    folder, truth = music
    assert controller.store_path is not None
    with open_store(controller.store_path) as blocker:  # another writer holds the store
        blocker.db.execute_sql("BEGIN IMMEDIATE")
        assert controller.start([folder])
        qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
        assert controller.dialog is not None
        qtbot.mouseClick(controller.dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
        blocker.db.execute_sql("COMMIT")
    summary = _finish(qtbot, controller)
    assert summary.cancelled and summary.scanned < len(truth)
    assert summary_sentence(summary).endswith("Cancelled; what was done so far is kept.")


def test_a_folder_without_audio_is_said(
    qtbot: QtBot, controller: AddMusicController, tmp_path: Path
) -> None:
    empty = tmp_path / "Nothing here"
    empty.mkdir()
    assert controller.start([empty])
    summary = _finish(qtbot, controller)
    assert summary_sentence(summary) == f"No audio found in {empty}."


def test_a_vanished_folder_fails_with_a_sentence(
    qtbot: QtBot, controller: AddMusicController, tmp_path: Path
) -> None:
    with qtbot.waitSignal(controller.failed, timeout=WAIT_MS) as blocker:
        assert controller.start([tmp_path / "gone"])
    assert "neither a folder nor a file" in blocker.args[0]
    assert not controller.running and controller.dialog is None


def test_the_demo_library_is_written_and_added(
    qtbot: QtBot, controller: AddMusicController, tmp_path: Path
) -> None:
    folder = tmp_path / "demo-library"
    assert controller.start_demo(folder)
    summary = _finish(qtbot, controller)
    assert summary.folders == (str(folder),)
    assert len({path.parent for path in folder.rglob("*.flac")}) == DEMO_LIBRARY_ALBUMS
    assert summary.scanned == sum(1 for _ in folder.rglob("*.flac")) > 0
    assert summary.matched + summary.review > 0


def test_drops_give_local_paths(tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path)), QUrl("https://example.com/a.flac")])
    assert dropped_paths(mime) == [tmp_path]


@pytest.mark.parametrize(
    ("state", "text"),
    [
        (AddProgress("scan", 0, None, None), "Scanning…"),
        (AddProgress("scan", 120, 400, 4.6), "Scanning: 120 of 400 files, about 5 s left"),
        (
            AddProgress("match", 1000, 9000, 600.0),
            "Matching: 1,000 of 9,000 files, about 10 min left",
        ),
        (AddProgress("index", 5, 10, None), "Building the search index (once): 5 of 10 rows"),
        (AddProgress("demo", 0, None, None), "Writing the demo library…"),
    ],
)
def test_progress_lines(state: AddProgress, text: str) -> None:
    assert progress_text(state) == text


def test_closing_the_window_stops_the_addition(
    qtbot: QtBot, indexed_catalog_path: Path, music: tuple[Path, list[LibraryFile]], tmp_path: Path
) -> None:
    folder, truth = music
    window = QWidget()
    store_path = tmp_path / "library.sqlite3"
    controller = AddMusicController(indexed_catalog_path, parent=window, store_path=store_path)
    with open_store(store_path) as blocker:  # the job waits for the store meanwhile
        blocker.db.execute_sql("BEGIN IMMEDIATE")
        assert controller.start([folder])
        cancel = controller._cancel
        assert cancel is not None
        window.deleteLater()
        qtbot.waitUntil(cancel.is_set)
        blocker.db.execute_sql("COMMIT")
    # the job ends without a file read (its answer has nobody to go to)
    qtbot.waitUntil(lambda: not any(t.name == "add-music" for t in threading.enumerate()))
    with open_store(store_path) as store:
        assert [(item.root.display, item.files) for item in store.root_summaries()] == [
            (str(folder), 0)
        ]
    assert truth


def test_the_demo_library_has_a_folder_per_catalog(
    qtbot: QtBot, controller: AddMusicController, indexed_catalog_path: Path
) -> None:
    with open_catalog(indexed_catalog_path) as catalog:
        folder = demo_library_folder(catalog)
    assert folder.parent == data_dir() / "demo" and folder.name.startswith("library-")
    assert controller.start_demo()
    summary = _finish(qtbot, controller)
    assert summary.folders == (str(folder),) and summary.scanned > 0
