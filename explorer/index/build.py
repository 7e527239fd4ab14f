"""Build the sidecar index in rowid chunks: interruptible, resumable, with progress.

The stages and their jobs are planned here; `writer` writes one job, `merge` finishes a
written table, `parallel` runs a stage's lanes side by side, `part_sql` holds the SQL that
makes each part's rows.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from explorer.catalog import Catalog
from explorer.catalog.connection import readonly_uri
from explorer.errors import KnownError, index_damaged, is_damaged_file
from explorer.index.parallel import hand_back_memory, noting_ctrl_c, run_stages
from explorer.index.part_sql import TEXTS, YEARS
from explorer.index.store import (
    COMPLETION_PREFIXES,
    COMPLETION_TABLE_DOCS,
    COMPLETIONS,
    INDEX_DDL,
    INDEX_VERSION,
    PARTS,
    TRACK_SHARDS,
    IndexStatus,
    build_path,
    drop_stale_indexes,
    index_files,
    index_path_for,
    index_status,
    read_state,
    shard_paths,
)
from explorer.index.writer import Job, Lane
from explorer.log import get_logger

log = get_logger("index")


@dataclass(frozen=True)
class IndexProgress:
    """Where a build is: reported after every chunk."""

    part: str  # artists | albums | tracks | vocabulary | optimize
    rows_done: int
    rows_total: int
    rows_per_second: float
    seconds_left: float | None

    @property
    def share(self) -> float:
        return min(1.0, self.rows_done / self.rows_total) if self.rows_total else 1.0


ProgressCallback = Callable[[IndexProgress], None]


# The lanes of a stage run side by side, the first in this process and the others in
# worker processes (the main file's artists and albums here, each track shard in a worker:
# even on 2 cores, the system shares the cores among them, so the shards do not wait for
# the albums to end), for catalogs of PARALLEL_FROM rows; smaller ones are built in this
# process, one job after the other (starting a worker process costs a tenth of a second
# or more). WORKERS: worker processes at most; 0, always in this process.
WORKERS = TRACK_SHARDS
PARALLEL_FROM = 400_000


def open_index_for_writing(catalog: Catalog) -> sqlite3.Connection:
    """The index's main file opened for building (made anew, shards too, when missing or
    from another version), its identity recorded."""
    path = index_path_for(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    complete, _ = read_state(path) if path.exists() else (False, 0)
    meta = _meta(path) if path.exists() else {}
    # finished, yet a shard is missing: its words were already merged into the vocabulary
    # and the counts dropped, so the whole index is built again
    broken = meta.get("complete") == "1" and not complete
    if meta.get("version") != str(INDEX_VERSION) or broken:
        if path.exists():
            log.info("index %s is from another version or lacks a file; rebuilding", path)
        for item in index_files(path):  # shards of an older build go with it
            item.unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        con.execute("PRAGMA auto_vacuum = INCREMENTAL")  # see explorer.index.writer
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        con.executescript(INDEX_DDL)
        if not complete:
            identity = catalog.identity
            con.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [
                    ("version", str(INDEX_VERSION)),
                    ("catalog_path", identity.path),
                    ("catalog_size", str(identity.size)),
                    ("catalog_mtime_ns", str(identity.mtime_ns)),
                    ("track_shards", str(TRACK_SHARDS)),
                ],
            )
    except BaseException:
        con.close()
        raise
    return con


def _meta(path: Path) -> dict[str, str]:
    """What a main file's meta table records (empty when it has none or is unreadable)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        return {str(key): str(value) for key, value in con.execute("SELECT key, value FROM meta")}
    except sqlite3.Error:
        return {}
    finally:
        con.close()


