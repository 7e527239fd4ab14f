"""PostgreSQL benchmark: `explorer publish` of the 1 M and 10 M demo catalogs (with their
audio features) into a throwaway PostgreSQL 15 cluster on loopback: rows and tracks per
second of the copy, and the time of the indexes, search structures and ANALYZE after it;
then the search latency over the same 1,000 queries as `search_bench.py`, on the server
and on the file's sidecar index in the same run.

Run: `EXPLORER_BENCH_DATA=/work/benchdata-editions .venv/bin/python benchmarks/pg_bench.py
[--sizes 1000000,10000000]`; with `--window`, only the window's scripted session of
`gui_bench.py` (on the server and on the file, taking turns) after each publish. The
cluster keeps fsync on (as a real server would), and is removed at the end. Needs the PostgreSQL binaries (see tests/pg/cluster.py) and the
catalogs' sidecar indexes (the queries are drawn from their vocabulary, and the file's
searches read them).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import cast

from common import (
    ROOT,
    Timer,
    damaged_library,
    demo_catalog,
    machine,
    peak_rss_mb,
    scratch_dir,
    write_section,
)

sys.path.insert(0, str(ROOT))  # tests.pg.cluster: the throwaway cluster the tests use

from search_bench import make_queries

from explorer.catalog import Catalog, open_catalog
from explorer.catalog.publish import PublishProgress, publish
from explorer.catalog.server import open_server_catalog
from explorer.library.scan import scan
from explorer.library.store import open_store
from explorer.matching.run import match_library
from explorer.search.engine import SearchEngine
from explorer.search.server_engine import engine_for
from tests.pg.cluster import NoServer, throwaway_cluster

# Passes of matching on each side (the median kept).
MATCH_PASSES = 3
# Passes of the window's scripted session on each side, taking turns (the median kept).
WINDOW_PASSES = 3
GUI_BENCH = Path(__file__).with_name("gui_bench.py")


def _load() -> str:
    """The 1, 5 and 15-minute load averages, as `uptime` shows them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


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


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def search_times(engine: SearchEngine, queries: list[tuple[str, str, str]]) -> list[float]:
    """Milliseconds of each query's first page of 50 (after 50 queries of warm-up)."""
    for _, kind, text in queries[:50]:
        engine.search(text, kind=kind, limit=50)  # type: ignore[arg-type]
    times = []
    for _, kind, text in queries:
        started = time.perf_counter()
        engine.search(text, kind=kind, limit=50)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
    return times


def search_once(path: Path, url: str) -> dict[str, float]:
    """p50 / p95 of the queries on the server and on the file, one after the other."""
    queries = make_queries(path)
    figures: dict[str, float] = {}
    with open_server_catalog(url) as server:
        times = search_times(engine_for(server), queries)
        figures.update(server_p50=_percentile(times, 0.5), server_p95=_percentile(times, 0.95))
    with open_catalog(path) as catalog:
        engine = SearchEngine(catalog)
        times = search_times(engine, queries)
        engine.close()
        figures.update(file_p50=_percentile(times, 0.5), file_p95=_percentile(times, 0.95))
    return figures


def match_once(path: Path, url: str, files: int) -> dict[str, float]:
    """Files/s of matching one damaged library (scanned once) against the file and the
    server, each from a copy of the same first scan, taking turns MATCH_PASSES times (the
    median kept)."""
    work = scratch_dir("pg-match-")
    times: dict[str, list[float]] = {"file": [], "server": []}
    with open_catalog(path) as catalog:
        damaged_library(catalog, work / "music", files)
        with open_store(work / "scanned.sqlite3") as store:
            scan(store, [work / "music"])
            total = store.db.execute_sql("SELECT count(*) FROM files").fetchone()[0]
        for attempt in range(MATCH_PASSES):
            for side in ("file", "server"):
                copy = work / f"{side}-{attempt}.sqlite3"
                shutil.copyfile(work / "scanned.sqlite3", copy)
                with open_store(copy) as store:
                    if side == "file":
                        with Timer() as timer:
                            match_library(store, catalog)
                    else:
                        with open_server_catalog(url) as server, Timer() as timer:
                            match_library(store, cast(Catalog, server))
                times[side].append(timer.seconds)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "files": total,
        "file_rate": total / statistics.median(times["file"]),
        "server_rate": total / statistics.median(times["server"]),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument(
        "--index-homes",
        default="",
        help="EXPLORER_HOME of each size's sidecar index, comma-separated (default: as set)",
    )
    parser.add_argument(
        "--match-files", type=int, default=2000, help="files of the matched library (0: none)"
    )
    parser.add_argument(
        "--window",
        action="store_true",
        help="only the window's scripted session (gui_bench.py) on the server and the file",
    )
    args = parser.parse_args()
    try:
        if args.window:
            return _run_window(args.sizes)
        return _run(args.sizes, args.index_homes, args.match_files)
    except NoServer as exc:
        print(f"pg_bench: skipped: {exc}", file=sys.stderr)
        return 0


