"""Match a scanned library against a catalog, folder by folder, into the user store."""

from __future__ import annotations

import gc
import math
import os
import signal
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from explorer.catalog import Catalog, open_catalog
from explorer.catalog.publish import is_postgres_url
from explorer.catalog.server import ServerCatalog, open_server_catalog
from explorer.errors import CancelledError, KnownError, index_damaged, is_damaged_file
from explorer.library.records import STATUS_OK
from explorer.library.store import FileRow, FileTagsRow, LibraryStore
from explorer.matching.decide import Thresholds
from explorer.matching.facts import FileFacts
from explorer.matching.links import Links, Verdict, verdict_of
from explorer.matching.matcher import Matcher
from explorer.processes import import_lazy_modules, pool_context
from explorer.search.engine import SearchEngine
from explorer.search.server_engine import engine_for

# Files read from the store per query while listing a folder; bounds memory on folders
# with tens of thousands of files.
FOLDER_PAGE = 2_000
# Runs of at least this many files are matched by worker processes, folder by folder,
# while this process writes the results (starting a worker costs about half a second).
PARALLEL_FROM = 1_500
# Worker processes of a parallel run: one per core, at most WORKERS_MAX, when the catalog
# fits in memory: its pages come from the OS page cache, the run is CPU-bound, and a worker
# more than the cores cost 5 % (10 M tracks: 5,550 -> 5,220 files/s with 4 workers on 2
# cores). Two per core, at most WORKERS_MAX_COLD, when the catalog is larger than
# CACHED_SHARE of the memory this process can have (the machine's, or its cgroup's limit
# in a container; the real dump is 125 GB): most of its pages are then read from the
# disk, and while a worker waits for one the others use the cores (10 M tracks under a
# 700 MB memory limit, the cache dropped: 2,319 -> 2,685 files/s, and 2,768 -> 3,196 on
# later code; see benchmarks/match_cold_bench.py).
WORKERS_MAX = 4
WORKERS_MAX_COLD = 8
CACHED_SHARE = 0.5
# Folder pages go to a worker in batches of about this many files (one folder is a few
# milliseconds of work: handing them over one by one cost as much as matching them).
BATCH_FILES = 200
# Batches handed to the workers ahead of the one being written, per worker (bounds the
# memory of a run: the files and results waiting).
AHEAD_PER_WORKER = 2
# A matching worker's garbage collector thresholds (Python's default: 700, 10, 10). The
# matcher makes no reference cycles that need collecting often; collections walked its
# caches' tuples again and again (about 3 % of a worker's time at 1 M tracks).
WORKER_GC_THRESHOLD = (50_000, 20, 100)
# ... and the process that writes, while a run lasts: its collections walked the pages
# waiting to be written again and again (0.09 of its 0.8 s of CPU at 10 M tracks, 9,400
# files; with these thresholds none ran). Set back when the last run going ends.
WRITER_GC_THRESHOLD = (50_000, 20, 100)


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

    file: FileTagsRow
    result: Verdict | None  # None: kept as the user decided, or unreadable
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
    duration = row.stream.duration_s if row.stream else None
    return _facts(row.tags.to_json(), duration)


def stored_facts(row: FileTagsRow) -> FileFacts:
    """`facts_of` from the lean read the matcher makes of a folder's files."""
    return _facts(row.tags, row.duration_s)


