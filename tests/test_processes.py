"""How worker processes start: fork from one thread, forkserver with the modules preloaded."""

from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor

from explorer.processes import pool_context

# evaluated in a worker: whether these modules were there before the task ran
_LOADED = "[m in __import__('sys').modules for m in ('numpy', 'explorer.matching.run')]"


def test_forkserver_workers_start_with_the_matchers_modules() -> None:
    """From a thread (the GUI) workers come from a forkserver that imported what they use
    once, so that each does not import it again (about 0.25 s of a core a worker)."""
    results: list[object] = []

    def run() -> None:
        context = pool_context()
        results.append(context.get_start_method())
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            results.append(pool.submit(eval, _LOADED).result(timeout=60))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=90)
    assert results == ["forkserver", [True, True]]
