"""Add music folder...: scan and match folders (or dropped files) in the background, with a
progress dialog (files done of the total, time left) and Cancel that keeps what was done.

API (for the main window):
    controller = AddMusicController(catalog_path, parent=window)
        `store_path`: the user store (default: default_store_path()); `settings`: the
        QSettings match_settings() reads (default: app_settings()).
    controller.start(paths) -> bool: add folders or files (their folders); False when an
        addition runs already (nothing is started then).
    controller.start_demo(folder=None) -> bool: write the demo library of the catalog
        (explorer.demo.library.ensure_demo_library, in demo_library_folder(catalog):
        data_dir()/demo/library-<catalog key>, unless `folder` is given; reused when it
        is there), then add it.
    controller.choose_and_start() -> bool: asks for a folder (QFileDialog), then start().
    controller.cancel(): as the dialog's Cancel button.
    controller.running: an addition is under way.
    dropped_paths(mime: QMimeData) -> list[Path]: the local files and folders of a drop.
    MusicDrops(widget, controller): lets `widget` (the window) take drops of folders and
        files and add them with the controller (an event filter; keep no reference).
    emit_if_alive(signal, *args) -> bool: emit from a job's thread, False (no error) when
        the receiving object was deleted meanwhile.
    summary_sentence(summary) -> str: the summary as a sentence for the status bar (says
        "No audio found in FOLDER." for a folder without audio).

Signals:
    progressed(object): an AddProgress (phase, done, total, seconds_left, folder).
    finished(object): an AddSummary, cancelled or not: reload Your library on it.
    failed(str): a sentence (the catalog or store cannot be opened, a folder is gone...).

Hooking it in the window:
    self.add_music = AddMusicController(self.catalog_path, parent=self)
    self.add_music.finished.connect(self._on_music_added)  # status bar + reload the tab
    self.add_music.failed.connect(lambda message: show_error(self, message))
    file_menu.addAction("Add music folder…", self.add_music.choose_and_start)
    file_menu.addAction("Open demo library", self.add_music.start_demo)
    MusicDrops(self, self.add_music)  # folders and files dropped on the window
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QEvent, QMimeData, QObject, QSettings, Signal, Slot
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from explorer.catalog import Catalog
from explorer.catalog.server import ServerCatalog
from explorer.catalog.source import CatalogLike, CatalogSource
from explorer.demo.library import ensure_demo_library
from explorer.errors import KnownError
from explorer.library.store import default_store_path, open_store
from explorer.log import get_logger
from explorer.matching.add_music import AddProgress, AddSummary, add_music, summary_sentence
from explorer.paths import data_dir
from explorer.ui.preferences import app_settings, match_settings
from explorer.ui.workers import run_in_background

log = get_logger("ui")

__all__ = ["AddMusicController", "MusicDrops", "dropped_paths", "summary_sentence"]

# Milliseconds before the progress dialog shows (a small folder is done before).
SHOW_AFTER_MS = 400
STEPS = 1000  # the progress bar's range
DEMO_KEY_CHARS = 8  # of the catalog's key in its demo library's folder name
PHASE_WORDS = {
    "demo": "Writing the demo library",
    "index": "Building the search index (once)",
    "scan": "Scanning",
    "match": "Matching",
}


DEMO_DEFAULT = Path("<the catalog's demo library>")  # start_demo without a folder


def emit_if_alive(signal: Any, *args: object) -> bool:
    """Emit a signal from a job's thread; False when its object was deleted meanwhile (a
    dialog or window closed while the job ran), instead of an error in the thread."""
    try:
        signal.emit(*args)
    except RuntimeError as exc:
        # PySide says "Internal C++ object (...) already deleted." or "Signal source has
        # been deleted"
        if "deleted" not in str(exc):
            raise
        return False
    return True


def demo_library_folder(catalog: Catalog | ServerCatalog) -> Path:
    """Where File > Open demo library writes the demo library of a catalog: one folder
    per catalog file (a demo catalog written again gets a library of its own), or per
    server catalog (its URL without the password)."""
    if isinstance(catalog, ServerCatalog):
        key = hashlib.sha1(catalog.name.encode("utf-8", "surrogateescape")).hexdigest()
    else:
        key = catalog.identity.key()
    return data_dir() / "demo" / f"library-{key[:DEMO_KEY_CHARS]}"


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders of a drag (URLs of other kinds are left out)."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def _time_left(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 90:
        return f", about {max(1, round(seconds))} s left"
    return f", about {round(seconds / 60)} min left"


def progress_text(state: AddProgress) -> str:
    """The dialog's line for a progress report."""
    words = PHASE_WORDS.get(state.phase, state.phase)
    if state.total is None:
        return f"{words}…"
    unit = "rows" if state.phase == "index" else "files"
    return f"{words}: {state.done:,} of {state.total:,} {unit}{_time_left(state.seconds_left)}"


