"""Build the sidecar index in rowid chunks: interruptible, resumable, with progress."""

from __future__ import annotations

import ctypes
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from explorer.catalog import Catalog
from explorer.catalog.connection import readonly_uri
from explorer.errors import (
    CancelledError,
    KnownError,
    catalog_damaged,
    index_damaged,
    is_damaged_file,
)
from explorer.index.ranking import RANK_SHIFT, SQL_POPULARITY_ROWID
from explorer.index.store import (
    BUILD_DDL,
    COMPLETION_PREFIXES,
    COMPLETION_TABLE_DOCS,
    COMPLETIONS,
    INDEX_DDL,
    INDEX_VERSION,
    PARTS,
    SHARD_DDL,
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
from explorer.index.text import index_text
from explorer.log import get_logger
from explorer.processes import pool_context

log = get_logger("index")

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


def _ascii(column: str) -> str:
    """SQL true when a text is plain ASCII (as many characters as bytes: cheaper than
    matching every character against a pattern, 0.2 of the 3.5 us a track cost)."""
    return f"length({column}) = length(CAST({column} AS BLOB))"


def _text(column: str) -> str:
    """SQL for `index_text(column)` that calls Python only for names that are not plain ASCII."""
    return f"CASE WHEN {_ascii(column)} THEN {column} ELSE index_text({column}) END"


# The marker tokens of a genre ("deep house" -> g_deep_house) and of a label ("Warner
# Music" -> l_warner l_music), in SQL; FTS5 splits them further at any other mark, as
# `explorer.search.terms.genre_tokens` and `label_tokens` expect.
GENRE_TOKEN_SQL = "'g_' || replace(replace(lower({column}), ' ', '_'), '-', '_')"
LABEL_TOKENS_SQL = "'l_' || replace(trim(lower({column})), ' ', ' l_')"


def _year_token(column: str) -> str:
    """SQL for ' y_YYYY' when a date starts with a year other than 0000, else ''
    (matching the whole date against the patterns costs less than cutting it first)."""
    return (
        f"CASE WHEN {column} GLOB '[0-9][0-9][0-9][0-9]*' AND {column} NOT GLOB '0000*' "
        f"THEN ' y_' || substr({column}, 1, 4) ELSE '' END"
    )


# One SELECT per part, over the catalog rowid range [:lo, :hi), in index rowid order
# (FTS5 flushes its pending terms to a new segment whenever a rowid goes backwards); the
# rows are (index rowid, text), inserted by `INSERT ... SELECT` without a round trip
# through Python for the plain ASCII names.
#
# Artists, albums and tracks take their artists' texts from `{texts}.artist_text` (the
# main index file's table, which the first stage fills with every artist's credit: the
# name as it is when plain ASCII, which the FTS tokenizer splits as `tokens` does, else
# its `index_text`) instead of calling `index_text` on every track's credits (1.7 us of
# the 6 us a track cost at 10 M tracks) or reading the catalog's wide artist rows (0.4 us).
# Tracks take their album's year token from the build file's `album_year` (reading the
# album's wide row and matching its date was 0.4 of the 4 us a track cost at 10 M tracks).
#
# Where each part's credits are, in the catalog: (table, the credited row's column, what
# marks a credit the index holds, as SQL on the table's alias `c`).
CREDITS = {
    "albums": ("artist_albums", "album_rowid", "c.index_in_album IS NOT NULL"),
    "tracks": ("track_artists", "track_rowid", "true"),
}
# A chunk's credits are gathered first into the writer's `temp.credits`, in one pass over
# the chunk's range of the credits table's index (see `_gather_credits`), then joined by
# rowid. A subquery per row looking them up (1.8 of the 4 us a track cost at 10 M tracks)
# or a join on the chunk's grouped credits (which SQLite materialized and indexed again)
# cost more.
SELECT_SQL = {
    "artists": f"""
        SELECT ((127 - max(0, min(127, CAST(log2(a.followers_total + 1) * 4.5 AS INTEGER))))
                    << {RANK_SHIFT}) | a.rowid,
               x.text || coalesce(' ' || g.tokens, '')
        FROM cat.artists a
        JOIN {{texts}}.artist_text x ON x.rowid = a.rowid
        LEFT JOIN (
            SELECT artist_rowid AS r,
                   group_concat({GENRE_TOKEN_SQL.format(column="genre")}, ' ')
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
               {_text("al.name")} || ' ' || coalesce(cr.names, '')
               || coalesce(' t_' || al.album_type, '')
               || coalesce(' u_' || nullif(al.external_id_upc, ''), '')
               || coalesce(' ' || {LABEL_TOKENS_SQL.format(column="al.label")}, '')
               || {_year_token("al.release_date")}
        FROM cat.albums al
        LEFT JOIN temp.credits cr ON cr.rowid = al.rowid
        WHERE al.rowid >= :lo AND al.rowid < :hi
        ORDER BY 1
    """,
    "tracks": f"""
        SELECT {SQL_POPULARITY_ROWID.format(pop="t.popularity", rowid="t.rowid")},
               {_text("t.name")} || ' ' || coalesce(cr.names, '')
               || y.token
        FROM cat.tracks t
        LEFT JOIN temp.credits cr ON cr.rowid = t.rowid
        JOIN build.album_year y ON y.rowid = t.album_rowid
        WHERE t.rowid >= :lo AND t.rowid < :hi
        ORDER BY 1
    """,
}
FTS_TABLE = {"artists": "artist_fts", "albums": "album_fts", "tracks": "track_fts"}
# The first stage: every artist's credit as the index holds it (a name that is not plain
# ASCII as its index text, or as it is when that has no word), which the artists',
# albums' and tracks' rows then read instead of computing it again.
TEXTS = "texts"
ARTIST_TEXT_SQL = f"""
    INSERT INTO artist_text (rowid, text)
    SELECT rowid,
           coalesce(CASE WHEN {_ascii("name")} THEN name
                         ELSE coalesce(nullif(index_text(name), ''), name) END, '')
    FROM cat.artists
    WHERE rowid >= :lo AND rowid < :hi
"""
# Also in the first stage, in a lane of its own (the build file): every album's year token.
YEARS = "years"
ALBUM_YEAR_SQL = f"""
    INSERT INTO album_year (rowid, token)
    SELECT rowid, {_year_token("release_date")}
    FROM cat.albums
    WHERE rowid >= :lo AND rowid < :hi
"""
# The first stage's jobs: what they insert, and the part whose progress they belong to
# (they report no rows of their own).
FIRST_STAGE = {TEXTS: (ARTIST_TEXT_SQL, "artists"), YEARS: (ALBUM_YEAR_SQL, "albums")}
# The lanes of a stage run side by side, the first in this process and the others in
# worker processes (the main file's artists and albums here, each track shard in a worker:
# even on 2 cores, the system shares the cores among them, so the shards do not wait for
# the albums to end), for catalogs of PARALLEL_FROM rows; smaller ones are built in this
# process, one job after the other (starting a worker process costs a tenth of a second
# or more). WORKERS: worker processes at most; 0, always in this process.
WORKERS = TRACK_SHARDS
PARALLEL_FROM = 400_000


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


# How long a writer waits for another writer of its file to commit (a chunk takes about
# a second): the years have two writers, the shards add their words to the main file
# while its lane writes, and a build killed mid-way can leave its workers finishing their
# chunks beside the next one.
WRITER_WAIT_SECONDS = 600.0
# What a cancelled build says.
CANCELLED = "The index build was cancelled; run it again to go on."
# SQLite virtual-machine steps between two looks at a cancel while a chunk is written
# (a few milliseconds; a chunk takes up to a second).
CANCEL_CHECK_STEPS = 200_000
# What a writer reports: (part, rows just indexed), or ("optimize", 0) when it merges.
Report = Callable[[str, int], None]
# Jobs run one after the other by one process (the jobs writing one file).
Lane = list[Job]


def _write(job: Job, report: Report, cancelled: Callable[[], bool]) -> None:
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
            _configure(con, (table,), BUILD_FTS_SETTINGS)
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
        _merge(con, job)
    except sqlite3.DatabaseError as exc:
        if _ctrl_c.is_set():  # see _noting_ctrl_c
            raise KeyboardInterrupt from exc
        if isinstance(exc, sqlite3.OperationalError) and cancelled():
            raise CancelledError(CANCELLED) from exc  # stopped by the progress handler
        if is_damaged_file(exc):
            raise _damaged(job, chunk, exc) from exc
        raise
    finally:
        con.close()


# The catalog's tables each part's writer reads, with the column their rows are chosen by.
CATALOG_READS = {
    TEXTS: (("artists", "rowid"),),
    YEARS: (("albums", "rowid"),),
    "artists": (("artists", "rowid"), ("artist_genres", "artist_rowid")),
    "albums": (("albums", "rowid"), ("artist_albums", "album_rowid")),
    "tracks": (("tracks", "rowid"), ("track_artists", "track_rowid")),
}


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


# The UPC tokens' range of terms: every term that starts with 'u_' sorts from UPC_MARK
# to before UPC_MARK_END ('`' follows '_').
UPC_MARK, UPC_MARK_END = "u_", "u`"
# A writer's table of one chunk's credits: each row's credited names.
CREDITS_TABLE_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS credits (rowid INTEGER PRIMARY KEY, names TEXT)"
)


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


