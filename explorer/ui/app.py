"""Application start-up: the QApplication, the main window, the event loop."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.catalog import open_catalog
from explorer.errors import KnownError

APP_TITLE = "Catalog Explorer"


class MainWindow(QMainWindow):
    """The main window: for now the catalog's name and estimated table sizes."""

    def __init__(self, catalog_path: Path) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        catalog = open_catalog(catalog_path)
        try:
            estimates = catalog.estimates()
            name = catalog.name
            has_features = catalog.has_features
        finally:
            catalog.close()
        self.setWindowTitle(f"{name} — {APP_TITLE}")
        central = QWidget(self)
        layout = QVBoxLayout(central)
        title = QLabel(f"<h2>{name}</h2>", central)
        title.setObjectName("catalogName")
        layout.addWidget(title)
        features = "with audio features" if has_features else "without audio features"
        layout.addWidget(QLabel(f"{catalog_path.resolve()} — {features}", central))
        table = QTableWidget(len(estimates), 2, central)
        table.setObjectName("sizesTable")
        table.setHorizontalHeaderLabels(["Table", "Rows (estimate)"])
        for row, item in enumerate(estimates):
            table.setItem(row, 0, QTableWidgetItem(item.table))
            table.setItem(row, 1, QTableWidgetItem(f"{item.rows:,}"))
        table.resizeColumnsToContents()
        layout.addWidget(table)
        self.setCentralWidget(central)
        self.resize(900, 600)
        self.statusBar().showMessage(f"{name}: {self._tracks(estimates):,} tracks")

    @staticmethod
    def _tracks(estimates: tuple[object, ...]) -> int:
        for item in estimates:
            if getattr(item, "table", None) == "tracks":
                return int(getattr(item, "rows", 0))
        return 0


def ensure_application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("catalog-explorer")
    return app


def create_main_window(catalog_path: str | Path) -> MainWindow:
    """Build the main window on a catalog without entering the event loop (for tests)."""
    ensure_application()
    return MainWindow(Path(catalog_path))


def run_app(catalog_path: Path) -> int:
    """Open the window on a catalog and run until it closes."""
    app = ensure_application()
    try:
        window = create_main_window(catalog_path)
    except KnownError as exc:
        QMessageBox.critical(None, APP_TITLE, str(exc))
        return 1
    window.show()
    return app.exec()
