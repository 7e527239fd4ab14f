"""PostgreSQL benchmark: `explorer publish` of the 1 M and 10 M demo catalogs (with their
audio features) into a throwaway PostgreSQL 15 cluster on loopback: rows and tracks per
second of the copy, and the time of the indexes, search structures and ANALYZE after it.

Run: `EXPLORER_BENCH_DATA=/work/benchdata .venv/bin/python benchmarks/pg_bench.py
[--sizes 1000000,10000000]`. The cluster keeps fsync on (as a real server would), and is
removed at the end. Needs the PostgreSQL binaries (see tests/pg/cluster.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, demo_catalog, machine, peak_rss_mb, scratch_dir, write_section

sys.path.insert(0, str(ROOT))  # tests.pg.cluster: the throwaway cluster the tests use

from explorer.catalog import open_catalog
from explorer.catalog.publish import PublishProgress, publish
from tests.pg.cluster import NoServer, throwaway_cluster


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _new_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


def publish_once(path: Path, url: str) -> dict[str, float]:
    """One publish; the seconds of its copy and of what follows it."""
    marks: dict[str, float] = {}
    started = time.perf_counter()

    def progress(step: PublishProgress) -> None:
        marks.setdefault(step.step, time.perf_counter() - started)

    with open_catalog(path) as catalog:
        tracks = catalog.estimate("tracks")
        result = publish(catalog, url, progress=progress)
    total = time.perf_counter() - started
    copy = marks.get("indexes", total)
    return {
        "tracks": tracks,
        "rows": result.rows_copied,
        "copy_s": copy,
        "indexes_s": marks.get("search", total) - copy,
        "search_s": marks.get("analyze", total) - marks.get("search", total),
        "total_s": total,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000000,10000000")
    args = parser.parse_args()
    if "EXPLORER_HOME" not in os.environ:
        os.environ["EXPLORER_HOME"] = str(scratch_dir("pg-bench-"))
    try:
        return _run(args.sizes)
    except NoServer as exc:
        print(f"pg_bench: skipped: {exc}", file=sys.stderr)
        return 0


def _run(sizes: str) -> int:
    rows = []
    with throwaway_cluster(durable=True) as server:
        for size in (int(s) for s in sizes.split(",")):
            path = demo_catalog(size)
            load_before = _uptime()
            figures = publish_once(path, _new_database(server, f"bench{size}"))
            load_after = _uptime()
            print(size, figures, load_after, file=sys.stderr, flush=True)
            rows.append(
                f"| {int(figures['tracks']):,} | {figures['rows']:,.0f} | "
                f"{figures['copy_s']:.1f} s | {figures['rows'] / figures['copy_s']:,.0f} | "
                f"{figures['tracks'] / figures['copy_s']:,.0f} | "
                f"{figures['tracks'] / figures['total_s']:,.0f} | "
                f"{figures['indexes_s']:.1f} s | {figures['search_s']:.1f} s | "
                f"{figures['total_s']:.1f} s | {load_before.split('load average: ')[-1]} / "
                f"{load_after.split('load average: ')[-1]} |"
            )
    body = f"""
Measured by `benchmarks/pg_bench.py` ({machine()}, PostgreSQL 15 on 127.0.0.1 with fsync
on, the catalog and its audio features; peak memory of the publishing process
{peak_rss_mb():.0f} MB). The load is `uptime`'s before / after each publish (the machine
is shared by other work). "Copy" is every table's COPY (rows read from SQLite, the names'
`search_text` computed, rows sent); "indexes" the catalog's indexes and primary keys;
"search" the trigram and word indexes of `search_text`; then ANALYZE. Goal: >= 150,000
tracks/s.

| Tracks | Rows copied | Copy | Rows/s | Tracks/s (copy) | Tracks/s (all) | Indexes | Search | Total | Load |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""
    write_section("PostgreSQL publish", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
