"""The build's lanes side by side in worker processes, with Ctrl+C and cancel handled."""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from types import FrameType
from typing import Any

from explorer.errors import CancelledError
from explorer.index.writer import CANCELLED, Lane, Report, ctrl_c_noted, write
from explorer.processes import pool_context


@contextmanager
def noting_ctrl_c() -> Iterator[None]:
    """Note Ctrl+C in `ctrl_c_noted` too while this process builds, so that a writer raises its
    KeyboardInterrupt again when it was lost.

    Python raises KeyboardInterrupt in whatever Python code runs next. While SQLite writes
    a chunk, that is what SQLite calls back (the progress handler, `index_text`), and
    Python's sqlite3 drops an exception raised there and fails the statement instead
    ("interrupted", "user-defined function raised exception"). Only the main thread has
    signal handlers: a build on another thread (the window's) has no Ctrl+C to note."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if not callable(previous):  # ignored, or not Python's to handle
        yield
        return

    def note(signum: int, frame: FrameType | None) -> Any:
        ctrl_c_noted.set()
        return previous(signum, frame)  # KeyboardInterrupt

    signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        ctrl_c_noted.clear()  # noted for this build's writers only


# The queue a worker process reports its progress on (set when the process starts).
_reports: Any = None


def _start_writer(reports: Any) -> None:
    """A worker leaves Ctrl+C to the building process, which ends the workers (their
    chunks' transactions roll back) and says it was interrupted; a worker of its own
    would print a KeyboardInterrupt traceback. (Forked with Ctrl+C held: see
    `_ctrl_c_held`.)"""
    global _reports
    _reports = reports
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl+C back on this thread while the worker processes are forked, until each
    ignores it (a forked child starts with the parent's blocked signals, and without
    the ones pending); this process gets it once the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork, no signal masks
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _write_in_worker(lane: Lane) -> None:
    for job in lane:
        write(job, lambda part, rows: _reports.put((part, rows)), lambda: False)


# How often (seconds) the building process looks for reports and a cancel.
POLL_SECONDS = 0.1


def run_stages(
    stages: list[list[Lane]],
    *,
    report: Report,
    cancel: threading.Event | None,
    workers: int,
) -> None:
    """Run the stages in order, the lanes of a stage side by side in worker processes
    (or one after the other here), passing on their reports."""

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    if workers <= 0:
        for job in (job for stage in stages for lane in stage for job in lane):
            write(job, report, cancelled)
        return
    # fork from the CLI, forkserver from the GUI's thread (see pool_context)
    context = pool_context()
    reports = context.SimpleQueue()
    size = min(workers, max(len(stage) for stage in stages) - 1)
    with ExitStack() as stack:
        # a Ctrl+C held while forking ends the workers too: the pool's exit terminates them
        with _ctrl_c_held():
            pool = stack.enter_context(
                context.Pool(max(1, size), initializer=_start_writer, initargs=(reports,))
            )

        def drain() -> None:
            while not reports.empty():
                report(*reports.get())

        def report_here(part: str, rows: int) -> None:
            report(part, rows)
            drain()

        for stage in stages:
            # a stage's first lane runs here (the artists' texts while the worker processes
            # start, then the main file's artists and albums), the others in the pool
            results = [pool.apply_async(_write_in_worker, (lane,)) for lane in stage[1:]]
            for job in stage[0]:
                write(job, report_here, cancelled)
            pending = results
            while pending:
                drain()
                if cancelled():
                    pool.terminate()
                    raise CancelledError(CANCELLED)
                pending = [result for result in pending if not result.ready()]
                if pending:
                    pending[0].wait(POLL_SECONDS)
            drain()
            for result in results:
                result.get()  # a writer's error, raised here


def hand_back_memory() -> None:
    """Give the system back the memory this process's lane freed (its page cache, FTS5's
    buffers): glibc keeps freed memory for reuse, and a window that had built a 10 M-track
    index stayed 250 MB larger. Nothing where there is no `malloc_trim`."""
    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
