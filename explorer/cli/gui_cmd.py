"""Opening the window from the command line (`explorer`, `explorer --demo`, `make run`)."""

from __future__ import annotations

import sys
from pathlib import Path

from explorer.demo import write_demo_catalog
from explorer.paths import default_demo_catalog


def ensure_demo_catalog() -> Path:
    """The default demo catalog, written first when missing."""
    path = default_demo_catalog()
    if not path.exists():
        print(f"Writing the demo catalog to {path} ...", file=sys.stderr)
        stats = write_demo_catalog(path)
        print(f"Done: {stats.tracks:,} tracks in {stats.seconds:.1f} s.", file=sys.stderr)
    return path


def run_gui(*, catalog: str | None, demo: bool) -> int:
    path: Path | None = Path(catalog) if catalog else None
    if demo or path is None:
        path = ensure_demo_catalog()
    from explorer.ui.app import run_app

    return run_app(path)
