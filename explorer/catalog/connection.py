"""Open a catalog read-only, validate its schema, and estimate its size without scanning."""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import peewee
from peewee import SqliteDatabase

from explorer.catalog import schema
from explorer.catalog.models import bind_models
from explorer.catalog.queries import CatalogQueries
from explorer.catalog.records import TableEstimate
from explorer.errors import NotACatalogError, catalog_damaged, is_damaged_file
from explorer.log import get_logger

log = get_logger("catalog")

# Page cache per connection, in KiB (negative = KiB for SQLite); raising it helps repeated
# browsing of the same albums at the cost of memory per worker thread.
CACHE_SIZE_KIB = 32 * 1024
# Memory-mapped window; default builds cap it near 2 GB, and on a 125 GB file the OS page
# cache does the real work, so a modest window is enough (mapped pages count in the
# process's resident memory: raising it raises RSS, not speed).
MMAP_SIZE_BYTES = 64 * 1024 * 1024
# The schema name the audio-features file is attached under.
FEATURES_SCHEMA = "features"
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class CatalogIdentity:
    """What identifies one catalog file: its path, size and modification time."""

    path: str
    size: int
    mtime_ns: int

    def key(self) -> str:
        """A short stable key for file names of sidecar data (the search index)."""
        import hashlib

        text = f"{self.path}\x00{self.size}\x00{self.mtime_ns}"
        return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def readonly_uri(path: Path) -> str:
    """A `file:` URI that opens the file read-only (no journal, no lock file written)."""
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def _check_file(path: Path, *, what: str) -> None:
    """Refuse, with one sentence, anything that cannot be a SQLite database."""
    if not path.exists():
        raise NotACatalogError(f"{what} '{path}' does not exist.")
    if not path.is_file():
        raise NotACatalogError(f"{what} '{path}' is not a file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise NotACatalogError(f"{what} '{path}' cannot be read: {exc.strerror}.") from exc
    if not header:
        raise NotACatalogError(f"{what} '{path}' is empty.")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotACatalogError(f"{what} '{path}' is not a SQLite database.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    change_counter = int.from_bytes(header[24:28], "big")
    if page_count and valid_for == change_counter:
        expected = page_size * page_count
        actual = path.stat().st_size
        if actual < expected:
            raise NotACatalogError(
                f"{what} '{path}' is truncated: {actual:,} of {expected:,} bytes are there; "
                "download or decompress it again."
            )


def _validate(
    con: sqlite3.Connection,
    *,
    path: Path,
    required: dict[str, tuple[str, ...]],
    db_schema: str,
    what: str,
) -> None:
    try:
        tables, _ = schema.describe_connection(con, schema=db_schema)
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        raise NotACatalogError(f"{what} '{path}' is damaged: SQLite says '{exc}'.") from exc
    for table, columns in required.items():
        if table not in tables:
            raise NotACatalogError(
                f"{what} '{path}' is not a music catalog: it has no table '{table}'."
            )
        missing = [col for col in columns if col not in tables[table]]
        if missing:
            raise NotACatalogError(
                f"{what} '{path}' is not a music catalog: table '{table}' has no column "
                f"'{missing[0]}'."
            )


# Rows a catalog cursor fetches at a time when iterated (see CatalogCursor.__iter__).
ITER_BATCH_ROWS = 256


class CatalogConnection(sqlite3.Connection):
    """A connection to a catalog whose statements and fetches raise DamagedCatalogError,
    a sentence naming the file, when SQLite finds the file damaged: whichever caller was
    reading (the queries, the search engine, the matcher, peewee's models), the error
    says it is the catalog, not the search index or the user store they also read.

    SQLite checks only the pages it reads, so a catalog with a few bad pages opens and
    answers most queries; the first query that meets one names it (a whole-file check at
    open would read all of a 125 GB file)."""

    def __init__(
        self, *args: Any, catalog: Path, features: Path | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.catalog_path = catalog
        self.features_path = features

    def raise_if_damaged(self, error: sqlite3.DatabaseError) -> None:
        """Raise the sentence when `error` (of this connection) says the file is damaged."""
        if is_damaged_file(error):
            raise catalog_damaged(self.catalog_path, error, features=self.features_path) from error

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or CatalogCursor)

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        return self.cursor().executemany(sql, parameters)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        return self.cursor().executescript(sql_script)


class CatalogCursor(sqlite3.Cursor):
    """A cursor of a CatalogConnection (see there). Iterated, it fetches ITER_BATCH_ROWS
    rows at a time: the rows still come from C, as fast as from a plain cursor."""

    def _raise_if_damaged(self, error: sqlite3.DatabaseError) -> None:
        connection = self.connection
        if isinstance(connection, CatalogConnection):
            connection.raise_if_damaged(error)

    def execute(self, sql: str, parameters: Any = (), /) -> CatalogCursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> CatalogCursor:
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        try:
            return super().executescript(sql_script)
        except sqlite3.DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as exc:
            self._raise_if_damaged(exc)
            raise

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        while rows := self.fetchmany(ITER_BATCH_ROWS):
            yield from rows


class Catalog(CatalogQueries):
    """One open catalog (and its audio features, when found); read-only, thread-aware.

    Each thread gets its own SQLite connection (peewee keeps them thread-local), so GUI
    workers can query in parallel and interrupt their own queries.
    """

    def __init__(self, path: Path, *, features_path: Path | None, name_damage: bool = True) -> None:
        self.path = path
        self.features_path = features_path
        stat = path.stat()
        self.identity = CatalogIdentity(str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        # a statement costs a microsecond more through CatalogConnection: a matching
        # worker, which makes tens a file, names a damaged file another way
        connection: dict[str, Any] = {
            "factory": functools.partial(CatalogConnection, catalog=path, features=features_path)
        }
        self.db = SqliteDatabase(
            readonly_uri(path),
            uri=True,
            pragmas={
                "query_only": 1,
                "trusted_schema": 0,
                "cache_size": -CACHE_SIZE_KIB,
                "mmap_size": MMAP_SIZE_BYTES,
                "temp_store": "memory",
            },
            autoconnect=True,
            check_same_thread=False,
            **(connection if name_damage else {}),
        )
        if features_path is not None:
            self.db.attach(readonly_uri(features_path), FEATURES_SCHEMA)
        self.models: SimpleNamespace = bind_models(
            self.db, features_schema=FEATURES_SCHEMA if features_path else None
        )
        self._lock = threading.Lock()
        self._markets_cache = {}

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def has_features(self) -> bool:
        return self.features_path is not None

    def connection(self) -> sqlite3.Connection:
        """This thread's SQLite connection (opened on first use)."""
        con: sqlite3.Connection = self.db.connection()
        return con

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        """Run one read-only statement on this thread's connection."""
        return self.connection().execute(sql, params)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """The statements run inside, on this thread's connection, in one read transaction:
        SQLite then locks and checks the file once for them all, not once per statement
        (a matching worker's batch of folders: 9 system calls a file fewer, about 17 of
        its 255 µs a file at 10 M tracks). Nested, it joins the one already open. Other
        readers go on meanwhile; a writer (never this program) waits for its end."""
        connection = self.connection()
        if connection.in_transaction:
            yield
            return
        connection.execute("BEGIN")
        try:
            yield
        finally:
            if connection.in_transaction:
                connection.execute("COMMIT")

    def interrupt(self) -> None:
        """Abort the query running on this thread's connection (call from another thread
        with the connection object instead: see `explorer.ui.workers`)."""
        self.connection().interrupt()

    def estimates(self) -> tuple[TableEstimate, ...]:
        """Rows per table by max(rowid): one b-tree lookup each, whatever the file's size."""
        result = []
        for table in schema.catalog_tables():
            row = self.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()
            result.append(TableEstimate(table, int(row[0] or 0)))
        if self.features_path is not None:
            row = self.execute(
                f"SELECT max(rowid) FROM {FEATURES_SCHEMA}.track_audio_features"
            ).fetchone()
            result.append(TableEstimate("track_audio_features", int(row[0] or 0)))
        return tuple(result)

    def estimate(self, table: str) -> int:
        """Estimated rows of one table."""
        for item in self.estimates():
            if item.table == table:
                return item.rows
        raise KeyError(table)

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        if not self.db.is_closed():
            self.db.close()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def features_path_for(path: Path) -> Path:
    """Where the audio features of a catalog lie by convention: `<stem>_audio_features.sqlite3`."""
    return path.with_name(f"{path.stem}_audio_features{path.suffix or '.sqlite3'}")


def open_catalog(
    path: str | os.PathLike[str],
    *,
    features: str | os.PathLike[str] | None = None,
    find_features: bool = True,
    name_damage: bool = True,
) -> Catalog:
    """Open a catalog read-only after checking it is one; raise NotACatalogError if not.

    `features` names the audio-features file; otherwise it is looked for beside the
    catalog (unless `find_features` is False). The catalog works without it.
    `name_damage`: statements raise DamagedCatalogError on a damaged page (see
    CatalogConnection); without, a bare sqlite3.DatabaseError.
    """
    catalog_path = Path(path).expanduser()
    _check_file(catalog_path, what="The catalog")
    features_path: Path | None = None
    if features is not None:
        features_path = Path(features).expanduser()
        _check_file(features_path, what="The audio-features file")
    elif find_features:
        candidate = features_path_for(catalog_path)
        if candidate.is_file():
            try:
                _check_file(candidate, what="The audio-features file")
                features_path = candidate
            except NotACatalogError as exc:
                log.warning("ignoring audio features beside the catalog: %s", exc)
    catalog = Catalog(catalog_path, features_path=features_path, name_damage=name_damage)
    try:
        con = catalog.connection()
        _validate(
            con,
            path=catalog_path,
            required=schema.catalog_tables(),
            db_schema="main",
            what="The catalog",
        )
        if features_path is not None:
            _validate(
                con,
                path=features_path,
                required=schema.features_tables(),
                db_schema=FEATURES_SCHEMA,
                what="The audio-features file",
            )
        catalog.estimates()  # touches the last page of every table: finds damaged files
    except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
        catalog.close()
        raise NotACatalogError(
            f"The catalog '{catalog_path}' cannot be read: SQLite says '{exc}'."
        ) from exc
    except Exception:
        catalog.close()
        raise
    return catalog
