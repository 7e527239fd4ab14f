"""GUI benchmark: time to an interactive window, the longest event-loop stall during a
scripted session (typing letter by letter, scrolling results, expanding an artist with
hundreds of releases, opening tracks), and peak memory; on a 10 K and a 10 M catalog.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_bench.py`
(the 10 M catalog and its index are built on first use; each catalog runs in its own
process). Stalls are measured by a 10 ms timer that records how late it fires.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from common import build_index, demo_catalog, machine, peak_rss_mb, scratch_dir, write_section

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TIMER_MS = 10


class StallMeter:
    """A 10 ms timer that records how late it fires: how long the window did not react."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.lateness: list[float] = []
        self.clock = QElapsedTimer()
        self.clock.start()
        self.last = self.clock.elapsed()
        self.timer = QTimer()
        self.timer.setInterval(TIMER_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.lateness.append(max(0.0, now - self.last - TIMER_MS))
        self.last = now

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.lateness


def session(
    path: Path, *, spawned: float | None = None, window_catalog: str | None = None
) -> dict[str, float]:
    """The scripted session on the catalog file `path`, or with `window_catalog` (the
    same catalog published into PostgreSQL: its URL) the window on the server; the
    session's words and artist are drawn from the file either way."""
    from PySide6.QtWidgets import QApplication

    from explorer.catalog import open_catalog
    from explorer.index import build_index
    from explorer.ui.app import create_main_window

    prepare_started = time.perf_counter()
    with open_catalog(path) as catalog:
        build_index(catalog)
        rowid = catalog.execute(
            "SELECT artist_rowid FROM artist_albums GROUP BY artist_rowid "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        prolific = catalog.artist_by_rowid(rowid[0]) if rowid else None
        (track,) = catalog.tracks_by_rowids([catalog.estimate("tracks") // 2])
    prepared = time.perf_counter() - prepare_started
    started = time.perf_counter()
    window = create_main_window(window_catalog or path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.show()
    while "tracks" not in window.status_label.text():
        app.processEvents()
    startup = time.perf_counter() - started
    # the index build and the demo lookups above ran before the window: not start-up
    since_spawn = time.time() - spawned - prepared if spawned is not None else startup

    meter = StallMeter()

    def run_for(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)

    for char in f"{track.artists[0].name} {track.name}"[:24]:
        window.search_box.insert(char)
        run_for(0.08)
    run_for(0.5)
    window.search_box.setText("love ")
    run_for(0.5)
    view = window.results_view
    for _ in range(10):  # scroll to the end: fetchMore pages
        view.scrollToBottom()
        run_for(0.2)
    rows_after_scroll = window.models["track"].rowCount()
    if prolific is not None:
        window.details.open_entity("artist", prolific.id)
        tree = window.tree_model
        run_for(0.5)
        for row in range(min(20, tree.rowCount())):
            index = tree.index(row, 0)
            if tree.node(index).entity_id == prolific.id:
                window.tree.expand(index)
                run_for(1.0)
                for group in range(tree.rowCount(index)):
                    window.tree.expand(tree.index(group, 0, index))
                    run_for(0.3)
    for row in range(min(10, window.models["track"].rowCount())):
        view.selectRow(row)
        run_for(0.15)
    lateness = meter.stop()
    window.close()
    ordered = sorted(lateness)
    return {
        "startup_s": startup,
        "since_spawn_s": since_spawn,
        "max_stall_ms": ordered[-1] if ordered else 0.0,
        "p99_stall_ms": ordered[int(len(ordered) * 0.99)] if ordered else 0.0,
        "ticks": len(ordered),
        "rows_after_scroll": rows_after_scroll,
        "peak_rss_mb": peak_rss_mb(),
    }


def library_session(path: Path, files: int) -> dict[str, float]:
    """A user store of `files` files (rows written directly: no audio needed), scrolled in
    the Your library tab page after page while a 10 ms timer records stalls."""
    from PySide6.QtWidgets import QApplication

    from explorer.library.records import FileRead, StreamInfo, TrackTags
    from explorer.library.store import default_store_path, open_store
    from explorer.ui.app import create_main_window

    with open_store(default_store_path()) as store:
        root = store.add_root(Path("/bench"))
        batch = []
        for i in range(files):
            batch.append(
                FileRead(
                    f"/bench/folder{i // 12:05d}/{i % 12:02d} - Song {i}.flac".encode(),
                    1000,
                    1,
                    "ok",
                    stream=StreamInfo("flac", 200.0),
                    tags=TrackTags(title=f"Song {i}", artists=("Someone",)),
                )
            )
            if len(batch) == 5000:
                store.save_reads(root.id, batch)
                batch = []
        if batch:
            store.save_reads(root.id, batch)
    window = create_main_window(path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.show()
    window.tabs.setCurrentIndex(3)
    while window.library_model.rowCount() == 0:
        app.processEvents()
    meter = StallMeter()
    started = time.perf_counter()
    while window.library_model.rowCount() < files and time.perf_counter() - started < 120:
        window.results_view.scrollToBottom()
        end = time.perf_counter() + 0.05
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.001)
    seconds = time.perf_counter() - started
    lateness = meter.stop()
    rows = window.library_model.rowCount()
    window.close()
    ordered = sorted(lateness)
    return {
        "rows": rows,
        "seconds": seconds,
        "max_stall_ms": ordered[-1] if ordered else 0.0,
        "p99_stall_ms": ordered[int(len(ordered) * 0.99)] if ordered else 0.0,
        "peak_rss_mb": peak_rss_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,10000000")
    parser.add_argument("--one")
    parser.add_argument("--spawned", type=float)
    parser.add_argument("--library", type=int, default=100_000, help="files in the library phase")
    parser.add_argument("--library-one", action="store_true")
    parser.add_argument(
        "--window-catalog",
        default=None,
        help="with --one: open the window on this URL (the --one file published there)",
    )
    args = parser.parse_args()
    if args.one and args.library_one:
        print(json.dumps(library_session(Path(args.one), args.library)))
        return 0
    if args.one:
        print(
            json.dumps(
                session(Path(args.one), spawned=args.spawned, window_catalog=args.window_catalog)
            )
        )
        return 0
    if "EXPLORER_HOME" not in os.environ:
        os.environ["EXPLORER_HOME"] = str(scratch_dir("gui-bench-"))
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        if size >= 1_000_000:
            path = demo_catalog(size)
        else:
            from explorer.demo import write_demo_catalog

            path = Path(os.environ["EXPLORER_HOME"]) / f"demo{size}.sqlite3"
            if not path.exists():
                write_demo_catalog(path, tracks=size)
        build_index(path)  # in a process of its own, so peak RSS is the window's alone
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(path), "--spawned", str(time.time())],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(
            f"| {size:,} | {r['since_spawn_s']:.2f} s | {r['startup_s']:.2f} s | {r['max_stall_ms']:.0f} ms | {r['p99_stall_ms']:.0f} ms | "
            f"{r['rows_after_scroll']} | {r['peak_rss_mb']:.0f} MB |"
        )
        print(rows[-1], flush=True)
    lib_home = scratch_dir("gui-bench-library-")
    small = lib_home / "demo.sqlite3"
    from explorer.demo import write_demo_catalog

    write_demo_catalog(small, tracks=10_000)
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--one",
            str(small),
            "--library-one",
            "--library",
            str(args.library),
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "EXPLORER_HOME": str(lib_home)},
    )
    lib = json.loads(done.stdout.strip().splitlines()[-1])
    print(lib, flush=True)
    body = f"""
Measured by `benchmarks/gui_bench.py` on {machine()}, Qt offscreen. Start-up runs to
the status bar showing the catalog's sizes (the worker thread answered, the first page
of the tree asked): from starting the Python process (interpreter, imports, the catalog
check, the window), and from `create_main_window` alone. The search index is built
before the clock starts, by another process (its build memory is not the window's). The session: the first 24 letters of "artist title" typed one every 80 ms,
then "love", ten scrolls to the bottom of the results (each asks the next page), the
artist with the most releases opened and its release groups expanded, ten tracks
selected one after another. A 10 ms timer records how late it fires: the longest
lateness is the longest time the window did not react.

| catalog tracks | start-up from process start | start-up, window only | longest stall | p99 stall | result rows after scrolling | peak RSS |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

Your library with {args.library:,} files (rows written into the user store directly),
scrolled to the end page after page ({500} files a page): {int(lib["rows"]):,} rows shown
in {lib["seconds"]:.1f} s, longest stall {lib["max_stall_ms"]:.0f} ms, p99 stall
{lib["p99_stall_ms"]:.0f} ms, peak RSS {lib["peak_rss_mb"]:.0f} MB.
"""
    write_section("GUI", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
