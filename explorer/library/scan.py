"""Scan music folders into the user store: walk, read changed files in worker processes, save.

Incremental: a file whose size and modification time match the store is not read again.
A file that vanished is marked `missing` (its row, tags and links stay). Results are
saved in batches, one transaction each, so a kill loses at most the batch in flight.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from explorer.errors import KnownError
from explorer.library.records import STATUS_ERROR, STATUS_MISSING, FileRead
from explorer.library.store import (
    ENCODED_FOLDER,
    ENCODED_PATH,
    ENCODED_STATUS,
    FileRow,
    KnownFile,
    LibraryStore,
    encode_read,
)
from explorer.library.tags import read_file
from explorer.library.walk import FoundFile, WalkProblem, is_audio_name, walk_audio
from explorer.log import get_logger
from explorer.processes import pool_context

log = get_logger("scan")

# Worker processes reading tags (the machine has 2 cores; mutagen is CPU and I/O bound).
SCAN_WORKERS = 2
# Files sent to a worker at once: bigger chunks cost less pickling, but the last chunk
# may leave one worker idle and cancelling waits for the chunks already running.
CHUNK_FILES = 64
# Chunks queued per worker ahead of time (keeps workers busy, bounds memory).
CHUNKS_AHEAD_PER_WORKER = 4
# Files read in this process when there are fewer than this to read (no pool start-up).
INLINE_BELOW = 100
# Smallest interval between two progress reports, in seconds.
PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True)
class ScanProgress:
    """Where a scan is: files done (read or found unchanged) of the files found so far."""

    phase: str  # "walk" while listing folders, then "read"
    files_done: int
    files_total: int | None  # None while walking
    files_per_s: float
    current_folder: str


@dataclass(frozen=True)
class ScanSummary:
    roots: int
    files_seen: int
    files_read: int
    files_unchanged: int
    errors: int
    missing: int
    seconds: float
    cancelled: bool

    @property
    def files_per_s(self) -> float:
        return self.files_seen / self.seconds if self.seconds > 0 else 0.0


ProgressCallback = Callable[[ScanProgress], None]
FileCallback = Callable[[FileRow], None]


Encoded = tuple[Any, ...]  # a FileRead as store column values (store.encode_read)


def read_chunk(root: bytes, files: Sequence[tuple[bytes, int, int]]) -> list[Encoded]:
    """Read and encode a chunk of files (in a worker process); never raises for a bad file."""
    return [
        encode_read(read_file(path, size=size, mtime_ns=mtime, root=root))
        for path, size, mtime in files
    ]


@dataclass
class _Root:
    id: int
    path: bytes
    complete: bool = False  # the walk finished (so absent files really are missing)


class _Scan:
    """The state of one scan call (one store, several roots)."""

    def __init__(
        self,
        store: LibraryStore,
        *,
        progress: ProgressCallback | None,
        on_file: FileCallback | None,
        cancel: threading.Event | None,
    ) -> None:
        self.store = store
        self.progress = progress
        self.on_file = on_file
        self.cancel = cancel or threading.Event()
        self.started = time.monotonic()
        self.last_report = 0.0
        self.done = 0
        self.total: int | None = None
        self.folder = ""
        self.read = self.unchanged = self.errors = self.missing = 0

    def report(self, phase: str, *, force: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if not force and now - self.last_report < PROGRESS_INTERVAL_S:
            return
        self.last_report = now
        rate = self.done / max(now - self.started, 1e-6)
        self.progress(ScanProgress(phase, self.done, self.total, rate, self.folder))

    def on_folder(self, folder: bytes) -> None:
        self.folder = folder.decode("utf-8", "backslashreplace")
        self.report("walk")

    def save(self, root_id: int, encoded: list[Encoded]) -> None:
        self.store.save_encoded(root_id, encoded)
        self.read += len(encoded)
        self.errors += sum(1 for row in encoded if row[ENCODED_STATUS] == STATUS_ERROR)
        self.done += len(encoded)
        if encoded:
            self.folder = encoded[-1][ENCODED_FOLDER]
        self.emit([row[ENCODED_PATH] for row in encoded])
        self.report("read")

    def emit(self, paths: list[bytes]) -> None:
        if self.on_file is not None and paths:
            for row in self.store.files_by_paths(paths):
                self.on_file(row)


def _check_roots(roots: Sequence[str | os.PathLike[str] | bytes]) -> list[bytes]:
    checked = []
    for root in roots:
        raw = os.fsencode(os.path.abspath(os.fsdecode(root)))
        if not os.path.isdir(raw) and not os.path.isfile(raw):
            shown = raw.decode("utf-8", "backslashreplace")
            raise KnownError(
                f"{shown} is not a folder; give the folders (or files) that hold your music."
            )
        if os.path.isfile(raw) and not is_audio_name(os.path.basename(raw)):
            shown = raw.decode("utf-8", "backslashreplace")
            raise KnownError(
                f"{shown} is not an audio file (its name ends in no audio format's extension)."
            )
        if raw not in checked:  # a folder given twice is scanned (and counted) once
            checked.append(raw)
    return checked


def _chunks(
    root: _Root, files: list[FoundFile]
) -> Iterator[tuple[_Root, list[tuple[bytes, int, int]]]]:
    for start in range(0, len(files), CHUNK_FILES):
        yield root, [(f.path, f.size, f.mtime_ns) for f in files[start : start + CHUNK_FILES]]


def _is_unchanged(found: FoundFile, known: KnownFile | None) -> bool:
    return (
        known is not None
        and known.status != STATUS_MISSING
        and known.size == found.size
        and known.mtime_ns == found.mtime_ns
    )


def _read_all(
    state: _Scan, work: list[tuple[_Root, list[tuple[bytes, int, int]]]], workers: int
) -> None:
    count = sum(len(files) for _, files in work)
    if workers <= 1 or count < INLINE_BELOW:
        for root, files in work:
            if state.cancel.is_set():
                return
            state.save(root.id, read_chunk(root.path, files))
        return
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=pool_context(), initializer=_worker_start
    )
    try:
        _feed(state, pool, work, workers)
    finally:
        # On cancel, Ctrl+C or an error: drop queued chunks, let running ones end.
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_start() -> None:
    """Workers leave Ctrl+C to the main process, which stops the scan cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _feed(
    state: _Scan,
    pool: ProcessPoolExecutor,
    work: list[tuple[_Root, list[tuple[bytes, int, int]]]],
    workers: int,
) -> None:
    pending: dict[Future[list[Encoded]], _Root] = {}
    queue = iter(work)
    ahead = workers * CHUNKS_AHEAD_PER_WORKER
    exhausted = False
    while not state.cancel.is_set():
        while not exhausted and len(pending) < ahead:
            item = next(queue, None)
            if item is None:
                exhausted = True
                break
            root, files = item
            pending[pool.submit(read_chunk, root.path, files)] = root
        if not pending:
            return
        finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
        for future in finished:
            state.save(pending.pop(future).id, future.result())


