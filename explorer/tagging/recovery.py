"""Settle what a killed tag writer left: pending journal entries and stray copies.

A pending entry whose file holds other tags than its `before` was replaced (the checked
copy renamed over it) before the kill: it is marked written, with the file's scan record;
otherwise it is abandoned. Its copy, when there is one, is removed either way.
"""

from __future__ import annotations

import os
from typing import Any

from explorer.library.store import LibraryStore
from explorer.library.tag_journal import JournalEntry, TagJournal
from explorer.library.tags import read_file
from explorer.matching.review import file_by_id
from explorer.tagging.formats import UnwritableError, open_tags, read_raw
from explorer.tagging.stage import remove_file


def recover(store: LibraryStore) -> int:
    """Settle the journal entries a kill left pending; returns how many there were."""
    journal = TagJournal(store)
    pending = journal.pending()
    roots = {root.id: root.path for root in store.roots()}
    for entry in pending:
        if entry.temp_path is not None:
            remove_file(entry.temp_path)
        after = _replaced(entry)
        if after is None:
            journal.mark_abandoned(entry.id)
            continue
        row = file_by_id(store, entry.file_id)
        root_id = row.root_id if row is not None else 0
        read = read_file(entry.path, root=roots.get(root_id))
        journal.mark_written(entry.id, read, root_id=root_id, after=after)
    return len(pending)


def _replaced(entry: JournalEntry) -> dict[str, Any] | None:
    """The tags a kill left written, when the checked copy had replaced the file before
    it: the file's touched tags differ from the entry's `before` (a write that would
    change none is never begun); None when the file is as it was, or gone."""
    try:
        tag_file = open_tags(os.fsdecode(entry.path))
    except UnwritableError:
        return None
    now = {name: read_raw(tag_file, name) for name in entry.before}
    return None if now == entry.before else now
