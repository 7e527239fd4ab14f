"""The application's icons and identity, read from the installed `explorer.resources` package."""

from __future__ import annotations

from importlib.resources.abc import Traversable

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from explorer.desktop import APP_ID, ICON_SIZES, resource_root

__all__ = ["ACTION_ICONS", "APP_ID", "ICON_SIZES", "action_icon", "app_icon", "resource_root"]

ACTION_ICONS = ("back", "forward", "add-folder", "build-index", "write-tags")
ACTION_SIZES = (16, 22, 24, 32, 48)  # toolbar and menu sizes the SVGs are drawn at


def _pixmap(item: Traversable) -> QPixmap:
    pixmap = QPixmap()
    pixmap.loadFromData(item.read_bytes())
    return pixmap


def app_icon() -> QIcon:
    """The application's icon at every rendered size (Qt scales the nearest for others)."""
    icons = resource_root() / "icons"
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(_pixmap(icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
    return icon


def action_icon(name: str) -> QIcon:
    """A toolbar icon by name: one of ACTION_ICONS."""
    if name not in ACTION_ICONS:
        raise ValueError(f"no action icon {name!r}; there are {', '.join(ACTION_ICONS)}")
    renderer = QSvgRenderer(QByteArray(_action_svg(name)))
    icon = QIcon()
    for size in ACTION_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


def _action_svg(name: str) -> bytes:
    return (resource_root() / "icons" / "actions" / f"{name}.svg").read_bytes()
