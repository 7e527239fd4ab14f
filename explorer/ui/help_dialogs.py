"""Help > Keyboard shortcuts (a table made from the window's own actions, so it never goes
stale) and Help > About (version, catalog, index and store paths, licence, with Copy).

API:
    ShortcutsDialog(actions, *, extra=(), parent=None): `actions` any QActions (those
        without a shortcut are left out; the menu an action is in is shown beside it);
        `extra`: (what it does, key sequence) rows for QShortcuts, which have no text.
    shortcut_rows(actions, extra=()) -> list[ShortcutRow]: the table's rows.
    AboutDialog(catalog_path, *, store_path=None, parent=None): the index path is found
        on a thread (the catalog opened read-only); `copy_button` copies about_text().
    about_text(catalog_path, index_path, store_path) -> str: what About shows.

Hooking them in the window (after the menus are built):
    help_menu = self.menuBar().addMenu("&Help")
    help_menu.addAction("Keyboard shortcuts", lambda: ShortcutsDialog(
        self.findChildren(QAction), extra=[("Accept the chosen match", "A"),
        ("Reject the chosen match", "R")], parent=self).open())
    help_menu.addAction("About Catalog Explorer", lambda: AboutDialog(
        self.catalog_path, parent=self).open())
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__
from explorer.catalog import Catalog
from explorer.catalog.source import CatalogLike, CatalogSource
from explorer.errors import KnownError
from explorer.index import index_path_for
from explorer.library.store import default_store_path
from explorer.ui.add_music import emit_if_alive
from explorer.ui.workers import run_in_background

APP_NAME = "Catalog Explorer"
LICENCE = "MIT"


@dataclass(frozen=True)
class ShortcutRow:
    """One line of the shortcuts table."""

    action: str
    keys: str
    menu: str


def _plain(text: str) -> str:
    """A menu text without its mnemonic (&) and trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").rstrip(".")


def _keys(sequences: Iterable[QKeySequence]) -> str:
    texts = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences]
    return ", ".join(text for text in texts if text)


def _menu_of(action: QAction) -> str:
    for owner in action.associatedObjects():
        if isinstance(owner, QMenu) and owner.title():
            return _plain(owner.title())
    return ""


def shortcut_rows(
    actions: Iterable[QAction], extra: Sequence[tuple[str, QKeySequence | str]] = ()
) -> list[ShortcutRow]:
    """Rows for the actions that have shortcuts (each action once), then `extra`."""
    rows: list[ShortcutRow] = []
    seen: set[int] = set()
    for action in actions:
        keys = _keys(action.shortcuts())
        if not keys or id(action) in seen or not action.text():
            continue
        seen.add(id(action))
        rows.append(ShortcutRow(_plain(action.text()), keys, _menu_of(action)))
    for text, sequence in extra:
        rows.append(ShortcutRow(text, _keys([QKeySequence(sequence)]), ""))
    return rows


class ShortcutsDialog(QDialog):
    """The keyboard shortcuts of the actions given (see the module's docstring)."""

    def __init__(
        self,
        actions: Iterable[QAction],
        *,
        extra: Sequence[tuple[str, QKeySequence | str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = shortcut_rows(actions, extra)
        self.table = QTableWidget(len(self.rows), 3, self)
        self.table.setHorizontalHeaderLabels(("Action", "Shortcut", "Menu"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, item in enumerate(self.rows):
            for column, text in enumerate((item.action, item.keys, item.menu)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSortingEnabled(True)  # a few dozen rows, all here: sorting is cheap
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 480)


def about_text(catalog: CatalogLike, index_path: Path | str | None, store_path: Path) -> str:
    """About's text, also what Copy puts on the clipboard (for a bug report)."""
    if index_path is None:
        index = "finding…"
    elif isinstance(index_path, Path) and not index_path.exists():
        index = f"{index_path} (not built yet)"
    else:
        index = str(index_path)
    store = str(store_path) if store_path.exists() else f"{store_path} (no music added yet)"
    return "\n".join(
        (
            f"{APP_NAME} {__version__}",
            "Explore huge music metadata catalogs and link them to your own music files.",
            "",
            f"Catalog: {CatalogSource.of(catalog).label}",
            f"Search index: {index}",
            f"Library store: {store}",
            "",
            f"Licence: {LICENCE}",
        )
    )


class AboutDialog(QDialog):
    """Version, paths and licence (see the module's docstring).

    Signals:
        indexFound(str): the index path, or a sentence why the catalog cannot say it.
    """

    indexFound = Signal(str)

    def __init__(
        self,
        catalog: CatalogLike,
        *,
        store_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.source = CatalogSource.of(catalog)
        self.store_path = store_path or default_store_path()
        self.index_path: Path | str | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # paths are not markup
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy", self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.indexFound.connect(self._on_index)
        self._show()
        source = self.source
        if source.is_server:
            self.index_path = "on the server (made by `explorer publish`)"
            self._show()
            return

        def work() -> None:
            try:
                with source.open() as catalog:
                    assert isinstance(catalog, Catalog)
                    emit_if_alive(self.indexFound, str(index_path_for(catalog)))
            except KnownError as exc:
                emit_if_alive(self.indexFound, f"unknown: {exc}")

        run_in_background(work, name="about-index")

    def text(self) -> str:
        return about_text(self.source, self.index_path, self.store_path)

    def _show(self) -> None:
        self.label.setText(self.text())

    @Slot(str)
    def _on_index(self, found: str) -> None:
        self.index_path = Path(found) if not found.startswith("unknown: ") else found
        self._show()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