def _facts(tags: Mapping[str, Any], duration_s: float | None) -> FileFacts:
    """FileFacts of tags as `TrackTags.to_json` writes them; a value of the wrong type (a
    damaged store) counts as absent."""
    album_artists = _texts(tags.get("album_artists"))
    return FileFacts(
        title=_text(tags.get("title")),
        artists=_texts(tags.get("artists")),
        album=_text(tags.get("album")),
        album_artist=album_artists[0] if album_artists else None,
        track_number=_number(tags.get("track_number")),
        disc_number=_number(tags.get("disc_number")),
        year=_number(tags.get("year")),
        duration_ms=round(duration_s * 1000)
        if isinstance(duration_s, float | int) and duration_s and math.isfinite(duration_s)
        else None,
        isrc=_text(tags.get("isrc")),
        spotify_track_id=_text(tags.get("spotify_track_id")),
        spotify_album_id=_text(tags.get("spotify_album_id")),
        barcode=_text(tags.get("barcode")),
        guessed=bool(tags.get("guessed")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _number(value: Any) -> int | None:
    return value if type(value) is int else None


_gc_lock = threading.Lock()
_gc_runs = 0  # runs going on in this process (the window may match two stores at once)
_gc_before: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def _rarer_collections() -> Iterator[None]:
    """WRITER_GC_THRESHOLD while a run lasts, the thresholds before it after the last."""
    global _gc_runs, _gc_before
    with _gc_lock:
        if _gc_runs == 0:
            _gc_before = gc.get_threshold()
            gc.set_threshold(*WRITER_GC_THRESHOLD)
        _gc_runs += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_runs -= 1
            if _gc_runs == 0:
                gc.set_threshold(*_gc_before)


def _folder_files(store: LibraryStore, folder: str) -> Iterator[list[FileTagsRow]]:
    after = 0
    while True:
        rows = store.tags_in_folder(folder, after_id=after, limit=FOLDER_PAGE)
        if rows:
            yield rows
        if len(rows) < FOLDER_PAGE:
            return
        after = rows[-1].id


@dataclass(frozen=True)
class _Unit:
    """One page of one folder: the files to match, and the ones left as they are."""

    folder: str
    rows: tuple[FileTagsRow, ...]
    todo: tuple[FileTagsRow, ...]
    skipped: tuple[FileOutcome, ...]  # unreadable files and user decisions, in order


def _units(
    store: LibraryStore,
    links: Links,
    folders: Sequence[str],
    root_ids: Sequence[int] | None,
    only: set[int] | None,
    cancel: threading.Event | None,
) -> Iterator[_Unit]:
    for folder in folders:
        for rows in _folder_files(store, folder):
            if cancel is not None and cancel.is_set():
                raise CancelledError("Matching was cancelled; what was matched so far is kept.")
            if root_ids:
                rows = [r for r in rows if r.root_id in root_ids]
            if only is not None:
                rows = [r for r in rows if r.id in only]
            todo: list[FileTagsRow] = []
            skipped: list[FileOutcome] = []
            decided = links.user_decided([row.id for row in rows if row.status == STATUS_OK])
            for row in rows:
                if row.status != STATUS_OK:
                    skipped.append(FileOutcome(row, None))
                elif row.id in decided:
                    skipped.append(FileOutcome(row, None, kept_user_decision=True))
                else:
                    todo.append(row)
            yield _Unit(folder, tuple(rows), tuple(todo), tuple(skipped))


# A matched unit and its files' verdicts.
_Done = tuple[_Unit, list[Verdict]]

# -- worker processes -------------------------------------------------------------------

_worker_matcher: Matcher | None = None
_worker_args: tuple[str, str, Thresholds | None] | None = None


def _start_worker(catalog_path: str, index_path: str, thresholds: Thresholds | None) -> None:
    """A worker opens its own read-only catalog and index once, and leaves Ctrl+C to the
    main process (killed by it in the middle of a queue operation, a worker left the
    pool's queue locked, and the main process waiting for it at exit)."""
    global _worker_args
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_args = (catalog_path, index_path, thresholds)
    _open_worker_matcher(name_damage=False)  # see _match_in_worker
    # A worker makes and drops a folder's objects by the thousand while its caches grow:
    # what it has so far (modules, the parent's objects) is left out of collections, and
    # the young generation is collected less often (see WORKER_GC_THRESHOLD)
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


def _open_worker_matcher(*, name_damage: bool) -> None:
    global _worker_matcher
    assert _worker_args is not None, "the worker was not started"
    catalog_path, index_path, thresholds = _worker_args
    if _worker_matcher is not None:
        _worker_matcher.catalog.close()
    if is_postgres_url(catalog_path):  # a published catalog: its own sessions
        server = open_server_catalog(catalog_path)
        engine: SearchEngine = engine_for(server)
        catalog = cast(Catalog, server)  # answers every query the matcher makes
    else:
        catalog = open_catalog(catalog_path, find_features=False, name_damage=name_damage)
        # the workers keep every core busy: each reads the track shards one after the other
        engine = SearchEngine(catalog, index_path=Path(index_path), side_by_side=False)
    _worker_matcher = Matcher(catalog, engine=engine, thresholds=thresholds)


def _match_in_worker(pages: list[list[FileFacts]], fields: bool = False) -> list[list[Verdict]]:
    """Each folder page's verdicts, as the links table stores them (encoded here, so the
    process that writes does as little as it can).

    A worker reads the catalog without CatalogConnection's check of each statement (a
    microsecond each, 4 % of a worker's time); when SQLite finds a damaged page, the batch
    runs again with it, which names the catalog if the page is the catalog's, and what
    it does not name is the search index's (the only other file a worker reads)."""
    try:
        return _match_pages(pages, fields)
    except sqlite3.DatabaseError as exc:
        if not is_damaged_file(exc):
            raise
        _open_worker_matcher(name_damage=True)
        try:
            return _match_pages(pages, fields)  # DamagedCatalogError when the catalog's page
        except sqlite3.DatabaseError as again:
            if not is_damaged_file(again):
                raise
            assert _worker_args is not None
            raise index_damaged(_worker_args[0], again) from None


def _match_pages(pages: list[list[FileFacts]], fields: bool) -> list[list[Verdict]]:
    assert _worker_matcher is not None, "the worker was not started"
    with _worker_matcher.catalog.reading():  # the whole batch in one read transaction
        return [_verdicts(_worker_matcher, facts, fields) for facts in pages]


def _verdicts(matcher: Matcher, files: list[FileFacts], fields: bool) -> list[Verdict]:
    if not files:
        return []
    with matcher.catalog.reading():
        return [verdict_of(result, fields=fields) for result in matcher.match_files(files)]


def default_workers(catalog_bytes: int = 0) -> int:
    """Matching processes for a catalog file of `catalog_bytes` (see WORKERS_MAX)."""
    cores = os.cpu_count() or 1
    memory = memory_bytes()
    if memory and catalog_bytes > CACHED_SHARE * memory:
        return max(1, min(WORKERS_MAX_COLD, 2 * cores))
    return max(1, min(WORKERS_MAX, cores))


def memory_bytes() -> int:
    """The memory this process can have: the machine's, or its control group's limit
    when that is lower (a container, a systemd slice); 0 where the system does not say."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows), or no such name
        physical = 0
    limit = cgroup_memory_limit()
    return min(physical, limit) if physical and limit else physical or limit


def cgroup_memory_limit(
    own: Path = Path("/proc/self/cgroup"), root: Path = Path("/sys/fs/cgroup")
) -> int:
    """The lowest memory limit of this process's control group and its ancestors (cgroup
    v2's memory.max, v1's memory.limit_in_bytes); 0 when there is none, or no cgroups
    (another system). `own` lists the process's groups, `root` is where they are mounted."""
    try:
        lines = own.read_text().splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    files: list[Path] = []
    for line in lines:
        hierarchy, _, rest = line.partition(":")
        controllers, _, group = rest.partition(":")
        if hierarchy == "0" and not controllers:  # v2: one hierarchy, every controller
            base, name = root, "memory.max"
        elif "memory" in controllers.split(","):  # v1: the memory controller's own
            base, name = root / "memory", "memory.limit_in_bytes"
        else:
            continue
        parts = [part for part in group.split("/") if part and part not in (".", "..")]
        files += [base.joinpath(*parts[:depth], name) for depth in range(len(parts), -1, -1)]
    limits = []
    for file in files:
        try:
            text = file.read_text().strip()
        except (OSError, UnicodeDecodeError):  # no such group here (another namespace)
            continue
        if text.isdigit() and int(text) > 0:  # "max": no limit
            limits.append(int(text))
    return min(limits, default=0)


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
    workers: int | None = None,
    fields: bool = False,
) -> MatchSummary:
    """Match every file of the store (or of `root_ids`, or just `file_ids`); user decisions
    are kept as they are.

    `workers`: processes that match while this one writes (None: one per core for runs of
    PARALLEL_FROM files or more, else none; 0 or 1: match here). Results are written in
    folder order, a transaction per BATCH_FILES files, whatever the workers' order.
    `fields`: each verdict handed to `on_file` with its contributions field by field
    (`match --json`); the links table never keeps them (the review computes them).
    """
    only = set(file_ids) if file_ids is not None else None
    matcher = Matcher(catalog, engine=engine, thresholds=thresholds)
    links = Links(store)
    summary = MatchSummary()
    started = time.monotonic()
    if only is not None:
        total = len(only)
    elif root_ids:  # the files of these roots only (the progress's total)
        marks = ",".join("?" * len(root_ids))
        sql = f"SELECT count(*) FROM files WHERE root_id IN ({marks})"
        total = store.db.execute_sql(sql, list(root_ids)).fetchone()[0]
    else:
        total = store.db.execute_sql("SELECT count(*) FROM files").fetchone()[0]
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
    if workers is None:
        # a server's catalog is not in this machine's memory: as for a small file
        size = catalog.identity.size if isinstance(catalog, Catalog) else 0
        workers = default_workers(size) if total >= PARALLEL_FROM else 0

    def record(unit: _Unit, results: list[Verdict]) -> None:
        nonlocal done
        for outcome in unit.skipped:
            if outcome.kept_user_decision:
                summary.kept += 1
            else:
                summary.errors += 1
            if on_file:
                on_file(outcome)
        pairs = list(zip(unit.todo, results, strict=True))
        written = links.record_matches([(row.id, result) for row, result in pairs])
        for (row, result), was_written in zip(pairs, written, strict=True):
            if not was_written:  # the user decided it while this run went on
                summary.kept += 1
                if on_file:
                    on_file(FileOutcome(row, None, kept_user_decision=True))
                continue
            setattr(summary, result.status, getattr(summary, result.status) + 1)
            if result.method and result.status != "unmatched":
                summary.by_method[result.method] = summary.by_method.get(result.method, 0) + 1
            if on_file:
                on_file(FileOutcome(row, result))
        done += len(unit.rows)
        if progress is not None:
            elapsed = time.monotonic() - started
            progress(MatchProgress(done, total, done / elapsed if elapsed else 0.0, unit.folder))

    units = _units(store, links, folders, root_ids, only, cancel)

    def write(done_units: list[_Done], *, stop_on_cancel: bool = True) -> None:
        """Record matched units in one transaction: it spans only the writing (never the
        matching or the wait for a worker), so a decision the user makes meanwhile waits
        for a write of about BATCH_FILES files at most. A cancel between two units keeps
        the units recorded before it (`stop_on_cancel`)."""
        stopped = False
        with store.db.atomic():
            for unit, results in done_units:
                if stop_on_cancel and cancel is not None and cancel.is_set():
                    stopped = True
                    break
                record(unit, results)
        if stopped:
            raise CancelledError("Matching was cancelled; what was matched so far is kept.")

    # the matcher's links are rebuildable (a re-run writes them again; it never writes a
    # user's decision), so they are written like a scan (see LibraryStore.bulk), and
    # committed every BATCH_FILES files rather than every folder (a commit per folder was
    # a third of the writing process's time)
    with store.bulk(), _rarer_collections():
        if workers <= 1:
            pending: list[_Done] = []
            try:
                for unit in units:
                    facts = [stored_facts(r) for r in unit.todo]
                    pending.append((unit, _verdicts(matcher, facts, fields)))
                    if sum(len(u.rows) for u, _ in pending) >= BATCH_FILES:
                        pending, ready = [], pending
                        write(ready)
            finally:
                # what was matched before a cancel or an error is kept
                write(pending, stop_on_cancel=False)
        else:
            _match_in_workers(units, write, catalog, matcher, thresholds, workers, cancel, fields)
    summary.seconds = time.monotonic() - started
    return summary


def _source(catalog: Catalog) -> str:
    """What a worker opens: the catalog file, or the published catalog's URL."""
    server = cast(object, catalog)
    return server.url if isinstance(server, ServerCatalog) else str(catalog.path)


def _match_in_workers(
    units: Iterator[_Unit],
    write: Callable[[list[_Done]], None],
    catalog: Catalog,
    matcher: Matcher,
    thresholds: Thresholds | None,
    workers: int,
    cancel: threading.Event | None,
    fields: bool,
) -> None:
    """Hand folder pages to worker processes, a few ahead, and record them in order."""
    # fork from the CLI, forkserver from the GUI's thread (see pool_context)
    context = pool_context()
    if context.get_start_method() == "fork":
        import_lazy_modules()  # forked workers start with them
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(_source(catalog), str(matcher.engine.index_path), thresholds),
    )
    waiting: deque[tuple[list[_Unit], Future[list[list[Verdict]]]]] = deque()
    batch: list[_Unit] = []

    def submit() -> None:
        pages = [[stored_facts(r) for r in unit.todo] for unit in batch]
        waiting.append((list(batch), pool.submit(_match_in_worker, pages, fields)))
        batch.clear()

    try:
        for unit in units:
            batch.append(unit)
            if sum(len(u.todo) for u in batch) >= BATCH_FILES:
                submit()
            while len(waiting) > workers * AHEAD_PER_WORKER:
                _record_next(waiting, write, cancel)
        if batch:
            submit()
        while waiting:
            _record_next(waiting, write, cancel)
    except BrokenProcessPool as exc:
        raise KnownError(
            "A matching process stopped unexpectedly (it could not open the catalog, ran out "
            "of memory or was killed); what was matched so far is kept. Run it again, or with "
            "--workers 0 to match in one process."
        ) from exc
    finally:
        # on cancel or error: pages already written stay; the workers stop after their batch
        pool.shutdown(wait=not waiting, cancel_futures=True)


def _record_next(
    waiting: deque[tuple[list[_Unit], Future[list[list[Verdict]]]]],
    write: Callable[[list[_Done]], None],
    cancel: threading.Event | None,
) -> None:
    units, future = waiting[0]
    while not future.done():
        if cancel is not None and cancel.is_set():
            raise CancelledError("Matching was cancelled; what was matched so far is kept.")
        try:
            future.result(timeout=0.1)
        except TimeoutError:
            continue
    write(list(zip(units, future.result(), strict=True)))
    waiting.popleft()
