"""A catalog published into PostgreSQL (`explorer publish`): read-only sessions, the same queries."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from explorer.catalog import schema
from explorer.catalog.dialect import POSTGRES
from explorer.catalog.publish import ANALYZE_STEP, MARKER_TABLE, connect_error
from explorer.catalog.queries import CatalogQueries
from explorer.catalog.records import TableEstimate
from explorer.catalog.search_text import SEARCH_RANK_COLUMN
from explorer.errors import CancelledError, KnownError, NotACatalogError
from explorer.log import get_logger

log = get_logger("catalog")

# The longest one statement may run on the server before it is cancelled, in ms: every
# query of the catalog layer is an index lookup; a longer one is a bug or a lost server.
STATEMENT_TIMEOUT_MS = 30_000
# Seconds to wait for the server when connecting.
CONNECT_TIMEOUT_S = 10
# Seconds a cancel request (a new search typed) may take to reach the server; it is sent
# from a thread of its own, so raising it never holds the window, only that thread.
CANCEL_TIMEOUT_S = 5
# TCP keepalives: a server that vanished without closing the connection (a cable pulled,
# a host gone) is noticed after about IDLE + COUNT * INTERVAL seconds rather than the
# system's two hours; lowering them notices sooner at the cost of a packet per interval.
KEEPALIVE_IDLE_S = 10
KEEPALIVE_INTERVAL_S = 5
KEEPALIVE_COUNT = 3


def display_url(url: str) -> str:
    """The URL without its password, in the user part or as a `password=` parameter
    (for titles, logs, messages and the recent-catalogs list)."""
    parts = urlsplit(url)
    if parts.password is not None:
        netloc = parts.netloc.rsplit("@", 1)[1]
        user = parts.username or ""
        parts = parts._replace(netloc=f"{user}@{netloc}" if user else netloc)
    if parts.query:
        kept = [
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"
        ]
        parts = parts._replace(query=urlencode(kept))
    return urlunsplit(parts)


class ServerError(KnownError):
    """The server went away or refused a statement."""


class ServerCatalog(CatalogQueries):
    """A published catalog on a PostgreSQL server. Each thread gets its own connection
    (the pool), each session read-only with a statement timeout; libpq takes the password
    from the URL, PGPASSWORD or ~/.pgpass."""

    dialect = POSTGRES

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = display_url(url)
        self.features_path = None
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._markets_cache = {}
        self._has_features = False

    @property
    def has_features(self) -> bool:
        return self._has_features

    def connection(self) -> Any:
        """This thread's connection (opened on first use)."""
        con = getattr(self._local, "con", None)
        if con is None or con.closed:
            con = _connect(self.url)
            self._local.con = con
            with self._lock:
                self._connections.append(con)
        return con

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> Any:
        """Run one read-only statement (written for SQLite: see `explorer.catalog.dialect`)."""
        import psycopg

        try:
            return self.connection().execute(self.dialect.sql(sql), params)
        except psycopg.errors.QueryCanceled as exc:  # before OperationalError, its base class
            if "user request" in str(exc):  # cancel(): a newer search was typed
                raise CancelledError("The query was cancelled.") from exc
            raise ServerError(
                f"The server took longer than {STATEMENT_TIMEOUT_MS / 1000:.0f} s to answer."
            ) from exc
        except psycopg.OperationalError as exc:
            self._drop_connection()
            raise ServerError(
                f"The PostgreSQL server of '{self.name}' stopped answering ({_reason(exc)}); "
                "try again."
            ) from exc

    def _drop_connection(self) -> None:
        """Forget this thread's broken session: the next statement connects anew."""
        con = getattr(self._local, "con", None)
        self._local.con = None
        if con is not None:
            with self._lock:
                if con in self._connections:
                    self._connections.remove(con)
            try:
                con.close()
            except Exception:  # already broken: nothing more to release
                log.debug("closing a broken session failed", exc_info=True)

    @contextmanager
    def reading(self) -> Any:
        """The statements inside share one read-only transaction (a consistent view)."""
        con = self.connection()
        if con.info.transaction_status != 0:  # already inside one
            yield
            return
        with con.transaction():
            yield

    def estimates(self) -> tuple[TableEstimate, ...]:
        """Rows per table from the planner's statistics (pg_class.reltuples, kept by ANALYZE)."""
        tables = list(schema.catalog_tables())
        if self._has_features:
            tables.append("track_audio_features")
        rows = dict(
            self.execute(
                "SELECT relname, reltuples::bigint FROM pg_class "
                "WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace "
                "AND relname = ANY(?)",
                (tables,),
            ).fetchall()
        )
        return tuple(TableEstimate(table, max(int(rows.get(table, 0)), 0)) for table in tables)

    def size_bytes(self) -> int:
        """The database's size on the server."""
        row = self.execute("SELECT pg_database_size(current_database())").fetchone()
        return int(row[0])

    def estimate(self, table: str) -> int:
        for item in self.estimates():
            if item.table == table:
                return item.rows
        raise KeyError(table)

    def close(self) -> None:
        with self._lock:
            for con in self._connections:
                con.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> ServerCatalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cancel(con: Any) -> threading.Thread:
    """Ask the server to stop the statement running on `con`, from a thread of its own
    (the request is a new connection: it must not hold the caller, the window's thread).
    The statement then raises CancelledError (see `ServerCatalog.execute`). Returns the
    thread sending it."""

    def send() -> None:
        try:
            con.cancel_safe(timeout=CANCEL_TIMEOUT_S)
        except Exception as exc:  # the server is gone: the statement fails on its own
            log.debug("cancel request failed: %s", exc)

    thread = threading.Thread(target=send, name="pg-cancel", daemon=True)
    thread.start()
    return thread


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else type(exc).__name__


