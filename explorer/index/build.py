"""Build the sidecar index in rowid chunks: interruptible, resumable, with progress."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.catalog import Catalog
from explorer.catalog.connection import readonly_uri
from explorer.errors import CancelledError, KnownError
from explorer.index.ranking import RANK_SHIFT, ROWID_MASK, SQL_POPULARITY_ROWID
from explorer.index.store import (
    COMPLETION_PREFIXES,
    COMPLETION_TABLE_DOCS,
    COMPLETIONS,
    INDEX_DDL,
    INDEX_VERSION,
    PARTS,
    IndexStatus,
    index_path_for,
    index_status,
    read_state,
)
from explorer.index.text import index_text
from explorer.log import get_logger

log = get_logger("index")

# Catalog rowids per transaction; larger chunks build a little faster, smaller ones lose
# less work on a crash and report progress more often.
CHUNK_ROWS = 100_000
# Page cache of the building connection (KiB); FTS5 segment merges like memory.
BUILD_CACHE_KIB = 256 * 1024
# FTS5 settings while building. By default FTS5 merges segments a little after every
# insert (automerge 4) and flushes its pending terms every 1 MB (hashsize): on a 10 M-track
# build that merged the same postings over and over (48 s of the main process's 64 s).
# Building with merging off and a 64 MB hash, then one 'optimize' at the end, took 33 s;
# crisismerge still merges when a level holds that many segments (a 256 M-track build).
BUILD_FTS_SETTINGS = (("automerge", 0), ("crisismerge", 1000), ("hashsize", 64 * 1024 * 1024))
# What the finished index is left with (FTS5's defaults).
FINISHED_FTS_SETTINGS = (("automerge", 4), ("crisismerge", 16), ("hashsize", 1024 * 1024))


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


def _text(column: str) -> str:
    """SQL for `index_text(column)` that calls Python only for names that are not plain ASCII."""
    return f"CASE WHEN {column} GLOB '*[^ -~]*' THEN index_text({column}) ELSE {column} END"


def _year_token(column: str) -> str:
    return (
        f"CASE WHEN substr({column}, 1, 4) GLOB '[0-9][0-9][0-9][0-9]' "
        f"AND substr({column}, 1, 4) != '0000' THEN ' y_' || substr({column}, 1, 4) ELSE '' END"
    )


# One SELECT per part, over the catalog rowid range [:lo, :hi), in index rowid order
# (FTS5 flushes its pending terms to a new segment whenever a rowid goes backwards); the
# rows are (index rowid, text), and for artists also the name's own index text when the
# name is not plain ASCII (kept in `artist_text` while the build runs).
#
# Albums and tracks take their artists' texts from `idx.artist_text` (the index file,
# attached read-only) instead of calling `index_text` on every track's credits: that call
# was about 1.7 us of the 6 us a track cost at 10 M tracks. Credits of plain ASCII names
# are given as they are, which the FTS tokenizer splits as `tokens` does.
_CREDIT = "coalesce(x.text, a.name)"
SELECT_SQL = {
    "artists": f"""
        SELECT ((127 - max(0, min(127, CAST(log2(a.followers_total + 1) * 4.5 AS INTEGER))))
                    << {RANK_SHIFT}) | a.rowid,
               {_text("a.name")} || coalesce(' ' || g.tokens, ''),
               CASE WHEN a.name GLOB '*[^ -~]*' THEN index_text(a.name) END
        FROM cat.artists a
        LEFT JOIN (
            SELECT artist_rowid AS r,
                   group_concat('g_' || replace(replace(lower(genre), ' ', '_'), '-', '_'), ' ')
                       AS tokens
            FROM cat.artist_genres
            WHERE artist_rowid >= :lo AND artist_rowid < :hi
            GROUP BY artist_rowid
        ) g ON g.r = a.rowid
        WHERE a.rowid >= :lo AND a.rowid < :hi
        ORDER BY 1
    """,
    "albums": f"""
        SELECT {SQL_POPULARITY_ROWID.format(pop="al.popularity", rowid="al.rowid")},
               {_text("al.name")} || ' ' || coalesce(ar.names, '')
               || ' t_' || al.album_type
               || coalesce(' u_' || nullif(al.external_id_upc, ''), '')
               || ' l_' || replace(trim(lower(al.label)), ' ', ' l_')
               || {_year_token("al.release_date")}
        FROM cat.albums al
        LEFT JOIN (
            SELECT aa.album_rowid AS r, group_concat({_CREDIT}, ' ') AS names
            FROM cat.artist_albums aa JOIN cat.artists a ON a.rowid = aa.artist_rowid
            LEFT JOIN idx.artist_text x ON x.rowid = aa.artist_rowid
            WHERE aa.album_rowid >= :lo AND aa.album_rowid < :hi
              AND aa.index_in_album IS NOT NULL
            GROUP BY aa.album_rowid
        ) ar ON ar.r = al.rowid
        WHERE al.rowid >= :lo AND al.rowid < :hi
        ORDER BY 1
    """,
    "tracks": f"""
        SELECT {SQL_POPULARITY_ROWID.format(pop="t.popularity", rowid="t.rowid")},
               {_text("t.name")} || ' ' || coalesce(ar.names, '')
               || {_year_token("al.release_date")}
        FROM cat.tracks t
        JOIN cat.albums al ON al.rowid = t.album_rowid
        LEFT JOIN (
            SELECT ta.track_rowid AS r, group_concat({_CREDIT}, ' ') AS names
            FROM cat.track_artists ta JOIN cat.artists a ON a.rowid = ta.artist_rowid
            LEFT JOIN idx.artist_text x ON x.rowid = ta.artist_rowid
            WHERE ta.track_rowid >= :lo AND ta.track_rowid < :hi
            GROUP BY ta.track_rowid
        ) ar ON ar.r = t.rowid
        WHERE t.rowid >= :lo AND t.rowid < :hi
        ORDER BY 1
    """,
}
FTS_TABLE = {"artists": "artist_fts", "albums": "album_fts", "tracks": "track_fts"}
# Worker processes that compute index text in parallel while this process inserts
# (0 builds in this process alone). Catalogs smaller than PARALLEL_FROM rows are built in-process
# (starting workers costs about a second).
WORKERS = max(1, min(3, os.cpu_count() or 1))
PARALLEL_FROM = 400_000

# One build job: (catalog URI, index file, part, first rowid, rowid after the last)
Job = tuple[str, str, str, int, int]
Rows = list[tuple[Any, ...]]

# The connection that computes rows, per thread: a worker process's one thread, or each
# thread of a window that builds indexes itself (small catalogs).
_local = threading.local()


def _close_worker_connection() -> None:
    """Forget this thread's connection (a build that computes its rows here closes it
    when it ends: the index file may be dropped and written anew)."""
    opened: tuple[tuple[str, str], sqlite3.Connection] | None = getattr(_local, "con", None)
    if opened is not None:
        opened[1].close()
        _local.con = None


def _worker_connection(catalog_uri: str, index_path: str) -> sqlite3.Connection:
    """This thread's read-only connection to this catalog and index, opened once (and
    again for another catalog: a window builds the indexes of several in one process)."""
    key = (catalog_uri, index_path)
    opened: tuple[tuple[str, str], sqlite3.Connection] | None = getattr(_local, "con", None)
    if opened is not None and opened[0] != key:
        _close_worker_connection()
        opened = None
    if opened is None:
        con = sqlite3.connect(":memory:", check_same_thread=False)
        con.create_function("index_text", 1, index_text, deterministic=True)
        con.create_function("log2", 1, _log2, deterministic=True)
        con.execute("ATTACH DATABASE ? AS cat", (catalog_uri,))
        con.execute("ATTACH DATABASE ? AS idx", (readonly_uri(Path(index_path)),))
        opened = _local.con = (key, con)
    return opened[1]


def _chunk_rows(job: Job) -> tuple[str, int, int, Rows]:
    """The rows of one chunk, in index rowid order (worker processes, or this one)."""
    catalog_uri, index_path, part, lo, hi = job
    con = _worker_connection(catalog_uri, index_path)
    return part, lo, hi, con.execute(SELECT_SQL[part], {"lo": lo, "hi": hi}).fetchall()


def _log2(value: float) -> float:
    import math

    return math.log2(value) if value > 0 else 0.0


def open_index_for_writing(catalog: Catalog) -> sqlite3.Connection:
    """The index file opened for building, the catalog attached read-only as `cat`."""
    path = index_path_for(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    complete, _ = read_state(path) if path.exists() else (False, 0)
    con = sqlite3.connect(path, isolation_level=None, uri=False, check_same_thread=False)
    try:
        version = (
            con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if _has_table(con, "meta")
            else None
        )
    except sqlite3.DatabaseError:
        version = None
    if version is not None and version[0] != str(INDEX_VERSION):
        log.info("index %s is from another version; rebuilding", path)
        con.close()
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # a new file only (set before its first table): lets _finish hand back the pages the
    # final merge freed (a tenth of the file at 1 M tracks) without a VACUUM
    con.execute("PRAGMA auto_vacuum = INCREMENTAL")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = NORMAL")
    con.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
    con.execute("PRAGMA temp_store = MEMORY")
    con.create_function("index_text", 1, index_text, deterministic=True)
    con.create_function("log2", 1, _log2, deterministic=True)
    con.executescript(INDEX_DDL)
    _configure(con, BUILD_FTS_SETTINGS)
    con.execute("ATTACH DATABASE ? AS cat", (readonly_uri(catalog.path),))
    if not complete:
        identity = catalog.identity
        con.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [
                ("version", str(INDEX_VERSION)),
                ("catalog_path", identity.path),
                ("catalog_size", str(identity.size)),
                ("catalog_mtime_ns", str(identity.mtime_ns)),
            ],
        )
    return con


def _configure(con: sqlite3.Connection, settings: tuple[tuple[str, int], ...]) -> None:
    """Set FTS5 options (kept in each table's config) on every index table."""
    for table in FTS_TABLE.values():
        for name, value in settings:
            con.execute(f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)", (name, value))


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    row = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return row is not None


def build_index(
    catalog: Catalog,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> IndexStatus:
    """Build (or finish building) the catalog's index; safe to interrupt at any moment.

    Each chunk of rowids is one transaction that also records where the build stands,
    so a crash, Ctrl+C or `cancel` loses at most one chunk and the next call goes on
    from there. Raises CancelledError when cancelled.
    """
    con = open_index_for_writing(catalog)
    try:
        if read_state(index_path_for(catalog))[0]:
            return index_status(catalog)
        totals = {part: catalog.estimate(part) for part in PARTS}
        grand_total = sum(totals.values())
        done_before = sum(
            row[0] for row in con.execute("SELECT rows_done FROM progress").fetchall()
        )
        started = time.perf_counter()
        jobs: list[Job] = []
        index_file = str(index_path_for(catalog))
        for part in PARTS:
            row = con.execute(
                "SELECT next_rowid, last_rowid FROM progress WHERE part = ?", (part,)
            ).fetchone()
            if row is None:
                row = (1, totals[part])
                con.execute(
                    "INSERT INTO progress (part, next_rowid, last_rowid, rows_done) "
                    "VALUES (?, ?, ?, 0)",
                    (part, 1, totals[part]),
                )
            next_rowid, last_rowid = row
            for lo in range(next_rowid, last_rowid + 1, CHUNK_ROWS):
                jobs.append(
                    (
                        readonly_uri(catalog.path),
                        index_file,
                        part,
                        lo,
                        min(lo + CHUNK_ROWS, last_rowid + 1),
                    )
                )
        parallel = WORKERS > 0 and grand_total - done_before >= PARALLEL_FROM
        done_now = 0
        for part, lo, hi, rows in _computed(jobs, parallel=parallel, cancel=cancel):
            table = FTS_TABLE[part]
            con.execute("BEGIN")
            try:
                if part == "artists":
                    con.executemany(
                        "INSERT INTO artist_text (rowid, text) VALUES (?, ?)",
                        ((rowid & ROWID_MASK, text) for rowid, _, text in rows if text),
                    )
                    rows = [(rowid, text) for rowid, text, _ in rows]
                con.executemany(f"INSERT INTO {table} (rowid, text) VALUES (?, ?)", rows)
                con.execute(
                    "UPDATE progress SET next_rowid = ?, rows_done = rows_done + ? WHERE part = ?",
                    (hi, hi - lo, part),
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            done_now += hi - lo
            if progress is not None:
                elapsed = time.perf_counter() - started
                rate = done_now / elapsed if elapsed > 0 else 0.0
                left = grand_total - done_before - done_now
                progress(
                    IndexProgress(
                        part,
                        done_before + done_now,
                        grand_total,
                        rate,
                        left / rate if rate > 0 else None,
                    )
                )
        _finish(con, progress=progress, total=grand_total)
    except sqlite3.OperationalError as exc:
        if "disk" in str(exc) or "full" in str(exc):
            raise KnownError(f"Cannot write the search index: {exc}.") from exc
        raise
    finally:
        con.close()
    return index_status(catalog)


def _computed(
    jobs: list[Job],
    *,
    parallel: bool,
    cancel: threading.Event | None,
) -> Iterator[tuple[str, int, int, Rows]]:
    """The rows of each chunk, in job order, computed here or by worker processes.

    Albums and tracks read the artists' texts this build writes: their chunks are handed
    out only once every artist chunk was taken back (and so written, before the caller
    asks for the next rows)."""

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    stages = [
        [job for job in jobs if job[2] == "artists"],
        [job for job in jobs if job[2] != "artists"],
    ]
    if not parallel:
        try:
            for job in (job for stage in stages for job in stage):
                if cancelled():
                    raise CancelledError("The index build was cancelled; run it again to go on.")
                yield _chunk_rows(job)
        finally:
            _close_worker_connection()
        return
    # spawn, not fork: the GUI calls this from a thread, and forking a threaded process
    # can deadlock
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        for stage in stages:
            for result in pool.imap(_chunk_rows, stage):
                if cancelled():
                    pool.terminate()
                    raise CancelledError("The index build was cancelled; run it again to go on.")
                yield result


def _finish(con: sqlite3.Connection, *, progress: ProgressCallback | None, total: int) -> None:
    """Merge FTS segments, collect the vocabulary, and mark the index complete."""
    for table in FTS_TABLE.values():
        if progress is not None:
            progress(IndexProgress("optimize", total, total, 0.0, None))
        con.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    _configure(con, FINISHED_FTS_SETTINGS)
    if progress is not None:
        progress(IndexProgress("vocabulary", total, total, 0.0, None))
    con.execute("BEGIN")
    con.execute("DELETE FROM vocab")
    for table in FTS_TABLE.values():
        con.execute(f"CREATE VIRTUAL TABLE temp.v_{table} USING fts5vocab(main, {table}, row)")
        con.execute(
            # UPC tokens are one per album, never completed, corrected or common: a third
            # of the vocabulary's rows, left out
            f"INSERT INTO vocab (term, docs) SELECT term, doc FROM temp.v_{table} "
            "WHERE term NOT GLOB 'u_*' "
            "ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs"
        )
        con.execute(f"DROP TABLE temp.v_{table}")
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
