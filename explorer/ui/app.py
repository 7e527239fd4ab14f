"""Application start-up: the QApplication, the main window, the event loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from explorer import __version__
from explorer.catalog import open_catalog
from explorer.errors import KnownError
from explorer.ui.main_window import APP_TITLE, MainWindow, forget_recent
from explorer.ui.resources import APP_ID, app_icon


def ensure_application() -> QApplication:
    """The application (made when missing), with its name, version, id and icon."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    # the desktop's launcher and task bar find the .desktop file (and its icon) by the id:
    # Wayland's app id is the desktop file name, X11's window class the application name
    # (the .desktop file's StartupWMClass); titles show the display name
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("catalog-explorer")
    QApplication.setDesktopFileName(APP_ID)
    if app.property(_ICON_SET) is None:  # once: the PNGs are read from the package
        app.setWindowIcon(app_icon())
        app.setProperty(_ICON_SET, True)
    return app


_ICON_SET = "explorer_icon_set"


def create_main_window(catalog_path: str | Path) -> MainWindow:
    """Build the main window on a catalog without entering the event loop (for tests).

    The catalog is checked first (header, schema, estimates: constant time at any size);
    a file that is not a catalog raises NotACatalogError.
    """
    ensure_application()
    path = Path(catalog_path)
    open_catalog(path).close()
    return MainWindow(path)


class _Windows:
    """Keeps the open windows alive and opens catalogs chosen in the File menu."""

    def __init__(self) -> None:
        self.windows: list[MainWindow] = []

    def open(self, path: str | Path) -> MainWindow | None:
        """A window on the catalog: the one open already (raised), else a new one."""
        wanted = Path(path).resolve()
        for window in self.windows:
            if window.isVisible() and window.catalog_path.resolve() == wanted:
                window.raise_()
                window.activateWindow()
                return window
        try:
            window = create_main_window(path)
        except KnownError as exc:
            forget_recent(path)  # moved or deleted: not offered again
            QMessageBox.critical(None, APP_TITLE, str(exc))
            return None
        window.opened.connect(self.open)
        self.windows.append(window)
        window.show()
        return window


def run_app(catalog_path: Path) -> int:
    """Open the window on a catalog and run until the last window closes."""
    app = ensure_application()
    windows = _Windows()
    if windows.open(catalog_path) is None:
        return 1
    return app.exec()