def _merge(con: sqlite3.Connection, job: Job) -> None:
    """Merge a job's table into one segment, hand back the freed pages, restore FTS5's own
    settings, then add the table's words to the main file's vocabulary (once) and mark
    the part merged."""
    table = FTS_TABLE[job.part]
    # a no-op on a table already of one segment (a resumed build whose merge had run)
    con.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    _configure(con, (table,), FINISHED_FTS_SETTINGS)
    # executescript steps the pragma to its end (execute() frees one page per call)
    con.executescript("PRAGMA incremental_vacuum;")
    if job.path == job.main_path:
        _count_words(con, "main", table, job.part)
        return
    # a shard's words go into the main file's vocabulary, through a connection of its own
    # (attached for writing to this one, the main file would be locked by every chunk)
    words = sqlite3.connect(job.main_path, isolation_level=None, timeout=WRITER_WAIT_SECONDS)
    try:
        words.execute("ATTACH DATABASE ? AS part", (readonly_uri(Path(job.path)),))
        _count_words(words, "part", table, Path(job.path).name)
    finally:
        words.close()
    # after the vocabulary's commit: a crash in between merges again (a no-op) and finds
    # the words counted (WAL commits are atomic per file only)
    con.execute("UPDATE progress SET merged = 1 WHERE part = ?", (job.part,))


