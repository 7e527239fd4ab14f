"""Scale benchmark: the demo catalog at 10 M and 100 M tracks, read from the disk in a
process group held to 4 GB of memory (page cache included; the 100 M catalog is 34 GB).

Per size, each measurement a new process in the memory cgroup after the OS page cache
was dropped: the index build (tracks/s, peak RSS of the builder and its workers), the
window opened until it shows the catalog, search p50/p95 over search_bench's 1,000
queries, the browse tree's largest artist (its album groups), `explorer show` of a
track (the whole process), and matching a 10,000-file damaged library (files/s).
Needs root on Linux (drop_caches, a memory cgroup); without it, says so and writes nothing.

Run: `EXPLORER_BENCH_DATA=/work/benchdata .venv/bin/python benchmarks/scale_bench.py
[--sizes 10000000,100000000]`. The 100 M catalog is written beforehand by
`benchmarks/scale_catalog.py` (a size whose catalog is missing is skipped, and said).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import (
    DATA,
    Timer,
    damaged_library,
    drop_page_cache,
    machine,
    memory_cgroup,
    peak_rss_mb,
    scratch_dir,
    write_section,
)
from search_bench import make_queries

# The memory the measured processes share, page cache included.
LIMIT_MB = 4096
# Files in the matched library (about: whole album folders).
LIBRARY_FILES = 10_000
# Worker processes of the matching run (the CLI's choice for a catalog this size on 2 cores).
MATCH_WORKERS = 4
# `explorer show` runs (each cold); the median is reported.
SHOW_RUNS = 3
CGROUP_NAME = "catalog-explorer-scale-bench"


def _label(tracks: int) -> str:
    return f"{tracks // 1_000_000}m"


def _join(group: str) -> None:
    """Put this process (and the processes it starts) into the memory cgroup."""
    (Path(group) / "cgroup.procs").write_text(f"{os.getpid()}\n")


def _peak_mb() -> float:
    """Peak RSS of this process or of any of its finished children, in MB."""
    own = peak_rss_mb()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return max(own, children)


def phase_build(path: Path) -> dict[str, object]:
    from explorer.catalog import open_catalog
    from explorer.index import build_index, drop_index

    with open_catalog(path) as catalog:
        drop_index(catalog)
        drop_page_cache()
        with Timer() as timer:
            status = build_index(catalog)
        tracks = catalog.estimate("tracks")
    return {
        "seconds": timer.seconds,
        "tracks": tracks,
        "index_bytes": status.size_bytes,
        "peak_rss_mb": _peak_mb(),
    }


def phase_open(path: Path) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from explorer.ui.app import create_main_window

    with Timer() as timer:
        window = create_main_window(path)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        window.show()
        while "tracks" not in window.status_label.text():
            app.processEvents()
    window.close()
    return {"seconds": timer.seconds, "peak_rss_mb": peak_rss_mb()}


def phase_query(path: Path, queries_file: Path) -> dict[str, object]:
    from explorer.catalog import open_catalog
    from explorer.search.engine import SearchEngine

    queries = json.loads(queries_file.read_text())
    with open_catalog(path) as catalog:
        engine = SearchEngine(catalog)
        assert engine.index_ready
        started = time.perf_counter()
        engine.search(queries[0][2], kind=queries[0][1], limit=50)
        first = (time.perf_counter() - started) * 1000
        for _, kind, text in queries[:50]:  # warm-up, as search_bench
            engine.search(text, kind=kind, limit=50)
        times = []
        for _, kind, text in queries:
            started = time.perf_counter()
            engine.search(text, kind=kind, limit=50)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "first_ms": first,
        "p50_ms": times[len(times) // 2],
        "p95_ms": times[int(len(times) * 0.95)],
        "peak_rss_mb": peak_rss_mb(),
    }


def phase_browse(path: Path, artist_id: str) -> dict[str, object]:
    """What expanding the largest artist in the browse tree asks the catalog for."""
    from explorer.catalog import open_catalog

    with open_catalog(path) as catalog, Timer() as timer:
        artist = catalog.artist(artist_id)
        assert artist is not None
        groups = catalog.artist_albums(artist.rowid)
    albums = sum(len(albums) for _, albums in groups.items())
    return {"seconds": timer.seconds, "albums": albums}


def phase_match(path: Path, store_path: Path) -> dict[str, object]:
    from explorer.catalog import open_catalog
    from explorer.library.store import open_store
    from explorer.matching.run import match_library

    store = open_store(store_path)
    with open_catalog(path) as catalog, Timer() as timer:
        match_library(store, catalog, workers=MATCH_WORKERS)
    store.close()
    return {"seconds": timer.seconds, "peak_rss_mb": _peak_mb()}


def _phase(group: Path, phase: str, path: Path, *extra: str) -> dict[str, object]:
    """One measurement in a new process in the cgroup, after the page cache was dropped."""
    drop_page_cache()
    done = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--group", str(group), str(path), *extra],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    print(_label_of(path), phase, result, flush=True)
    return result


def _label_of(path: Path) -> str:
    return path.stem


def _show(group: Path, path: Path, track_id: str) -> float:
    """Seconds of `explorer show ID` from process start to exit, cold, in the cgroup."""
    drop_page_cache()
    script = f'echo $$ > {group}/cgroup.procs && exec "$0" "$@"'
    command = [sys.executable, "-m", "explorer", "show", "--catalog", str(path), track_id]
    with Timer() as timer:
        subprocess.run(["sh", "-c", script, *command], check=True, capture_output=True)
    return timer.seconds


def measure(group: Path, path: Path, work: Path) -> dict[str, object]:
    from explorer.catalog import open_catalog
    from explorer.library.scan import scan
    from explorer.library.store import open_store

    result: dict[str, object] = {"catalog_bytes": path.stat().st_size}
    result["build"] = _phase(group, "build", path)
    with open_catalog(path) as catalog:
        # the prolific artists are among the first; one range of the credits index
        (rowid,) = catalog.execute(
            "SELECT artist_rowid FROM artist_albums WHERE artist_rowid < 200000 "
            "GROUP BY artist_rowid ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        artist = catalog.artist_by_rowid(rowid)
        assert artist is not None
        (track,) = catalog.tracks_by_rowids([catalog.estimate("tracks") // 2])
        library = work / f"music-{path.stem}"
        files = len(damaged_library(catalog, library, LIBRARY_FILES))
    queries_file = work / f"queries-{path.stem}.json"
    queries_file.write_text(json.dumps(make_queries(path)))
    store_path = work / f"store-{path.stem}.sqlite3"
    store = open_store(store_path)
    scan(store, [library])
    store.close()
    result["open"] = _phase(group, "open", path)
    result["query"] = _phase(group, "query", path, str(queries_file))
    result["browse"] = _phase(group, "browse", path, artist.id)
    result["show"] = [_show(group, path, track.id) for _ in range(SHOW_RUNS)]
    result["match"] = _phase(group, "match", path, str(store_path))
    result["files"] = files
    shutil.rmtree(library, ignore_errors=True)
    return result


def _table(results: dict[int, dict[str, object]], load: str) -> str:
    sizes = sorted(results)
    rows: list[tuple[str, list[str]]] = []

    def row(name: str, cell: object) -> None:
        rows.append((name, [cell(results[s]) for s in sizes]))  # type: ignore[operator]

    def get(r: dict[str, object], phase: str, key: str) -> float:
        return float(r[phase][key])  # type: ignore[index]

    row("catalog file", lambda r: f"{int(r['catalog_bytes']) / 1e9:.1f} GB")
    row(
        "index build",
        lambda r: (
            f"{get(r, 'build', 'seconds'):,.0f} s, "
            f"{get(r, 'build', 'tracks') / get(r, 'build', 'seconds'):,.0f} tracks/s"
        ),
    )
    row(
        "index build, peak RSS (largest process)",
        lambda r: f"{get(r, 'build', 'peak_rss_mb'):,.0f} MB",
    )
    row("index size", lambda r: f"{get(r, 'build', 'index_bytes') / 1e9:.2f} GB")
    row("open to window", lambda r: f"{get(r, 'open', 'seconds'):.2f} s")
    row("first search, cold", lambda r: f"{get(r, 'query', 'first_ms'):,.0f} ms")
    row("search p50", lambda r: f"{get(r, 'query', 'p50_ms'):.1f} ms")
    row("search p95", lambda r: f"{get(r, 'query', 'p95_ms'):.1f} ms")
    row(
        "largest artist in the browse tree",
        lambda r: (
            f"{get(r, 'browse', 'seconds') * 1000:,.0f} ms ({int(get(r, 'browse', 'albums')):,} releases)"
        ),
    )
    row("`explorer show` (process)", lambda r: f"{statistics.median(r['show']):.2f} s")
    row(
        f"matching, {MATCH_WORKERS} workers",
        lambda r: f"{int(r['files']) / get(r, 'match', 'seconds'):,.0f} files/s",
    )
    head = "| | " + " | ".join(f"{s:,} tracks" for s in sizes) + " |"
    rule = "| --- | " + " | ".join("---:" for _ in sizes) + " |"
    lines = [head, rule] + [f"| {name} | {' | '.join(cells)} |" for name, cells in rows]
    files = ", ".join(f"{results[s]['files']:,}" for s in sizes)
    growth = ""
    if len(sizes) >= 2:
        small, large = results[sizes[0]], results[sizes[-1]]
        ratio = get(large, "query", "p95_ms") / get(small, "query", "p95_ms")
        growth = (
            f"\n\nSearch p95 at {sizes[-1]:,} tracks is {ratio:.2f} times the p95 at {sizes[0]:,}."
        )
    return (
        f"Measured by `benchmarks/scale_bench.py` on {machine()}, load average {load} "
        f"at the start. Every figure is one new process (or, for the build, its worker "
        f"processes too) in a process group held to {LIMIT_MB:,} MB of memory, page cache "
        f"included, started after the OS page cache was dropped: the catalog is read from "
        f"the disk. Search: search_bench's 1,000 queries after its 50 warm-up queries (the "
        f"first, cold, shown apart). The browse tree's largest artist: its row and its "
        f"album groups, as the tree asks for them. Matching: a damaged library of about "
        f"{LIBRARY_FILES:,} files ({files}; as in Matching), scanned beforehand.\n\n"
        + "\n".join(lines)
        + growth
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000000,100000000")
    parser.add_argument("--phase")
    parser.add_argument("--group")
    parser.add_argument("args", nargs="*")
    args, _ = parser.parse_known_args()  # `make bench` hands every script the same arguments
    if args.phase:
        _join(args.group)
        path = Path(args.args[0])
        phases = {
            "build": lambda: phase_build(path),
            "open": lambda: phase_open(path),
            "query": lambda: phase_query(path, Path(args.args[1])),
            "browse": lambda: phase_browse(path, args.args[1]),
            "match": lambda: phase_match(path, Path(args.args[1])),
        }
        print(json.dumps(phases[args.phase]()))
        return 0
    group = memory_cgroup(CGROUP_NAME, LIMIT_MB << 20)
    if group is None or not drop_page_cache():
        print("scale_bench: needs root and a memory cgroup (Linux); nothing measured")
        return 0
    work = scratch_dir("scale-bench-")
    os.environ["EXPLORER_HOME"] = str(work / "home")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    results: dict[int, dict[str, object]] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        path = DATA / f"demo{_label(size)}.sqlite3"
        if not path.exists():
            print(f"scale_bench: {path} is missing (benchmarks/scale_catalog.py writes it)")
            continue
        results[size] = measure(group, path, work)
        # the index of this size goes before the next is built (2.8 GB at 100 M)
        shutil.rmtree(work / "home", ignore_errors=True)
    if results:
        write_section("Scale, the catalog on disk", _table(results, load))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
