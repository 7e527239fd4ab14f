"""The details side of the window: the cover, the detail pane, the Back / Forward history,
its links, and the copy menus of results and tree."""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QVBoxLayout, QWidget

from explorer.search.results import SearchHit
from explorer.ui import jobs
from explorer.ui.covers import FOLDER_KEY, NETWORK_KEY, CoverLoader
from explorer.ui.detail_pane import DetailPane
from explorer.ui.settings import settings
from explorer.ui.workers import QueryOp

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

# Height of the cover above the detail pane, in pixels.
COVER_PX = 216
COVER_TEXT_PX = 28  # the label's height while it shows a sentence instead


class DetailsPane(QObject):
    """What is chosen, in full: a catalog entity with its cover, or a file's review."""

    def __init__(self, window: MainWindow, parent: QWidget) -> None:
        super().__init__(window)
        self.w = window
        self.history: list[tuple[str, str]] = []
        self.position = -1
        self.widget = QWidget(parent)
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        self.cover_label = QLabel("", self.widget)
        self.cover_label.setObjectName("coverLabel")
        self.cover_label.setFixedHeight(COVER_PX)
        self.cover_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.cover_label.setWordWrap(True)
        layout.addWidget(self.cover_label)
        self.detail = DetailPane(self.widget)
        self.detail.anchorClicked.connect(self.on_link)
        layout.addWidget(self.detail, 1)
        self.covers = CoverLoader(settings(), self)
        self.covers.ready.connect(self._on_cover)
        self.covers.unavailable.connect(self._on_no_cover)
        self._cover_url: str | None = None

    # -- entities and history ---------------------------------------------------------------

    def open_entity(self, kind: str, entity_id: str, *, remember: bool = True) -> None:
        """Show one artist, album or track in the detail pane (and in the history)."""
        if remember and not (
            self.position >= 0 and self.history[self.position] == (kind, entity_id)
        ):
            del self.history[self.position + 1 :]
            self.history.append((kind, entity_id))
            self.position = len(self.history) - 1
            self.w.menus.update_nav()
        self.w.worker.run(
            QueryOp(
                lambda c, e: jobs.detail(c, kind, entity_id),
                self._on_detail,
                self.detail.show_message,
                latest=self._on_detail,
                interrupts=True,
            )
        )

    def _on_detail(self, answer: jobs.Detail) -> None:
        self.detail.show_entity(answer.kind, answer.record, answer.html)
        self.show_cover(answer.cover)

    def show_file(self, reviewed: jobs.Reviewed) -> None:
        """A file's review in the pane (no cover: the catalog's is not the file's)."""
        self.detail.show_entity("file", reviewed.row, reviewed.html)
        self._cover_url = None
        self.cover_label.setPixmap(QPixmap())
        self.cover_label.setText("")
        self.cover_label.setFixedHeight(COVER_TEXT_PX)

    def go_back(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.open_entity(*self.history[self.position], remember=False)
            self.w.menus.update_nav()

    def go_forward(self) -> None:
        if self.position < len(self.history) - 1:
            self.position += 1
            self.open_entity(*self.history[self.position], remember=False)
            self.w.menus.update_nav()

    @Slot(QUrl)
    def on_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            webbrowser.open(url.toString())
            return
        parts = [p for p in url.toString().removeprefix("explorer://").split("/") if p]
        library = self.w.library
        if len(parts) == 2 and parts[0] in ("accept", "reject", "unlink") and parts[1].isdigit():
            library.decide(parts[0], int(parts[1]))
            return
        if len(parts) == 5 and parts[0] == "pick" and parts[1].isdigit():
            track_id, album_id, isrc = (None if p == "-" else p for p in parts[2:])
            library.decide("pick", int(parts[1]), track_id=track_id, album_id=album_id, isrc=isrc)
            return
        if len(parts) == 3 and parts[0] == "tree" and parts[1] == "album":
            self.w.browse.show_album(parts[2])
        elif len(parts) == 2 and parts[0] in ("artist", "album", "track"):
            self.open_entity(parts[0], parts[1])

    # -- covers -------------------------------------------------------------------------------

    def show_cover(self, url: str | None) -> None:
        self._cover_url = url
        self.cover_label.setPixmap(QPixmap())
        self.cover_label.setFixedHeight(COVER_TEXT_PX)
        if url is None:
            self.cover_label.setText("No cover in the catalog.")
            return
        self.cover_label.setText("Loading the cover…")
        self.covers.request(url)

    @Slot(str, QPixmap)
    def _on_cover(self, url: str, pixmap: QPixmap) -> None:
        if url == self._cover_url:
            self.cover_label.setFixedHeight(COVER_PX)
            size = COVER_PX - 8
            self.cover_label.setPixmap(
                pixmap.scaled(
                    size,
                    size,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )

    @Slot(str, str)
    def _on_no_cover(self, url: str, reason: str) -> None:
        if url == self._cover_url:
            self.cover_label.setText(reason)

    def choose_cover_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.w, "Folder of cover images (named like the image URLs)"
        )
        if folder:
            self.covers.settings.setValue(FOLDER_KEY, folder)
            self.show_cover(self._cover_url)

    def toggle_network(self, allowed: bool) -> None:
        self.covers.settings.setValue(NETWORK_KEY, "true" if allowed else "false")
        self.show_cover(self._cover_url)

    # -- copy menus -----------------------------------------------------------------------

    def copy_menu(
        self,
        kind: str,
        entity_id: str,
        isrc: str | None,
        where: Any,
        first: tuple[str, Any] | None = None,
    ) -> None:
        """Copy and open actions for one entity (`first`: an action above them)."""
        menu = QMenu(self.w)
        if first is not None:
            menu.addAction(*first)
            menu.addSeparator()
        clipboard = QGuiApplication.clipboard()
        menu.addAction("Copy ID", lambda: clipboard.setText(entity_id))
        menu.addAction("Copy URI", lambda: clipboard.setText(f"spotify:{kind}:{entity_id}"))
        if isrc:
            menu.addAction("Copy ISRC", lambda: clipboard.setText(isrc))
        menu.addAction(
            "Open web page", lambda: webbrowser.open(f"https://open.spotify.com/{kind}/{entity_id}")
        )
        menu.exec(where)

    def results_menu(self, point: Any) -> None:
        results = self.w.results
        if results.library_mode:
            return
        hit = results.models[results.kind].hit(results.view.indexAt(point).row())
        if hit is not None:
            where = results.view.viewport().mapToGlobal(point)
            self.copy_menu(hit.kind, hit.id, self.shown_isrc(hit), where, self.link_action(hit))

    def shown_isrc(self, hit: SearchHit) -> str | None:
        """The ISRC of a track result when the pane shows that track (results carry none)."""
        shown = self.detail.current
        if hit.kind != "track" or not shown or shown[0] != "track":
            return None
        record = shown[1]
        return getattr(record, "isrc", None) if getattr(record, "id", None) == hit.id else None

    def link_action(self, hit: SearchHit) -> tuple[str, Any] | None:
        """ "Link <the chosen file> to this track" for a track result, once a file of Your
        library was chosen; None otherwise."""
        library = self.w.library
        chosen = library.chosen_file
        if hit.kind != "track" or chosen is None:
            return None
        row = library.model.row(library.model.position_of(chosen))
        row = row or library.tree_model.row_of(chosen)  # grouped by folder
        name = row.path.rsplit("/", 1)[-1] if row is not None else "the chosen file"
        return (
            f"Link {name} to this track",
            lambda: library.decide(
                "manual", chosen, track_id=hit.id, album_id=hit.album_id, isrc=None
            ),
        )
