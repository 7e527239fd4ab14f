"""Helpers shared by the benchmark scripts: timing, peak memory, results in docs/benchmarks.md."""

from __future__ import annotations

import atexit
import os
import platform
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.catalog import Catalog
    from explorer.demo.library import LibraryFile

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"
# Where the big demo catalogs live (outside the repository; written on first use).
DATA = Path(os.environ.get("EXPLORER_BENCH_DATA", ROOT / "benchmarks" / "data"))


def scratch_dir(prefix: str) -> Path:
    """A temporary folder removed when the process ends (an index built for a benchmark
    takes 300 MB at 10 M tracks: left behind, they filled the disk run after run)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def machine() -> str:
    """One line describing where the figures were measured."""
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.machine()}"
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """Peak resident memory of the largest finished child process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def drop_page_cache() -> bool:
    """Empty the OS page cache (root on Linux) so a run reads from disk; False if not allowed."""
    try:
        subprocess.run(["sync"], check=False)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def memory_cgroup(name: str, limit_bytes: int) -> Path | None:
    """A memory cgroup `name` limited to `limit_bytes` (v2, else v1), the page cache its
    processes fill counted against it; None without the right (root, Linux)."""
    try:
        v2 = Path("/sys/fs/cgroup/cgroup.controllers")
        if v2.exists() and "memory" in v2.read_text().split():
            group = Path("/sys/fs/cgroup") / name
            group.mkdir(exist_ok=True)
            (group / "memory.max").write_text(f"{limit_bytes}\n")
            return group
        v1 = Path("/sys/fs/cgroup/memory")
        if v1.is_dir():
            group = v1 / name
            group.mkdir(exist_ok=True)
            (group / "memory.limit_in_bytes").write_text(f"{limit_bytes}\n")
            return group
    except OSError:
        return None
    return None


def demo_catalog(tracks: int, *, seed: int = 1) -> Path:
    """The benchmark demo catalog of about `tracks` tracks, written once and reused."""
    from explorer.demo import write_demo_catalog

    label = f"{tracks // 1_000_000}m" if tracks >= 1_000_000 else f"{tracks // 1000}k"
    path = DATA / f"demo{label}.sqlite3"
    if not path.exists():
        print(f"writing {path} ...", file=sys.stderr, flush=True)
        write_demo_catalog(path, tracks=tracks, seed=seed)
    return path


def build_index(catalog: Path) -> None:
    """The catalog's search index, built in a process of its own (so its memory is not
    the caller's peak)."""
    subprocess.run(
        [sys.executable, "-m", "explorer", "index", "build", "--catalog", str(catalog)],
        check=True,
        capture_output=True,
    )


# About how many files `explorer.demo.library` writes per album folder.
DEMO_FILES_PER_ALBUM = 7.5


def damaged_library(catalog: Catalog, folder: Path, files: int) -> list[LibraryFile]:
    """The matching benchmarks' labelled, damaged library of about `files` files."""
    from explorer.demo.library import write_demo_library

    return write_demo_library(catalog, folder, albums=int(files / DEMO_FILES_PER_ALBUM), seed=21)


class Timer:
    """`with Timer() as t: ...; t.seconds`."""

    def __enter__(self) -> Timer:
        self.started = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.started


def write_section(title: str, body: str) -> None:
    """Replace (or add) the `## title` section of docs/benchmarks.md with `body`."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text.rstrip() + "\n", encoding="utf-8")
