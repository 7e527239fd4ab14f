"""One writer's job: a part's catalog rowids into one index file, chunk by chunk."""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from explorer.catalog.connection import readonly_uri
from explorer.errors import (
    CancelledError,
    KnownError,
    catalog_damaged,
    index_damaged,
    is_damaged_file,
)
from explorer.index.merge import (
    BUILD_FTS_SETTINGS,
    WRITER_WAIT_SECONDS,
    configure,
    merge_table,
)
from explorer.index.part_sql import (
    CATALOG_READS,
    CREDITS,
    CREDITS_TABLE_DDL,
    FIRST_STAGE,
    FTS_TABLE,
    SELECT_SQL,
)
from explorer.index.store import BUILD_DDL, INDEX_DDL, SHARD_DDL, build_path
from explorer.index.text import index_text

# Catalog rowids per transaction; larger chunks build a little faster, smaller ones lose
# less work on a crash and report progress more often.
CHUNK_ROWS = 100_000
# Page cache of the building connection (KiB); FTS5 segment merges like memory.
BUILD_CACHE_KIB = 256 * 1024
# Page cache (KiB) of a track shard writer for the main file it reads the artists' texts
# from: the credits of a chunk's tracks name artists all over that table (100 MB at 100 M
# tracks), beyond SQLite's default cache of an attached file (2,000 pages, 8 MB), and
# each page missed is read again from the OS.
TEXTS_CACHE_KIB = 64 * 1024


@dataclass(frozen=True)
class Job:
    """One writer's work: a part's catalog rowids [lo, hi) into one index file."""

    catalog_path: str  # what a sentence about a damaged file names
    catalog_uri: str
    main_path: str  # the index's main file (which holds the artists' texts)
    path: str  # the file this job writes
    part: str
    lo: int
    hi: int


# What a cancelled build says.
CANCELLED = "The index build was cancelled; run it again to go on."
# SQLite virtual-machine steps between two looks at a cancel while a chunk is written
# (a few milliseconds; a chunk takes up to a second).
CANCEL_CHECK_STEPS = 200_000
# What a writer reports: (part, rows just indexed), or ("optimize", 0) when it merges.
Report = Callable[[str, int], None]
# Jobs run one after the other by one process (the jobs writing one file).
Lane = list[Job]

# Set by Ctrl+C while this process builds (see `explorer.index.parallel.noting_ctrl_c`).
ctrl_c_noted = threading.Event()


def write(job: Job, report: Report, cancelled: Callable[[], bool]) -> None:
    """Index a job's rowids chunk by chunk, each chunk one transaction that also records
    where the job stands (a crash or cancel loses one chunk at most), then merge its
    table into one segment and count its words (once: the state says when it was done)."""
    con = _open_writer(job)
    # a cancel stops the chunk being written (in this process: a worker is terminated)
    con.set_progress_handler(lambda: int(cancelled()), CANCEL_CHECK_STEPS)
    chunk: tuple[int, int] | None = None  # the catalog rows being read, while they are
    try:
        table = FTS_TABLE.get(job.part, "")
        # the range is recorded by the first writer of the part and kept from then on
        con.execute(
            "INSERT OR IGNORE INTO progress (part, next_rowid, last_rowid, rows_done) "
            "VALUES (?, ?, ?, 0)",
            (job.part, job.lo, job.hi - 1),
        )
        next_rowid, last_rowid, merged = con.execute(
            "SELECT next_rowid, last_rowid, merged FROM progress WHERE part = ?", (job.part,)
        ).fetchone()
        if merged:
            return
        texts = "main" if job.path == job.main_path else "idx"
        if job.part in FIRST_STAGE:
            (insert, part), counted = FIRST_STAGE[job.part], 0
        else:
            insert = f"INSERT INTO {table} (rowid, text) " + SELECT_SQL[job.part].format(
                texts=texts
            )
            if job.part in CREDITS:
                con.execute(CREDITS_TABLE_DDL)
            part, counted = job.part, 1
            configure(con, (table,), BUILD_FTS_SETTINGS)
        for lo in range(next_rowid, last_rowid + 1, CHUNK_ROWS):
            if cancelled():
                raise CancelledError(CANCELLED)
            hi = min(lo + CHUNK_ROWS, last_rowid + 1)
            con.execute("BEGIN IMMEDIATE")
            try:
                # another writer of this part may have gone further meanwhile (a worker of
                # a build whose process was killed finishes its work): never a row twice
                (lo,) = con.execute(
                    "SELECT max(?, next_rowid) FROM progress WHERE part = ?", (lo, job.part)
                ).fetchone()
                if lo >= hi:
                    con.execute("ROLLBACK")
                    continue
                chunk = (lo, hi)
                if job.part in CREDITS:
                    _gather_credits(con, job.part, texts, lo, hi)
                con.execute(insert, {"lo": lo, "hi": hi})
                chunk = None
                con.execute(
                    "UPDATE progress SET next_rowid = ?, rows_done = rows_done + ? WHERE part = ?",
                    (hi, (hi - lo) * counted, job.part),
                )
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:  # an interrupted INSERT rolls it back itself
                    con.execute("ROLLBACK")
                raise
            report(part, (hi - lo) * counted)
        if job.part in FIRST_STAGE:
            con.execute("UPDATE progress SET merged = 1 WHERE part = ?", (job.part,))
            return
        report("optimize", 0)
        merge_table(con, job)
    except sqlite3.DatabaseError as exc:
        if ctrl_c_noted.is_set():  # see explorer.index.parallel.noting_ctrl_c
            raise KeyboardInterrupt from exc
        if isinstance(exc, sqlite3.OperationalError) and cancelled():
            raise CancelledError(CANCELLED) from exc  # stopped by the progress handler
        if is_damaged_file(exc):
            raise _damaged(job, chunk, exc) from exc
        raise
    finally:
        con.close()


