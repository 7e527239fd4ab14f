"""The application's icons and identity come from the installed resources."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from explorer.ui.app import create_main_window, ensure_application
from explorer.ui.resources import ACTION_ICONS, APP_ID, ICON_SIZES, action_icon, app_icon


def test_the_app_icon_has_every_rendered_size(qapp: QApplication) -> None:
    sizes = {(size.width(), size.height()) for size in app_icon().availableSizes()}
    assert sizes == {(n, n) for n in ICON_SIZES}


@pytest.mark.parametrize("name", ["back", "forward", "add-folder", "build-index", "write-tags"])
def test_each_toolbar_icon_draws_something(name: str, qapp: QApplication) -> None:
    image = action_icon(name).pixmap(24, 24).toImage()
    opaque = sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha()
    )
    assert opaque > 20


def test_an_unknown_toolbar_icon_is_a_mistake() -> None:
    assert "back" in ACTION_ICONS
    with pytest.raises(ValueError, match="add-folder"):
        action_icon("undo")


def test_the_window_carries_the_desktop_id_and_the_icon(
    indexed_catalog_path: Path, qtbot: QtBot
) -> None:
    app = ensure_application()
    window = create_main_window(indexed_catalog_path)
    qtbot.addWidget(window)
    assert QApplication.desktopFileName() == APP_ID
    assert app.applicationName() == APP_ID  # X11's window class: StartupWMClass
    assert app.applicationDisplayName() == "Catalog Explorer"
    assert app.applicationVersion()
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes()
