"""The one way to run core calls off the GUI thread: a worker thread with its own catalog
connection, requests tagged with a number so stale answers are dropped."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from explorer.catalog import Catalog, open_catalog
from explorer.errors import CancelledError, KnownError
from explorer.log import get_logger
from explorer.search.engine import SearchEngine

log = get_logger("ui")

Job = Callable[[Catalog, SearchEngine], Any]


@dataclass(frozen=True)
class _Request:
    number: int
    channel: str
    job: Job


class CatalogWorker(QObject):
    """Runs jobs against one catalog on its own thread, one at a time, newest first.

    Signals:
        finished(int, str, object): request number, channel, result.
        failed(int, str, str): request number, channel, a sentence for the user.
    """

    finished = Signal(int, str, object)
    failed = Signal(int, str, str)

    def __init__(self, catalog_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog_path = catalog_path
        self._numbers = itertools.count(1)
        self._queue: queue.Queue[_Request | None] = queue.Queue()
        self._latest: dict[str, int] = {}
        self._lock = threading.Lock()
        self._engine: SearchEngine | None = None
        self._thread = threading.Thread(target=self._run, name="catalog-worker", daemon=True)
        self._thread.start()

    def submit(self, channel: str, job: Job, *, supersede: bool = True) -> int:
        """Queue `job`; with `supersede`, older requests of the channel are dropped or
        interrupted. Returns the request number the answer will carry."""
        number = next(self._numbers)
        with self._lock:
            self._latest[channel] = number
        if supersede and self._engine is not None:
            self._engine.interrupt()
        self._queue.put(_Request(number, channel, job))
        return number

    def is_latest(self, number: int, channel: str) -> bool:
        with self._lock:
            return self._latest.get(channel) == number

    def stop(self) -> None:
        """Finish the thread (pending jobs are dropped)."""
        if self._engine is not None:
            self._engine.interrupt()
        self._queue.put(None)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        catalog = open_catalog(self.catalog_path)
        self._engine = SearchEngine(catalog)
        try:
            while True:
                request = self._queue.get()
                if request is None:
                    return
                if not self.is_latest(request.number, request.channel):
                    continue  # a newer request of this channel is queued: skip the stale one
                try:
                    result = request.job(catalog, self._engine)
                except CancelledError:
                    continue
                except KnownError as exc:
                    self.failed.emit(request.number, request.channel, str(exc))
                    continue
                except Exception as exc:  # a bug: keep the window alive, say it, log it
                    log.exception("worker job failed")
                    self.failed.emit(request.number, request.channel, f"Internal error: {exc}")
                    continue
                self.finished.emit(request.number, request.channel, result)
        finally:
            self._engine.close()
            catalog.close()


def run_in_background(work: Callable[[], None], *, name: str) -> threading.Thread:
    """Run a long job (an index build) on its own thread; it reports through the signals
    of the object that started it. The other way, besides CatalogWorker, to leave the GUI
    thread."""
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread
