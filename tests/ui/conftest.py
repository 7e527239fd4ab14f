"""Qt test helpers: windows on real demo catalogs, closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.demo.library import write_demo_library
from explorer.library.scan import scan
from explorer.library.store import default_store_path, open_store
from explorer.matching.run import match_library
from explorer.ui.app import create_main_window
from explorer.ui.main_window import MainWindow


@pytest.fixture
def window(indexed_catalog_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    win = create_main_window(indexed_catalog_path)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture
def matched_library(indexed_catalog_path: Path, tmp_path: Path) -> Iterator[int]:
    """A scanned and matched demo library in the default user store; its file count."""
    path = default_store_path()
    with open_catalog(indexed_catalog_path) as catalog:
        truth = write_demo_library(catalog, tmp_path / "music", albums=4, seed=5)
        with open_store(path) as store:
            scan(store, [tmp_path / "music"])
            match_library(store, catalog)
    yield len(truth)
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
