"""The Write tags dialog as a user drives it: choose fields, preview, write, undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.library.tags import read_file
from explorer.ui.tag_dialog import WriteTagsDialog
from tests.tagging.conftest import Library, make_library

NAMES = ("sample.flac", "id3v23.mp3", "aac.m4a", "sample.wma")


@pytest.fixture
def library(tmp_path: Path, small_catalog_path: Path) -> Iterator[Library]:
    with open_catalog(small_catalog_path) as catalog:
        made = make_library(tmp_path, catalog, NAMES)
        yield made
        made.store.close()


@pytest.fixture
def dialog(library: Library, qtbot: QtBot) -> Iterator[WriteTagsDialog]:
    shown = WriteTagsDialog(
        None,
        catalog_path=library.catalog.path,
        store_path=library.store.path,
        file_ids=[library.row(name).id for name in NAMES],
    )
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    qtbot.waitUntil(lambda: not shown._busy, timeout=30_000)


def _click(qtbot: QtBot, button: object, dialog: WriteTagsDialog) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog._busy, timeout=30_000)


def _cells(table: object) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[attr-defined]
        for r in range(table.rowCount())  # type: ignore[attr-defined]
    ]


def test_preview_write_and_undo(dialog: WriteTagsDialog, library: Library, qtbot: QtBot) -> None:
    library.path("sample.wma").chmod(0o444)
    assert not dialog.write_button.isEnabled()  # nothing is written before a preview
    dialog.field_boxes["title"].setChecked(True)
    _click(qtbot, dialog.preview_button, dialog)
    rows = _cells(dialog.table)
    flac = str(library.path("sample.flac"))
    track = library.tracks["sample.flac"]
    assert [flac, "title (TITLE)", "Silent Track – Ünïcode", track.name] in rows
    assert [flac, "track id (SPOTIFY_TRACK_ID)", "(none)", track.id] in rows
    assert _cells(dialog.refused) == [[str(library.path("sample.wma")), "the file is read-only"]]
    assert "3 files to write" in dialog.status.text()
    old = {name: read_file(library.path(name)).tags for name in NAMES}

    _click(qtbot, dialog.write_button, dialog)
    assert "3 files written" in dialog.status.text()
    assert read_file(library.path("sample.flac")).tags.title == track.name
    assert (
        read_file(library.path("id3v23.mp3")).tags.spotify_track_id
        == library.tracks["id3v23.mp3"].id
    )
    assert dialog.undo_button.isEnabled() and not dialog.write_button.isEnabled()

    _click(qtbot, dialog.undo_button, dialog)
    assert "3 files put back" in dialog.status.text()
    assert {name: read_file(library.path(name)).tags for name in NAMES} == old
    _click(qtbot, dialog.undo_button, dialog)  # undoing the undo writes the tags again
    assert read_file(library.path("sample.flac")).tags.title == track.name


def test_changing_the_fields_asks_for_a_new_preview(dialog: WriteTagsDialog, qtbot: QtBot) -> None:
    _click(qtbot, dialog.preview_button, dialog)
    assert dialog.write_button.isEnabled()
    dialog.field_boxes["bpm"].setChecked(True)
    assert not dialog.write_button.isEnabled()
    assert dialog.table.rowCount() == 0
