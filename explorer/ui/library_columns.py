"""Your library's optional columns (the catalog facets: BPM, key, energy, ...): hidden by
default, chosen in the header's context menu, remembered in the settings."""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QSettings, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView

from explorer.ui.library_model import COLUMNS, FACET_COLUMNS, LibraryModel

# Where the chosen columns are kept in the window's settings (names, not positions: a
# column added later does not shift the choice).
SETTINGS_KEY = "library/shown_facet_columns"


class LibraryColumns(QObject):
    """The header menu of Your library's table: one checkable entry per column; the facet
    columns start hidden. The view also shows other models (search results): the menu
    answers only while it shows `model`, and `apply()` is called after `setModel(model)`."""

    def __init__(
        self,
        view: QTableView,
        model: LibraryModel,
        settings: QSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else view)
        self.view = view
        self.model = model
        self.settings = settings
        saved: object = settings.value(SETTINGS_KEY, []) if settings is not None else []
        # an INI file gives one name back as a string, several as a list
        names = [saved] if isinstance(saved, str) else saved if isinstance(saved, list) else []
        self.shown: set[str] = {name for name in names if name in FACET_COLUMNS}
        self.hidden_base: set[str] = set()  # base columns the user hid in this session
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_menu)

    def is_shown(self, name: str) -> bool:
        if name in FACET_COLUMNS:
            return name in self.shown
        return name not in self.hidden_base

    def apply(self) -> None:
        """Hide the columns not chosen (call after the view is given the library model)."""
        if self.view.model() is not self.model:
            return
        for column, name in enumerate(COLUMNS):
            self.view.setColumnHidden(column, not self.is_shown(name))

    def release(self) -> None:
        """Show every column again (the view is about to show another model)."""
        for column in range(len(COLUMNS)):
            self.view.setColumnHidden(column, False)

    def set_shown(self, name: str, shown: bool) -> None:
        if name in FACET_COLUMNS:
            (self.shown.add if shown else self.shown.discard)(name)
            if self.settings is not None:
                self.settings.setValue(SETTINGS_KEY, sorted(self.shown))
        elif name in COLUMNS and name != COLUMNS[0]:  # the status column always stays
            (self.hidden_base.discard if shown else self.hidden_base.add)(name)
        self.apply()

    def menu(self) -> QMenu:
        """A menu of every column but Status, each checked when shown; facets after a line."""
        menu = QMenu(self.view)
        for name in COLUMNS[1:]:
            if name == FACET_COLUMNS[0]:
                menu.addSection("From the catalog")
            action = QAction(name, menu)
            action.setCheckable(True)
            action.setChecked(self.is_shown(name))
            action.toggled.connect(lambda on, n=name: self.set_shown(n, on))
            menu.addAction(action)
        return menu

    @Slot(QPoint)
    def _on_menu(self, position: QPoint) -> None:
        if self.view.model() is not self.model:
            return
        header = self.view.horizontalHeader()
        self.menu().exec(header.mapToGlobal(position))
