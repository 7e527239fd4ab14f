"""Application start-up: the QApplication, the main window, the event loop."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from explorer import __version__
from explorer.catalog.source import CatalogSource
from explorer.errors import KnownError, NotACatalogError
from explorer.ui.main_window import APP_TITLE, MainWindow, forget_recent
from explorer.ui.resources import APP_ID, app_icon
from explorer.ui.workers import run_in_background


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


def create_main_window(catalog: str | os.PathLike[str] | CatalogSource) -> MainWindow:
    """Build the main window on a catalog (a file, a `postgresql://` URL or a source)
    without entering the event loop (for tests).

    The catalog is checked first (header, schema, estimates: constant time at any size;
    on a server, one connection); one that is not a catalog raises NotACatalogError, a
    server that cannot be reached a KnownError.
    """
    ensure_application()
    source = CatalogSource.of(catalog)
    source.open().close()
    return MainWindow(source)


class _Windows(QObject):
    """Keeps the open windows alive and opens catalogs chosen in the File menu. A catalog
    on a server is checked on a thread of its own (the windows open meanwhile do not wait
    on the network); the window opens when it answers.

    Signals:
        _checked(object, str, bool): a source checked off the GUI thread, "" or the
            sentence why it cannot be opened, and whether it holds no catalog at all.
    """

    _checked = Signal(object, str, bool)

    def __init__(self) -> None:
        super().__init__()
        self.windows: list[MainWindow] = []
        self._checked.connect(self._on_checked)

    def _open_already(self, source: CatalogSource) -> MainWindow | None:
        wanted = source.remembered()
        for window in self.windows:
            if window.isVisible() and window.source.remembered() == wanted:
                window.raise_()
                window.activateWindow()
                return window
        return None

    def open(self, catalog: str | os.PathLike[str] | CatalogSource) -> MainWindow | None:
        """A window on the catalog: the one open already (raised), else a new one. A
        server's catalog opened from a window is checked in the background: None now,
        the window (or the sentence) when the server answers."""
        source = CatalogSource.of(catalog)
        window = self._open_already(source)
        if window is not None:
            return window
        if source.is_server and any(w.isVisible() for w in self.windows):
            self._check_in_background(source)
            return None
        try:
            source.open().close()
        except KnownError as exc:
            self._refused(source, exc)
            return None
        return self._show(source)

    def _check_in_background(self, source: CatalogSource) -> None:
        def work() -> None:
            try:
                source.open().close()
            except KnownError as exc:
                self._checked.emit(source, str(exc), isinstance(exc, NotACatalogError))
                return
            self._checked.emit(source, "", False)

        run_in_background(work, name="open-server-catalog")

    @Slot(object, str, bool)
    def _on_checked(self, source: CatalogSource, problem: str, no_catalog: bool) -> None:
        if not problem:
            if self._open_already(source) is None:
                self._show(source)
            return
        if no_catalog:
            forget_recent(source)
        QMessageBox.critical(None, APP_TITLE, problem)

    def _refused(self, source: CatalogSource, exc: KnownError) -> None:
        # a file moved or deleted, a database that holds no catalog: not offered again;
        # a server that does not answer now may answer later
        if not source.is_server or isinstance(exc, NotACatalogError):
            forget_recent(source)
        QMessageBox.critical(None, APP_TITLE, str(exc))

    def _show(self, source: CatalogSource) -> MainWindow:
        window = MainWindow(source)
        window.opened.connect(self.open)
        self.windows.append(window)
        window.show()
        return window


def run_app(catalog: str | os.PathLike[str] | CatalogSource) -> int:
    """Open the window on a catalog and run until the last window closes."""
    app = ensure_application()
    windows = _Windows()
    if windows.open(catalog) is None:
        return 1
    return app.exec()
