"""The user store's schema, as a list of numbered migrations (never edit one that shipped).

The store holds the user's work, so the pending migrations run in one transaction that
holds the write lock (one process migrates, others wait) after the file is copied to a
backup (store.py). Later issues append steps here: links from files to catalog ids,
decisions and their history (matching and review issues) go in as migration 2, 3, ...
with their own tables referencing `files(id)`, which never changes for a path: a rescan
updates a file's row in place and a vanished file is only marked `missing`, so nothing
that points at it is lost.
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


# Links from files to catalog recordings and every decision about them (matching/links.py).
_V2 = (
    """CREATE TABLE links (
        file_id INTEGER PRIMARY KEY REFERENCES files(id),
        track_id TEXT,                      -- catalog ids (stable across dump versions)
        album_id TEXT,
        isrc TEXT,
        status TEXT NOT NULL CHECK (status IN ('auto', 'accepted', 'rejected', 'manual')),
        decision TEXT NOT NULL CHECK (decision IN ('matched', 'review', 'unmatched')),
        confidence REAL NOT NULL,
        margin REAL NOT NULL,
        method TEXT,                        -- isrc, id-tag, text, album, manual
        reason TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}',  -- JSON: per-field breakdown, runner-up, alternatives
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    "CREATE INDEX links_track ON links(track_id)",
    "CREATE INDEX links_album ON links(album_id)",
    "CREATE INDEX links_isrc ON links(isrc) WHERE isrc IS NOT NULL",
    "CREATE INDEX links_status ON links(status, decision, file_id)",
    """CREATE TABLE link_history (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES files(id),
        at REAL NOT NULL,
        actor TEXT NOT NULL CHECK (actor IN ('matcher', 'user')),
        action TEXT NOT NULL,               -- match, accept, reject, pick, manual, unlink, undo, redo
        before TEXT,                        -- JSON of the link before (NULL: there was none)
        after TEXT,                         -- JSON of the link after (NULL: removed)
        undone INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX link_history_file ON link_history(file_id, id)",
)

# Decisions made together (accept all >= X) share a batch number and are undone together.
_V3 = ("ALTER TABLE link_history ADD COLUMN batch INTEGER",)

# The tag journal (library/tag_journal.py): every tag write, with the tags before and after
# it, in one batch per run, so a batch or one file can be undone (and an undo undone).
_V4 = (
    """CREATE TABLE tag_batches (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('write', 'undo')),
        fields TEXT NOT NULL,               -- JSON list of the fields written
        reverses INTEGER REFERENCES tag_batches(id),  -- an undo: the batch it reverses
        started_at REAL NOT NULL,
        finished_at REAL
    )""",
    """CREATE TABLE tag_journal (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES tag_batches(id),
        file_id INTEGER NOT NULL REFERENCES files(id),
        path BLOB NOT NULL,                 -- the file written (os.fsencode)
        tag_system TEXT NOT NULL,           -- id3, vorbis, mp4, ape, asf
        before TEXT NOT NULL,               -- JSON: tag name -> raw value before (null: absent)
        after TEXT NOT NULL,                -- JSON: tag name -> raw value written
        temp_path BLOB,                     -- the copy being written, while pending
        state TEXT NOT NULL CHECK (state IN ('pending', 'written', 'abandoned')),
        size INTEGER,                       -- the file after writing
        mtime_ns INTEGER,
        at REAL NOT NULL,
        reverses INTEGER REFERENCES tag_journal(id)  -- an undo: the entry it reverses
    )""",
    "CREATE INDEX tag_journal_batch ON tag_journal(batch_id, id)",
    "CREATE INDEX tag_journal_file ON tag_journal(file_id, id)",
    "CREATE INDEX tag_journal_pending ON tag_journal(state) WHERE state = 'pending'",
)

# What the catalog knows about each linked file's track (tempo, key, energy, genres, year),
# copied by id lookups so that the library's facet filters (`bpm:120..128`) run in this
# store's SQL, never over the catalog. A cache: its rows hold for `track_id` only (a link
# to another track makes them stale), and deleting them loses nothing.
_V5 = (
    """CREATE TABLE link_facets (
        file_id INTEGER PRIMARY KEY REFERENCES files(id),
        track_id TEXT NOT NULL,             -- the linked track these values were read for
        tempo REAL,                         -- BPM
        key INTEGER,                        -- pitch class 0 = C ... 11 = B
        mode INTEGER,                       -- 1 major, 0 minor
        camelot TEXT,                       -- 8A, 8B, ... (NULL: no key)
        energy REAL,
        danceability REAL,
        valence REAL,
        popularity INTEGER,
        year INTEGER,
        genres TEXT NOT NULL DEFAULT '',    -- the artists' genres, each between newlines
        read_at REAL NOT NULL
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "roots and files", _statements(*_V1)),
    Migration(2, "links from files to catalog recordings, with history", _statements(*_V2)),
    Migration(3, "batches of decisions in the history", _statements(*_V3)),
    Migration(4, "the journal of tags written into files", _statements(*_V4)),
    Migration(5, "catalog facets of linked files (a cache)", _statements(*_V5)),
)  # fmt: skip

LATEST_VERSION = MIGRATIONS[-1].version
