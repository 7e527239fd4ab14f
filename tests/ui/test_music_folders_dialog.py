"""File > Music folders: the folders listed with their files and decisions, Rescan, and
Remove only after a question that says what is lost (decisions included)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.demo.library import LibraryFile, write_demo_library
from explorer.library.store import RootRow, RootSummary, open_store
from explorer.matching.links import Links
from explorer.ui.add_music import AddMusicController
from explorer.ui.music_folders_dialog import FILES, FOLDER, MusicFoldersDialog, remove_question
from explorer.ui.preferences import WORKERS_KEY
from tests.ui.waits import WAIT_MS


@pytest.fixture(scope="module")
def music(
    indexed_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[LibraryFile]:
    folder = tmp_path_factory.mktemp("music")
    with open_catalog(indexed_catalog_path) as catalog:
        return write_demo_library(catalog, folder, albums=3, seed=8)


@pytest.fixture
def folders(music: list[LibraryFile], tmp_path: Path) -> tuple[Path, Path]:
    """Two music folders, each a copy of one demo album."""
    albums = sorted({item.path.parent for item in music})
    first, second = tmp_path / "First", tmp_path / "Second"
    shutil.copytree(albums[0], first)
    shutil.copytree(albums[1], second)
    return first, second


@pytest.fixture
def dialog(
    indexed_catalog_path: Path, folders: tuple[Path, Path], tmp_path: Path, qtbot: QtBot
) -> Iterator[MusicFoldersDialog]:
    window = QWidget()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(WORKERS_KEY, 1)
    controller = AddMusicController(
        indexed_catalog_path,
        parent=window,
        store_path=tmp_path / "library.sqlite3",
        settings=settings,
    )
    with qtbot.waitSignal(controller.finished, timeout=WAIT_MS):
        controller.start(list(folders))
    shown = MusicFoldersDialog(controller, parent=window)
    shown.open()
    qtbot.waitUntil(lambda: shown.table.rowCount() == 2)
    yield shown
    shown.close()


def _cell(dialog: MusicFoldersDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text()


def _files_shown(dialog: MusicFoldersDialog) -> dict[str, int]:
    return {
        _cell(dialog, row, FOLDER): int(_cell(dialog, row, FILES).replace(",", ""))
        for row in range(dialog.table.rowCount())
    }


def _decide_one(dialog: MusicFoldersDialog, folder: Path) -> None:
    with open_store(dialog.store_path) as store:
        row = store.file_by_path(next(folder.iterdir()))
        assert row is not None
        Links(store).decide(row.id, "rejected")


def test_folders_are_listed_with_their_files(
    dialog: MusicFoldersDialog, folders: tuple[Path, Path]
) -> None:
    assert _files_shown(dialog) == {
        str(folder): sum(1 for _ in folder.iterdir()) for folder in folders
    }
    assert not dialog.remove_button.isEnabled() and not dialog.rescan_button.isEnabled()


@pytest.mark.parametrize("answer", ["Forget folder", "Cancel"])
def test_remove_asks_and_names_the_decisions_lost(
    qtbot: QtBot, dialog: MusicFoldersDialog, folders: tuple[Path, Path], answer: str
) -> None:
    first, second = folders
    _decide_one(dialog, first)
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.items[0].decisions == 1)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert box is not None
    files = sum(1 for _ in first.iterdir())
    assert f"Forget {first}? Its {files} files" in box.text()
    assert "1 file of them carries a decision of yours" in box.text()
    assert "cannot be undone" in box.text()
    [button] = [b for b in box.buttons() if b.text() == answer]
    if answer == "Cancel":
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.confirm_box is None)
        with open_store(dialog.store_path) as store:
            assert [item.decisions for item in store.root_summaries()] == [1, 0]
        return
    with qtbot.waitSignal(dialog.removed, timeout=WAIT_MS) as said:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert said.args[0].startswith(
        f"Forgot {first} ({files} files). The store as it was is kept at "
    )
    backup = Path(said.args[0].rsplit(" kept at ", 1)[1].rstrip("."))
    with open_store(backup) as copy:  # the decision is still in the copy
        assert [item.decisions for item in copy.root_summaries()] == [1, 0]
    qtbot.waitUntil(lambda: list(_files_shown(dialog)) == [str(second)])
    assert first.is_dir() and any(first.iterdir())  # nothing deleted on disk


def test_rescan_reads_a_folder_again(
    qtbot: QtBot, dialog: MusicFoldersDialog, folders: tuple[Path, Path]
) -> None:
    first, _second = folders
    extra = sorted(first.iterdir())[0]
    shutil.copy(extra, first / f"copy of {extra.name}")
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.controller.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.rescan_button, Qt.MouseButton.LeftButton)
    count = sum(1 for _ in first.iterdir())
    qtbot.waitUntil(lambda: _files_shown(dialog)[str(first)] == count)
    assert dialog.note.text().startswith(f"{count} files scanned:")


@pytest.mark.parametrize(
    ("files", "decisions", "says"),
    [
        (1, 0, "Its 1 file and their links"),
        (3, 0, "Its 3 files and their links"),
        (3, 2, "2 files of them carry decisions of yours"),
    ],
)
def test_remove_questions(files: int, decisions: int, says: str) -> None:
    item = RootSummary(RootRow(1, b"/m", "/m", 0.0, None), files, decisions)
    text = remove_question(item)
    assert says in text
    assert ("cannot be undone" in text) == bool(decisions)


def test_no_folders_yet(qtbot: QtBot, tmp_path: Path, indexed_catalog_path: Path) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    controller = AddMusicController(
        indexed_catalog_path, parent=window, store_path=tmp_path / "none" / "library.sqlite3"
    )
    shown = MusicFoldersDialog(controller, parent=window)
    qtbot.waitUntil(lambda: shown.note.text().startswith("No music folders yet"))
    assert not (tmp_path / "none" / "library.sqlite3").exists()
