"""The user store: the user's own SQLite file (WAL) of roots and scanned files.

Precious data: WAL journal with `synchronous=FULL` (NORMAL inside `bulk()`, for scans,
whose results a rescan rebuilds), every batch of changes in one
transaction (a kill loses at most the batch in flight), and migrations that copy the
file with SQLite's backup API before they touch it. Readers get frozen `FileRow`s.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from peewee import DatabaseError, SqliteDatabase

from explorer.errors import KnownError
from explorer.library.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    SCHEMA_VERSION_TABLE,
    Migration,
)
from explorer.library.records import (
    STATUS_MISSING,
    STATUS_OK,
    FileRead,
    StreamInfo,
    TrackTags,
)
from explorer.log import get_logger
from explorer.paths import data_dir

log = get_logger("library")

STORE_NAME = "library.sqlite3"
# Wait this long (ms) for another process holding the write lock before failing.
BUSY_TIMEOUT_MS = 10_000
# Pause between tries to switch a new store to WAL while another process does.
WAL_RETRY_S = 0.005
# Rows per page returned by `files()`; bigger pages mean fewer queries, more memory.
FILE_PAGE = 500
# Paths per `IN (...)` query; SQLite allows 32,766 variables, smaller keeps plans cheap.
LOOKUP_CHUNK = 500

_FILE_COLUMNS = (
    "id, root_id, path, display, folder, size, mtime_ns, status, error, format, duration_s,"
    " bitrate, sample_rate, channels, has_cover, tags, stream, first_seen_at, scanned_at,"
    " missing_since"
)


def display_path(path: bytes) -> str:
    """A readable form of a file system path; bytes that are not UTF-8 show as \\xNN."""
    return path.decode("utf-8", "backslashreplace")


@dataclass(frozen=True)
class RootRow:
    """A folder the user asked to scan."""

    id: int
    path: bytes
    display: str
    added_at: float
    last_scan_at: float | None


@dataclass(frozen=True)
class RootSummary:
    """A music folder with what forgetting it would take away."""

    root: RootRow
    files: int  # files known under it, missing ones too
    decisions: int  # of them, files whose link the user decided (accepted, rejected, by hand)


@dataclass(frozen=True, slots=True)  # one per file: a million in a big library
class KnownFile:
    """What the scanner needs to know to skip an unchanged file."""

    id: int
    size: int
    mtime_ns: int
    status: str


@dataclass(frozen=True)
class FileRow:
    """One file as the store holds it (tags and stream as records, path as bytes)."""

    id: int
    root_id: int
    path: bytes
    display: str
    folder: str
    size: int
    mtime_ns: int
    status: str
    error: str | None
    stream: StreamInfo | None
    tags: TrackTags = field(default_factory=TrackTags)
    first_seen_at: float = 0.0
    scanned_at: float = 0.0
    missing_since: float | None = None


@dataclass(frozen=True)
class FileTagsRow:
    """A stored file's id, status and tags without the rest of its row: what matching
    reads. Decoding a whole FileRow (its tags and stream as records) costs about 26 µs a
    file, three times this; the matcher's writing process reads every file once."""

    id: int
    root_id: int
    display: str
    status: str
    error: str | None
    duration_s: float | None  # the stream's length
    tags: Mapping[str, Any]  # as `TrackTags.to_json` wrote them; {} when unreadable
    path: bytes = b""  # the exact path (for `match --json`)


def default_store_path() -> Path:
    """Where the user store lives: the data directory (EXPLORER_HOME in tests)."""
    return data_dir() / STORE_NAME


def _stream_json(stream: StreamInfo | None) -> str:
    if stream is None:
        return "{}"
    data = dict(stream.__dict__)
    data["tag_types"] = list(stream.tag_types)
    return json.dumps(data)


def _stream_from(text: str) -> StreamInfo | None:
    data = json.loads(text or "{}")
    if not data:
        return None
    data["tag_types"] = tuple(data.get("tag_types", ()))
    known = {k: v for k, v in data.items() if k in StreamInfo.__dataclass_fields__}
    return StreamInfo(**known)


def _tags_row(values: Sequence[Any]) -> FileTagsRow:
    id_, root_id, display, status, error, duration_s, text, path = values
    try:
        tags = json.loads(text or "{}")
    except ValueError:  # a damaged row: matched as a file without tags
        tags = {}
    return FileTagsRow(
        id_,
        root_id,
        display,
        status,
        error,
        duration_s,
        tags if isinstance(tags, dict) else {},
        path,
    )


def _row(values: Sequence[Any]) -> FileRow:
    (id_, root_id, path, display, folder, size, mtime_ns, status, error, _format, _duration,
     _bitrate, _rate, _channels, _cover, tags, stream, first, scanned, missing) = values  # fmt: skip
    return FileRow(
        id=id_,
        root_id=root_id,
        path=bytes(path),
        display=display,
        folder=folder,
        size=size,
        mtime_ns=mtime_ns,
        status=status,
        error=error,
        stream=_stream_from(stream),
        tags=TrackTags.from_json(json.loads(tags or "{}")),
        first_seen_at=first,
        scanned_at=scanned,
        missing_since=missing,
    )


# Positions in an `encode_read` tuple that the scanner reads back.
ENCODED_PATH = 0
ENCODED_FOLDER = 2
ENCODED_STATUS = 5


def encode_read(read: FileRead) -> tuple[Any, ...]:
    """The column values of one read (JSON done here, so worker processes can do it)."""
    tags = read.tags
    stream = read.stream
    return (
        read.path, display_path(read.path), display_path(os.path.dirname(read.path)),
        read.size, read.mtime_ns, read.status, read.error, stream.format if stream else None,
        stream.duration_s if stream else None, stream.bitrate if stream else None,
        stream.sample_rate if stream else None, stream.channels if stream else None,
        int(stream.has_cover) if stream else 0, tags.title,
        json.dumps(list(tags.artists), ensure_ascii=False), tags.album,
        tags.album_artists[0] if tags.album_artists else None, tags.track_number,
        tags.disc_number, tags.year, tags.isrc,
        json.dumps(tags.to_json(), ensure_ascii=False), _stream_json(stream),
    )  # fmt: skip


def backup_store(path: Path, target: Path) -> Path:
    """Copy a live store to `target` with SQLite's online backup API (consistent under WAL)."""
    source = sqlite3.connect(path)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    return target


