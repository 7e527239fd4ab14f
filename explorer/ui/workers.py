"""The one way to run core calls off the GUI thread: a `QueryOp` (a job, a success and a
failure callback) run by a worker thread with its own catalog connection; stale answers
are dropped by request number, and the ops a lost server failed can be run again."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QObject, Signal, Slot

from explorer.catalog import Catalog
from explorer.catalog.server import ServerError
from explorer.catalog.source import CatalogLike, CatalogSource
from explorer.errors import CancelledError, KnownError
from explorer.log import get_logger
from explorer.search.engine import SearchEngine
from explorer.search.server_engine import engine_for

log = get_logger("ui")

T = TypeVar("T")

# Seconds a closing window waits for the worker's thread to finish its job: a file's
# catalog, interrupted, answers at once; on a server the thread (a daemon) may wait on the
# network, and the window does not wait for it longer than this.
STOP_WAIT_S = 5.0
SERVER_STOP_WAIT_S = 0.5


@dataclass(frozen=True)
class QueryOp(Generic[T]):
    """A job for the worker thread and what to do with its answer on the GUI thread.

    `job(catalog, engine)` runs on the worker thread and returns a frozen dataclass (or a
    plain value); `success(result)` and `failure(sentence)` run on the GUI thread.
    `latest`: a key (any hashable, usually the success callback itself); of the ops with
    one key only the newest is run and answered, older ones are skipped or their answers
    dropped. None: every answer is delivered (tree pages, decisions).
    `interrupts`: the running query is interrupted when this op is queued (a new search).
    `repeatable`: run again by `CatalogWorker.retry` when a lost server failed it (False
    for ops that change the user store: a decision is not made twice).
    """

    job: Callable[[Catalog, SearchEngine], T]
    success: Callable[[T], None]
    failure: Callable[[str], None] | None = None
    latest: Hashable | None = None
    interrupts: bool = False
    repeatable: bool = True


@dataclass(frozen=True)
class _Request:
    number: int
    op: QueryOp[Any]


class CatalogWorker(QObject):
    """Runs ops against one catalog on its own thread, one at a time, newest first.

    Answers cross back through the signals below into `@Slot` methods of this object (it
    lives on the GUI thread), which call the op's callbacks. The catalog is opened on the
    worker's thread at its first op; a catalog on a server that cannot be reached (or
    goes away) fails the op with a sentence, and the next op (or `retry`) connects again.

    Signals:
        lost(str): the server cannot be reached; the sentence says so (`retry` runs the
            ops that failed again).
        back(): an op answered after `lost`.
    """

    _answered = Signal(int, object)
    _refused = Signal(int, str)
    _lost = Signal(int, str)
    lost = Signal(str)
    back = Signal()

    def __init__(
        self,
        source: CatalogLike,
        parent: QObject | None = None,
        failure: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = CatalogSource.of(source)
        self.default_failure = failure  # for ops without a failure callback
        self._numbers = itertools.count(1)
        self._queue: queue.Queue[_Request | None] = queue.Queue()
        self._latest: dict[Hashable, int] = {}
        self._pending: dict[int, QueryOp[Any]] = {}
        self._lock = threading.Lock()
        self._engine: SearchEngine | None = None
        self._failed: dict[int, QueryOp[Any]] = {}  # failed by a lost server, to retry
        self.is_lost = False
        self._answered.connect(self._on_answered)
        self._refused.connect(self._on_refused)
        self._lost.connect(self._on_lost)
        self._thread = threading.Thread(target=self._run, name="catalog-worker", daemon=True)
        self._thread.start()

    def run(self, op: QueryOp[Any]) -> int:
        """Queue `op`. Returns the request number its answer will carry."""
        number = next(self._numbers)
        with self._lock:
            if op.latest is not None:
                self._latest[op.latest] = number
            self._pending[number] = op
        if op.interrupts and self._engine is not None:
            self._engine.interrupt()
        self._queue.put(_Request(number, op))
        return number

    def retry(self) -> None:
        """Run again the ops a lost server failed (those no newer op of their key replaced)."""
        with self._lock:
            failed, self._failed = self._failed, {}
        for number, op in sorted(failed.items()):
            if self.is_latest(number, op):
                self.run(op)

    def is_latest(self, number: int, op: QueryOp[Any]) -> bool:
        """Whether request `number` is the newest of its key (always, without a key)."""
        with self._lock:
            return op.latest is None or self._latest.get(op.latest) == number

    def stop(self) -> None:
        """Finish the thread (pending jobs are dropped)."""
        if self._engine is not None:
            self._engine.interrupt()
        self._queue.put(None)
        # a file's job ends at once once interrupted; a server's may wait on the network
        # (a connection to a host gone): the thread then closes its session when it can
        self._thread.join(timeout=SERVER_STOP_WAIT_S if self.source.is_server else STOP_WAIT_S)

    def _take(self, number: int) -> QueryOp[Any] | None:
        """The op of an answer, None when a newer op of its key was queued since."""
        with self._lock:
            op = self._pending.pop(number, None)
        if op is None or not self.is_latest(number, op):
            return None
        return op

    @Slot(int, object)
    def _on_answered(self, number: int, result: Any) -> None:
        if self.is_lost:
            self.is_lost = False
            self.back.emit()
        op = self._take(number)
        if op is not None:
            op.success(result)

    @Slot(int, str)
    def _on_lost(self, number: int, message: str) -> None:
        with self._lock:
            op = self._pending.get(number)
            if op is not None and op.repeatable:
                self._failed[number] = op
        self.is_lost = True
        self.lost.emit(message)  # said once, with Retry, by whoever listens
        op = self._take(number)
        if op is not None and op.failure is not None:
            op.failure(message)

    @Slot(int, str)
    def _on_refused(self, number: int, message: str) -> None:
        op = self._take(number)
        if op is None:
            return
        failure = op.failure or self.default_failure
        if failure is not None:
            failure(message)

    def _open(self) -> tuple[Catalog, SearchEngine]:
        """The catalog and its search engine, opened on this thread."""
        opened = self.source.open()
        engine = engine_for(opened)
        self._engine = engine
        # a server catalog answers every query the jobs make (see `explorer.catalog.server`)
        return cast(Catalog, opened), engine

    def _run(self) -> None:
        catalog: Catalog | None = None
        try:
            while True:
                request = self._queue.get()
                if request is None:
                    return
                if not self.is_latest(request.number, request.op):
                    with self._lock:  # a newer request of this key is queued: skip this one
                        self._pending.pop(request.number, None)
                    continue
                try:
                    if catalog is None or self._engine is None:
                        catalog, _ = self._open()
                    assert self._engine is not None
                    result = request.op.job(catalog, self._engine)
                except CancelledError:
                    with self._lock:
                        self._pending.pop(request.number, None)
                    continue
                except ServerError as exc:  # unreachable or gone: the next op connects again
                    self._lost.emit(request.number, str(exc))
                    continue
                except KnownError as exc:
                    self._refused.emit(request.number, str(exc))
                    continue
                except Exception as exc:  # a bug: keep the window alive, say it, log it
                    log.exception("worker job failed")
                    self._refused.emit(request.number, f"Internal error: {exc}")
                    continue
                self._answered.emit(request.number, result)
        finally:
            if self._engine is not None:
                self._engine.close()
            if catalog is not None:
                catalog.close()


def run_in_background(work: Callable[[], None], *, name: str) -> threading.Thread:
    """Run a long job (an index build) on its own thread; it reports through the signals
    of the object that started it. The other way, besides CatalogWorker, to leave the GUI
    thread."""
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread
