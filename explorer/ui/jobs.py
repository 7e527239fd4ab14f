"""The window's jobs, run on the worker thread: each reads the catalog or the user store
and answers with a frozen dataclass."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from explorer.catalog import Catalog
from explorer.catalog.records import ImageRow
from explorer.errors import KnownError
from explorer.index import index_status
from explorer.library.store import LibraryStore, default_store_path, open_store
from explorer.matching import decisions
from explorer.matching.links import Links
from explorer.matching.reports import (
    album_presence,
    duplicates,
    missing_tracks,
    owned_ids,
    unmatched,
)
from explorer.matching.review import (
    ReviewRow,
    explained,
    file_by_id,
    find_candidate,
    folder_rows,
    library_folders,
    library_page,
    linked_candidate,
    named_row,
    review_row,
)
from explorer.matching.review_html import review_html
from explorer.search.engine import SearchEngine
from explorer.search.query import parse_query
from explorer.search.results import KINDS, EntityKind, SearchPage
from explorer.ui.detail_pane import album_html, artist_html, track_html

# Results asked per page; more pages come as the view scrolls.
PAGE_SIZE = 50
# Artists per page of the browse tree's top level.
TREE_PAGE = 200


@dataclass(frozen=True)
class Found:
    """A page of results and which of them the user has files of."""

    page: SearchPage
    owned: frozenset[str]


@dataclass(frozen=True)
class FilesPage:
    rows: tuple[ReviewRow, ...]
    more: bool


@dataclass(frozen=True)
class FolderFiles:
    number: int  # the tree model's request number
    rows: tuple[ReviewRow, ...]


@dataclass(frozen=True)
class Reviewed:
    """One file's row and its explanation for the pane."""

    row: ReviewRow
    html: str


@dataclass(frozen=True)
class HistoryDone:
    reviewed: Reviewed | None
    said: str


@dataclass(frozen=True)
class Acceptable:
    threshold: float
    count: int


@dataclass(frozen=True)
class Report:
    kind: str
    rows: tuple[Any, ...]
    has_library: bool


@dataclass(frozen=True)
class Detail:
    kind: str
    record: Any
    html: str
    cover: str | None


@dataclass(frozen=True)
class TopArtists:
    artists: tuple[Any, ...]
    more: tuple[int, int] | None
    generation: int


@dataclass(frozen=True)
class Owned:
    """An artist's release groups or an album (`value`), and which of them the user has."""

    value: Any
    owned: frozenset[str]


_thread_state = threading.local()


def user_store() -> LibraryStore | None:
    """This worker thread's user store, None while there is none (never created here)."""
    store: LibraryStore | None = getattr(_thread_state, "store", None)
    if store is None:
        path = default_store_path()
        if not path.exists():
            return None
        store = open_store(path)
        _thread_state.store = store
    return store


def _store() -> LibraryStore:
    store = user_store()
    if store is None:
        raise KnownError(decisions.NO_LIBRARY)
    return store


def search(engine: SearchEngine, text: str, kind: EntityKind, cursor: str | None) -> Found:
    """A page of results. A pasted bare ID that is not of `kind` is looked up as the other
    kinds: the page is then of the kind found."""
    page = engine.search(text, kind=kind, limit=PAGE_SIZE, cursor=cursor)
    if not page.hits and cursor is None:
        ref = parse_query(text).ref
        if ref is not None and ref.kind is None:
            for other in KINDS:
                if other != kind:
                    found = engine.search(text, kind=other, limit=PAGE_SIZE)
                    if found.hits:
                        page = found
                        break
    store = user_store()
    owned = owned_ids(store, kind, [hit.id for hit in page.hits]) if store is not None else set()
    return Found(page, frozenset(owned))


def files(after_id: int, text: str, after: ReviewRow | None = None) -> FilesPage:
    store = user_store()
    if store is None:
        return FilesPage((), False)
    rows, more = library_page(store, after_id=after_id, after=after, text=text)
    return FilesPage(tuple(rows), more)


def folders(text: str) -> tuple[str, ...]:
    store = user_store()
    return tuple(library_folders(store, text)) if store is not None else ()


def folder(number: int, name: str, text: str) -> FolderFiles:
    store = user_store()
    return FolderFiles(number, tuple(folder_rows(store, name, text)) if store is not None else ())


def review(file_id: int, catalog: Catalog | None = None) -> Reviewed:
    store = _store()
    file = file_by_id(store, file_id)
    if file is None:
        raise KnownError(decisions.GONE)
    links = Links(store)
    link = explained(links.get(file_id), file, catalog)  # the breakdown, computed now
    row = review_row(file, link)
    linked = None
    if catalog is not None and link is not None and link.track_id is not None:
        # a track the matcher never offered (linked from a search result): its names
        track = None if find_candidate(link.detail, link.track_id) else catalog.track(link.track_id)
        linked = linked_candidate(track) if track is not None else None
        row = named_row(row, linked) if linked is not None else row
    return Reviewed(row, review_html(file, link, links.history(file_id), linked))


def decide(file_id: int, action: str, target: dict[str, str | None], catalog: Catalog) -> Reviewed:
    decisions.decide(_store(), file_id, action, catalog=catalog, **target)
    return review(file_id, catalog)


def history(which: str, catalog: Catalog) -> HistoryDone:
    """Undo or redo the latest decision: the file's row and pane, and what was done."""
    store = _store()
    step = decisions.undo(store) if which == "undo" else decisions.redo(store)
    if step is None:
        raise KnownError(f"Nothing to {which}.")
    try:
        reviewed: Reviewed | None = review(step.file_id, catalog)
    except KnownError:
        reviewed = None
    return HistoryDone(reviewed, step.said)


def acceptable(threshold: float) -> Acceptable:
    store = user_store()
    count = decisions.count_acceptable(store, threshold) if store is not None else 0
    return Acceptable(threshold, count)


def accept_all(threshold: float) -> int:
    store = user_store()
    return decisions.accept_all(store, threshold) if store is not None else 0


def report(catalog: Catalog, kind: str) -> Report:
    """The report's rows, and whether there is a library at all."""
    store = user_store()
    if store is None or not store.files(limit=1):
        return Report(kind, (), False)
    if kind == "missing":
        return Report(kind, tuple(missing_tracks(store, catalog)), True)
    if kind == "duplicates":
        return Report(kind, tuple(duplicates(store)), True)
    return Report(kind, tuple(unmatched(store)), True)


def status(catalog: Catalog, engine: SearchEngine) -> str:
    sizes = {item.table: item.rows for item in catalog.estimates()}
    if not isinstance(catalog, Catalog):  # a server's: its search structures are there
        return (
            f"{catalog.name}: about {sizes.get('tracks', 0):,} tracks, "
            f"{sizes.get('albums', 0):,} albums, {sizes.get('artists', 0):,} artists · "
            "search on the server"
        )
    state_of = index_status(catalog)
    state = (
        "search index ready"
        if state_of.complete
        else f"no search index (Index > Build; {state_of.share_done:.0%} built)"
        if state_of.exists
        else "no search index: names by their beginning only (Index > Build)"
    )
    return (
        f"{catalog.name}: {sizes.get('tracks', 0):,} tracks, {sizes.get('albums', 0):,} albums, "
        f"{sizes.get('artists', 0):,} artists · {state}"
    )


def detail(catalog: Catalog, kind: str, entity_id: str) -> Detail:
    if kind == "track":
        track = catalog.track(entity_id)
        if track is None:
            raise KnownError(f"No track {entity_id} in this catalog.")
        others = [t for t in catalog.tracks_with_isrc(track.isrc or "") if t.id != track.id]
        images = catalog.album_images(track.album_rowid)
        html = track_html(track, catalog.audio_features(track.id), others)
        return Detail(kind, track, html, cover_url(images))
    if kind == "album":
        album = catalog.album(entity_id)
        if album is None:
            raise KnownError(f"No album {entity_id} in this catalog.")
        store = user_store()
        presence = album_presence(store, album) if store is not None else None
        return Detail(kind, album, album_html(album, presence), cover_url(album.images))
    artist = catalog.artist(entity_id)
    if artist is None:
        raise KnownError(f"No artist {entity_id} in this catalog.")
    html = artist_html(artist, catalog.artist_albums(artist.rowid))
    return Detail(kind, artist, html, cover_url(artist.images))


def cover_url(images: tuple[ImageRow, ...]) -> str | None:
    """The largest image up to 640 pixels (the catalog lists 640, 300 and 64)."""
    fitting = [image for image in images if image.width <= 640] or list(images)
    return max(fitting, key=lambda image: image.width).url if fitting else None


def top_artists(catalog: Catalog, below: tuple[int, int] | None, generation: int) -> TopArtists:
    artists = catalog.top_artists(limit=TREE_PAGE, below=below)
    more = (artists[-1].followers, artists[-1].rowid) if len(artists) == TREE_PAGE else None
    return TopArtists(tuple(artists), more, generation)


def groups(catalog: Catalog, artist_id: str) -> Owned:
    """An artist's release groups, and which of those albums the user has tracks of."""
    artist = catalog.artist(artist_id)
    if artist is None:
        raise KnownError(f"No artist {artist_id} in this catalog.")
    found = catalog.artist_albums(artist.rowid)
    store = user_store()
    ids = [album.id for _, albums in found.items() for album in albums]
    return Owned(found, frozenset(owned_ids(store, "album", ids) if store is not None else ()))


def album(catalog: Catalog, album_id: str) -> Owned:
    """An album with its tracks, and which of them (and whether it) the user has."""
    found = catalog.album(album_id)
    store = user_store()
    if found is None or store is None:
        return Owned(found, frozenset())
    owned = owned_ids(store, "track", [t.id for t in found.tracks])
    if owned:
        owned.add(found.id)
    return Owned(found, frozenset(owned))
