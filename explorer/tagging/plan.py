"""What would be written into each file: its tags before -> after, or why it cannot be.

`diff` is pure (tags read + values wanted -> changes); `plan_files` reads the store, the
catalog and each file to make the plans the preview shows and the writer carries out.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from explorer.catalog import Catalog
from explorer.catalog.records import AlbumRow
from explorer.errors import KnownError
from explorer.library.records import STATUS_ERROR, STATUS_MISSING
from explorer.library.store import FileRow, LibraryStore, display_path
from explorer.matching.links import LinkRow, Links
from explorer.matching.review import file_by_id
from explorer.tagging.fields import (
    ID_FIELDS,
    NEEDS_ALBUM,
    NEEDS_FEATURES,
    NEEDS_GENRES,
    CatalogFacts,
    catalog_values,
)
from explorer.tagging.formats import TagFile, UnwritableError, open_tags, read_plain
from explorer.tagging.names import plain_slots
from explorer.tagging.stage import hard_link_problem

# Albums and artists kept read while planning (files of one album come together).
CATALOG_CACHE = 256
# Links read per page when every linked file is planned.
LINK_PAGE = 500


@dataclass(frozen=True)
class FieldChange:
    """One tag of one file: its texts now and the texts it would get (() = absent)."""

    field: str
    name: str  # the tag's name in the file's tag system (TSRC, ISRC, ©nam, ...)
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class FilePlan:
    """One file's plan: the changes, or the reason it cannot be written."""

    file_id: int
    path: bytes
    format: str = ""
    tag_system: str = ""
    changes: tuple[FieldChange, ...] = ()
    problem: str | None = None
    track_id: str | None = None
    size: int = 0  # the file as the last scan saw it: it must still be so when written
    mtime_ns: int = 0

    @property
    def display(self) -> str:
        return display_path(self.path)

    @property
    def status(self) -> str:
        """write | unchanged | unwritable."""
        if self.problem is not None:
            return "unwritable"
        return "write" if self.changes else "unchanged"


@dataclass(frozen=True)
class Preview:
    """Plans of every chosen file, and counts for the summary line."""

    plans: tuple[FilePlan, ...]
    fields: tuple[str, ...]
    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def to_write(self) -> tuple[FilePlan, ...]:
        return tuple(plan for plan in self.plans if plan.status == "write")


def diff(
    current: Mapping[str, Sequence[str] | None], wanted: Iterable[tuple[str, str, Sequence[str]]]
) -> tuple[FieldChange, ...]:
    """The changes that turn the `current` tags (name -> texts, None: absent) into the
    `wanted` (field, name, texts); tags that already hold the texts are left out."""
    changes = []
    for field_name, name, texts in wanted:
        before = tuple(current.get(name) or ())
        after = tuple(texts)
        if before != after:
            changes.append(FieldChange(field_name, name, before, after))
    return tuple(changes)


def writable_link(link: LinkRow | None) -> str | None:
    """None when the link may be written into the file, else why not."""
    if link is None or not link.track_id:
        return "it is not linked to a catalog track"
    if link.status == "rejected":
        return "you rejected its link"
    if link.status in ("accepted", "manual"):
        return None
    if link.decision == "matched":
        return None
    if link.decision == "review":
        return "its match waits for your review (accept it first)"
    return "it is not linked to a catalog track"


class CatalogReader:
    """The catalog facts of linked tracks, albums and artists read once per planning."""

    def __init__(self, catalog: Catalog, fields: Sequence[str]) -> None:
        self.catalog = catalog
        self.fields = set(fields)
        self.album = lru_cache(maxsize=CATALOG_CACHE)(self._album)
        self.genres = lru_cache(maxsize=CATALOG_CACHE)(self._genres)

    def _album(self, album_id: str) -> AlbumRow | None:
        return self.catalog.album(album_id)

    def _genres(self, artist_id: str) -> tuple[str, ...]:
        artist = self.catalog.artist(artist_id)
        return artist.genres if artist is not None else ()

    def facts(self, track_id: str) -> CatalogFacts | None:
        track = self.catalog.track(track_id)
        if track is None:
            return None
        album = None
        if self.fields & NEEDS_ALBUM and track.album is not None:
            album = self.album(track.album.id)
        genres = (
            self.genres(track.artists[0].id) if self.fields & NEEDS_GENRES and track.artists else ()
        )
        features = None
        if self.fields & NEEDS_FEATURES and self.catalog.has_features:
            features = self.catalog.audio_features(track.id)
        return CatalogFacts(track=track, album=album, genres=genres, features=features)


