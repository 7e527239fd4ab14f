"""Write planned tags into files safely, one journal batch per run.

Files go WRITE_CHUNK at a time, each chunk in three transactions of the journal:

1. a pending entry per file, naming the copy to be made (before any copy exists);
2. the copies are made and checked (`stage.py`; in worker processes for long runs,
   CHUNKS_AHEAD chunks ahead of this process), flushed to the disk (all of a chunk's at
   once), then the tags before are recorded with the entries (before any file is
   replaced);
3. each checked copy is renamed over its file (atomic), the folders flushed, and only
   then the entries marked written with the files' new scan records, so the next scan
   reads none of them again.

A kill at any moment leaves every file old or new; `recovery.recover` (run first by every
write, undo and history) settles the entries a kill left pending from the files.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from explorer.library.records import FileRead
from explorer.library.store import LibraryStore, display_path
from explorer.library.tag_journal import TagJournal
from explorer.log import get_logger
from explorer.processes import pool_context
from explorer.tagging.plan import FilePlan
from explorer.tagging.recovery import recover
from explorer.tagging.stage import (
    Job,
    NotStaged,
    Staged,
    flushed,
    fsync_many,
    real_path,
    remove_file,
    stage_many,
    temp_path,
)

log = get_logger("tagging")

# Files between two rounds of journal commits (three per chunk, each waiting for the
# disk with synchronous=FULL). Raising it saves commits (32 files a chunk cost a third
# of the writing time); Cancel still stops between files, as each checked copy replaces
# its file one by one, but waits for the chunk's copies being made.
WRITE_CHUNK = 128
# Chunks whose copies are being made while this process renames the copies of the one
# before them (so the workers never wait for the renames and commits). Raising it holds
# more copies on the disk at once.
CHUNKS_AHEAD = 2
# Processes making the copies of a long run (the machine has 2 cores); runs shorter than
# PARALLEL_FROM files are written in this process (no pool to start).
WRITE_WORKERS = 2
PARALLEL_FROM = 200
LOST = "the process writing it stopped unexpectedly; the file was left as it was"


@dataclass(frozen=True)
class WriteProgress:
    done: int
    total: int
    display: str


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: written, unchanged, or failed / refused with a reason."""

    file_id: int
    path: bytes
    status: str  # written | unchanged | failed
    reason: str | None = None

    @property
    def display(self) -> str:
        return display_path(self.path)


@dataclass(frozen=True)
class WriteSummary:
    batch_id: int | None
    written: int
    unchanged: int
    failed: int
    cancelled: bool
    seconds: float
    outcomes: tuple[FileOutcome, ...] = ()

    @property
    def files_per_s(self) -> float:
        return self.written / self.seconds if self.seconds > 0 else 0.0


ProgressCallback = Callable[[WriteProgress], None]
OutcomeCallback = Callable[[FileOutcome], None]
Written = tuple[int, FileRead, int, dict[str, Any]]  # entry, scan record, root id, tags after


