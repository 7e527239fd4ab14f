"""Opening the window from the command line (`explorer`, `explorer --demo`, `make run`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from explorer.catalog.source import CatalogSource
from explorer.demo import write_demo_catalog
from explorer.errors import KnownError
from explorer.paths import default_demo_catalog


def ensure_demo_catalog() -> Path:
    """The default demo catalog, written first when missing, with its search index and
    covers (made now for a demo written before they were)."""
    from explorer.cli.demo_cmd import finish_demo

    path = default_demo_catalog()
    if not path.exists():
        print(f"Writing the demo catalog to {path} ...", file=sys.stderr)
        stats = write_demo_catalog(path)
        print(f"Done: {stats.tracks:,} tracks in {stats.seconds:.1f} s.", file=sys.stderr)
    finish_demo(path)
    return path


def check_display() -> None:
    """Refuse, with a sentence, to start the window where there is no screen (Qt would abort)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise KnownError(
            "There is no display to open the window on (DISPLAY is not set); "
            "use the commands (`explorer --help`) or run it on a desktop."
        )


def window_catalog(catalog: str | None, *, demo: bool) -> CatalogSource | None:
    """The catalog the window opens: the one named (a file or a `postgresql://` URL),
    else (without --demo) the file the window opened last, if it is still there; None:
    the demo catalog."""
    if demo:
        return None
    if catalog:
        return CatalogSource.of(catalog)
    from explorer.ui.settings import last_catalog

    return last_catalog()


def run_gui(*, catalog: str | None, demo: bool) -> int:
    """The window on `catalog`, else the catalog it opened last, else the demo catalog."""
    check_display()
    source = window_catalog(catalog, demo=demo)
    if source is None:
        source = CatalogSource.of(ensure_demo_catalog())
    from explorer.ui.app import run_app

    return run_app(source)
