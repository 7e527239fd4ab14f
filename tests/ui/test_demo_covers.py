"""The window finds the demo's covers in the cache, named as it looks them up."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPixmap
from pytestqt.qtbot import QtBot

from explorer.catalog import open_catalog
from explorer.demo.covers import cover_png, write_demo_covers
from explorer.ui.covers import CoverLoader
from tests.ui.waits import WAIT_MS


def test_a_demo_cover_is_found_in_the_cache_and_draws(
    small_catalog_path: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    with open_catalog(small_catalog_path) as catalog:
        assert write_demo_covers(catalog, limit=3) > 0
        album = catalog.album_by_rowid(2)
    assert album is not None
    url = next(image.url for image in album.images if image.width == 640)
    loader = CoverLoader(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    with qtbot.waitSignal(loader.ready, timeout=WAIT_MS) as ready:
        assert loader.request(url) == "local"
    pixmap: QPixmap = ready.args[1]
    assert pixmap.width() == pixmap.height() == 240


def test_the_initials_are_drawn_in_white_on_the_colour(qapp: object) -> None:
    image = QPixmap()
    assert image.loadFromData(cover_png("Velvet", "key"))
    picture = image.toImage()
    colours = {picture.pixelColor(x, 120).name() for x in range(0, 240, 4)}
    assert "#ffffff" in colours and len(colours) == 2
    assert picture.pixelColor(2, 2).name() != "#ffffff"