def scan(
    store: LibraryStore,
    roots: Sequence[str | os.PathLike[str] | bytes],
    *,
    workers: int = SCAN_WORKERS,
    progress: ProgressCallback | None = None,
    on_file: FileCallback | None = None,
    cancel: threading.Event | None = None,
) -> ScanSummary:
    """Add `roots` to the store and scan them; returns what happened.

    `progress` is called at most every PROGRESS_INTERVAL_S; `on_file` once per file
    found (read now or unchanged) with its stored row; setting `cancel` stops the scan
    after the batches in flight (everything saved so far stays, nothing is marked missing).
    """
    state = _Scan(store, progress=progress, on_file=on_file, cancel=cancel)
    raw_roots = _check_roots(roots)
    scanned = [_Root(store.add_root(raw).id, raw) for raw in raw_roots]
    work: list[tuple[_Root, list[tuple[bytes, int, int]]]] = []
    seen_total = 0
    for root in scanned:
        known = store.known_files(root.path)
        problems: list[FileRead] = []

        def note(problem: WalkProblem, into: list[FileRead] = problems) -> None:
            into.append(FileRead(problem.path, 0, 0, STATUS_ERROR, problem.reason))

        found = list(
            walk_audio(
                root.path,
                on_problem=note,
                on_folder=state.on_folder,
                should_stop=state.cancel.is_set,
            )
        )
        if state.cancel.is_set():
            break
        root.complete = True
        seen_total += len(found) + len(problems)
        unchanged: list[bytes] = []
        to_read: list[FoundFile] = []
        for item in found:
            if _is_unchanged(item, known.get(item.path)):
                unchanged.append(item.path)
            else:
                to_read.append(item)
        seen = {f.path for f in found} | {p.path for p in problems}
        gone = [
            path for path, k in known.items() if path not in seen and k.status != STATUS_MISSING
        ]
        if gone:
            state.missing += store.mark_missing(gone)
        if problems:
            state.save(root.id, [encode_read(problem) for problem in problems])
        state.unchanged += len(unchanged)
        state.done += len(unchanged)
        for start in range(0, len(unchanged), 500):
            state.emit(unchanged[start : start + 500])
        work.extend(_chunks(root, to_read))
    state.total = seen_total
    state.report("read", force=True)
    with store.bulk():
        _read_all(state, work, workers)
    for root in scanned:
        if root.complete and not state.cancel.is_set():
            store.mark_root_scanned(root.id)
    state.report("read", force=True)
    return ScanSummary(
        roots=len(scanned),
        files_seen=seen_total,
        files_read=state.read,
        files_unchanged=state.unchanged,
        errors=state.errors,
        missing=state.missing,
        seconds=time.monotonic() - state.started,
        cancelled=state.cancel.is_set(),
    )