def _stages(catalog: Catalog) -> list[list[Lane]]:
    """The build's jobs: first, side by side, the artists' texts and the albums' years
    (the other parts read them), then side by side the main file's artists and albums,
    and each track shard (a contiguous range of rowids)."""
    main = str(index_path_for(catalog))
    uri = readonly_uri(catalog.path)

    def job(path: str, part: str, lo: int, hi: int) -> Job:
        return Job(str(catalog.path), uri, main, path, part, lo, hi)

    total = catalog.estimate("tracks")
    step = -(-total // TRACK_SHARDS) if total else 1
    shards = [
        [job(str(path), "tracks", 1 + k * step, min(total, (k + 1) * step) + 1)]
        for k, path in enumerate(shard_paths(Path(main)))
    ]
    artists = catalog.estimate("artists") + 1
    albums = catalog.estimate("albums") + 1
    build = str(build_path(Path(main)))
    years = job(build, YEARS, 1, albums)
    return [
        # the years have two writers: a worker from when it has started, and this process
        # once the texts are done (each chunk is written by one of them)
        [[job(main, TEXTS, 1, artists), years], [years]],
        [
            [
                job(main, "artists", 1, artists),
                job(main, "albums", 1, albums),
            ],
            *shards,
        ],
    ]


def build_index(
    catalog: Catalog,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> IndexStatus:
    """Build (or finish building) the catalog's index; safe to interrupt at any moment.

    Each chunk of rowids is one transaction that also records where the build stands,
    so a crash, Ctrl+C or `cancel` loses at most one chunk per writer and the next call
    goes on from there. Raises CancelledError when cancelled.
    """
    try:
        return _build(catalog, progress=progress, cancel=cancel)
    except sqlite3.DatabaseError as exc:
        # the catalog's connections and the writers name the file they find damaged: what
        # is left is the index's main file
        if is_damaged_file(exc):
            raise index_damaged(catalog.path, exc) from exc
        raise


def _build(
    catalog: Catalog, *, progress: ProgressCallback | None, cancel: threading.Event | None
) -> IndexStatus:
    main = index_path_for(catalog)
    freed = drop_stale_indexes(catalog)  # built before the catalog file changed
    if freed:
        log.info("deleted %d bytes of indexes of an earlier version of %s", freed, catalog.path)
    con = open_index_for_writing(catalog)
    try:
        if read_state(main)[0]:
            _drop_build_file(main)  # left by a crash after the finish
            return index_status(catalog)
        grand_total = sum(catalog.estimate(part) for part in PARTS)
        done_before = index_status(catalog).rows_done
        started = time.perf_counter()
        done_now = 0

        def report(part: str, rows: int) -> None:
            nonlocal done_now
            done_now += rows
            if progress is None:
                return
            elapsed = time.perf_counter() - started
            rate = done_now / elapsed if elapsed > 0 else 0.0
            left = grand_total - done_before - done_now
            seconds_left = left / rate if rate > 0 and part != "optimize" else None
            progress(
                IndexProgress(
                    part, min(grand_total, done_before + done_now), grand_total, rate, seconds_left
                )
            )

        parallel = WORKERS > 0 and grand_total - done_before >= PARALLEL_FROM
        try:
            with noting_ctrl_c():
                run_stages(
                    _stages(catalog),
                    report=report,
                    cancel=cancel,
                    workers=WORKERS if parallel else 0,
                )
        finally:
            hand_back_memory()
        _finish(con, main, progress=progress, total=grand_total)
    except sqlite3.OperationalError as exc:
        if "disk" in str(exc) or "full" in str(exc):
            raise KnownError(f"Cannot write the search index: {exc}.") from exc
        raise
    finally:
        con.close()
    return index_status(catalog)


def _finish(
    con: sqlite3.Connection, main: Path, *, progress: ProgressCallback | None, total: int
) -> None:
    """Rank the completions from the vocabulary (which each part's writer filled as it
    finished) and mark the index complete; then drop what only the build needed."""
    if progress is not None:
        progress(IndexProgress("vocabulary", total, total, 0.0, None))
    con.execute("BEGIN")
    con.execute("DELETE FROM completion")
    for length in COMPLETION_PREFIXES:
        # exact: when a prefix has COMPLETIONS words in more than the threshold's rows,
        # no word in fewer rows can rank among its first COMPLETIONS
        con.execute(
            "INSERT INTO completion (prefix, rank, term) "
            "SELECT prefix, rank, term FROM ("
            "  SELECT prefix, term, rank, count(*) OVER (PARTITION BY prefix) AS found FROM ("
            "    SELECT substr(term, 1, :n) AS prefix, term, row_number() OVER ("
            "      PARTITION BY substr(term, 1, :n) ORDER BY docs DESC, term) AS rank"
            "    FROM vocab WHERE docs > :docs AND length(term) > :n)"
            "  WHERE rank <= :kept"
            ") WHERE found = :kept",
            {"n": length, "docs": COMPLETION_TABLE_DOCS, "kept": COMPLETIONS},
        )
    con.execute("DELETE FROM artist_text")  # only the build needed it
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('complete', '1')")
    con.execute("COMMIT")
    # executescript steps the pragma to its end (execute() frees one page per call)
    con.executescript("PRAGMA incremental_vacuum;")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _drop_build_file(main)


def _drop_build_file(main: Path) -> None:
    """Delete the build's own file (and its WAL files) once the index is complete."""
    path = build_path(main)
    for item in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        item.unlink(missing_ok=True)