def _count_words(con: sqlite3.Connection, schema: str, table: str, marker: str) -> None:
    """Add the row counts of a finished table's words to the vocabulary of `con`'s main
    file, in the transaction that records `marker` there as merged: exactly once, even
    when two writers of a part (a killed build's worker and the next build's) get here.
    The counts are read first, without the main file's write lock (reading them is most
    of the work), so another shard reads its own while this one writes."""
    con.execute(f"CREATE VIRTUAL TABLE temp.v_{table} USING fts5vocab({schema}, {table}, row)")
    try:
        # UPC tokens are one per album, never completed, corrected or common: a third of
        # the vocabulary's rows, left out. Two ranges of terms around them, which fts5vocab
        # reads without the UPC tokens' lists (a GLOB on every term read them all and
        # doubled the albums' count: 0.73 s against 0.38 s at 10 M tracks)
        con.execute(
            f"CREATE TEMP TABLE counts AS SELECT term, doc FROM temp.v_{table} "
            f"WHERE term < '{UPC_MARK}' UNION ALL "
            f"SELECT term, doc FROM temp.v_{table} WHERE term >= '{UPC_MARK_END}'"
        )
    finally:
        con.execute(f"DROP TABLE temp.v_{table}")
    con.execute("BEGIN IMMEDIATE")  # the write lock before reading whether it was done
    try:
        done = con.execute("SELECT merged FROM main.progress WHERE part = ?", (marker,)).fetchone()
        if not (done and done[0]):
            con.execute(
                "INSERT INTO main.vocab (term, docs) SELECT term, doc FROM temp.counts "
                "WHERE true ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs"
            )
            con.execute(
                "INSERT INTO main.progress (part, next_rowid, last_rowid, rows_done, merged) "
                "VALUES (?, 0, 0, 0, 1) ON CONFLICT (part) DO UPDATE SET merged = 1",
                (marker,),
            )
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:  # an interrupted INSERT rolls it back itself
            con.execute("ROLLBACK")
        raise
    finally:
        con.execute("DROP TABLE temp.counts")


def _log2(value: float) -> float:
    import math

    return math.log2(value) if value > 0 else 0.0


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
        con.execute("PRAGMA auto_vacuum = INCREMENTAL")  # see _open_writer
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