class LibraryStore:
    """An open user store. One per thread or process; close it (or use `with`)."""

    def __init__(self, path: Path, db: SqliteDatabase) -> None:
        self.path = path
        self.db = db

    def __enter__(self) -> LibraryStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.db.execute_sql(sql, params).fetchall())

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many rebuildable writes (a scan, the matcher's links): `synchronous=NORMAL`
        inside, FULL again after.

        Under WAL, NORMAL still never corrupts and a killed process loses nothing that
        was committed; only a power cut may roll back the last batches, which the next
        scan reads again. Decisions by the user keep the default, FULL.
        """
        self.db.execute_sql("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            self.end_stale_transaction()
            self.db.execute_sql("PRAGMA synchronous = FULL")
            self.db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def end_stale_transaction(self) -> bool:
        """Roll back a transaction no `atomic()` block owns any more; True if there was one.

        A Ctrl+C that lands in peewee's `atomic().__enter__` just after its `BEGIN
        IMMEDIATE` never reaches the block's `__exit__`: the transaction stays open,
        holding the write lock, and the next statement that may not run inside one
        (`PRAGMA synchronous`, a checkpoint) failed in its place, hiding the Ctrl+C.
        """
        if self.db.is_closed() or self.db.transaction_depth() > 0:
            return False  # no connection, or a block still owns its transaction
        connection = self.db.connection()
        if not connection.in_transaction:
            return False
        connection.rollback()
        log.info("rolled back a transaction left open by an interruption")
        return True

    def schema_version(self) -> int:
        return _current_version(self.db)

    def integrity_check(self) -> str:
        """SQLite's own check of the file: "ok" when nothing is damaged."""
        return str(self._query("PRAGMA integrity_check")[0][0])

    # Roots ---------------------------------------------------------------------------

    def add_root(self, path: str | os.PathLike[str] | bytes) -> RootRow:
        """Remember a folder to scan (its absolute path); adding it twice is harmless."""
        raw = os.fsencode(os.path.abspath(os.fsdecode(path)))
        with self.db.atomic():
            self.db.execute_sql(
                "INSERT INTO roots (path, display, added_at) VALUES (?, ?, ?)"
                " ON CONFLICT(path) DO NOTHING",
                (raw, display_path(raw), time.time()),
            )
        root = self._root_where("path = ?", (raw,))
        assert root is not None
        return root

    def _root_where(self, where: str, params: Sequence[Any]) -> RootRow | None:
        rows = self._query(
            f"SELECT id, path, display, added_at, last_scan_at FROM roots WHERE {where}", params
        )
        return RootRow(rows[0][0], bytes(rows[0][1]), *rows[0][2:]) if rows else None

    def roots(self) -> list[RootRow]:
        rows = self._query(
            "SELECT id, path, display, added_at, last_scan_at FROM roots ORDER BY id"
        )
        return [RootRow(r[0], bytes(r[1]), *r[2:]) for r in rows]

    def root_summaries(self) -> list[RootSummary]:
        """Every root with its file and decision counts: the files counted on the
        files_root index alone, the decisions (few) from the links_status index."""
        files = dict(self._query("SELECT root_id, count(*) FROM files GROUP BY root_id"))
        decisions = dict(
            self._query(
                "SELECT f.root_id, count(*) FROM links AS l JOIN files AS f ON f.id = l.file_id "
                "WHERE l.status IN ('accepted', 'rejected', 'manual') GROUP BY f.root_id"
            )
        )
        return [
            RootSummary(root, files.get(root.id, 0), decisions.get(root.id, 0))
            for root in self.roots()
        ]

    def remove_root(self, root_id: int) -> int:
        """Forget a root: its files, their links and the links' history (decisions
        included: they cannot be undone after), in one transaction. The files on disk
        are not touched. Returns how many files were forgotten."""
        files = "SELECT id FROM files WHERE root_id = ?"
        with self.db.atomic():
            self.db.execute_sql(f"DELETE FROM link_history WHERE file_id IN ({files})", (root_id,))
            self.db.execute_sql(f"DELETE FROM links WHERE file_id IN ({files})", (root_id,))
            forgotten = self.db.execute_sql("DELETE FROM files WHERE root_id = ?", (root_id,))
            self.db.execute_sql("DELETE FROM roots WHERE id = ?", (root_id,))
        return int(forgotten.rowcount)

    def mark_root_scanned(self, root_id: int) -> None:
        with self.db.atomic():
            self.db.execute_sql(
                "UPDATE roots SET last_scan_at = ? WHERE id = ?", (time.time(), root_id)
            )

    # Files: writes -------------------------------------------------------------------

    def known_files(self, root: bytes) -> dict[bytes, KnownFile]:
        """Every file at or below `root` (an absolute path: a folder, or a file scanned
        alone) with the stat the scanner compares, whichever root it was found under: a
        folder inside another root (or holding one) is not read again for being added
        twice. The paths' index: one lookup and one range."""
        low = os.path.join(root, b"")  # "/music/" (and "/" for the file system's root)
        high = low[:-1] + bytes([low[-1] + 1])  # "/music0": just past every "/music/..."
        cursor = self.db.execute_sql(
            "SELECT path, id, size, mtime_ns, status FROM files"
            " WHERE path = ? OR (path >= ? AND path < ?)",
            (root, low, high),
        )
        return {bytes(p): KnownFile(i, s, m, st) for p, i, s, m, st in cursor}

    def save_reads(self, root_id: int, reads: Sequence[FileRead]) -> None:
        """Insert or update one batch of reads in one transaction (a file keeps its id)."""
        self.save_encoded(root_id, [encode_read(read) for read in reads])

    def save_encoded(self, root_id: int, encoded: Sequence[tuple[Any, ...]]) -> None:
        """`save_reads` for reads already passed through `encode_read` (in a worker)."""
        now = time.time()
        rows = [(root_id, *values, now, now) for values in encoded]
        with self.db.atomic():
            self.db.cursor().executemany(
                """INSERT INTO files (root_id, path, display, folder, size, mtime_ns, status,
                    error, format, duration_s, bitrate, sample_rate, channels, has_cover, title,
                    artists, album, album_artist, track_number, disc_number, year, isrc, tags,
                    stream, first_seen_at, scanned_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET root_id = excluded.root_id,
                    size = excluded.size, mtime_ns = excluded.mtime_ns, status = excluded.status,
                    error = excluded.error, format = excluded.format,
                    duration_s = excluded.duration_s, bitrate = excluded.bitrate,
                    sample_rate = excluded.sample_rate, channels = excluded.channels,
                    has_cover = excluded.has_cover, title = excluded.title,
                    artists = excluded.artists, album = excluded.album,
                    album_artist = excluded.album_artist, track_number = excluded.track_number,
                    disc_number = excluded.disc_number, year = excluded.year,
                    isrc = excluded.isrc, tags = excluded.tags, stream = excluded.stream,
                    scanned_at = excluded.scanned_at, missing_since = NULL""",
                rows,
            )

    def mark_missing(self, paths: Iterable[bytes]) -> int:
        """Mark files that vanished as missing (rows, tags and links stay); returns how many."""
        now = time.time()
        chosen = [(now, path) for path in paths]
        with self.db.atomic():
            self.db.cursor().executemany(
                "UPDATE files SET status = 'missing', missing_since = ?"
                " WHERE path = ? AND status != 'missing'",
                chosen,
            )
        return len(chosen)

    # Files: reads --------------------------------------------------------------------

    def files(
        self,
        *,
        after_id: int = 0,
        limit: int = FILE_PAGE,
        status: str | None = None,
        root_id: int | None = None,
    ) -> list[FileRow]:
        """One page of files in id order (`after_id` = the last id of the previous page)."""
        where, params = ["id > ?"], [after_id]
        if status is not None:
            where.append("status = ?")
            params.append(status)  # type: ignore[arg-type]
        if root_id is not None:
            where.append("root_id = ?")
            params.append(root_id)
        rows = self._query(
            f"SELECT {_FILE_COLUMNS} FROM files WHERE {' AND '.join(where)} ORDER BY id LIMIT ?",
            (*params, limit),
        )
        return [_row(r) for r in rows]

    def files_in_folder(
        self, folder: str, *, after_id: int = 0, limit: int = FILE_PAGE
    ) -> list[FileRow]:
        """One page of the files of one folder, in id order (the matcher's album groups)."""
        rows = self._query(
            f"SELECT {_FILE_COLUMNS} FROM files WHERE folder = ? AND id > ? ORDER BY id LIMIT ?",
            (folder, after_id, limit),
        )
        return [_row(r) for r in rows]

    def tags_in_folder(
        self, folder: str, *, after_id: int = 0, limit: int = FILE_PAGE
    ) -> list[FileTagsRow]:
        """`files_in_folder` with only what matching reads of each file (see FileTagsRow)."""
        rows = self._query(
            "SELECT id, root_id, display, status, error, duration_s, tags, path FROM files "
            "WHERE folder = ? AND id > ? ORDER BY id LIMIT ?",
            (folder, after_id, limit),
        )
        return [_tags_row(r) for r in rows]

    def folders(self, *, root_ids: Sequence[int] | None = None) -> list[str]:
        """The folders holding files (of some roots), in name order."""
        if root_ids:
            marks = ", ".join("?" * len(root_ids))
            rows = self._query(
                f"SELECT DISTINCT folder FROM files WHERE root_id IN ({marks}) ORDER BY folder",
                tuple(root_ids),
            )
        else:
            rows = self._query("SELECT DISTINCT folder FROM files ORDER BY folder")
        return [row[0] for row in rows]

    def iter_files(
        self, *, status: str | None = None, root_id: int | None = None
    ) -> Iterator[FileRow]:
        """Every file in id order, FILE_PAGE rows per query (bounded memory)."""
        after = 0
        while True:
            page = self.files(after_id=after, status=status, root_id=root_id)
            yield from page
            if len(page) < FILE_PAGE:
                return
            after = page[-1].id

    def files_by_paths(self, paths: Sequence[bytes]) -> list[FileRow]:
        found: list[FileRow] = []
        for start in range(0, len(paths), LOOKUP_CHUNK):
            chunk = paths[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._query(f"SELECT {_FILE_COLUMNS} FROM files WHERE path IN ({marks})", chunk)
            found.extend(_row(r) for r in rows)
        return found

    def root_ids(self, file_ids: Sequence[int]) -> dict[int, int]:
        """The root of each of these files (those in the store), by file id."""
        found: dict[int, int] = {}
        for start in range(0, len(file_ids), LOOKUP_CHUNK):
            chunk = file_ids[start : start + LOOKUP_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self._query(f"SELECT id, root_id FROM files WHERE id IN ({marks})", chunk)
            found.update((int(file_id), int(root_id)) for file_id, root_id in rows)
        return found

    def file_by_path(self, path: str | os.PathLike[str] | bytes) -> FileRow | None:
        rows = self.files_by_paths([os.fsencode(path)])
        return rows[0] if rows else None

    def counts(self) -> dict[str, int]:
        """Files by status (ok, error, missing); a grouped count over the status index."""
        counts = {STATUS_OK: 0, "error": 0, STATUS_MISSING: 0}
        for status, count in self._query("SELECT status, count(*) FROM files GROUP BY status"):
            counts[status] = count
        return counts


def _current_version(db: SqliteDatabase) -> int:
    exists = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = db.execute_sql("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


SQLITE_MAGIC = b"SQLite format 3\x00"  # the first bytes of every SQLite database
# The columns of SCHEMA_VERSION_TABLE: a table of that name without them is someone else's.
_VERSION_COLUMNS = frozenset({"version", "description", "applied_at"})
# Names of a foreign database's tables quoted in its refusal, at most.
_NAMES_SHOWN = 4


def _foreign_objects(connection: sqlite3.Connection) -> list[tuple[str, str]]:
    """The (type, name) of the tables and views of a database that is not a store, in the
    order they were made; [] for a store (of any version) or a database without tables.

    Every store has a `schema_version` table, made in the same transaction as migration 1.
    """
    objects = connection.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')"
        " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"
    ).fetchall()
    if ("table", "schema_version") in objects:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(schema_version)")}
        if _VERSION_COLUMNS.issubset(columns):
            return []
    return objects


def _refuse_foreign(path: Path, objects: Sequence[tuple[str, str]]) -> None:
    if not objects:
        return
    kinds = {kind for kind, _ in objects}
    label = "tables and views" if len(kinds) > 1 else f"{objects[0][0]}s"
    names = ", ".join(name for _, name in objects[:_NAMES_SHOWN])
    more = ", …" if len(objects) > _NAMES_SHOWN else ""
    raise KnownError(
        f"{path} is a SQLite database but not a library store (it has {label} {names}{more});"
        " give --store a new file or an existing store."
    )


def _make_folder(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocking = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
        reason = f"{blocking} is not a directory" if blocking else exc.strerror
        raise KnownError(
            f"The folder of the library store {path} cannot be created ({reason})."
        ) from exc


def _check_target(path: Path) -> None:
    """Refuse a path that cannot hold a store (a new or empty file becomes one).

    Only reads: a non-empty file is queried (see `_probe`) to see that it is a store, so
    a catalog or any other database given by mistake is never written (not even switched
    to WAL or given a `schema_version` table).
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise KnownError(f"The library store {path} cannot be read ({exc.strerror}).") from exc
    if stat.S_ISDIR(info.st_mode):
        raise KnownError(
            f"The library store {path} is a directory; give --store a new file or an "
            "existing store."
        )
    if not stat.S_ISREG(info.st_mode):
        raise KnownError(
            f"The library store {path} is not a regular file; give --store a new file or an "
            "existing store."
        )
    if info.st_size == 0:
        return
    probe = _probe(path)
    try:
        _refuse_foreign(path, _foreign_objects(probe))
    finally:
        probe.close()


def _probe(path: Path) -> sqlite3.Connection:
    """A connection that only reads the file, and leaves nothing next to it.

    Read-only (`mode=ro`) writes nothing, but on a database in WAL mode it makes a -wal
    and a -shm file it cannot remove; when there was no -wal, a read-write connection
    that only queries (`query_only`) makes them and removes them on close, having
    nothing to checkpoint.
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError as exc:
        raise KnownError(f"The library store {path} cannot be read ({exc.strerror}).") from exc
    uri = f"file:{quote(str(path.resolve()))}"
    in_wal = header.startswith(SQLITE_MAGIC) and header[18:20] == b"\x02\x02"
    if in_wal and not Path(f"{path}-wal").exists():
        probe = sqlite3.connect(f"{uri}?mode=rw", uri=True)
        probe.execute("PRAGMA query_only = 1")
    else:
        probe = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    probe.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return probe


def is_busy(exc: BaseException) -> bool:
    """Whether SQLite gave up waiting for another connection's lock (not a damaged file)."""
    original = getattr(exc, "orig", exc)
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


def _use_wal(db: SqliteDatabase) -> None:
    """Switch to WAL (a no-op on a store, which is in WAL already), waiting for others.

    Two connections switching a new file at once would deadlock, so SQLite fails one at
    once instead of waiting for the busy timeout: it tries again until that timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute_sql("PRAGMA journal_mode = wal")
            return
        except DatabaseError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_S)


def _checked_version(path: Path, db: SqliteDatabase, latest: int) -> int:
    current = _current_version(db)
    if current > latest:
        raise KnownError(
            f"The library store {path} was written by a newer version of explorer "
            f"(schema {current}, this version knows {latest}); update explorer."
        )
    return current


def _migrate(path: Path, db: SqliteDatabase, migrations: Sequence[Migration]) -> Path | None:
    """Bring the schema up to date, backing the file up first; returns the backup's path.

    One process migrates at a time: the pending steps run in one `BEGIN IMMEDIATE`
    transaction that reads the version again once it holds the write lock, so a second
    process opening the same store waits (busy timeout) and then finds nothing to do.
    """
    latest = migrations[-1].version
    if _checked_version(path, db, latest) == latest:
        return None  # up to date: no write lock taken
    with db.atomic("IMMEDIATE"):
        _refuse_foreign(path, _foreign_objects(db.connection()))  # made since the probe
        current = _checked_version(path, db, latest)
        pending = [m for m in migrations if m.version > current]
        if not pending:
            return None  # another process migrated it while this one waited
        backup = None
        if current > 0:  # readers (the backup's connection) go on under WAL
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = backup_store(path, path.with_name(f"{path.name}.v{current}-{stamp}.bak"))
            log.info("backed up the library store to %s before migrating", backup)
        db.execute_sql(SCHEMA_VERSION_TABLE)
        for migration in pending:
            migration.apply(db)
            db.execute_sql(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.description, time.time()),
            )
    return backup


def open_store(
    path: str | os.PathLike[str] | None = None,
    *,
    migrations: Sequence[Migration] = MIGRATIONS,
) -> LibraryStore:
    """Open (creating or migrating) the user store; the default lives in the data dir.

    A new or empty file becomes a store; an existing SQLite database that is not one is
    refused without being written.
    """
    target = Path(path) if path is not None else default_store_path()
    db = SqliteDatabase(
        str(target),
        pragmas={
            "busy_timeout": BUSY_TIMEOUT_MS,  # first: the statements below may wait
            "synchronous": "full",  # precious: a commit survives a power cut, not just a kill
            "foreign_keys": 1,
        },
        # every transaction of the store writes: it takes the write lock at BEGIN, waiting
        # for another writer (busy_timeout). A deferred one that read first failed at
        # once ("database is locked") when another process had committed since its read:
        # two `explorer match` on one store, or a decision in the window meanwhile
        lock_type="IMMEDIATE",
    )
    try:
        _make_folder(target)
        _check_target(target)
        db.connect()
        _use_wal(db)  # the file is new or a store
        _migrate(target, db, migrations)
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        if is_busy(exc):
            raise KnownError(
                f"The library store {target} is busy: another process has been writing to it "
                f"for over {BUSY_TIMEOUT_MS // 1000} s; try again when it is done."
            ) from exc
        raise KnownError(
            f"The library store {target} cannot be opened ({exc}); "
            "restore a backup next to it or move it away to start a new one."
        ) from exc
    except BaseException:
        db.close()
        raise
    return LibraryStore(target, db)


__all__ = [
    "LATEST_VERSION",
    "FileRow",
    "KnownFile",
    "LibraryStore",
    "RootRow",
    "RootSummary",
    "backup_store",
    "default_store_path",
    "display_path",
    "encode_read",
    "open_store",
]