def _run(sizes: str, index_homes: str, match_files: int) -> int:
    rows, searches, matches = [], [], []
    with throwaway_cluster(durable=True) as server:
        homes = index_homes.split(",") if index_homes else []
        for n, size in enumerate(int(s) for s in sizes.split(",")):
            if n < len(homes):
                os.environ["EXPLORER_HOME"] = homes[n]
            path = demo_catalog(size)
            load_before = _load()
            url = _new_database(server, f"bench{size}")
            figures = publish_once(path, url)
            load_after = _load()
            print(size, figures, load_after, file=sys.stderr, flush=True)
            search = search_once(path, url)
            load_search = _load()
            print(size, search, load_search, file=sys.stderr, flush=True)
            searches.append(
                f"| {int(figures['tracks']):,} | {search['server_p50']:.1f} ms | "
                f"{search['server_p95']:.1f} ms | {search['file_p50']:.1f} ms | "
                f"{search['file_p95']:.1f} ms | {load_search} |"
            )
            rows.append(
                f"| {int(figures['tracks']):,} | {figures['rows']:,.0f} | "
                f"{figures['copy_s']:.1f} s | {figures['rows'] / figures['copy_s']:,.0f} | "
                f"{figures['tracks'] / figures['copy_s']:,.0f} | "
                f"{figures['tracks'] / figures['total_s']:,.0f} | "
                f"{figures['indexes_s']:.1f} s | {figures['search_s']:.1f} s | "
                f"{figures['total_s']:.1f} s | {load_before} / "
                f"{load_after} |"
            )
            if match_files:
                matching = match_once(path, url, match_files)
                load_match = _load()
                print(size, matching, load_match, file=sys.stderr, flush=True)
                matches.append(
                    f"| {int(figures['tracks']):,} | {matching['files']:,} | "
                    f"{matching['file_rate']:,.0f} | {matching['server_rate']:,.0f} | "
                    f"{matching['server_rate'] / matching['file_rate']:.2f} | {load_match} |"
                )
            _write(rows, searches, matches)
    return 0


def window_once(path: Path, url: str | None) -> dict[str, float]:
    """gui_bench's scripted session in a process of its own: on the server at `url`, or
    (None) on the file."""
    import json
    import subprocess

    command = [sys.executable, str(GUI_BENCH), "--one", str(path)]
    if url is not None:
        command += ["--window-catalog", url]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return cast(dict[str, float], json.loads(done.stdout.strip().splitlines()[-1]))


def _window_home() -> Path:
    """An EXPLORER_HOME of the run's own (settings, the user store) whose cache folder is
    the user's, where the benchmark catalogs' sidecar indexes are built."""
    from explorer.paths import cache_dir

    cache = cache_dir()
    home = scratch_dir("pg-window-")
    (home / "cache").symlink_to(cache, target_is_directory=True)
    return home


