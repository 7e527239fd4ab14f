"""Where a catalog's index lives, its state, and dropping it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from explorer.catalog import Catalog
from explorer.paths import cache_dir

INDEX_VERSION = 9  # raise when the index layout changes: old files are rebuilt
PARTS = ("artists", "albums", "tracks")
# The tracks' index is split into this many files by catalog rowid range, each written by
# its own process while the main file takes the albums: one SQLite file has one writer at
# a time, and the 10 M-track build spent half its time inserting in one process. Searches
# read the shards as one list in rowid (rank) order (a merge of their ordered matches).
TRACK_SHARDS = 2

# Completions of the word being typed: the most frequent words that start with it. Ranking
# all the words under a short prefix grows with the catalog (48,000 words start with "st"
# at 10 M tracks: 3 ms), so for prefixes of these lengths the build keeps the first
# COMPLETIONS in a table, ranked among the words in more than COMPLETION_TABLE_DOCS rows
# (0.35 s at 10 M tracks; ranking the whole vocabulary took 7 s). A prefix with fewer
# such words is ranked from the vocabulary at query time (few words start with it).
COMPLETIONS = 8
COMPLETION_PREFIXES = (2, 3)
COMPLETION_TABLE_DOCS = 50

_PROGRESS_DDL = """
CREATE TABLE IF NOT EXISTS progress (
    part TEXT PRIMARY KEY,
    next_rowid INTEGER NOT NULL,
    last_rowid INTEGER NOT NULL,
    rows_done INTEGER NOT NULL,
    merged INTEGER NOT NULL DEFAULT 0  -- 1 once its table is optimized, its words counted
) WITHOUT ROWID;
"""


def _fts_ddl(table: str) -> str:
    return f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(
    text, content='', detail=none, columnsize=0,
    tokenize="unicode61 remove_diacritics 2 tokenchars '_'"
);
"""


# The main file: state, artists, albums, the vocabulary and completions.
INDEX_DDL = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS artist_text (  -- while building: each artist's credit text
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
    + _PROGRESS_DDL
    + _fts_ddl("artist_fts")
    + _fts_ddl("album_fts")
)
# A track shard file.
SHARD_DDL = _PROGRESS_DDL + _fts_ddl("track_fts")
# The build's own file (deleted when the index is complete): what every track shard
# reads, written by a lane of its own while the main file takes the artists' texts.
BUILD_DDL = (
    _PROGRESS_DDL
    + """
CREATE TABLE IF NOT EXISTS album_year (  -- each album's year token (' y_1990'), or ''
    rowid INTEGER PRIMARY KEY,
    token TEXT NOT NULL
);
"""
)


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


def shard_paths(main: Path) -> list[Path]:
    """The track shard files of the index whose main file is `main`."""
    return [
        main.with_name(f"{main.stem}.tracks{k}{main.suffix}") for k in range(1, TRACK_SHARDS + 1)
    ]


def build_path(main: Path) -> Path:
    """The file of build-only tables beside the index whose main file is `main`."""
    return main.with_name(f"{main.stem}.build{main.suffix}")


def index_files(main: Path) -> list[Path]:
    """Every file of an index: main, shards, the build's own file, and their WAL and
    shared-memory files."""
    return [
        path.with_name(path.name + suffix)
        for path in (main, *shard_paths(main), build_path(main))
        for suffix in ("", "-wal", "-shm")
    ]


def rows_done(path: Path) -> int:
    """Catalog rows a build has indexed in one index file (0 when missing or unreadable)."""
    if not path.is_file():
        return 0
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0
    try:
        return int(con.execute("SELECT coalesce(sum(rows_done), 0) FROM progress").fetchone()[0])
    except sqlite3.Error:
        return 0
    finally:
        con.close()


def rows_total(catalog: Catalog) -> int:
    return sum(catalog.estimate(part) for part in PARTS)


def read_state(path: Path) -> tuple[bool, int]:
    """(complete, rows done in the main file) of an index; (False, 0) when unreadable or
    from another version."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False, 0
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("version") != str(INDEX_VERSION):
            return False, 0
        (done,) = con.execute("SELECT coalesce(sum(rows_done), 0) FROM progress").fetchone()
        # a shard file deleted from a finished index: not complete (the build starts over)
        shards = all(shard.is_file() for shard in shard_paths(path))
        return meta.get("complete") == "1" and shards, int(done)
    except sqlite3.Error:
        return False, 0
    finally:
        con.close()


def index_status(catalog: Catalog) -> IndexStatus:
    """Whether the index exists, is complete, and how far a build got."""
    path = index_path_for(catalog)
    exists = path.is_file()
    complete, done = read_state(path) if exists else (False, 0)
    if exists and done:
        done += sum(rows_done(shard) for shard in shard_paths(path))
    size = sum(p.stat().st_size for p in index_files(path) if p.is_file()) if exists else 0
    return IndexStatus(path, exists, complete, done, rows_total(catalog), size)


def stale_indexes(catalog: Catalog) -> list[Path]:
    """The main files of indexes built for this catalog's path when it had another size or
    modification time: the file changed (a new download, a copy over it), they answer
    for nothing any more, and they are as large as the index (8 % of the catalog)."""
    current = index_path_for(catalog)
    if not current.parent.is_dir():
        return []
    found = []
    for main in sorted(current.parent.glob("*.sqlite3")):
        if main == current or "." in main.stem:  # shards and build files: <key>.<part>
            continue
        if _meta(main).get("catalog_path") == catalog.identity.path:
            found.append(main)
    return found


def _meta(path: Path) -> dict[str, str]:
    """An index file's meta table ({} when unreadable)."""
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error:
        return {}
    try:
        return {str(k): str(v) for k, v in con.execute("SELECT key, value FROM meta")}
    except sqlite3.Error:
        return {}
    finally:
        con.close()


def drop_stale_indexes(catalog: Catalog) -> int:
    """Delete `stale_indexes`; returns the bytes freed."""
    freed = 0
    for main in stale_indexes(catalog):
        for item in index_files(main):
            if item.exists():
                freed += item.stat().st_size
                item.unlink()
    return freed


def drop_index(catalog: Catalog) -> bool:
    """Delete the catalog's index (its files and their WAL files) and those of its earlier
    versions (`stale_indexes`); True if there was one."""
    found = drop_stale_indexes(catalog) > 0
    for item in index_files(index_path_for(catalog)):
        if item.exists():
            item.unlink()
            found = True
    return found
