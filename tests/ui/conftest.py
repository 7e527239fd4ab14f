"""Qt test helpers: windows on real demo catalogs, closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from explorer.ui.app import create_main_window
from explorer.ui.main_window import MainWindow


@pytest.fixture
def window(indexed_catalog_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    win = create_main_window(indexed_catalog_path)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
