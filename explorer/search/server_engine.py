"""The search engine on a catalog published into PostgreSQL: the same parsing, ranking and
paging as on a file, the index lookups answered by the server (see
`explorer.catalog.server_search`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from explorer.catalog import Catalog
from explorer.catalog.server import CANCEL_TIMEOUT_S, ServerCatalog, cancel
from explorer.catalog.server_search import ServerSearchIndex
from explorer.errors import CancelledError
from explorer.index.ranking import catalog_rowid
from explorer.index.store import COMPLETIONS
from explorer.search.engine import ALBUM_FILTER_ALBUMS, SearchEngine, _Deadline
from explorer.search.fuzzy import Vocabulary
from explorer.search.query import ParsedQuery
from explorer.search.results import EntityKind, SearchPage
from explorer.search.terms import MIN_PREFIX, Terms

# Times a search runs again after a cancel that was meant for an older one reached it.
STALE_CANCEL_RETRIES = 2


class ServerSearchEngine(SearchEngine):
    """Searches a published catalog; usable from several threads (each has its session).

    `interrupt()` (from any thread) makes the searches running at that moment raise
    CancelledError: the statement running on the server is cancelled (as `interrupt()`
    aborts SQLite's), and the next one is not started."""

    def __init__(self, catalog: ServerCatalog) -> None:
        self.catalog = catalog  # type: ignore[assignment]
        self.server_catalog = catalog
        self.side_by_side = False
        self.index_path = Path()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._running = set()
        self._interrupts = 0
        self._ready = True
        self._row_counts = {}
        self._pool = None
        self._readers = None
        self._cancels: dict[int, list[threading.Thread]] = {}
        self._server = ServerSearchIndex(catalog)

    @property
    def index_ready(self) -> bool:
        """Always: `explorer publish` made the search structures."""
        return True

    def _index(self) -> Any:
        return self._server

    def close(self) -> None:
        """Nothing of its own to close (the catalog owns the sessions)."""

    def interrupt(self) -> None:
        """Cancel every search running now (from any thread, never waiting on the network)."""
        with self._lock:
            self._interrupts += 1
            for con in self._running:
                self._cancels.setdefault(id(con), []).append(cancel(con))

    @contextmanager
    def _guard(self, deadline: float) -> Iterator[Callable[[], None]]:
        """The time limit and cancellation: checked between statements, and the running
        statement cancelled on the server by `interrupt`."""
        con = self.server_catalog.connection()  # this thread's session, cancelled by interrupt
        with self._lock:
            generation = self._interrupts
            self._running.add(con)

        def check() -> None:
            if self._interrupts != generation:
                raise CancelledError("The search was cancelled.")
            if time.monotonic() > deadline:
                raise _Deadline

        try:
            yield check
        finally:
            with self._lock:
                self._running.discard(con)
                sent = self._cancels.pop(id(con), [])
            for thread in sent:  # its next statement must not meet a cancel meant for this one
                thread.join(CANCEL_TIMEOUT_S)

    def _search(self, parsed: ParsedQuery, kind: EntityKind, *args: Any) -> SearchPage:
        """One search; run again when a cancel meant for an older one reached it (a
        cancel request crosses the network: it can land on the statement after)."""
        for attempt in range(STALE_CANCEL_RETRIES + 1):
            generation = self._interrupts
            try:
                return super()._search(parsed, kind, *args)
            except CancelledError:
                if self._interrupts != generation or attempt == STALE_CANCEL_RETRIES:
                    raise
        raise AssertionError("unreachable")

    def _matches(
        self, index: Any, kind: EntityKind, terms: Terms, after: int, count: int
    ) -> list[int]:
        return self._server.matches(kind, terms.groups, after, count)

    def _vocabulary(self, index: Any) -> Vocabulary:
        return self._server

    def _completions(self, index: Any, prefix: str) -> list[str]:
        if len(prefix) < MIN_PREFIX:
            return []
        return self._server.completions(prefix, COMPLETIONS)

    def _held_years(self, index: Any, low: int, high: int) -> dict[int, int]:
        return self._server.held_years(low, high)

    def _albums_matching(self, index: Any, tokens: list[str]) -> list[int]:
        groups = [(token,) for token in tokens]
        return [
            catalog_rowid(r) for r in self._server.matches("album", groups, 0, ALBUM_FILTER_ALBUMS)
        ]


def engine_for(catalog: Catalog | ServerCatalog, **options: Any) -> SearchEngine:
    """The search engine of a catalog: its sidecar index for a file, the server's search
    structures for a published catalog (`options` are the file engine's)."""
    if isinstance(catalog, ServerCatalog):
        return ServerSearchEngine(catalog)
    return SearchEngine(catalog, **options)
