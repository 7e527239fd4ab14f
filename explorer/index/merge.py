"""A written table finished: its segments merged into one, its words counted."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.catalog.connection import readonly_uri
from explorer.index.part_sql import FTS_TABLE, UPC_MARK, UPC_MARK_END

if TYPE_CHECKING:
    from explorer.index.writer import Job

# FTS5 settings while building. By default FTS5 merges segments a little after every
# insert (automerge 4) and flushes its pending terms every 1 MB (hashsize): on a 10 M-track
# build that merged the same postings over and over (48 s of the main process's 64 s).
# Building with merging off and a 64 MB hash, then one 'optimize' at the end, took 33 s;
# crisismerge still merges when a level holds that many segments (a 256 M-track build).
BUILD_FTS_SETTINGS = (("automerge", 0), ("crisismerge", 1000), ("hashsize", 64 * 1024 * 1024))
# What the finished index is left with (FTS5's defaults).
FINISHED_FTS_SETTINGS = (("automerge", 4), ("crisismerge", 16), ("hashsize", 1024 * 1024))
# How long a writer waits for another writer of its file to commit (a chunk takes about
# a second): the years have two writers, the shards add their words to the main file
# while its lane writes, and a build killed mid-way can leave its workers finishing their
# chunks beside the next one.
WRITER_WAIT_SECONDS = 600.0


def merge_table(con: sqlite3.Connection, job: Job) -> None:
    """Merge a job's table into one segment, hand back the freed pages, restore FTS5's own
    settings, then add the table's words to the main file's vocabulary (once) and mark
    the part merged."""
    table = FTS_TABLE[job.part]
    # a no-op on a table already of one segment (a resumed build whose merge had run)
    con.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    configure(con, (table,), FINISHED_FTS_SETTINGS)
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


def configure(
    con: sqlite3.Connection, tables: tuple[str, ...], settings: tuple[tuple[str, int], ...]
) -> None:
    """Set FTS5 options (kept in each table's config)."""
    for table in tables:
        for name, value in settings:
            con.execute(f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)", (name, value))
