"""The browse tree: artists -> release groups -> albums -> tracks, loaded lazily by the worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from explorer.catalog.records import AlbumGroups, AlbumRow, AlbumSummary, ArtistRow, format_duration

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "Year / Time", "Details")
# Added to the Details of albums and tracks the user has (text, not only a mark).
OWNED_SUFFIX = " · ✓ yours"
# Albums added to a release group per fetchMore; a group of 10,000 compilations added at
# once would freeze the window, so the view asks for more as it scrolls.
GROUP_BATCH = 200


@dataclass
class Node:
    """One tree row. `kind`: artist | group | album | track | more."""

    id: int
    kind: str
    label: str
    cells: tuple[str, str, str]
    parent: int  # 0: the invisible root
    entity_id: str | None = None  # catalog id (artist, album, track)
    rowid: int | None = None
    children: list[int] = field(default_factory=list)
    loaded: bool = False  # children asked for and received
    loading: bool = False
    payload: Any = None  # groups hold their albums until expanded


class BrowseTreeModel(QAbstractItemModel):
    """Lazy tree; `hasChildren` never loads. Children come from the worker (`wantChildren`).

    Signals:
        wantChildren(int, str, str): node id, node kind, entity id (or "" for the root page).
    """

    wantChildren = Signal(int, str, str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: dict[int, Node] = {0: Node(0, "root", "", ("", "", ""), -1)}
        self._next = 1
        self.more_artists: tuple[int, int] | None = None  # keyset of the next top-artists page
        self.owned: set[str] = set()  # album and track ids the user has files of
        self._root_mode = "top"  # top: most followed artists, paged; focus: a given entity
        # Counts the resets of the top level: a page of top artists asked for before a
        # reset (a second Go > Most followed artists, an album shown) is not added after it.
        self.generation = 0

    # -- nodes ------------------------------------------------------------------------

    def node(self, index: Index) -> Node:
        return self._nodes[int(index.internalId())] if index.isValid() else self._nodes[0]

    def _add(
        self, parent: int, kind: str, label: str, cells: tuple[str, str, str], **extra: Any
    ) -> Node:
        node = Node(self._next, kind, label, cells, parent, **extra)
        self._nodes[node.id] = node
        self._next += 1
        return node

    def _index_of(self, node_id: int) -> QModelIndex:
        if node_id == 0:
            return QModelIndex()
        node = self._nodes[node_id]
        row = self._nodes[node.parent].children.index(node_id)
        return self.createIndex(row, 0, node_id)

    def reset_top(self) -> None:
        """Start over with the most followed artists (first page asked of the worker)."""
        self.beginResetModel()
        self.generation += 1
        self._nodes = {0: Node(0, "root", "", ("", "", ""), -1)}
        self._root_mode = "top"
        self.more_artists = None
        self.endResetModel()
        self.fetch_more_top()

    def set_artists(self, artists: list[ArtistRow]) -> None:
        """Show a fixed list of artists (a genre's) as the top level."""
        self.beginResetModel()
        self.generation += 1
        self._nodes = {0: Node(0, "root", "", ("", "", ""), -1, loaded=True)}
        self._root_mode = "list"
        self.more_artists = None
        for artist in artists:
            node = self._add(
                0,
                "artist",
                artist.name,
                (artist.name, "", f"{artist.followers:,} followers"),
                entity_id=artist.id,
                rowid=artist.rowid,
            )
            self._nodes[0].children.append(node.id)
        self.endResetModel()

    def fetch_more_top(self) -> bool:
        """Ask for the next page of top artists (the view calls this near its end)."""
        root = self._nodes[0]
        if self._root_mode != "top" or root.loading or root.loaded:
            return False
        root.loading = True
        self.wantChildren.emit(0, "root", "")
        return True

    def loaded(self, kind: str, entity_id: str) -> QModelIndex:
        """The index of a node of `kind` already in the tree (an opened artist's album),
        invalid when none is loaded; looks only at the nodes in hand, runs no query."""
        for node in self._nodes.values():
            if node.kind == kind and node.entity_id == entity_id:
                return self._index_of(node.id)
        return QModelIndex()

    def reveal_album(self, artist_node_id: int, album_id: str) -> QModelIndex:
        """The album's node under an artist whose groups are loaded, its group's albums
        added batch by batch until it is there; invalid when the artist has no such album."""
        artist = self._nodes.get(artist_node_id)
        for group_id in artist.children if artist is not None else []:
            group = self._nodes[group_id]
            if not any(a.id == album_id for a in group.payload or ()):
                continue
            group_index = self._index_of(group_id)
            while self.canFetchMore(group_index):
                self.fetchMore(group_index)
            for child in group.children:
                if self._nodes[child].entity_id == album_id:
                    return self._index_of(child)
        return QModelIndex()

    def focus_album(self, album: AlbumRow) -> QModelIndex:
        """Show one album (with its tracks) as the tree's only root; returns its index."""
        self.beginResetModel()
        self.generation += 1
        self._nodes = {0: Node(0, "root", "", ("", "", ""), -1, loaded=True)}
        self._root_mode = "focus"
        self.more_artists = None
        node = self._album_node(0, album.summary())
        self._nodes[0].children = [node.id]
        self._fill_tracks(node, album)
        self.endResetModel()
        return self._index_of(node.id)

    def _album_node(self, parent: int, album: AlbumSummary) -> Node:
        kind = {"single": "Single/EP"}.get(album.album_type, album.album_type.title())
        return self._add(
            parent,
            "album",
            album.name or "(no name)",
            (
                album.name or "(no name)",
                album.release_text,
                f"{kind}, {album.total_tracks} track{'' if album.total_tracks == 1 else 's'}"
                f"{OWNED_SUFFIX if album.id in self.owned else ''}",
            ),
            entity_id=album.id,
            rowid=album.rowid,
        )

    def _fill_tracks(self, node: Node, album: AlbumRow) -> None:
        multi = album.disc_count > 1
        for track in album.tracks:
            number = (
                f"{track.disc_number}-{track.track_number}" if multi else str(track.track_number)
            )
            child = self._add(
                node.id,
                "track",
                track.name,
                (
                    f"{number}. {track.name}",
                    format_duration(track.duration_ms),
                    track.artist_names + (OWNED_SUFFIX if track.id in self.owned else ""),
                ),
                entity_id=track.id,
                rowid=track.rowid,
                loaded=True,
            )
            node.children.append(child.id)
        node.loaded = True

    # -- answers from the worker ------------------------------------------------------

    def add_top_artists(
        self,
        artists: list[ArtistRow],
        more: tuple[int, int] | None,
        generation: int | None = None,
    ) -> None:
        """A page of top artists; `generation`: the model's when the page was asked for (a
        page asked for before the last reset is dropped)."""
        if self._root_mode != "top" or generation not in (None, self.generation):
            return
        root = self._nodes[0]
        root.loading = False
        root.loaded = more is None
        self.more_artists = more
        if not artists:
            return
        first = len(root.children)
        self.beginInsertRows(QModelIndex(), first, first + len(artists) - 1)
        for artist in artists:
            node = self._add(
                0,
                "artist",
                artist.name,
                (artist.name, "", f"{artist.followers:,} followers"),
                entity_id=artist.id,
                rowid=artist.rowid,
            )
            root.children.append(node.id)
        self.endInsertRows()

    def add_groups(self, node_id: int, groups: AlbumGroups) -> None:
        node = self._nodes.get(node_id)
        if node is None:  # the tree was reset meanwhile
            return
        items = [(label, albums) for label, albums in groups.items() if albums]
        node.loading, node.loaded = False, True
        if not items:
            return
        parent = self._index_of(node_id)
        self.beginInsertRows(parent, 0, len(items) - 1)
        for label, albums in items:
            group = self._add(
                node_id, "group", label, (label, "", f"{len(albums)}"), payload=albums
            )
            node.children.append(group.id)
        self.endInsertRows()

    def add_tracks(self, node_id: int, album: AlbumRow | None) -> None:
        node = self._nodes.get(node_id)
        if node is None:
            return
        node.loading = False
        if album is None or not album.tracks:
            node.loaded = True
            return
        self.beginInsertRows(self._index_of(node_id), 0, len(album.tracks) - 1)
        self._fill_tracks(node, album)
        self.endInsertRows()

    # -- Qt ---------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self.node(parent)
        if not 0 <= row < len(node.children) or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node = self._nodes[int(index.internalId())]
        return self._index_of(node.parent) if node.parent > 0 else QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        node = self.node(parent)
        if parent.isValid() and parent.column() != 0:
            return False
        if node.kind == "track":
            return False
        if node.kind == "root" or node.loaded:
            return bool(node.children)
        return True  # not loaded yet: assume there is something (never loads here)

    def canFetchMore(self, parent: Index) -> bool:
        node = self.node(parent)
        if node.kind == "track" or node.loading:
            return False
        if node.kind == "root":  # paged by fetch_more_top() as the view scrolls, not by Qt
            return False
        return not node.loaded

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        node = self.node(parent)
        if node.kind == "group":  # albums are in hand: no worker, in batches
            albums: tuple[AlbumSummary, ...] = node.payload or ()
            start = len(node.children)
            batch = albums[start : start + GROUP_BATCH]
            node.loaded = start + len(batch) >= len(albums)
            if batch:
                self.beginInsertRows(self._index_of(node.id), start, start + len(batch) - 1)
                for album in batch:
                    node.children.append(self._album_node(node.id, album).id)
                self.endInsertRows()
            return
        node.loading = True  # guards re-entry
        self.wantChildren.emit(node.id, node.kind, node.entity_id or "")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes.get(int(index.internalId()))
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return node.cells[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.entity_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None
