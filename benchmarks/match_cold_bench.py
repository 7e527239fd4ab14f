"""Matching with the catalog not in memory: the real dump (125 GB) is larger than most
machines' memory, so a first matching run reads most catalog pages from the disk.

A 10 M-track demo catalog and a 10,000-file library, matched in a process group held to a
memory limit (a cgroup: the page cache it fills counts against it) after the OS page cache
was dropped, with one worker process per core and with two: what `default_workers` chooses
between. Needs root on Linux (cgroup v1 or v2); without it, says so and writes nothing.

Run: `.venv/bin/python benchmarks/match_cold_bench.py [--limit-mb 700] [--passes 2]`
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from common import (
    Timer,
    build_index,
    damaged_library,
    demo_catalog,
    drop_page_cache,
    machine,
    memory_cgroup,
    scratch_dir,
    write_section,
)

from explorer.catalog import open_catalog
from explorer.library.scan import scan
from explorer.library.store import open_store
from explorer.matching.run import default_workers, match_library

CGROUP_NAME = "catalog-explorer-bench"


def run_one(store_path: Path, catalog_path: Path, workers: int, group: Path) -> float:
    """One matching run of a fresh copy of the store, in the cgroup: its seconds."""
    (group / "cgroup.procs").write_text(f"{os.getpid()}\n")  # the workers follow
    store = open_store(store_path)
    with open_catalog(catalog_path) as catalog, Timer() as timer:
        match_library(store, catalog, workers=workers)
    store.close()
    return timer.seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--limit-mb", type=int, default=700)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--one", nargs=4, metavar=("STORE", "CATALOG", "WORKERS", "CGROUP"))
    args, _ = parser.parse_known_args()  # `make bench` hands every script the same arguments
    if args.one:
        store, catalog, workers, group = args.one
        print(json.dumps(run_one(Path(store), Path(catalog), int(workers), Path(group))))
        return 0
    group = memory_cgroup(CGROUP_NAME, args.limit_mb << 20)
    if group is None or not drop_page_cache():
        print("match_cold_bench: needs root and a memory cgroup (Linux); nothing measured")
        return 0
    work = scratch_dir("match-cold-bench-")
    os.environ["EXPLORER_HOME"] = str(work / "home")
    catalog_path = demo_catalog(args.tracks)
    build_index(catalog_path)
    with open_catalog(catalog_path) as catalog:
        files = len(damaged_library(catalog, work / "music", args.files))
    scanned = work / "scanned.sqlite3"
    store = open_store(scanned)
    scan(store, [work / "music"])
    store.close()
    cores = os.cpu_count() or 1
    counts = sorted({max(1, cores), 2 * cores})
    seconds: dict[int, list[float]] = {count: [] for count in counts}
    for attempt in range(args.passes):
        for count in counts:  # the counts take turns
            copy = work / f"store-{attempt}-{count}.sqlite3"
            shutil.copyfile(scanned, copy)
            drop_page_cache()
            one = [str(copy), str(catalog_path), str(count), str(group)]
            done = subprocess.run(
                [sys.executable, __file__, "--one", *one],
                check=True,
                capture_output=True,
                text=True,
            )
            seconds[count].append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(count, "workers:", seconds[count][-1], "s", flush=True)
    with contextlib.suppress(OSError):
        group.rmdir()  # empty again: its processes have ended
    size_gb = catalog_path.stat().st_size / 1e9
    rows = [
        f"| {count} | {files / statistics.median(seconds[count]):,.0f} | "
        f"{', '.join(f'{files / s:,.0f}' for s in seconds[count])} |"
        for count in counts
    ]
    chosen = default_workers(catalog_path.stat().st_size)
    body = f"""
Measured by `benchmarks/match_cold_bench.py` on {machine()}. The {args.tracks:,}-track demo
catalog ({size_gb:.1f} GB) and a {files:,}-file damaged library (as in Matching), matched with
the OS page cache dropped before each run, in a process group held to {args.limit_mb} MB of
memory, page cache included: most catalog pages are read from the disk, as with the real
dump on most machines. The worker counts take turns, {args.passes} passes each; the median
pass is shown. On this machine, with its memory, `default_workers` chooses {chosen} for this
catalog; one larger than half the memory gets two per core.

| worker processes | matching, files/s (median) | each pass |
| ---: | ---: | --- |
{chr(10).join(rows)}
"""
    write_section("Matching, the catalog on disk", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
