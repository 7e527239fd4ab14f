"""Copy a SQLite catalog (and its audio features) into PostgreSQL, resumably, table by table."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.catalog import schema
from explorer.catalog.connection import FEATURES_SCHEMA, Catalog
from explorer.catalog.search_text import (
    EXTRA_SQL,
    SEARCH_RANK_COLUMN,
    SEARCH_ROW,
    SEARCH_TEXT_COLUMN,
    SEARCH_TEXT_TABLES,
)
from explorer.errors import KnownError

# Rows read from SQLite per query (one rowid range): bounds the memory of a publish
# (1 M demo: peak 395 MB at 50,000, 318 MB at 10,000, no slower; the rest is SQLite's
# page cache and map and the index_text cache, all fixed sizes).
RANGE_ROWS = 10_000
# Rows between two calls of the progress callback.
PROGRESS_EVERY = 10_000
# The marker table in the target database: what was published from where, what is done.
MARKER_TABLE = "explorer_publish"
# Columns declared integer that hold REAL values in the dump (see catalog-schema.md).
REAL_COLUMNS = frozenset({("track_audio_features", "tempo")})
# Connect timeout for the target server, in seconds.
CONNECT_TIMEOUT_S = 10
# The step names of the marker table besides the tables themselves.
INDEXES_STEP = "indexes"
SEARCH_STEP = "search"
ANALYZE_STEP = "analyze"

# The vocabulary of the search words: each word and the rows (of the three tables) that
# hold it, for completions, typo corrections and the common-word split, as the sidecar
# index's `vocab` (UPC words left out, as there).
VOCAB_TABLE = "search_vocab"
# The search structures: a GIN index of each table's words (an AND of words is an
# intersection of their lists), a B-tree of its rank (the most popular matches first),
# the vocabulary.
SEARCH_DDL = (
    *(
        statement
        for table in SEARCH_TEXT_TABLES
        for statement in (
            f"CREATE INDEX IF NOT EXISTS {table}_search_words ON {table} "
            f"USING gin ({SEARCH_TEXT_COLUMN})",
            # the words beside the rank: a common word's first matches in rank order are
            # read from this index alone (no row fetched: COPY FREEZE left the pages
            # all-visible); 50 ms -> 6 ms for a word in 1 % of 1 M tracks
            f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_search_rank ON {table} "
            f"({SEARCH_RANK_COLUMN}) INCLUDE ({SEARCH_TEXT_COLUMN})",
        )
    ),
    f"DROP TABLE IF EXISTS {VOCAB_TABLE}",
    f'CREATE TABLE {VOCAB_TABLE} (term text COLLATE "C" PRIMARY KEY, docs bigint NOT NULL)',
    f"INSERT INTO {VOCAB_TABLE} (term, docs) SELECT term, count(*) FROM ("
    + " UNION ALL ".join(
        f"SELECT unnest({SEARCH_TEXT_COLUMN}) AS term FROM {table}" for table in SEARCH_TEXT_TABLES
    )
    + ") words WHERE term NOT LIKE 'u\\_%' GROUP BY term",
)


@dataclass(frozen=True)
class PublishProgress:
    """Where a publish is: rows copied of all tables, and the step it is in."""

    rows_done: int
    rows_total: int
    step: str


@dataclass(frozen=True)
class PublishResult:
    """What a publish did: tables copied now, tables already done before, rows copied now."""

    tables_copied: tuple[str, ...]
    tables_skipped: tuple[str, ...]
    rows_copied: int


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    ddl: str
    source: str  # the SQLite table, schema-qualified
    types: tuple[str, ...]  # PostgreSQL's name of each column's type, for binary COPY


def is_postgres_url(text: str | None) -> bool:
    """Whether a `--catalog` value names a PostgreSQL server rather than a file."""
    return bool(text) and str(text).startswith(("postgresql://", "postgres://"))


# SQLite's declared type -> (PostgreSQL's type in the DDL, its name for binary COPY).
_TYPES = {
    "integer": ("bigint", "int8"),
    "real": ("double precision", "float8"),
    "text": ("text", "text"),
}


def _pg_type(sqlite_type: str) -> str:
    return _TYPES[sqlite_type][0]


def _tables_of(ddl: str, *, source_schema: str) -> list[_Table]:
    """The PostgreSQL DDL of each table of a SQLite DDL script: the same names and columns
    (a `rowid` column for the tables whose rowid SQLite keeps hidden), without the primary
    key (added after the rows are in), plus `search_text` where used."""
    tables = []
    for match in re.finditer(r"CREATE TABLE (\w+) \((.*?)\n\);", ddl, re.S):
        name = match.group(1)
        columns, defs, types = [], [], []
        for line in match.group(2).strip().splitlines():
            parts = line.strip().rstrip(",").split()
            col, kind = parts[0], parts[1]
            null = " NOT NULL" if "NOT NULL" in line else ""
            columns.append(col)
            kind = "real" if (name, col) in REAL_COLUMNS else kind
            defs.append(f'"{col}" {_pg_type(kind)}{null}')
            types.append(_TYPES[kind][1])
        if "rowid" not in columns:  # the link tables' implicit rowid: queries order by it
            columns.insert(0, "rowid")
            defs.insert(0, '"rowid" bigint NOT NULL')
            types.insert(0, "int8")
        if name in SEARCH_TEXT_TABLES:
            defs.append(f"{SEARCH_TEXT_COLUMN} text[] NOT NULL")
            defs.append(f"{SEARCH_RANK_COLUMN} bigint NOT NULL")
            types += ["bytea", "int8"]  # the words already in text[]'s binary form
        ddl_text = f"CREATE TABLE {name} ({', '.join(defs)})"
        source = f"{source_schema}.{name}"
        tables.append(_Table(name, tuple(columns), ddl_text, source, tuple(types)))
    return tables


def _indexes(ddl: str, tables: list[_Table]) -> list[str]:
    statements = [
        f"ALTER TABLE {t.name} ADD PRIMARY KEY (rowid)" for t in tables if "rowid" in t.columns
    ]
    for line in ddl.strip().splitlines():
        statements.append(line.rstrip(";").replace("INDEX ", "INDEX IF NOT EXISTS ", 1))
    return statements


def _connect(url: str) -> Any:
    import psycopg

    try:
        return psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True)
    except psycopg.OperationalError as exc:
        raise connect_error(exc) from exc


def connect_error(exc: BaseException) -> KnownError:
    """The sentence for a server that cannot be reached (or refuses us)."""
    reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return KnownError(f"Cannot connect to the PostgreSQL server: {reason}")


def _source_key(catalog: Catalog) -> str:
    parts = []
    for path in (catalog.path, catalog.features_path):
        if path is not None:
            stat = Path(path).stat()
            parts.append(f"{Path(path).name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def _claim(con: Any, key: str, table_names: list[str]) -> set[str]:
    """Make the database ours (or check it already is); the steps already done."""
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (MARKER_TABLE,))
        existing = {
            row[0]
            for row in con.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
        if MARKER_TABLE not in existing:
            taken = sorted(existing & set(table_names))
            if taken:
                raise KnownError(
                    f"The database already holds a table '{taken[0]}' that no publish wrote; "
                    "publish into an empty database."
                )
            con.execute(
                f"CREATE TABLE {MARKER_TABLE} (step text PRIMARY KEY, rows bigint, "
                "done_at timestamptz NOT NULL DEFAULT now())"
            )
            con.execute(
                f"INSERT INTO {MARKER_TABLE} (step, rows) VALUES (%s, NULL)", ("source:" + key,)
            )
            return set()
        rows = con.execute(f"SELECT step FROM {MARKER_TABLE}").fetchall()
        sources = [step for (step,) in rows if step.startswith("source:")]
        if sources != ["source:" + key]:
            other = sources[0].removeprefix("source:").split(":")[0] if sources else "elsewhere"
            mine = key.split(":")[0]
            what = f"another version of '{other}'" if other == mine else f"'{other}'"
            raise KnownError(
                f"The database already holds another catalog (published from {what}); "
                "publish into an empty database."
            )
        return {step for (step,) in rows}


def _rows(catalog: Catalog, table: _Table) -> Iterator[tuple[Any, ...]]:
    """The rows of a SQLite table in rowid order, read one rowid range at a time."""
    con = catalog.connection()
    cols = ", ".join(f't."{c}"' for c in table.columns)
    search_row = SEARCH_ROW.get(table.name) if table.name in SEARCH_TEXT_TABLES else None
    extra = len(EXTRA_SQL.get(table.name, ())) if search_row else 0
    if search_row is not None:
        schema_name = table.source.split(".")[0]
        cols += "".join(", " + sql.format(schema=schema_name) for sql in EXTRA_SQL[table.name])
    top = con.execute(f"SELECT max(rowid) FROM {table.source}").fetchone()[0] or 0
    start = 0
    while start < top:
        end = start + RANGE_ROWS
        batch = con.execute(
            f"SELECT {cols} FROM {table.source} t WHERE t.rowid > ? AND t.rowid <= ? "
            "ORDER BY t.rowid",
            (start, end),
        ).fetchall()
        if search_row is None:
            yield from batch
        else:
            names = table.columns
            for row in batch:
                own = row[:-extra]
                try:
                    words = search_row(dict(zip(names, own, strict=True)), row[-extra:])
                except (TypeError, ValueError, AttributeError) as exc:
                    raise _bad_row(table, row[0], exc) from exc
                yield (*own, *words)
        start = end


def _bad_row(table: _Table, rowid: object, exc: BaseException) -> KnownError:
    return KnownError(
        f"Row {rowid} of table '{table.name}' holds a value PostgreSQL's "
        f"column cannot take ({exc}); the catalog file is not as published."
    )


def _copy(con: Any, catalog: Catalog, table: _Table, report: Callable[[int], None]) -> int:
    """One table in one transaction (a kill leaves no half table): create, COPY, mark done."""
    import psycopg

    cols = list(table.columns) + (
        [SEARCH_TEXT_COLUMN, SEARCH_RANK_COLUMN] if table.name in SEARCH_TEXT_TABLES else []
    )
    copied = 0
    with con.transaction():
        con.execute(f"DROP TABLE IF EXISTS {table.name}")
        con.execute(table.ddl)
        names = ", ".join(f'"{c}"' for c in cols)
        # binary: a fifth faster than text on this machine (no number printed and parsed);
        # FREEZE (the table is new in this transaction): the rows written frozen and the
        # pages marked all-visible, so no later vacuum rewrites them and index-only scans
        # need no row
        sql = f"COPY {table.name} ({names}) FROM STDIN (FORMAT BINARY, FREEZE)"
        with con.cursor().copy(sql) as copy:
            copy.set_types(list(table.types))
            for row in _rows(catalog, table):
                try:
                    copy.write_row(row)
                except (TypeError, ValueError, OverflowError, psycopg.DataError) as exc:
                    raise _bad_row(table, row[0], exc) from exc
                copied += 1
                if copied % PROGRESS_EVERY == 0:
                    report(copied)
        con.execute(
            f"INSERT INTO {MARKER_TABLE} (step, rows) VALUES (%s, %s)", (table.name, copied)
        )
    report(copied)
    return copied


def _estimate(catalog: Catalog, table: _Table) -> int:
    row = catalog.connection().execute(f"SELECT max(rowid) FROM {table.source}").fetchone()
    return int(row[0] or 0)


def publish(
    catalog: Catalog,
    url: str,
    *,
    progress: Callable[[PublishProgress], None] | None = None,
) -> PublishResult:
    """Copy the catalog into the database at `url`; a rerun goes on where a stop left it."""
    tables = _tables_of(schema.CATALOG_TABLES_DDL, source_schema="main")
    index_ddl = _indexes(schema.CATALOG_INDEXES_DDL, tables)
    if catalog.features_path is not None:
        feature_tables = _tables_of(schema.FEATURES_TABLES_DDL, source_schema=FEATURES_SCHEMA)
        tables += feature_tables
        index_ddl += _indexes(schema.FEATURES_INDEXES_DDL, feature_tables)
    estimates = {t.name: _estimate(catalog, t) for t in tables}
    total = sum(estimates.values())
    with _connect(url) as con:
        done = _claim(con, _source_key(catalog), [t.name for t in tables])
        base = sum(estimates[t.name] for t in tables if t.name in done)
        copied_tables, skipped, copied_rows = [], [], 0
        for table in tables:
            if table.name in done:
                skipped.append(table.name)
                continue

            def report(rows: int, name: str = table.name, before: int = base) -> None:
                if progress is not None:
                    progress(PublishProgress(min(before + rows, total), total, name))

            copied_rows += _copy(con, catalog, table, report)
            base += estimates[table.name]
            copied_tables.append(table.name)
        _step(con, done, INDEXES_STEP, index_ddl, progress, total)
        _step(
            con,
            done,
            SEARCH_STEP,
            list(SEARCH_DDL),
            progress,
            total,
        )
        _step(con, done, ANALYZE_STEP, ["ANALYZE"], progress, total)
    return PublishResult(tuple(copied_tables), tuple(skipped), copied_rows)


def _step(
    con: Any,
    done: set[str],
    step: str,
    statements: list[str],
    progress: Callable[[PublishProgress], None] | None,
    total: int,
) -> None:
    if step in done:
        return
    if progress is not None:
        progress(PublishProgress(total, total, step))
    with con.transaction():
        for statement in statements:
            con.execute(statement)
        con.execute(f"INSERT INTO {MARKER_TABLE} (step) VALUES (%s)", (step,))
