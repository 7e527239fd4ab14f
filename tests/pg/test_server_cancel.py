"""Cancelling on PostgreSQL: `interrupt()` stops the statement the server is working on
(as SQLite's `interrupt()` does), and the engine answers the next search."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest

from explorer.catalog.server import ServerCatalog
from explorer.errors import CancelledError
from explorer.search.server_engine import ServerSearchEngine
from tests.pg.conftest import published_copy
from tests.ui.waits import WAIT_MS

# A statement that keeps the server busy far longer than the session's statement timeout
# (ten billion rows counted): only a cancel ends it in time to be told from a timeout.
LONG_SQL = "SELECT count(*) FROM generate_series(1::bigint, 10000000000::bigint)"
POLL_S = 0.02


@pytest.fixture(scope="module")
def published(small_catalog_path: Path, pg_server: str) -> str:
    return published_copy(small_catalog_path, pg_server)


def _running(watcher: psycopg.Connection) -> int:
    """Statements of LONG_SQL the server is running now."""
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = %s",
        (LONG_SQL,),
    ).fetchone()
    return int(row[0]) if row else 0


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + WAIT_MS / 1000
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"waited in vain for {what}"
        time.sleep(POLL_S)


def test_interrupt_cancels_the_statement_running_on_the_server(
    published: str, server_catalog: ServerCatalog
) -> None:
    engine = ServerSearchEngine(server_catalog)
    outcome: list[str] = []

    def work() -> None:
        try:
            with engine._guard(time.monotonic() + 3600):
                server_catalog.execute(LONG_SQL)
            outcome.append("finished")
        except CancelledError:
            outcome.append("cancelled")
        except Exception as exc:  # the statement timeout: the cancel did not reach it
            outcome.append(f"{type(exc).__name__}: {exc}")

    thread = threading.Thread(target=work)
    with psycopg.connect(published, autocommit=True) as watcher:
        thread.start()
        _wait_for(lambda: _running(watcher) == 1, "the long statement to start")
        engine.interrupt()
        thread.join(WAIT_MS / 1000)
        assert outcome == ["cancelled"]
        assert _running(watcher) == 0
    # the session stays usable: the next search answers
    page = engine.search("love", kind="track", limit=5)
    assert page.hits


def test_a_late_cancel_does_not_lose_the_next_search(server_catalog: ServerCatalog) -> None:
    """A cancel sent while nothing runs (the search it was meant for just ended) must not
    make the next search come back empty."""
    engine = ServerSearchEngine(server_catalog)
    for _ in range(20):
        engine.interrupt()
        page = engine.search("love", kind="track", limit=5)
        assert page.hits
