"""Match a scanned library against a catalog, folder by folder, into the user store."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from explorer.catalog import Catalog
from explorer.errors import CancelledError
from explorer.library.records import STATUS_OK
from explorer.library.store import FileRow, LibraryStore
from explorer.matching.decide import MatchResult, Thresholds
from explorer.matching.facts import FileFacts
from explorer.matching.links import Links
from explorer.matching.matcher import Matcher
from explorer.search.engine import SearchEngine

# Files read from the store per query while listing a folder; bounds memory on folders
# with tens of thousands of files.
FOLDER_PAGE = 2_000


@dataclass(frozen=True)
class MatchProgress:
    """Where a matching run is."""

    files_done: int
    files_total: int
    files_per_second: float
    folder: str


@dataclass(frozen=True)
class FileOutcome:
    """The result for one file, as the CLI prints it."""

    file: FileRow
    result: MatchResult | None  # None: kept as the user decided
    kept_user_decision: bool = False


@dataclass
class MatchSummary:
    """Counts of a matching run."""

    matched: int = 0
    review: int = 0
    unmatched: int = 0
    errors: int = 0
    kept: int = 0  # files whose link the user decided: left as they were
    seconds: float = 0.0
    by_method: dict[str, int] = field(default_factory=dict)

    @property
    def files(self) -> int:
        return self.matched + self.review + self.unmatched + self.errors + self.kept

    @property
    def files_per_second(self) -> float:
        return self.files / self.seconds if self.seconds > 0 else 0.0


def facts_of(row: FileRow) -> FileFacts:
    """What matching uses of a stored file (tags, or what its path told)."""
    tags = row.tags
    duration = row.stream.duration_s if row.stream else None
    return FileFacts(
        title=tags.title,
        artists=tags.artists,
        album=tags.album,
        album_artist=tags.album_artists[0] if tags.album_artists else None,
        track_number=tags.track_number,
        disc_number=tags.disc_number,
        year=tags.year,
        duration_ms=round(duration * 1000) if duration else None,
        isrc=tags.isrc,
        spotify_track_id=tags.spotify_track_id,
        spotify_album_id=tags.spotify_album_id,
        barcode=tags.barcode,
        guessed=bool(tags.guessed),
    )


def _folder_files(store: LibraryStore, folder: str) -> Iterator[list[FileRow]]:
    after = 0
    while True:
        rows = store.files_in_folder(folder, after_id=after, limit=FOLDER_PAGE)
        if not rows:
            return
        after = rows[-1].id
        yield rows


def match_library(
    store: LibraryStore,
    catalog: Catalog,
    *,
    root_ids: Sequence[int] | None = None,
    thresholds: Thresholds | None = None,
    progress: Callable[[MatchProgress], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    cancel: threading.Event | None = None,
    engine: SearchEngine | None = None,
    file_ids: Sequence[int] | None = None,
) -> MatchSummary:
    """Match every file of the store (or of `root_ids`, or just `file_ids`); user decisions
    are kept as they are."""
    only = set(file_ids) if file_ids is not None else None
    matcher = Matcher(catalog, engine=engine, thresholds=thresholds)
    links = Links(store)
    summary = MatchSummary()
    started = time.monotonic()
    total = (
        len(only)
        if only is not None
        else store.db.execute_sql("SELECT count(*) FROM files").fetchone()[0]
    )
    done = 0
    folders = store.folders(root_ids=root_ids)
    if only is not None:
        marks = ",".join("?" * len(only))
        wanted = {
            r[0]
            for r in store.db.execute_sql(
                f"SELECT DISTINCT folder FROM files WHERE id IN ({marks})", list(only)
            )
        }
        folders = [f for f in folders if f in wanted]
    for folder in folders:
        for rows in _folder_files(store, folder):
            if cancel is not None and cancel.is_set():
                raise CancelledError("Matching was cancelled; what was matched so far is kept.")
            if root_ids:
                rows = [r for r in rows if r.root_id in root_ids]
            if only is not None:
                rows = [r for r in rows if r.id in only]
            todo = []
            for row in rows:
                link = links.get(row.id) if row.status == STATUS_OK else None
                if row.status != STATUS_OK:
                    summary.errors += 1
                    if on_file:
                        on_file(FileOutcome(row, None))
                elif link is not None and link.user_decided:
                    summary.kept += 1
                    if on_file:
                        on_file(FileOutcome(row, None, kept_user_decision=True))
                else:
                    todo.append(row)
            results = matcher.match_files([facts_of(r) for r in todo]) if todo else []
            with store.db.atomic():
                for row, result in zip(todo, results, strict=True):
                    links.record_match(row.id, result)
                    setattr(summary, result.status, getattr(summary, result.status) + 1)
                    if result.method and result.status != "unmatched":
                        summary.by_method[result.method] = (
                            summary.by_method.get(result.method, 0) + 1
                        )
            if on_file:
                for row, result in zip(todo, results, strict=True):
                    on_file(FileOutcome(row, result))
            done += len(rows)
            if progress is not None:
                elapsed = time.monotonic() - started
                progress(MatchProgress(done, total, done / elapsed if elapsed else 0.0, folder))
    summary.seconds = time.monotonic() - started
    return summary