class _Stager:
    """Makes the checked copies of a chunk: here, or split among worker processes (then
    in the background: the next chunk's copies are made while this process renames the
    last chunk's and commits their journal)."""

    def __init__(self, pool: ProcessPoolExecutor | None, keep_mtime: bool, workers: int) -> None:
        self.pool = pool
        self.keep_mtime = keep_mtime
        self.workers = workers

    def submit(self, jobs: Sequence[Job]) -> Callable[[], list[Staged | NotStaged]]:
        """Start making the copies; the call returned waits for them."""
        if self.pool is None or len(jobs) < 2:
            results = stage_many(jobs, self.keep_mtime)
            return lambda: results
        share = -(-len(jobs) // self.workers)
        parts = [jobs[i : i + share] for i in range(0, len(jobs), share)]
        try:
            futures = [self.pool.submit(stage_many, part, self.keep_mtime) for part in parts]
        except BrokenProcessPool:
            return self._lost(jobs)
        return lambda: [result for part, future in zip(parts, futures, strict=True)
                        for result in self._results(part, future)]  # fmt: skip

    def _results(
        self, jobs: Sequence[Job], future: Future[list[Staged | NotStaged]]
    ) -> list[Staged | NotStaged]:
        try:
            return future.result()
        except BrokenProcessPool:
            return self._lost(jobs)()

    def _lost(self, jobs: Sequence[Job]) -> Callable[[], list[Staged | NotStaged]]:
        """A worker died (killed, or a crash in mutagen): its files are not written, and
        the files after them are written in this process."""
        log.error("a tag writing process stopped unexpectedly")
        self.pool = None
        lost: list[Staged | NotStaged] = [NotStaged(job, "failed", LOST) for job in jobs]
        return lambda: lost


def _worker_start() -> None:
    """Workers leave Ctrl+C to this process, which stops between files cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _stager(count: int, *, workers: int, keep_mtime: bool) -> Iterator[_Stager]:
    if workers <= 1 or count < PARALLEL_FROM:
        yield _Stager(None, keep_mtime, 1)
        return
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=pool_context(), initializer=_worker_start
    )
    try:
        yield _Stager(pool, keep_mtime, workers)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Chunk:
    """Files whose pending entries are committed and whose copies are being made."""

    jobs: list[tuple[Job, int]]  # with their root ids
    entries: list[int]
    results: Callable[[], list[Staged | NotStaged]]


class _Run:
    """The state of one batch being written."""

    def __init__(
        self,
        store: LibraryStore,
        *,
        total: int,
        progress: ProgressCallback | None,
        on_file: OutcomeCallback | None,
        cancel: threading.Event | None,
    ) -> None:
        self.store = store
        self.journal = TagJournal(store)
        self.roots = {root.id: root.path for root in store.roots()}
        self.total = total
        self.progress = progress
        self.on_file = on_file
        self.cancel = cancel
        self.cancelled = False
        self.done = 0
        self.outcomes: list[FileOutcome] = []

    def report(self, outcome: FileOutcome, *, counted: bool = True) -> None:
        self.done += counted
        self.outcomes.append(outcome)
        if self.on_file is not None:
            self.on_file(outcome)

    def stopped(self) -> bool:
        if not self.cancelled and self.cancel is not None and self.cancel.is_set():
            self.cancelled = True
        return self.cancelled

    def begin(self, batch_id: int, jobs: Sequence[Job], stager: _Stager) -> _Chunk:
        """Commit the chunk's pending entries, then start making its copies."""
        chunk: list[tuple[Job, int]] = []
        root_ids = self.store.root_ids([job.file_id for job in jobs])
        for job in jobs:
            root_id = root_ids.get(job.file_id)
            if root_id is None:
                self.report(
                    FileOutcome(job.file_id, job.path, "failed", "the file is not in the store")
                )
                continue
            named = replace(job, temp=temp_path(real_path(job.path)), root=self.roots.get(root_id))
            chunk.append((named, root_id))
        entries = self.journal.add_pending_many(
            batch_id, [(j.file_id, j.path, j.temp, j.reverses) for j, _ in chunk]
        )
        return _Chunk(chunk, entries, stager.submit([job for job, _ in chunk]))

    def finish(self, chunk: _Chunk) -> None:
        """Record the tags before, rename each checked copy over its file (until Cancel),
        flush the folders and mark the entries written, with the files' scan records."""
        staged: list[tuple[Staged, int, int]] = []
        abandoned: list[int] = []
        for (job, root_id), entry, result in zip(
            chunk.jobs, chunk.entries, flushed(chunk.results()), strict=True
        ):
            if isinstance(result, Staged):
                staged.append((result, entry, root_id))
            else:
                remove_file(job.temp)  # none, unless a worker died while making it
                abandoned.append(entry)
                self.report(FileOutcome(job.file_id, job.path, result.status, result.reason))
        self.journal.record_before([(e, s.tag_system, s.before) for s, e, _ in staged], abandoned)
        written: list[Written] = []
        abandoned = []
        folders: set[bytes] = set()
        try:
            for result, entry, root_id in staged:
                job = result.job
                if self.stopped():
                    remove_file(result.temp)
                    abandoned.append(entry)
                    continue
                if self.progress is not None:
                    self.progress(WriteProgress(self.done, self.total, display_path(job.path)))
                os.replace(result.temp, result.target)  # a symlink's target, beside its copy
                folders.add(os.path.dirname(result.target) or b".")
                written.append((entry, result.read, root_id, result.after))
                self.report(FileOutcome(job.file_id, job.path, "written"))
        finally:  # also on Ctrl+C: what was replaced is recorded (the rest by `recover`)
            fsync_many(folders, folder=True)
            self.journal.settle(written, abandoned)


def run_jobs(
    store: LibraryStore,
    jobs: Sequence[Job],
    *,
    batch_id: int,
    keep_mtime: bool,
    progress: ProgressCallback | None,
    on_file: OutcomeCallback | None,
    cancel: threading.Event | None,
    refused: Iterable[FileOutcome] = (),
    workers: int = WRITE_WORKERS,
) -> WriteSummary:
    """Write the jobs as one batch of the journal (see the module's docstring)."""
    started = time.monotonic()
    run = _Run(store, total=len(jobs), progress=progress, on_file=on_file, cancel=cancel)
    for outcome in refused:
        run.report(outcome, counted=False)
    chunks = [jobs[i : i + WRITE_CHUNK] for i in range(0, len(jobs), WRITE_CHUNK)]
    with _stager(len(jobs), workers=workers, keep_mtime=keep_mtime) as stager:
        under_way: deque[_Chunk] = deque()
        for chunk in chunks:
            if run.stopped():
                break
            under_way.append(run.begin(batch_id, chunk, stager))
            if len(under_way) > CHUNKS_AHEAD:
                run.finish(under_way.popleft())
        while under_way:  # after Cancel too: their copies are removed, entries abandoned
            run.finish(under_way.popleft())
    run.journal.finish_batch(batch_id)
    if progress is not None and not run.cancelled:
        progress(WriteProgress(len(jobs), len(jobs), ""))
    counts = {
        status: sum(1 for o in run.outcomes if o.status == status)
        for status in ("written", "unchanged", "failed")
    }
    return WriteSummary(
        batch_id, counts["written"], counts["unchanged"], counts["failed"], run.cancelled,
        time.monotonic() - started, tuple(run.outcomes),
    )  # fmt: skip


def write_plans(
    store: LibraryStore,
    plans: Sequence[FilePlan],
    *,
    fields: Sequence[str],
    keep_mtime: bool = False,
    progress: ProgressCallback | None = None,
    on_file: OutcomeCallback | None = None,
    cancel: threading.Event | None = None,
    workers: int = WRITE_WORKERS,
) -> WriteSummary:
    """Write the plans that have changes, one journal batch; setting `cancel` stops
    between files (the files written stay written, and in the journal)."""
    recover(store)
    batch_id = TagJournal(store).start_batch("write", fields)
    jobs = [
        Job(plan.file_id, plan.path, plan.size, plan.mtime_ns,
            {change.name: change.after for change in plan.changes}, {},
            format_name=plan.format)
        for plan in plans if plan.status == "write"
    ]  # fmt: skip
    return run_jobs(store, jobs, batch_id=batch_id, keep_mtime=keep_mtime, progress=progress,
                    on_file=on_file, cancel=cancel, workers=workers)  # fmt: skip