class AddMusicController(QObject):
    """Runs one addition at a time on its own thread (see the module's docstring)."""

    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    _reported = Signal(object)  # from the job's thread
    _done = Signal(object)
    _stopped = Signal(str)

    def __init__(
        self,
        catalog: CatalogLike,
        *,
        parent: QWidget,
        store_path: Path | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = CatalogSource.of(catalog)
        self.store_path = store_path
        self.settings = settings or app_settings()
        self.dialog: QProgressDialog | None = None
        self._cancel: threading.Event | None = None
        parent.destroyed.connect(self._stop)  # the window closed: stop, keep what is done
        self._reported.connect(self._on_progress)
        self._done.connect(self._on_done)
        self._stopped.connect(self._on_failed)

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def _widget(self) -> QWidget:
        parent = self.parent()
        assert isinstance(parent, QWidget)
        return parent

    def choose_and_start(self) -> bool:
        """Ask for a music folder, then add it; False when none was chosen."""
        folder = QFileDialog.getExistingDirectory(self._widget(), "Add music folder")
        return bool(folder) and self.start([Path(folder)])

    def start(self, paths: Sequence[Path]) -> bool:
        """Add folders (or the folders of files) in the background."""
        return self._begin(list(paths), demo=None)

    def start_demo(self, folder: Path | None = None) -> bool:
        """Write (or reuse) the demo library and add it (a button's or an action's
        `checked` argument, False, counts as no folder)."""
        return self._begin([], demo=folder or DEMO_DEFAULT)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            if self.dialog is not None:
                self.dialog.setLabelText("Stopping; what was done so far is kept…")

    def _stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def _begin(self, paths: list[Path], *, demo: Path | None) -> bool:
        if self.running:
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.raise_()  # asked again meanwhile: show the one under way
            return False
        if not paths and demo is None:
            return False
        cancel = threading.Event()
        self._cancel = cancel
        dialog = QProgressDialog("Adding music…", "Cancel", 0, STEPS, self._widget())
        dialog.setWindowTitle("Add music")
        dialog.setMinimumDuration(SHOW_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)  # starts the minimum duration now (see MainWindow.build_index)
        self.dialog = dialog
        chosen = match_settings(self.settings)
        source = self.source
        store_path = self.store_path or default_store_path()

        def send(signal: Any, value: object) -> None:
            if not emit_if_alive(signal, value):  # the window was closed: nobody to tell
                cancel.set()

        def work() -> None:
            try:
                with source.open() as opened:
                    catalog = cast(Catalog, opened)  # a server's answers the same queries
                    folders: list[Path] = paths
                    if demo is not None:
                        target = demo_library_folder(opened) if demo is DEMO_DEFAULT else demo
                        send(self._reported, AddProgress("demo", 0, None, None, str(target)))
                        folders = [ensure_demo_library(catalog, target)]
                    with open_store(store_path) as store:
                        summary = add_music(
                            store,
                            catalog,
                            folders,
                            thresholds=chosen.thresholds,
                            workers=chosen.workers,
                            progress=lambda state: send(self._reported, state),
                            cancel=cancel,
                        )
                send(self._done, summary)
            except KnownError as exc:
                send(self._stopped, str(exc))
            except Exception as exc:  # a bug: never leave the window waiting for the job
                log.exception("adding music failed")
                send(
                    self._stopped,
                    f"Adding music failed ({type(exc).__name__}: {exc}); what was done so far "
                    "is kept, and the log has details.",
                )

        run_in_background(work, name="add-music")
        return True

    def _close_dialog(self) -> None:
        self._cancel = None
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    @Slot(object)
    def _on_progress(self, state: AddProgress) -> None:
        if self.dialog is not None and not self._cancel_requested():
            if state.total:
                self.dialog.setMaximum(STEPS)
                self.dialog.setValue(min(STEPS, int(STEPS * state.done / state.total)))
            else:
                self.dialog.setMaximum(0)  # busy: the total is not known yet
            self.dialog.setLabelText(progress_text(state))
        self.progressed.emit(state)

    def _cancel_requested(self) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    @Slot(object)
    def _on_done(self, summary: AddSummary) -> None:
        self._close_dialog()
        self.finished.emit(summary)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._close_dialog()
        self.failed.emit(message)


class MusicDrops(QObject):
    """Makes a widget take drops of local folders and files, added by `controller`; a drop
    while an addition runs is refused (the cursor says so)."""

    def __init__(self, widget: QWidget, controller: AddMusicController) -> None:
        super().__init__(widget)
        self.controller = controller
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDropEvent):  # drag enter and move events are drop events too
            paths = dropped_paths(event.mimeData())
            if not paths or self.controller.running:
                event.ignore()
                return True
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self.controller.start(paths)
            return True
        return super().eventFilter(watched, event)
