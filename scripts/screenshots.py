"""Screenshots of the real window for the README: run under Xvfb (`xvfb-run -a`).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshots.py

(with the fonts of the README's note installed, or names in other scripts show as boxes)

Writes docs/screenshots/search.png, tree.png and track.png from the demo catalog (built
with its index into a temporary EXPLORER_HOME, so nothing of yours is touched).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("EXPLORER_HOME", tempfile.mkdtemp(prefix="screens-"))

from PySide6.QtWidgets import QApplication

from explorer.catalog import open_catalog
from explorer.demo import write_demo_catalog
from explorer.demo.covers import write_demo_covers
from explorer.index import build_index
from explorer.ui.app import create_main_window, ensure_application
from explorer.ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def wait(app: QApplication, until: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if until():  # type: ignore[operator]
            return
        time.sleep(0.02)


def review_shots(app: QApplication, window: MainWindow, path: Path, home: Path) -> None:
    """A matched demo library in the user store, its review, and a report."""
    from explorer.demo.library import write_demo_library
    from explorer.library.scan import scan
    from explorer.library.store import open_store
    from explorer.matching.run import match_library

    with open_catalog(path) as catalog, open_store() as store:
        write_demo_library(catalog, home / "music", albums=14, seed=8)
        scan(store, [home / "music"])
        match_library(store, catalog)
    window.search_box.clear()
    window.tabs.setCurrentIndex(3)
    wait(app, lambda: window.library_model.rowCount() > 20)
    model = window.library_model
    target = next(
        (r for r in range(model.rowCount()) if (model.row(r) and model.row(r).status == "review")),  # type: ignore[union-attr]
        5,
    )
    window.results_view.selectRow(target)
    wait(app, lambda: window.detail.current is not None and window.detail.current[0] == "file")
    wait(app, lambda: False, 0.5)
    window.grab().save(str(OUT / "review.png"))
    window.library_actions.show_report("missing")
    wait(app, lambda: window.library_actions.report_dialog is not None)
    dialog = window.library_actions.report_dialog
    assert dialog is not None
    wait(app, lambda: False, 0.5)
    dialog.grab().save(str(OUT / "report.png"))
    dialog.close()


def main() -> int:
    ensure_application()  # painting the covers needs the application's fonts
    home = Path(os.environ["EXPLORER_HOME"])
    path = home / "demo.sqlite3"
    if not path.exists():
        write_demo_catalog(path)
    with open_catalog(path) as catalog:
        build_index(catalog)
        write_demo_covers(catalog)  # as `make run` does: into the cover cache
        track = max(
            catalog.tracks_by_rowids(list(range(1, 400))),
            key=lambda t: (len(t.artists), t.popularity),
        )
    window = create_main_window(path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.resize(1400, 860)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)
    window.search_box.setText("night")
    wait(app, lambda: window.models["track"].rowCount() > 10)
    wait(app, lambda: window.detail.current is not None)
    wait(app, lambda: False, 0.5)
    window.grab().save(str(OUT / "search.png"))
    tree = window.tree_model
    wait(app, lambda: tree.rowCount() > 0)
    first = tree.index(0, 0)
    window.tree.expand(first)
    wait(app, lambda: tree.rowCount(first) > 0)
    for row in range(tree.rowCount(first)):
        group = tree.index(row, 0, first)
        window.tree.expand(group)
    wait(app, lambda: False, 0.3)
    album = tree.index(0, 0, tree.index(0, 0, first))
    window.tree.expand(album)
    wait(app, lambda: tree.rowCount(album) > 0)
    window.tree.setCurrentIndex(album)
    window.details.open_entity("album", tree.node(album).entity_id or "")
    wait(app, lambda: window.detail.current is not None and window.detail.current[0] == "album")
    wait(app, lambda: False, 0.5)
    window.grab().save(str(OUT / "tree.png"))
    window.search_box.setText(f"{track.artists[0].name} {track.name}")
    wait(app, lambda: window.models["track"].rowCount() > 0)
    window.details.open_entity("track", track.id)
    wait(app, lambda: window.detail.current is not None and window.detail.current[0] == "track")
    wait(app, lambda: False, 0.5)
    window.grab().save(str(OUT / "track.png"))
    review_shots(app, window, path, home)
    window.close()
    print("\n".join(str(p) for p in sorted(OUT.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
