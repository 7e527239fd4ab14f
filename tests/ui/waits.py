"""How long a Qt test waits for the window's background work: a bound for a loaded
machine (CI, parallel jobs), never a speed expectation; a test that passes waits less."""

from __future__ import annotations

WAIT_MS = 120_000
