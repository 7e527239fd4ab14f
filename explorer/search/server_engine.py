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
from explorer.catalog.server import ServerCatalog
from explorer.catalog.server_search import ServerSearchIndex
from explorer.errors import CancelledError
from explorer.index.ranking import catalog_rowid
from explorer.index.store import COMPLETIONS
from explorer.search.engine import ALBUM_FILTER_ALBUMS, SearchEngine, _Deadline
from explorer.search.fuzzy import Vocabulary
from explorer.search.results import EntityKind
from explorer.search.terms import MIN_PREFIX, Terms


class ServerSearchEngine(SearchEngine):
    """Searches a published catalog; usable from several threads (each has its session).

    `interrupt()` makes the searches running at that moment raise CancelledError at their
    next statement."""

    def __init__(self, catalog: ServerCatalog) -> None:
        self.catalog = catalog  # type: ignore[assignment]
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
        self._server = ServerSearchIndex(catalog)

    @property
    def index_ready(self) -> bool:
        """Always: `explorer publish` made the search structures."""
        return True

    def _index(self) -> Any:
        return self._server

    def close(self) -> None:
        """Nothing of its own to close (the catalog owns the sessions)."""

    @contextmanager
    def _guard(self, deadline: float) -> Iterator[Callable[[], None]]:
        """The time limit and cancellation, checked between statements."""
        generation = self._interrupts

        def check() -> None:
            if self._interrupts != generation:
                raise CancelledError("The search was cancelled.")
            if time.monotonic() > deadline:
                raise _Deadline

        yield check

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
