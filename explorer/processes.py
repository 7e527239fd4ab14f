"""How worker processes start (scan, matching, index build, tag writing)."""

from __future__ import annotations

import importlib
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
    if threading.active_count() == 1:
        return get_context("fork")
    context = get_context("forkserver")
    # the server imports these once (before it starts; later calls change nothing), and
    # each worker it forks starts with them instead of importing them itself
    context.set_forkserver_preload(FORKSERVER_PRELOAD)
    return context


def import_lazy_modules() -> None:
    """Import what workers import on first use (LAZY_IMPORTS), before they are forked:
    each importing it itself cost about 30 µs a file of a matching run of 8,834 files (the
    parent imports it once, in about 0.07 s)."""
    for name in LAZY_IMPORTS:
        importlib.import_module(name)


# What the matcher imports on first use rather than at start (the CLI starts faster):
# numpy and rapidfuzz's `process` (the scoring of a folder as a matrix).
LAZY_IMPORTS = ("numpy", "rapidfuzz.process")
# What forkserver workers use: the four pools' modules and the lazy ones.
FORKSERVER_PRELOAD = [
    "explorer.library.scan",
    "explorer.matching.run",
    "explorer.index.build",
    "explorer.tagging.stage",
    *LAZY_IMPORTS,
]
