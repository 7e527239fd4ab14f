"""Where `explorer publish`'s copy spends its time: the first ROWS rows of each big table
read from SQLite alone, read with their search words computed (the same Python as the
publish), and sent by binary COPY from memory (psycopg's encoding and the server's work),
each timed apart; then a cProfile of the read with words for the tracks.

Run: `EXPLORER_BENCH_DATA=/work/benchdata-editions .venv/bin/python
benchmarks/pg_publish_parts.py [--tracks 1000000] [--rows 200000]`. Prints; writes nothing
to docs (the figures go into the report and docs/benchmarks.md by hand).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import os
import pstats
import sys
import time

from common import ROOT, demo_catalog

sys.path.insert(0, str(ROOT))

from explorer.catalog import Catalog, open_catalog
from explorer.catalog import publish as pub
from explorer.catalog.search_text import EXTRA_SQL, SEARCH_RANK_COLUMN, SEARCH_TEXT_COLUMN
from tests.pg.cluster import throwaway_cluster

TABLES = ("tracks", "albums", "artists", "track_artists")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    path = demo_catalog(args.tracks)
    print(f"catalog {path}, load {os.getloadavg()}", flush=True)
    with open_catalog(path) as catalog, throwaway_cluster(durable=True) as url:
        tables = {
            t.name: t for t in pub._tables_of(pub.schema.CATALOG_TABLES_DDL, source_schema="main")
        }
        con = pub._connect(url)
        for name in TABLES:
            table = tables[name]
            started = time.perf_counter()
            n = _plain_rows(catalog, table, args.rows)
            read_s = time.perf_counter() - started
            started = time.perf_counter()
            rows = list(itertools.islice(pub._rows(catalog, table), args.rows))
            words_s = time.perf_counter() - started
            cols = list(table.columns)
            if name in pub.SEARCH_TEXT_TABLES:
                cols += [SEARCH_TEXT_COLUMN, SEARCH_RANK_COLUMN]
            names = ", ".join(f'"{c}"' for c in cols)
            started = time.perf_counter()
            with con.transaction():
                con.execute(f"DROP TABLE IF EXISTS {name}")
                con.execute(table.ddl)
                sql = f"COPY {name} ({names}) FROM STDIN (FORMAT BINARY, FREEZE)"
                with con.cursor().copy(sql) as copy:
                    copy.set_types(list(table.types))
                    for row in rows:
                        copy.write_row(row)
            copy_s = time.perf_counter() - started
            print(
                f"{name}: {n:,} rows; SQLite read {n / read_s:,.0f} rows/s; read + words "
                f"{len(rows) / words_s:,.0f} rows/s (words {words_s - read_s:.2f} s of "
                f"{words_s:.2f} s); COPY from memory {len(rows) / copy_s:,.0f} rows/s "
                f"({copy_s:.2f} s); load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        profile = cProfile.Profile()
        profile.enable()
        for _ in itertools.islice(pub._rows(catalog, tables["tracks"]), args.rows):
            pass
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(14)
        print(out.getvalue())
        con.close()
    return 0


def _plain_rows(catalog: Catalog, table: pub._Table, limit: int) -> int:
    """The rows `_rows` reads (its columns and the extra columns of the words), fetched
    from SQLite without computing the words: what reading costs alone. Their count."""
    con = catalog.connection()
    cols = ", ".join(f't."{c}"' for c in table.columns)
    if table.name in pub.SEARCH_TEXT_TABLES:
        schema_name = table.source.split(".")[0]
        cols += "".join(", " + sql.format(schema=schema_name) for sql in EXTRA_SQL[table.name])
    count, start = 0, 0
    while count < limit:
        batch = con.execute(
            f"SELECT {cols} FROM {table.source} t WHERE t.rowid > ? AND t.rowid <= ? "
            "ORDER BY t.rowid",
            (start, start + pub.RANGE_ROWS),
        ).fetchall()
        if not batch:
            break
        count += len(batch)
        start += pub.RANGE_ROWS
    return min(count, limit)


if __name__ == "__main__":
    raise SystemExit(main())
