"""Add music to the library: scan folders (or the folders of files) and match what they hold.

The one call behind File > Add music folder..., a drop on the window and Music folders >
Rescan: `add_music(store, catalog, paths, ...) -> AddSummary`. It builds the catalog's
search index first when there is none (matching needs it), scans the folders with
`explorer.library.scan.scan` and matches their files with `match_library` (decisions of
the user are kept). Cancelling keeps what was done; the summary then says so.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from explorer.catalog import Catalog
from explorer.errors import CancelledError, KnownError
from explorer.index import IndexProgress, build_index
from explorer.library.scan import ScanProgress, scan
from explorer.library.store import LibraryStore
from explorer.matching.decide import Thresholds
from explorer.matching.run import FileOutcome, MatchProgress, match_library
from explorer.search.engine import SearchEngine

# The phases of an addition, in order ("demo": writing the demo library, see
# explorer.demo.library.ensure_demo_library; the caller reports it).
PHASES = ("demo", "index", "scan", "match")


@dataclass(frozen=True)
class AddProgress:
    """Where an addition is: its phase, the units done of the total (None: not known yet),
    an estimate of the seconds left of the phase, the folder at work."""

    phase: str  # one of PHASES
    done: int
    total: int | None
    seconds_left: float | None
    folder: str = ""


@dataclass(frozen=True)
class AddSummary:
    """What an addition did. Files of the folders: `scanned` found on disk; `matched`,
    `review`, `unmatched` as the matcher decided; `errors` unreadable; `kept` left as the
    user decided. `empty`: folders given where no audio was found."""

    folders: tuple[str, ...]
    scanned: int = 0
    matched: int = 0
    review: int = 0
    unmatched: int = 0
    errors: int = 0
    kept: int = 0
    empty: tuple[str, ...] = ()
    cancelled: bool = False
    seconds: float = 0.0


def music_folders(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The folders to scan for `paths`: a folder itself, a file its folder (once each, in
    order). A path that does not exist is a KnownError naming it."""
    folders: list[Path] = []
    for given in paths:
        path = Path(os.path.abspath(os.fspath(given)))
        if path.is_file():
            path = path.parent
        elif not path.is_dir():
            raise KnownError(f"{path} is neither a folder nor a file; nothing was added.")
        if path not in folders:
            folders.append(path)
    return folders


def _left(done: int, total: int | None, per_second: float) -> float | None:
    if total is None or per_second <= 0:
        return None
    return max(0, total - done) / per_second


def add_music(
    store: LibraryStore,
    catalog: Catalog,
    paths: Sequence[str | os.PathLike[str]],
    *,
    thresholds: Thresholds | None = None,
    workers: int | None = None,
    progress: Callable[[AddProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> AddSummary:
    """Scan `paths` (folders, or files: their folders) into `store` and match their files
    against `catalog`. `workers`: matching processes as `match_library` takes them.

    Returns the summary, `cancelled` when `cancel` was set (what was done is kept). A
    folder with no audio is named in `empty` and not kept as a music folder.
    """
    started = time.monotonic()
    folders = music_folders(paths)
    shown = tuple(str(folder) for folder in folders)
    report = progress or (lambda _state: None)
    counts = {"matched": 0, "review": 0, "unmatched": 0, "errors": 0, "kept": 0}
    scanned = 0

    def summary(*, cancelled: bool, empty: tuple[str, ...] = ()) -> AddSummary:
        return AddSummary(
            shown,
            scanned,
            empty=empty,
            cancelled=cancelled,
            seconds=time.monotonic() - started,
            **counts,
        )

    engine = SearchEngine(catalog)
    try:
        if not engine.index_ready:

            def indexed(state: IndexProgress) -> None:
                report(AddProgress("index", state.rows_done, state.rows_total, state.seconds_left))

            engine.close()
            build_index(catalog, progress=indexed, cancel=cancel)
            engine = SearchEngine(catalog)

        def scanning(state: ScanProgress) -> None:
            left = _left(state.files_done, state.files_total, state.files_per_s)
            report(
                AddProgress("scan", state.files_done, state.files_total, left, state.current_folder)
            )

        scan_summary = scan(store, folders, progress=scanning, cancel=cancel)
        scanned = scan_summary.files_read + scan_summary.files_unchanged
        wanted = {os.path.realpath(folder) for folder in folders}
        roots = [
            item
            for item in store.root_summaries()
            if os.path.realpath(os.fsdecode(item.root.path)) in wanted
        ]
        if scan_summary.cancelled:  # a folder not read to its end is not called empty
            return summary(cancelled=True)
        empty = tuple(item.root.display for item in roots if item.files == 0)
        for item in roots:
            if item.files == 0:
                store.remove_root(item.root.id)  # nothing to forget: no file, no decision
        root_ids = [item.root.id for item in roots if item.files]
        if not root_ids:
            return summary(cancelled=False, empty=empty)

        def matching(state: MatchProgress) -> None:
            left = _left(state.files_done, state.files_total, state.files_per_second)
            report(AddProgress("match", state.files_done, state.files_total, left, state.folder))

        def counted(outcome: FileOutcome) -> None:
            if outcome.result is not None:
                counts[outcome.result.status] += 1
            else:
                counts["kept" if outcome.kept_user_decision else "errors"] += 1

        try:
            match_library(
                store,
                catalog,
                root_ids=root_ids,
                thresholds=thresholds,
                progress=matching,
                on_file=counted,
                cancel=cancel,
                engine=engine,
                workers=workers,
            )
        except CancelledError:
            return summary(cancelled=True, empty=empty)
        return summary(cancelled=False, empty=empty)
    except CancelledError:  # while building the index
        return summary(cancelled=True)
    finally:
        engine.close()


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def summary_sentence(summary: AddSummary) -> str:
    """The summary as the status bar says it."""
    parts = []
    if summary.empty:
        parts.append(f"No audio found in {', '.join(summary.empty)}.")
    if summary.scanned or not summary.empty:
        done = (
            f"{_plural(summary.scanned, 'file')} scanned: {summary.matched:,} matched, "
            f"{summary.review:,} to review, {summary.unmatched:,} unmatched, "
            f"{_plural(summary.errors, 'error')}"
        )
        if summary.kept:
            done += f", {summary.kept:,} kept as you decided"
        parts.append(done + ".")
    if summary.cancelled:
        parts.append("Cancelled; what was done so far is kept.")
    return " ".join(parts)