def _connect(url: str) -> Any:
    import psycopg

    try:
        con = psycopg.connect(
            url,
            connect_timeout=CONNECT_TIMEOUT_S,
            autocommit=True,
            keepalives=1,
            keepalives_idle=KEEPALIVE_IDLE_S,
            keepalives_interval=KEEPALIVE_INTERVAL_S,
            keepalives_count=KEEPALIVE_COUNT,
        )
    except psycopg.OperationalError as exc:
        raise ServerError(str(connect_error(exc))) from exc
    con.execute("SET default_transaction_read_only = on")
    con.execute(f"SET statement_timeout = {int(STATEMENT_TIMEOUT_MS)}")
    return con


def open_server_catalog(url: str) -> ServerCatalog:
    """Open a published catalog; NotACatalogError if the database holds none (or half)."""
    catalog = ServerCatalog(url)
    try:
        found: dict[str, set[str]] = {}
        for table, column in catalog.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        ):
            found.setdefault(table, set()).add(column)
        if MARKER_TABLE not in found:
            raise NotACatalogError(
                f"The database '{catalog.name}' holds no published catalog "
                "(see `explorer publish`)."
            )
        steps = {step for (step,) in catalog.execute(f"SELECT step FROM {MARKER_TABLE}")}
        if ANALYZE_STEP not in steps:
            raise NotACatalogError(
                f"The catalog in '{catalog.name}' is not completely published yet; "
                "run `explorer publish` again to finish it."
            )
        for table, columns in schema.catalog_tables().items():
            missing = set(columns) - found.get(table, set())
            if missing:
                raise NotACatalogError(
                    f"The database '{catalog.name}' is not a music catalog: table '{table}' "
                    f"has no column '{sorted(missing)[0]}'."
                )
        if SEARCH_RANK_COLUMN not in found.get("tracks", set()):
            raise NotACatalogError(
                f"The catalog in '{catalog.name}' was published by an older version, "
                "without the search structures; publish it again into an empty database."
            )
        catalog._has_features = "track_audio_features" in found
    except Exception:
        catalog.close()
        raise
    return catalog