def stat_problem(row: FileRow) -> str | None:
    """Why a scanned file cannot be written now (gone, changed, read-only), or None."""
    if row.status == STATUS_MISSING:
        return "the file is gone since the last scan"
    if row.status == STATUS_ERROR:
        return f"the file could not be read at the last scan ({row.error})"
    try:
        info = os.stat(row.path)
    except FileNotFoundError:
        return "the file is gone"
    except OSError as exc:
        return f"the file cannot be read ({exc.strerror})"
    if info.st_size != row.size or info.st_mtime_ns != row.mtime_ns:
        return "the file changed since the last scan; scan it again first"
    if not info.st_mode & 0o222 or not os.access(row.path, os.W_OK):
        return "the file is read-only"
    if (linked := hard_link_problem(info)) is not None:
        return linked
    if not os.access(os.path.dirname(os.path.realpath(row.path)) or b".", os.W_OK | os.X_OK):
        return "its folder is read-only (the new file is written beside the old one)"
    return None


def wanted_slots(
    tag_file: TagFile, values: Mapping[str, tuple[str, ...]]
) -> list[tuple[str, str, list[str]]]:
    """(field, tag name, texts) of every value in this file's tag system."""
    return [
        (name, tag, texts)
        for name, value in values.items()
        for tag, texts in plain_slots(tag_file, name, value)
    ]


def plan_file(
    row: FileRow, link: LinkRow | None, reader: CatalogReader, fields: Sequence[str]
) -> FilePlan:
    """One file's plan (reads the file with mutagen)."""
    base = FilePlan(row.id, row.path, size=row.size, mtime_ns=row.mtime_ns)
    problem = writable_link(link) or stat_problem(row)
    if problem is not None:
        return _with(base, problem=problem)
    assert link is not None and link.track_id is not None
    facts = reader.facts(link.track_id)
    if facts is None:
        return _with(base, problem=f"its track {link.track_id} is not in this catalog")
    try:
        tag_file = open_tags(os.fsdecode(row.path))
    except UnwritableError as exc:
        return _with(base, problem=str(exc))
    wanted = wanted_slots(tag_file, catalog_values(facts, fields))
    current = {name: read_plain(tag_file, name) for _, name, _ in wanted}
    return FilePlan(
        row.id,
        row.path,
        format=tag_file.format,
        tag_system=tag_file.system,
        changes=diff(current, wanted),
        track_id=link.track_id,
        size=row.size,
        mtime_ns=row.mtime_ns,
    )


def _with(plan: FilePlan, *, problem: str) -> FilePlan:
    return FilePlan(
        plan.file_id, plan.path, problem=problem, size=plan.size, mtime_ns=plan.mtime_ns
    )


def files_under(store: LibraryStore, paths: Sequence[str | bytes]) -> list[int]:
    """The store's file ids of these files and of every file under these folders."""
    ids: list[int] = []
    folders: list[str] | None = None
    for path in paths:
        raw = os.fsencode(os.path.abspath(os.fsdecode(path)))
        row = store.file_by_path(raw)
        if row is not None:
            ids.append(row.id)
            continue
        if not os.path.isdir(raw):
            raise KnownError(
                f"{display_path(raw)} is not in the library store; scan or match its folder first."
            )
        folders = store.folders() if folders is None else folders
        prefix = display_path(raw).rstrip(os.sep)
        for folder in folders:
            if folder == prefix or folder.startswith(prefix + os.sep):
                after = 0
                while page := store.files_in_folder(folder, after_id=after):
                    ids.extend(file.id for file in page)
                    after = page[-1].id
    return list(dict.fromkeys(ids))


def linked_files(store: LibraryStore) -> Iterator[int]:
    """Every file with a link that may be written (matched, accepted, manual), in id order."""
    links = Links(store)
    after = 0
    while page := links.page(after_file_id=after, limit=LINK_PAGE):
        yield from (link.file_id for link in page if writable_link(link) is None)
        after = page[-1].file_id


def plan_files(
    store: LibraryStore,
    catalog: Catalog,
    file_ids: Iterable[int],
    *,
    fields: Sequence[str] = ID_FIELDS,
    progress: Callable[[int], None] | None = None,
) -> Preview:
    """The plans of these files (reads each one); `progress(files planned)` as it goes."""
    reader = CatalogReader(catalog, fields)
    links = Links(store)
    plans = []
    for done, file_id in enumerate(file_ids, start=1):
        row = file_by_id(store, file_id)
        if row is None:
            continue
        plans.append(plan_file(row, links.get(file_id), reader, fields))
        if progress is not None:
            progress(done)
    counts = {"write": 0, "unchanged": 0, "unwritable": 0}
    for plan in plans:
        counts[plan.status] += 1
    return Preview(tuple(plans), tuple(fields), counts)
