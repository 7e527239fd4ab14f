"""Your library grouped by folder: folders, then their files (loaded when a folder opens)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from explorer.matching.review import ReviewRow
from explorer.ui.library_model import STATUS_COLOURS, STATUS_TEXT

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Folder / file", "Status", "Confidence", "Linked track")
_ROOT = 0


class LibraryTreeModel(QAbstractItemModel):
    """Two levels: folder rows (internal id = folder number + 1), file rows (id = file id
    shifted past the folders). Files load when a folder is expanded.

    Signals:
        wantFolder(int, str): folder number and folder, when its files are wanted.
    """

    wantFolder = Signal(int, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._folders: list[str] = []
        self._files: dict[int, list[ReviewRow]] = {}
        self._loading: set[int] = set()

    def set_folders(self, folders: list[str]) -> None:
        self.beginResetModel()
        self._folders = list(folders)
        self._files = {}
        self._loading = set()
        self.endResetModel()

    def set_files(self, folder_number: int, rows: list[ReviewRow]) -> None:
        self._loading.discard(folder_number)
        if not 0 <= folder_number < len(self._folders) or folder_number in self._files:
            return
        parent = self.index(folder_number, 0)
        if rows:
            self.beginInsertRows(parent, 0, len(rows) - 1)
        self._files[folder_number] = list(rows)
        if rows:
            self.endInsertRows()

    def row_of(self, file_id: int) -> ReviewRow | None:
        """The row of a file of an open folder (None when not loaded)."""
        for rows in self._files.values():
            for row in rows:
                if row.file_id == file_id:
                    return row
        return None

    def loaded_folders(self) -> list[str]:
        """The folders whose files are loaded (those opened so far)."""
        return [self._folders[number] for number in sorted(self._files)]

    def replace_row(self, row: ReviewRow) -> None:
        for number, rows in self._files.items():
            for position, old in enumerate(rows):
                if old.file_id == row.file_id:
                    rows[position] = row
                    parent = self.index(number, 0)
                    self.dataChanged.emit(
                        self.index(position, 0, parent), self.index(position, 3, parent)
                    )
                    return

    def file_at(self, index: Index) -> ReviewRow | None:
        if not index.isValid() or index.internalId() == _ROOT:
            return None
        folder = int(index.internalId()) - 1
        rows = self._files.get(folder, [])
        return rows[index.row()] if 0 <= index.row() < len(rows) else None

    # -- Qt ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            return (
                self.createIndex(row, column, _ROOT)
                if 0 <= row < len(self._folders)
                else QModelIndex()
            )
        if parent.internalId() != _ROOT:
            return QModelIndex()
        rows = self._files.get(parent.row(), [])
        return (
            self.createIndex(row, column, parent.row() + 1)
            if 0 <= row < len(rows)
            else QModelIndex()
        )

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _ROOT:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, _ROOT)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._folders)
        if parent.internalId() != _ROOT or parent.column() != 0:
            return 0
        return len(self._files.get(parent.row(), []))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return bool(self._folders)
        if parent.internalId() != _ROOT or parent.column() != 0:
            return False
        return parent.row() not in self._files or bool(self._files[parent.row()])

    def canFetchMore(self, parent: Index) -> bool:
        return (
            parent.isValid()
            and parent.internalId() == _ROOT
            and parent.row() not in self._files
            and parent.row() not in self._loading
        )

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._loading.add(parent.row())
            self.wantFolder.emit(parent.row(), self._folders[parent.row()])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _ROOT:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return self._folders[index.row()] if index.row() < len(self._folders) else None
            return None
        row = self.file_at(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            confidence = "" if row.confidence is None else f"{row.confidence:.2f}"
            return (row.path.rsplit("/", 1)[-1], row.status, confidence, row.track)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 1:
            return QColor(STATUS_COLOURS.get(row.status, "#ffffff"))
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QColor(STATUS_TEXT)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None
