"""Your library's facet columns (hidden until chosen in the header menu) and the Export
dataset dialog, on a matched demo library."""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from explorer.library.facet_cache import LinkFacets
from explorer.matching.review import ReviewRow
from explorer.ui.dataset_dialog import DatasetDialog
from explorer.ui.library_columns import LibraryColumns
from explorer.ui.library_model import BASE_COLUMNS, COLUMNS, FACET_COLUMNS, LibraryModel
from explorer.ui.workers import CatalogWorker

FACETS = LinkFacets(1, "t1", 127.6, 9, 0, "8A", 0.71, 0.5, None, 42, 1997, ("house", "deep house"))


def _row(file_id: int, facets: LinkFacets | None = FACETS) -> ReviewRow:
    return ReviewRow(file_id, f"/m/{file_id}.flac", "matched", 0.9, 0.2, "A – B", "C", "t1", facets)


def _texts(model: LibraryModel, position: int) -> dict[str, str]:
    return {
        name: model.data(model.index(position, len(BASE_COLUMNS) + i))
        for i, name in enumerate(FACET_COLUMNS)
    }


def test_facet_columns_show_the_catalogs_values(qtbot: QtBot) -> None:
    model = LibraryModel()
    model.set_rows([_row(1), _row(2, None)], more=False)
    assert model.columnCount() == len(COLUMNS)
    assert _texts(model, 0) == {
        "BPM": "128",
        "Key": "Am",
        "Camelot": "8A",
        "Energy": "0.71",
        "Danceability": "0.50",
        "Valence": "",
        "Genres": "house, deep house",
        "Year": "1997",
        "Popularity": "42",
    }
    assert set(_texts(model, 1).values()) == {""}  # not read yet: empty cells
    model.replace_row(_row(1, None))  # a decision's row, read without facets
    assert _texts(model, 0)["Camelot"] == "8A"


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[tuple[QTableView, LibraryModel]]:
    table = QTableView()
    qtbot.addWidget(table)
    model = LibraryModel(table)
    model.set_rows([_row(1)], more=False)
    table.setModel(model)
    yield table, model


def _hidden(table: QTableView) -> set[str]:
    return {name for column, name in enumerate(COLUMNS) if table.isColumnHidden(column)}


def test_facets_hidden_until_chosen_and_remembered(
    view: tuple[QTableView, LibraryModel], tmp_path: Path
) -> None:
    table, model = view
    settings = QSettings(str(tmp_path / "explorer.ini"), QSettings.Format.IniFormat)
    columns = LibraryColumns(table, model, settings)
    columns.apply()
    assert _hidden(table) == set(FACET_COLUMNS)
    menu = columns.menu()
    bpm = next(a for a in menu.actions() if a.text() == "BPM")
    assert not bpm.isChecked()
    bpm.setChecked(True)  # as a click in the header's menu
    columns.set_shown("Camelot", True)
    assert _hidden(table) == set(FACET_COLUMNS) - {"BPM", "Camelot"}
    settings.sync()
    again = LibraryColumns(table, model, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    columns.release()
    assert _hidden(table) == set()
    again.apply()
    assert _hidden(table) == set(FACET_COLUMNS) - {"BPM", "Camelot"}
    assert table.horizontalHeader().contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu


def _sha(path: bytes) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _music(root: Path) -> dict[bytes, tuple[str, int]]:
    found = {}
    for folder, _dirs, names in os.walk(os.fsencode(root)):
        for name in names:
            path = os.path.join(folder, name)
            found[path] = (_sha(path), os.stat(path).st_mtime_ns)
    return found


def test_dataset_dialog_writes_the_views_filter(
    qtbot: QtBot, indexed_catalog_path: Path, matched_library: int, tmp_path: Path
) -> None:
    music = tmp_path / "music"
    before = _music(music)
    worker = CatalogWorker(indexed_catalog_path)
    try:
        dialog = DatasetDialog(worker, "bpm:60..200")
        qtbot.addWidget(dialog)
        (tmp_path / "full").mkdir()
        (tmp_path / "full" / "mine.txt").write_text("x", encoding="utf-8")
        dialog.folder.setText(str(tmp_path / "full"))
        dialog.start()
        qtbot.waitUntil(lambda: "not an empty folder" in dialog.message.text(), timeout=20_000)
        dialog.folder.setText(str(tmp_path / "set"))
        for name, box in dialog.fields.items():
            box.setChecked(name in ("bpm", "camelot"))
        dialog.start()
        qtbot.waitUntil(lambda: dialog.summary is not None, timeout=20_000)
    finally:
        worker.stop()
    assert dialog.summary is not None and dialog.summary.written > 0
    with (tmp_path / "set" / "metadata.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file_name", "bpm", "camelot", "confidence", "status"]
    assert all(59.5 <= float(row["bpm"]) < 200.5 for row in rows)
    assert len(rows) == dialog.summary.written and "Wrote" in dialog.message.text()
    assert _music(music) == before  # the user's files: unchanged, not moved


def test_the_view_shared_with_search_results(view: tuple[QTableView, LibraryModel]) -> None:
    """The window's table also shows search results (fewer columns): `release` before
    showing them leaves none of theirs hidden, `apply` after coming back hides again."""
    from PySide6.QtGui import QStandardItemModel

    table, model = view
    columns = LibraryColumns(table, model)
    columns.apply()
    columns.set_shown("Margin", False)
    columns.set_shown("BPM", True)
    results = QStandardItemModel(3, 6, table)
    columns.release()
    table.setModel(results)
    assert not any(table.isColumnHidden(column) for column in range(6))
    table.setModel(model)
    columns.apply()
    assert _hidden(table) == (set(FACET_COLUMNS) - {"BPM"}) | {"Margin"}