def _damaged(job: Job, chunk: tuple[int, int] | None, error: BaseException) -> KnownError:
    """The sentence for a damaged file a writer met. A writer reads the catalog and its
    index files through one connection, and SQLite does not say which file it found
    damaged: the catalog, if reading the catalog's part of what the writer was reading
    (its schema, and the chunk's rows of the tables the part reads: one chunk, a fraction
    of a second, whatever the catalog's size) on a connection of its own meets it too;
    else the index."""
    try:
        con = sqlite3.connect(job.catalog_uri, uri=True)
        try:
            con.execute("SELECT * FROM sqlite_master").fetchall()
            if chunk is not None:
                for table, column in CATALOG_READS[job.part]:
                    sql = f"SELECT * FROM {table} WHERE {column} >= ? AND {column} < ?"
                    for _row in con.execute(sql, chunk):
                        pass
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        if is_damaged_file(exc):
            return catalog_damaged(job.catalog_path, error)
    return index_damaged(job.catalog_path, error)


def _gather_credits(con: sqlite3.Connection, part: str, texts: str, lo: int, hi: int) -> None:
    """Fill `temp.credits` with the credited names of the part's catalog rows [lo, hi):
    one range of the credits table's index, in its order (a row's credits together, in
    the order the catalog stores them), grouped as they come."""
    table, column, credited = CREDITS[part]
    con.execute("DELETE FROM temp.credits")
    con.execute(
        "INSERT INTO temp.credits (rowid, names) "
        f"SELECT c.{column}, group_concat(x.text, ' ') "
        f"FROM cat.{table} c JOIN {texts}.artist_text x ON x.rowid = c.artist_rowid "
        f"WHERE c.{column} >= ? AND c.{column} < ? AND {credited} "
        f"GROUP BY c.{column}",
        (lo, hi),
    )


def _open_writer(job: Job) -> sqlite3.Connection:
    """A job's index file opened for writing (its tables made if new), the catalog
    attached read-only as `cat` and, for a shard, the main file as `idx` and the build
    file as `build`."""
    main = job.path == job.main_path
    shard = job.part == "tracks"
    con = sqlite3.connect(job.path, isolation_level=None, timeout=WRITER_WAIT_SECONDS)
    try:
        # a new file only (set before its first table): lets the merge hand back the
        # pages it freed (a tenth of the file at 1 M tracks) without a VACUUM
        con.execute("PRAGMA auto_vacuum = INCREMENTAL")
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
        con.execute("PRAGMA temp_store = MEMORY")
        con.create_function("index_text", 1, index_text, deterministic=True)
        con.create_function("log2", 1, _log2, deterministic=True)
        con.executescript(INDEX_DDL if main else SHARD_DDL if shard else BUILD_DDL)
        con.execute("ATTACH DATABASE ? AS cat", (job.catalog_uri,))
        if shard:
            main_path = Path(job.main_path)
            con.execute("ATTACH DATABASE ? AS idx", (readonly_uri(main_path),))
            con.execute(f"PRAGMA idx.cache_size = -{TEXTS_CACHE_KIB}")
            con.execute("ATTACH DATABASE ? AS build", (readonly_uri(build_path(main_path)),))
    except BaseException:
        con.close()
        raise
    return con


def _log2(value: float) -> float:
    return math.log2(value) if value > 0 else 0.0