def _configure(
    con: sqlite3.Connection, tables: tuple[str, ...], settings: tuple[tuple[str, int], ...]
) -> None:
    """Set FTS5 options (kept in each table's config)."""
    for table in tables:
        for name, value in settings:
            con.execute(f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)", (name, value))


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
            with _noting_ctrl_c():
                _run(_stages(catalog), report=report, cancel=cancel, parallel=parallel)
        finally:
            _hand_back_memory()
        _finish(con, main, progress=progress, total=grand_total)
    except sqlite3.OperationalError as exc:
        if "disk" in str(exc) or "full" in str(exc):
            raise KnownError(f"Cannot write the search index: {exc}.") from exc
        raise
    finally:
        con.close()
    return index_status(catalog)


# Set by Ctrl+C while this process builds (see _noting_ctrl_c).
_ctrl_c = threading.Event()


@contextmanager
def _noting_ctrl_c() -> Iterator[None]:
    """Note Ctrl+C in `_ctrl_c` too while this process builds, so that a writer raises its
    KeyboardInterrupt again when it was lost.

    Python raises KeyboardInterrupt in whatever Python code runs next. While SQLite writes
    a chunk, that is what SQLite calls back (the progress handler, `index_text`), and
    Python's sqlite3 drops an exception raised there and fails the statement instead
    ("interrupted", "user-defined function raised exception"). Only the main thread has
    signal handlers: a build on another thread (the window's) has no Ctrl+C to note."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if not callable(previous):  # ignored, or not Python's to handle
        yield
        return

    def note(signum: int, frame: FrameType | None) -> Any:
        _ctrl_c.set()
        return previous(signum, frame)  # KeyboardInterrupt

    signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _ctrl_c.clear()  # noted for this build's writers only


# The queue a worker process reports its progress on (set when the process starts).
_reports: Any = None


def _start_writer(reports: Any) -> None:
    """A worker leaves Ctrl+C to the building process, which ends the workers (their
    chunks' transactions roll back) and says it was interrupted; a worker of its own
    would print a KeyboardInterrupt traceback. (Forked with Ctrl+C held: see
    `_ctrl_c_held`.)"""
    global _reports
    _reports = reports
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl+C back on this thread while the worker processes are forked, until each
    ignores it (a forked child starts with the parent's blocked signals, and without
    the ones pending); this process gets it once the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork, no signal masks
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _write_in_worker(lane: Lane) -> None:
    for job in lane:
        _write(job, lambda part, rows: _reports.put((part, rows)), lambda: False)


# How often (seconds) the building process looks for reports and a cancel.
POLL_SECONDS = 0.1


def _run(
    stages: list[list[Lane]],
    *,
    report: Report,
    cancel: threading.Event | None,
    parallel: bool,
) -> None:
    """Run the stages in order, the lanes of a stage side by side in worker processes
    (or one after the other here), passing on their reports."""

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    if not parallel:
        for job in (job for stage in stages for lane in stage for job in lane):
            _write(job, report, cancelled)
        return
    # fork from the CLI, forkserver from the GUI's thread (see pool_context)
    context = pool_context()
    reports = context.SimpleQueue()
    size = min(WORKERS, max(len(stage) for stage in stages) - 1)
    with ExitStack() as stack:
        # a Ctrl+C held while forking ends the workers too: the pool's exit terminates them
        with _ctrl_c_held():
            pool = stack.enter_context(
                context.Pool(max(1, size), initializer=_start_writer, initargs=(reports,))
            )

        def drain() -> None:
            while not reports.empty():
                report(*reports.get())

        def report_here(part: str, rows: int) -> None:
            report(part, rows)
            drain()

        for stage in stages:
            # a stage's first lane runs here (the artists' texts while the worker processes
            # start, then the main file's artists and albums), the others in the pool
            results = [pool.apply_async(_write_in_worker, (lane,)) for lane in stage[1:]]
            for job in stage[0]:
                _write(job, report_here, cancelled)
            pending = results
            while pending:
                drain()
                if cancelled():
                    pool.terminate()
                    raise CancelledError(CANCELLED)
                pending = [result for result in pending if not result.ready()]
                if pending:
                    pending[0].wait(POLL_SECONDS)
            drain()
            for result in results:
                result.get()  # a writer's error, raised here


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


def _hand_back_memory() -> None:
    """Give the system back the memory this process's lane freed (its page cache, FTS5's
    buffers): glibc keeps freed memory for reuse, and a window that had built a 10 M-track
    index stayed 250 MB larger. Nothing where there is no `malloc_trim`."""
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