def _run_window(sizes: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if "EXPLORER_HOME" not in os.environ:
        os.environ["EXPLORER_HOME"] = str(_window_home())
    rows = []
    with throwaway_cluster(durable=True) as server:
        for size in (int(s) for s in sizes.split(",")):
            path = demo_catalog(size)
            load_publish = _load()
            url = _new_database(server, f"window{size}")
            figures = publish_once(path, url)
            print(size, figures, file=sys.stderr, flush=True)
            runs: dict[str, list[dict[str, float]]] = {"server": [], "file": []}
            loads = [_load()]
            for _ in range(WINDOW_PASSES):
                runs["server"].append(window_once(path, url))
                runs["file"].append(window_once(path, None))
                loads.append(_load())
                print(size, runs["server"][-1], runs["file"][-1], loads[-1], file=sys.stderr)

            def median(
                side: str, key: str, runs: dict[str, list[dict[str, float]]] = runs
            ) -> float:
                return statistics.median(r[key] for r in runs[side])

            stalls = {side: [f"{r['max_stall_ms']:.0f}" for r in runs[side]] for side in runs}
            rows.append(
                f"| {int(figures['tracks']):,} | {median('server', 'max_stall_ms'):.0f} ms "
                f"({', '.join(stalls['server'])}) | {median('server', 'p99_stall_ms'):.0f} ms | "
                f"{median('server', 'startup_s'):.2f} s | "
                f"{median('file', 'max_stall_ms'):.0f} ms ({', '.join(stalls['file'])}) | "
                f"{median('file', 'p99_stall_ms'):.0f} ms | {median('file', 'startup_s'):.2f} s | "
                f"{int(median('server', 'rows_after_scroll'))} / "
                f"{int(median('file', 'rows_after_scroll'))} | "
                f"{load_publish} / {' / '.join(loads)} |"
            )
            _write_window(rows)
    return 0


def _write_window(rows: list[str]) -> None:
    body = f"""
Measured by `benchmarks/pg_bench.py --window` ({machine()}, Qt offscreen, PostgreSQL 15
on 127.0.0.1 with fsync on, each catalog published into it first). The session is
`gui_bench.py`'s (see "GUI"): 24 letters of "artist title" typed one every 80 ms, "love",
ten scrolls to the bottom of the results, the artist with the most releases expanded, ten
tracks selected; a 10 ms timer records how late it fires. Each session runs in a process
of its own, on the server and on the file taking turns, {WINDOW_PASSES} passes each: the
median, and each pass's longest stall in brackets. Goal: longest stall < 50 ms. Start-up
is `create_main_window` to the status bar showing the sizes. Load (1, 5, 15 min): before
the publish / before the first pass / after each pair of passes.

| Tracks | Server: longest stall | Server: p99 | Server: start-up | File: longest stall | File: p99 | File: start-up | Result rows after scrolling (server / file) | Load |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
"""
    write_section("PostgreSQL window", body)


def _write(rows: list[str], searches: list[str], matches: list[str]) -> None:
    body = f"""
Measured by `benchmarks/pg_bench.py` ({machine()}, PostgreSQL 15 on 127.0.0.1 with fsync
on, the catalog and its audio features; peak memory of the process, publish and searches
{peak_rss_mb():.0f} MB). The load is `uptime`'s before / after each publish (the machine
is shared by other work). "Copy" is every table's COPY (rows read from SQLite, each
artist's, album's and track's search words computed, rows sent); "indexes" the catalog's
indexes and primary keys; "search" the GIN index of the words, the rank B-tree holding
the words and the vocabulary table; then ANALYZE. Goal: >= 150,000 tracks/s.

| Tracks | Rows copied | Copy | Rows/s | Tracks/s (copy) | Tracks/s (all) | Indexes | Search | Total | Load |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Search: the 1,000 queries of `search_bench.py` (first page of 50, after 50 queries of
warm-up), on the server (the published catalog's words, ranks and vocabulary) and on the
file's sidecar index, one after the other in the same run. Goal: p95 < 30 ms at 10 M,
growth 1 M -> 10 M <= 1.5x.

| Tracks | Server p50 | Server p95 | File p50 | File p95 | Load after |
|---|---|---|---|---|---|
{chr(10).join(searches)}

Matching: a damaged demo library (the matching benchmarks' kind) scanned once, then
matched from a copy of that scan against the file (its sidecar index) and against the
server, taking turns, {MATCH_PASSES} passes each, the median kept (workers as
`explorer match` chooses them: two here).

| Tracks | Files | File: files/s | Server: files/s | Server / file | Load after |
|---|---|---|---|---|---|
{chr(10).join(matches)}
"""
    write_section("PostgreSQL publish", body)


if __name__ == "__main__":
    raise SystemExit(main())
