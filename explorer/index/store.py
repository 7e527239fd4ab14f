"""Where a catalog's index lives, its state, and dropping it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from explorer.catalog import Catalog
from explorer.paths import cache_dir

INDEX_VERSION = 6  # raise when the index layout changes: old files are rebuilt
PARTS = ("artists", "albums", "tracks")

# Completions of the word being typed: the most frequent words that start with it. Ranking
# all the words under a short prefix grows with the catalog (48,000 words start with "st"
# at 10 M tracks: 3 ms), so for prefixes of these lengths the build keeps the first
# COMPLETIONS in a table, ranked among the words in more than COMPLETION_TABLE_DOCS rows
# (0.35 s at 10 M tracks; ranking the whole vocabulary took 7 s). A prefix with fewer
# such words is ranked from the vocabulary at query time (few words start with it).
COMPLETIONS = 8
COMPLETION_PREFIXES = (2, 3)
COMPLETION_TABLE_DOCS = 50

INDEX_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS progress (
    part TEXT PRIMARY KEY,
    next_rowid INTEGER NOT NULL,
    last_rowid INTEGER NOT NULL,
    rows_done INTEGER NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS artist_fts USING fts5(
    text, content='', detail=none, columnsize=0,
    tokenize="unicode61 remove_diacritics 2 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS album_fts USING fts5(
    text, content='', detail=none, columnsize=0,
    tokenize="unicode61 remove_diacritics 2 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS track_fts USING fts5(
    text, content='', detail=none, columnsize=0,
    tokenize="unicode61 remove_diacritics 2 tokenchars '_'"
);
CREATE TABLE IF NOT EXISTS artist_text (  -- while building: non-ASCII artist names' text
    rowid INTEGER PRIMARY KEY,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS completion (
    prefix TEXT NOT NULL,
    rank INTEGER NOT NULL,
    term TEXT NOT NULL,
    PRIMARY KEY (prefix, rank)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vocab (
    term TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class IndexStatus:
    """The state of one catalog's index."""

    path: Path
    exists: bool
    complete: bool
    rows_done: int
    rows_total: int  # estimated (max rowid) over artists, albums and tracks
    size_bytes: int

    @property
    def share_done(self) -> float:
        return min(1.0, self.rows_done / self.rows_total) if self.rows_total else 0.0


def index_path_for(catalog: Catalog) -> Path:
    """The index file of this catalog (keyed by its path, size and modification time)."""
    return cache_dir() / "index" / f"{catalog.identity.key()}.sqlite3"


def rows_total(catalog: Catalog) -> int:
    return sum(catalog.estimate(part) for part in PARTS)


def read_state(path: Path) -> tuple[bool, int]:
    """(complete, rows done) of an index file; (False, 0) when unreadable or from another version."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False, 0
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("version") != str(INDEX_VERSION):
            return False, 0
        (done,) = con.execute("SELECT coalesce(sum(rows_done), 0) FROM progress").fetchone()
        return meta.get("complete") == "1", int(done)
    except sqlite3.Error:
        return False, 0
    finally:
        con.close()


def index_status(catalog: Catalog) -> IndexStatus:
    """Whether the index exists, is complete, and how far a build got."""
    path = index_path_for(catalog)
    exists = path.is_file()
    complete, done = read_state(path) if exists else (False, 0)
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) if exists else 0
    return IndexStatus(path, exists, complete, done, rows_total(catalog), size)


def drop_index(catalog: Catalog) -> bool:
    """Delete the catalog's index (and its WAL files); True if there was one."""
    path = index_path_for(catalog)
    found = False
    for item in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if item.exists():
            item.unlink()
            found = True
    return found
