"""The browse pane: the genre box and the tree of artists, their releases and tracks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Slot
from PySide6.QtWidgets import QComboBox, QTreeView, QVBoxLayout, QWidget

from explorer.catalog.records import AlbumRow
from explorer.ui import jobs
from explorer.ui.browse_tree_model import BrowseTreeModel
from explorer.ui.workers import QueryOp

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

TOP_ARTISTS = "Most followed artists"
# The genre box's item that says the tree shows one album (it names the album).
FOCUS_ITEM = "focus"
# room beside the date column's text (the cell's margins, and the header's)
DATE_COLUMN_PADDING_PX = 16


class BrowsePane(QObject):
    """Most followed artists or a genre's, opened down to tracks page by page."""

    def __init__(self, window: MainWindow, parent: QWidget) -> None:
        super().__init__(window)
        self.w = window
        self.widget = QWidget(parent)
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.genre_box = QComboBox(self.widget)
        self.genre_box.setObjectName("genreBox")
        self.genre_box.addItem(TOP_ARTISTS)
        self.genre_box.activated.connect(self.on_genre)
        layout.addWidget(self.genre_box)
        self.model = BrowseTreeModel(self)
        self.model.wantChildren.connect(self._on_want_children)
        self.tree = QTreeView(self.widget)
        layout.addWidget(self.tree)
        self.tree.setObjectName("browseTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setTabKeyNavigation(False)
        self.tree.header().resizeSection(0, 360)
        # the date column holds the longest date the tree writes ("28 September 2021")
        longest = self.tree.fontMetrics().horizontalAdvance("28 September 2000")
        self.tree.header().resizeSection(1, longest + DATE_COLUMN_PADDING_PX)
        self.tree.clicked.connect(self._on_clicked)
        # the arrow keys move the current row: the pane follows (not while the window
        # itself sets it, showing an album whose track the pane shows)
        self._placing = False
        # (artist node, album id): the album to select once that artist's groups arrive
        self._reveal: tuple[int, str] | None = None
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.tree.activated.connect(self._on_clicked)
        self.tree.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)

    def start(self) -> None:
        """Ask for the genres and the first page of artists."""
        self.w.worker.run(QueryOp(lambda catalog, engine: tuple(catalog.genres()), self._on_genres))
        self.model.reset_top()

    def _on_genres(self, genres: tuple[str, ...]) -> None:
        self.genre_box.addItems(list(genres))

    @Slot(int, str, str)
    def _on_want_children(self, node_id: int, kind: str, entity_id: str) -> None:
        below = self.model.more_artists
        generation = self.model.generation
        run = self.w.worker.run
        if kind == "root":
            run(QueryOp(lambda c, e: jobs.top_artists(c, below, generation), self._on_top))
        elif kind == "artist":
            run(
                QueryOp(
                    lambda c, e: jobs.groups(c, entity_id),
                    lambda answer: self._on_groups(node_id, answer),
                )
            )
        elif kind == "album":
            run(
                QueryOp(
                    lambda c, e: jobs.album(c, entity_id),
                    lambda answer: self._on_tracks(node_id, answer),
                )
            )

    def _on_top(self, answer: jobs.TopArtists) -> None:
        self.model.add_top_artists(list(answer.artists), answer.more, answer.generation)

    def _on_groups(self, node_id: int, answer: jobs.Owned) -> None:
        self.model.owned |= answer.owned
        self.model.add_groups(node_id, answer.value)
        if self._reveal is not None and self._reveal[0] == node_id:
            self._select(self.model.reveal_album(*self._reveal))
            self._reveal = None

    def _on_tracks(self, node_id: int, answer: jobs.Owned) -> None:
        self.model.owned |= answer.owned
        self.model.add_tracks(node_id, answer.value)

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._placing and current.isValid():
            self._on_clicked(current)

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        bar = self.tree.verticalScrollBar()
        if value >= bar.maximum() - bar.pageStep():
            self.model.fetch_more_top()

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        node = self.model.node(index)
        if node.entity_id and node.kind in ("artist", "album", "track"):
            self.w.details.open_entity(node.kind, node.entity_id)

    def show_album(self, album_id: str) -> None:
        """Show the album with its tracks in the browse tree."""
        self.w.worker.run(
            QueryOp(
                lambda c, e: jobs.album(c, album_id),
                self._on_focus,
                latest=self._on_focus,
                interrupts=True,
            )
        )

    def _on_focus(self, answer: jobs.Owned) -> None:
        album = answer.value
        if album is None:
            return
        self.model.owned |= answer.owned
        index = self.model.loaded("album", album.id)
        if index.isValid():  # in the tree already (its artist opened): the tree stays
            self._select(index)
            return
        if self._reveal_under_artist(album):
            return
        index = self.model.focus_album(album)
        self.tree.expand(index)
        self._placing = True
        try:
            self.tree.setCurrentIndex(index)
        finally:
            self._placing = False
        self._set_focus_item(f"Album: {album.name or '(no name)'}")

    def _reveal_under_artist(self, album: AlbumRow) -> bool:
        """Open the album's artist where the tree lists it (the tree stays) and select the
        album once its groups are there; False when none of its artists is listed."""
        for artist in album.artists:
            index = self.model.loaded("artist", artist.id)
            if not index.isValid():
                continue
            node = self.model.node(index)
            if node.loaded:
                found = self.model.reveal_album(node.id, album.id)
                if found.isValid():
                    self._select(found)
                    return True
                continue  # the artist has groups, none with this album
            self._reveal = (node.id, album.id)
            self.tree.expand(index)  # asks for its groups: _on_groups selects the album
            self.tree.scrollTo(index)
            return True
        return False

    def _select(self, index: QModelIndex) -> None:
        """Make `index` the tree's current row, opened and in view, without the pane
        following it (the window shows that album already)."""
        if not index.isValid():
            return
        self._placing = True
        try:
            self.tree.setCurrentIndex(index)
        finally:
            self._placing = False
        self.tree.expand(index)
        self.tree.scrollTo(index)

    def _set_focus_item(self, text: str | None) -> None:
        """Say in the genre box what the tree shows when it is one album (`text`), as the
        item after "Most followed artists"; None takes that item away."""
        box = self.genre_box
        old = box.findData(FOCUS_ITEM)
        if old >= 0:
            box.removeItem(old)
        if text is not None:
            box.insertItem(1, text, FOCUS_ITEM)
            box.setItemData(
                1,
                "The tree shows this album only: choose Most followed artists or a genre "
                "to browse again.",
                Qt.ItemDataRole.ToolTipRole,
            )
            box.setCurrentIndex(1)

    @Slot(int)
    def on_genre(self, index: int) -> None:
        if index <= 0:
            self.show_top()
            return
        if self.genre_box.itemData(index) == FOCUS_ITEM:
            return  # the album shown: the tree stays as it is
        genre = self.genre_box.itemText(index)
        self._set_focus_item(None)
        self.genre_box.setCurrentIndex(self.genre_box.findText(genre))
        self.w.worker.run(
            QueryOp(
                lambda catalog, engine: catalog.artists_of_genre(genre),
                self.model.set_artists,
                latest=self.model.set_artists,
                interrupts=True,
            )
        )

    def show_top(self) -> None:
        self._set_focus_item(None)
        self.genre_box.setCurrentIndex(0)
        self.model.reset_top()

    def _menu(self, point: Any) -> None:
        node = self.model.node(self.tree.indexAt(point))
        if node.entity_id and node.kind in ("artist", "album", "track"):
            self.w.details.copy_menu(
                node.kind, node.entity_id, None, self.tree.viewport().mapToGlobal(point)
            )
