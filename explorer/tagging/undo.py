"""Undo a batch of tag writes, or the last write of some files (an undo undone is a redo)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

from explorer.errors import KnownError
from explorer.library.store import LibraryStore
from explorer.library.tag_journal import JournalEntry, TagJournal
from explorer.tagging.recovery import recover
from explorer.tagging.stage import Job
from explorer.tagging.writer import (
    FileOutcome,
    OutcomeCallback,
    ProgressCallback,
    WriteSummary,
    run_jobs,
)


def undo(
    store: LibraryStore,
    *,
    batch_id: int | None = None,
    file_ids: Sequence[int] = (),
    force: bool = False,
    keep_mtime: bool = False,
    progress: ProgressCallback | None = None,
    on_file: OutcomeCallback | None = None,
    cancel: threading.Event | None = None,
) -> WriteSummary:
    """Put back the tags a batch (the latest by default) or these files' latest writes
    replaced; a file changed since is refused unless `force`. Undoing an undo is a redo."""
    recover(store)
    journal = TagJournal(store)
    if file_ids:
        entries = [e for e in (journal.latest_of_file(i) for i in file_ids) if e is not None]
        reverses = None
    else:
        if batch_id is not None and journal.batch(batch_id) is None:
            raise KnownError(
                f"There is no tag batch {batch_id}: `explorer tag history` lists them."
            )
        batch_id = batch_id if batch_id is not None else journal.latest_batch()
        entries = journal.entries_of_batch(batch_id) if batch_id is not None else []
        reverses = batch_id
    refused = []
    jobs = []
    for entry in entries:
        later = journal.latest_of_file(entry.file_id)
        if later is not None and later.id != entry.id:
            # undoing an older write would put back tags a later batch replaced
            refused.append(
                FileOutcome(
                    entry.file_id,
                    entry.path,
                    "failed",
                    f"its tags were written again since, by batch {later.batch_id}: "
                    f"undo batch {later.batch_id} first",
                )
            )
            continue
        problem = _changed_since(entry)
        if problem is not None and not force:
            refused.append(FileOutcome(entry.file_id, entry.path, "failed", problem))
            continue
        jobs.append(Job(entry.file_id, entry.path, None, None, {}, entry.before, reverses=entry.id))
    new_batch = journal.start_batch("undo", [], reverses=reverses)
    return run_jobs(store, jobs, batch_id=new_batch, keep_mtime=keep_mtime, progress=progress,
                    on_file=on_file, cancel=cancel, refused=refused)  # fmt: skip


def _changed_since(entry: JournalEntry) -> str | None:
    try:
        info = os.stat(entry.path)
    except FileNotFoundError:
        return "the file is gone"
    if (info.st_size, info.st_mtime_ns) != (entry.size, entry.mtime_ns):
        return (
            "the file changed since its tags were written (size or modification time); "
            "use --force to undo anyway"
        )
    return None
