"""The tag journal of a user store: every tag write with the tags before and after it.

An entry is added as `pending` (committed) before the copy to write is made, given the
file's tags before once the copy is checked, and marked `written` in the transaction that
updates the file's scan record once the copy has replaced the file; a crash in between
leaves a pending entry that `tagging.recovery.recover` settles by reading the file (no
tags before recorded, or the tags as before: abandoned; else written). The SQL of the journal lives
here, beside the store's; `explorer/tagging` calls these methods.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from explorer.library.records import FileRead
from explorer.library.store import LibraryStore, display_path, encode_read

STATE_PENDING = "pending"
STATE_WRITTEN = "written"
STATE_ABANDONED = "abandoned"
# Entries returned by `history()` at most when no file is named.
HISTORY_LIMIT = 200

_ENTRY_COLUMNS = (
    "j.id, j.batch_id, j.file_id, j.path, j.tag_system, j.before, j.after, j.temp_path, "
    "j.state, j.size, j.mtime_ns, j.at, j.reverses, b.kind"
)


@dataclass(frozen=True)
class JournalEntry:
    """One tag write of one file: the tags it changed, before and after (raw, per system)."""

    id: int
    batch_id: int
    file_id: int
    path: bytes
    tag_system: str
    before: dict[str, Any]
    after: dict[str, Any]
    temp_path: bytes | None
    state: str
    size: int | None
    mtime_ns: int | None
    at: float
    reverses: int | None
    kind: str  # the batch's: write | undo

    @property
    def display(self) -> str:
        return display_path(self.path)


@dataclass(frozen=True)
class BatchRow:
    """One run of the writer (or of undo) and how many files it wrote."""

    id: int
    kind: str
    fields: tuple[str, ...]
    reverses: int | None
    started_at: float
    finished_at: float | None
    written: int


def _entry(row: Sequence[Any]) -> JournalEntry:
    (id_, batch, file_id, path, system, before, after, temp, state, size, mtime, at, rev,
     kind) = row  # fmt: skip
    return JournalEntry(
        id_, batch, file_id, bytes(path), system, json.loads(before), json.loads(after),
        bytes(temp) if temp is not None else None, state, size, mtime, at, rev, kind,
    )  # fmt: skip


class TagJournal:
    """The journal tables of one open store (same connection, same transactions)."""

    def __init__(self, store: LibraryStore) -> None:
        self.store = store
        self.db = store.db

    def _rows(self, where: str, params: Sequence[Any], tail: str = "") -> list[JournalEntry]:
        rows = self.db.execute_sql(
            f"SELECT {_ENTRY_COLUMNS} FROM tag_journal j JOIN tag_batches b ON b.id = j.batch_id "
            f"WHERE {where} ORDER BY j.id {tail}",
            tuple(params),
        ).fetchall()
        return [_entry(row) for row in rows]

    # -- writing -------------------------------------------------------------------------

    def start_batch(self, kind: str, fields: Sequence[str], *, reverses: int | None = None) -> int:
        with self.db.atomic():
            cursor = self.db.execute_sql(
                "INSERT INTO tag_batches (kind, fields, reverses, started_at) VALUES (?, ?, ?, ?)",
                (kind, json.dumps(list(fields)), reverses, time.time()),
            )
        return int(cursor.lastrowid)

    def finish_batch(self, batch_id: int) -> None:
        with self.db.atomic():
            self.db.execute_sql(
                "UPDATE tag_batches SET finished_at = ? WHERE id = ?", (time.time(), batch_id)
            )

    def mark_written(
        self, entry_id: int, read: FileRead, *, root_id: int, after: dict[str, Any]
    ) -> None:
        """The file was replaced: keep its tags after, its size and mtime, and refresh its
        scan record (one transaction), so the next scan sees nothing changed."""
        self.settle([(entry_id, read, root_id, after)], [])

    def add_pending_many(
        self, batch_id: int, items: Sequence[tuple[int, bytes, bytes, int | None]]
    ) -> list[int]:
        """Record writes about to begin (file id, path, the copy's path, the entry an undo
        reverses) in one transaction, before their copies exist; their ids in order."""
        ids = []
        now = time.time()
        with self.db.atomic():
            cursor = self.db.cursor()
            for file_id, path, temp, reverses in items:
                cursor.execute(
                    "INSERT INTO tag_journal (batch_id, file_id, path, tag_system, before, after, "
                    "temp_path, state, at, reverses) VALUES (?, ?, ?, '', '{}', '{}', ?, 'pending', ?, ?)",
                    (batch_id, file_id, path, temp, now, reverses),
                )
                ids.append(int(cursor.lastrowid or 0))
        return ids

    def record_before(
        self, staged: Sequence[tuple[int, str, dict[str, Any]]], abandoned: Sequence[int]
    ) -> None:
        """The tags before of the entries whose copies are checked (entry, tag system,
        tags), and the entries not to be written, in one transaction, before any of
        their files is replaced."""
        if not staged and not abandoned:
            return
        with self.db.atomic():
            cursor = self.db.cursor()
            cursor.executemany(
                "UPDATE tag_journal SET tag_system = ?, before = ? WHERE id = ?",
                [
                    (system, json.dumps(before, ensure_ascii=False), entry)
                    for entry, system, before in staged
                ],
            )
            cursor.executemany(
                "UPDATE tag_journal SET state = 'abandoned', temp_path = NULL WHERE id = ?",
                [(entry,) for entry in abandoned],
            )

    def settle(
        self,
        written: Sequence[tuple[int, FileRead, int, dict[str, Any]]],
        abandoned: Sequence[int],
    ) -> None:
        """`mark_written` (entry, scan record, root id, tags after) and `mark_abandoned` of
        several entries in one transaction."""
        if not written and not abandoned:
            return
        with self.db.atomic():
            cursor = self.db.cursor()
            cursor.executemany(
                "UPDATE tag_journal SET state = 'written', after = ?, size = ?, mtime_ns = ?, "
                "temp_path = NULL WHERE id = ?",
                [
                    (json.dumps(after, ensure_ascii=False), read.size, read.mtime_ns, entry_id)
                    for entry_id, read, _, after in written
                ],
            )
            cursor.executemany(
                "UPDATE tag_journal SET state = 'abandoned', temp_path = NULL WHERE id = ?",
                [(entry_id,) for entry_id in abandoned],
            )
            by_root: dict[int, list[FileRead]] = {}
            for _, read, root_id, _ in written:
                by_root.setdefault(root_id, []).append(read)
            for root_id, reads in by_root.items():
                self.store.save_encoded(root_id, [encode_read(read) for read in reads])

    def mark_abandoned(self, entry_id: int) -> None:
        """The file was never replaced (a crash before it): the entry changed nothing."""
        with self.db.atomic():
            self.db.execute_sql(
                "UPDATE tag_journal SET state = 'abandoned', temp_path = NULL WHERE id = ?",
                (entry_id,),
            )

    # -- reading -------------------------------------------------------------------------

    def pending(self) -> list[JournalEntry]:
        return self._rows("j.state = 'pending'", ())

    def entries_of_batch(self, batch_id: int) -> list[JournalEntry]:
        return self._rows("j.batch_id = ? AND j.state = 'written'", (batch_id,))

    def latest_of_file(self, file_id: int) -> JournalEntry | None:
        found = self._rows("j.file_id = ? AND j.state = 'written'", (file_id,), "DESC LIMIT 1")
        return found[0] if found else None

    def latest_batch(self) -> int | None:
        """The last batch that wrote something (the one `tag undo` reverses by default)."""
        row = self.db.execute_sql(
            "SELECT batch_id FROM tag_journal WHERE state = 'written' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return int(row[0]) if row else None

    def batch(self, batch_id: int) -> BatchRow | None:
        found = self._batches("b.id = ?", (batch_id,))
        return found[0] if found else None

    def batches(self, *, limit: int = HISTORY_LIMIT) -> list[BatchRow]:
        """The latest batches first."""
        return self._batches("1", (), limit=limit)

    def _batches(self, where: str, params: Sequence[Any], *, limit: int = 1) -> list[BatchRow]:
        rows = self.db.execute_sql(
            "SELECT b.id, b.kind, b.fields, b.reverses, b.started_at, b.finished_at, "
            "(SELECT count(*) FROM tag_journal j WHERE j.batch_id = b.id AND j.state = 'written') "
            f"FROM tag_batches b WHERE {where} ORDER BY b.id DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [BatchRow(r[0], r[1], tuple(json.loads(r[2])), r[3], r[4], r[5], r[6]) for r in rows]

    def history(
        self, file_id: int | None = None, *, limit: int = HISTORY_LIMIT
    ) -> list[JournalEntry]:
        """Written entries, newest first: of one file, or the latest of all files."""
        if file_id is not None:
            return self._rows("j.file_id = ? AND j.state = 'written'", (file_id,), "DESC")
        return self._rows("j.state = 'written'", (), f"DESC LIMIT {int(limit)}")
