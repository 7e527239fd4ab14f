"""How worker processes start (scan, matching, index build)."""

from __future__ import annotations

import threading
from multiprocessing import get_context
from multiprocessing.context import BaseContext


def pool_context() -> BaseContext:
    """fork when this process has one thread (CLI, scripts): a worker is ready in a few
    milliseconds, with the modules already imported, where a spawned one imports them
    again (a quarter of a second of a core each). forkserver when threads run (the GUI):
    forking a threaded process can copy a lock some other thread holds into the child.

    Workers must open their own SQLite connections: a forked child inherits the parent's
    open ones and never uses them (it ends by `os._exit`, without closing them). SQLite
    keeps a process's lock state per file, and the child inherits the parent's: so fork
    only while the parent holds no transaction (pools are made before any work starts),
    and keep the parent's connections open until the children are done (the index build's
    main connection outlives its writers), so that no lock the child believes the process
    holds is released under it."""
    return get_context("fork" if threading.active_count() == 1 else "forkserver")
