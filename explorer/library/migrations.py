"""The user store's schema, as a list of numbered migrations (never edit one that shipped).

The store holds the user's work, so each migration runs in one transaction after the
file is copied to a backup (store.py). Later issues append steps here: links from files
to catalog ids, decisions and their history (matching and review issues) go in as
migration 2, 3, ... with their own tables referencing `files(id)`, which never changes
for a path: a rescan updates a file's row in place and a vanished file is only marked
`missing`, so nothing that points at it is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at REAL NOT NULL
)"""

_V1 = (
    """CREATE TABLE roots (
        id INTEGER PRIMARY KEY,
        path BLOB NOT NULL UNIQUE,          -- os.fsencode(path): lossless for any file name
        display TEXT NOT NULL,              -- readable form (undecodable bytes as \\xNN)
        added_at REAL NOT NULL,
        last_scan_at REAL
    )""",
    """CREATE TABLE files (
        id INTEGER PRIMARY KEY,             -- stable for a path: links point here
        root_id INTEGER NOT NULL REFERENCES roots(id),
        path BLOB NOT NULL UNIQUE,
        display TEXT NOT NULL,
        folder TEXT NOT NULL,               -- readable parent folder, for grouping
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'missing')),
        error TEXT,                         -- why the file could not be read
        format TEXT,
        duration_s REAL,
        bitrate INTEGER,
        sample_rate INTEGER,
        channels INTEGER,
        has_cover INTEGER NOT NULL DEFAULT 0,
        title TEXT,
        artists TEXT,                       -- JSON list
        album TEXT,
        album_artist TEXT,
        track_number INTEGER,
        disc_number INTEGER,
        year INTEGER,
        isrc TEXT,
        tags TEXT NOT NULL DEFAULT '{}',    -- JSON of TrackTags (every field)
        stream TEXT NOT NULL DEFAULT '{}',  -- JSON of StreamInfo
        first_seen_at REAL NOT NULL,
        scanned_at REAL NOT NULL,
        missing_since REAL
    )""",
    "CREATE INDEX files_root ON files(root_id, id)",
    "CREATE INDEX files_status ON files(status, id)",
    "CREATE INDEX files_folder ON files(folder)",
    "CREATE INDEX files_isrc ON files(isrc) WHERE isrc IS NOT NULL",
)


@dataclass(frozen=True)
class Migration:
    """One step of the schema: `apply(db)` runs inside a transaction."""

    version: int
    description: str
    apply: Callable[[Any], None]


def _statements(*sql: str) -> Callable[[Any], None]:
    def apply(db: Any) -> None:
        for statement in sql:
            db.execute_sql(statement)

    return apply


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "roots and files", _statements(*_V1)),
)  # fmt: skip

LATEST_VERSION = MIGRATIONS[-1].version
