"""Your library's whole-library commands: accept all above a confidence, match again in
the background, and the reports."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QMessageBox, QProgressDialog

from explorer.catalog import Catalog
from explorer.errors import CancelledError, KnownError
from explorer.library.store import default_store_path, open_store
from explorer.log import get_logger
from explorer.matching.reports import DuplicateFile, MissingTrack, UnmatchedFile
from explorer.matching.run import match_library
from explorer.text.words import plural
from explorer.ui import jobs
from explorer.ui.report_dialog import ReportDialog
from explorer.ui.workers import QueryOp, run_in_background

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

log = get_logger("ui")

# Seconds between reloads of Your library while a re-match runs (a reload per progress
# report, every 200 files, kept the view busy and lost its scrolling).
MATCH_RELOAD_S = 2.0
# The number Edit > Accept all offers first.
ACCEPT_DEFAULT = 0.9
REPORTS: dict[str, tuple[str, type, str]] = {  # title, row type, what an empty one means
    "missing": (
        "Missing tracks",
        MissingTrack,
        "no album you have files of misses a track (or no file is linked yet)",
    ),
    "duplicates": ("Duplicates", DuplicateFile, "no recording is in your library twice"),
    "unmatched": ("Unmatched files", UnmatchedFile, "every file of your library is linked"),
}


class LibraryActions(QObject):
    """Edit > Accept all, Edit > Re-match, and the Reports menu.

    Signals (from the matching thread):
        matchProgress(object): a MatchProgress.
        matchDone(str): what the run did, or why it stopped.
    """

    matchProgress = Signal(object)
    matchDone = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.report_dialog: ReportDialog | None = None
        self.accept_question: QInputDialog | None = None  # Edit > Accept all: which X
        self.accept_box: QMessageBox | None = None  # Edit > Accept all: that many?
        self.match_cancel: threading.Event | None = None
        self.match_progress: QProgressDialog | None = None
        self._reloaded = 0.0  # when the library view last followed a re-match
        self.matchProgress.connect(self._on_match_progress)
        self.matchDone.connect(self._on_match_done)

    # -- accept all ----------------------------------------------------------------------------

    def ask_accept_all(self, threshold: float | None = None) -> None:
        """Ask for X (unless given; the question kept in `accept_question` while open),
        show how many links that accepts, and accept them on confirmation."""
        if threshold is not None:
            self._count_acceptable(threshold)
            return
        question = QInputDialog(self.w)
        question.setWindowTitle("Accept all")
        question.setLabelText("Accept every match with confidence at least:")
        question.setInputMode(QInputDialog.InputMode.DoubleInput)
        question.setDoubleRange(0.0, 1.0)
        question.setDoubleDecimals(2)
        question.setDoubleStep(0.01)
        question.setDoubleValue(ACCEPT_DEFAULT)
        question.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        question.doubleValueSelected.connect(self._count_acceptable)
        question.finished.connect(self._forget_question)
        self.accept_question = question
        question.open()

    @Slot(float)
    def _count_acceptable(self, threshold: float) -> None:
        self.w.worker.run(
            QueryOp(
                lambda c, e: jobs.acceptable(threshold),
                self._confirm,
                latest=self._confirm,
                interrupts=True,
            )
        )

    @Slot(int)
    def _forget_question(self, _result: int) -> None:
        self.accept_question = None  # closed, and deleted with it

    def _confirm(self, answer: jobs.Acceptable) -> None:
        """Ask before accepting (the box kept in `accept_box` while open); with none to
        accept, say so instead of asking."""
        threshold, count = answer.threshold, answer.count
        if count == 0:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Accept all",
                f"No matches at or above {threshold:.2f} to accept.",
                QMessageBox.StandardButton.Ok,
                self.w,
            )
        else:
            box = QMessageBox(
                QMessageBox.Icon.Question,
                "Accept all",
                f"Accept {count:,} matches with confidence at least {threshold:.2f}?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                self.w,
            )

            def answered(button: int) -> None:
                if button == QMessageBox.StandardButton.Yes:
                    self.accept_all(threshold)

            box.finished.connect(answered)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._forget_accept_box)
        self.accept_box = box
        box.open()

    def _forget_accept_box(self, _result: int) -> None:
        self.accept_box = None  # closed, and deleted with it

    def accept_all(self, threshold: float) -> None:
        self.w.worker.run(
            QueryOp(
                lambda c, e: jobs.accept_all(threshold),
                self._on_accepted,
                latest=self,
                repeatable=False,
            )
        )

    def _on_accepted(self, count: int) -> None:
        self.w.statusBar().showMessage(
            f"Accepted {count:,} matches (Edit > Undo takes them back).", 8000
        )
        self.w.library.refresh()

    # -- match again -------------------------------------------------------------------------

    def rematch_chosen(self) -> None:
        chosen = self.w.library.chosen_file
        if chosen is not None:
            self.rematch([chosen])

    def rematch_all(self) -> None:
        self.rematch(None)

    def rematch(self, file_ids: list[int] | None) -> None:
        """Match again in the background (decisions of yours are kept), with progress."""
        if self.match_cancel is not None:
            return
        cancel = threading.Event()
        self.match_cancel = cancel
        self.match_progress = QProgressDialog("Matching…", "Cancel", 0, 1000, self.w)
        self.match_progress.setWindowTitle("Matching")
        self.match_progress.setMinimumDuration(300)
        self.match_progress.canceled.connect(cancel.set)
        # shown after 300 ms even when no progress comes early (see build_index)
        self.match_progress.setValue(0)
        source = self.w.source

        def work() -> None:
            try:
                with source.open() as catalog, open_store(default_store_path()) as store:
                    summary = match_library(
                        store,
                        cast(Catalog, catalog),  # a server's answers the matcher's queries
                        file_ids=file_ids,
                        cancel=cancel,
                        progress=self.matchProgress.emit,
                    )
                self.matchDone.emit(
                    f"Matched {summary.matched:,}, to review {summary.review:,}, unmatched "
                    f"{summary.unmatched:,}; {summary.kept:,} decided by you were kept."
                )
            except CancelledError:
                self.matchDone.emit("Matching cancelled; what was matched so far is kept.")
            except KnownError as exc:
                self.matchDone.emit(str(exc))
            except Exception as exc:  # a bug: never leave the window waiting for the run
                log.exception("matching failed")
                self.matchDone.emit(
                    f"Matching failed ({type(exc).__name__}: {exc}); what was matched so far "
                    "is kept, and the log has details."
                )

        run_in_background(work, name="matching")

    @Slot(object)
    def _on_match_progress(self, progress: Any) -> None:
        if self.match_progress is not None and progress.files_total:
            self.match_progress.setValue(int(1000 * progress.files_done / progress.files_total))
            self.match_progress.setLabelText(
                f"Matching: {progress.files_done:,} of {plural(progress.files_total, 'file')} "
                f"({progress.files_per_second:,.0f}/s)"
            )
        now = time.monotonic()
        if self.w.results.library_mode and now - self._reloaded >= MATCH_RELOAD_S:
            self._reloaded = now
            self.w.results.search_now()  # the view follows the results as they arrive

    @Slot(str)
    def _on_match_done(self, message: str) -> None:
        if self.match_progress is not None:
            self.match_progress.reset()
            self.match_progress = None
        self.match_cancel = None
        self.w.statusBar().showMessage(message, 10000)
        if self.w.results.library_mode:
            self.w.results.search_now()

    def stop(self) -> None:
        if self.match_cancel is not None:
            self.match_cancel.set()  # what was matched so far is kept

    # -- reports --------------------------------------------------------------------------------

    def show_report(self, kind: str) -> None:
        self.w.worker.run(
            QueryOp(lambda c, e: jobs.report(c, kind), self._on_report, latest=self._on_report)
        )

    def _on_report(self, report: jobs.Report) -> None:
        title, row_type, empty = REPORTS[report.kind]
        if not report.has_library:
            empty = self.w.library.hint()
        self.report_dialog = ReportDialog(
            title, list(report.rows), self.w, row_type=row_type, empty=f"Nothing to report: {empty}"
        )
        self.report_dialog.show()
