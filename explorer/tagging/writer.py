"""Write planned tags into files safely, journal every write, and undo a batch or a file.

Each file is written as a copy in its own folder; the copy is read back with mutagen
(the planned tags, every other tag and picture as before, the same length and the same
audio hash) and only then replaces the file with `os.replace` (atomic), keeping its mode
and owner, and its modification time when asked. The journal entry is committed as
`pending` before the replacement and marked `written` with the file's new scan record
after it: a kill at any moment leaves the file old or new, and `recover` (run first by
every call here) settles a pending entry by reading the file.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mutagen import MutagenError

from explorer.library.records import FileRead
from explorer.library.store import LibraryStore, display_path
from explorer.library.tag_journal import TagJournal
from explorer.library.tags import read_opened
from explorer.log import get_logger
from explorer.matching.review import file_by_id
from explorer.tagging.audio_hash import audio_hash
from explorer.tagging.formats import (
    TagFile,
    UnwritableError,
    length_of,
    open_tags,
    other_tags,
    read_plain,
    read_raw,
    save,
    write_plain,
    write_raw,
)
from explorer.tagging.plan import FilePlan
from explorer.tagging.recovery import recover, remove_file

log = get_logger("tagging")

# The written copy's name: hidden, beside the file, marked as ours (a leftover of a kill
# is removed by `recover`).
TEMP_SUFFIX = b".explorer-tags.tmp"
# Seconds of difference in the stream's length (mutagen's reading) still taken as equal.
LENGTH_TOLERANCE_S = 0.001
# Files written between two commits of the journal: each chunk's pending entries are one
# transaction and their outcomes another (with synchronous=FULL a commit waits for the
# disk). Raising it saves commits and keeps more files open at once (their pictures too).
WRITE_CHUNK = 16
# Whether the copy is flushed to the disk before it replaces the file: off, a power cut
# right after a write may leave the file empty on some file systems.
FSYNC = True


@dataclass(frozen=True)
class WriteProgress:
    done: int
    total: int
    display: str


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: written, unchanged, or failed / refused with a reason."""

    file_id: int
    path: bytes
    status: str  # written | unchanged | failed
    reason: str | None = None

    @property
    def display(self) -> str:
        return display_path(self.path)


@dataclass(frozen=True)
class WriteSummary:
    batch_id: int | None
    written: int
    unchanged: int
    failed: int
    cancelled: bool
    seconds: float
    outcomes: tuple[FileOutcome, ...] = ()

    @property
    def files_per_s(self) -> float:
        return self.written / self.seconds if self.seconds > 0 else 0.0


ProgressCallback = Callable[[WriteProgress], None]
OutcomeCallback = Callable[[FileOutcome], None]


class WriteFailed(Exception):
    """A file was not written; the message is a sentence for the user."""


@dataclass(frozen=True)
class Job:
    """One file to change: tags set from texts (a plan) or put back raw (an undo)."""

    file_id: int
    path: bytes
    size: int | None  # what the file must still be, else refused
    mtime_ns: int | None
    plain: Mapping[str, Sequence[str]]
    raw: Mapping[str, Any]
    reverses: int | None = None
    changed_sentence: str = "the file changed since the last scan; scan it again first"


def _temp_path(path: bytes) -> bytes:
    folder, name = os.path.split(path)
    return os.path.join(folder, b"." + name + b"." + str(os.getpid()).encode() + TEMP_SUFFIX)


def _check(
    copy: TagFile,
    job: Job,
    *,
    others: dict[str, str],
    length: float | None,
    digest: str,
    format_name: str,
) -> None:
    names = set(job.plain) | set(job.raw)
    for name, texts in job.plain.items():
        if read_plain(copy, name) != list(texts):
            raise WriteFailed(f"the written copy read back {name} differently")
    for name, raw in job.raw.items():
        if read_raw(copy, name) != raw:
            raise WriteFailed(f"the written copy read back {name} differently")
    if other_tags(copy, names) != others:
        raise WriteFailed("the written copy lost or changed other tags")
    new_length = length_of(copy)
    if (length is None) != (new_length is None) or (
        length is not None
        and new_length is not None
        and abs(length - new_length) > LENGTH_TOLERANCE_S
    ):
        raise WriteFailed("the written copy's audio length differs")
    if audio_hash(copy.path, format_name) != digest:
        raise WriteFailed("the written copy's audio differs")


def _fsync(path: bytes, *, folder: bool = False) -> None:
    if not FSYNC:
        return
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if folder else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class _Ready:
    """A job checked and read, about to be written (its journal entry once begun)."""

    job: Job
    root_id: int
    info: os.stat_result
    original: TagFile
    names: set[str]
    before: dict[str, Any]
    others: dict[str, str]
    length: float | None
    digest: str
    temp: bytes
    entry: int = 0


Written = tuple[int, FileRead, int, dict[str, Any]]  # entry, scan record, root id, tags after


def _failure(job: Job, exc: Exception) -> FileOutcome:
    if isinstance(exc, WriteFailed | UnwritableError):
        reason = str(exc)
    elif isinstance(exc, MutagenError):
        reason = f"mutagen could not write its tags ({exc}); the file was left as it was"
    else:
        assert isinstance(exc, OSError)
        reason = f"the file could not be written ({exc.strerror or exc})"
    return FileOutcome(job.file_id, job.path, "failed", reason)


_KNOWN_FAILURES = (WriteFailed, UnwritableError, MutagenError, OSError)


class _Writer:
    """Writes jobs into files for one batch of the journal, WRITE_CHUNK files at a time:
    their pending entries in one transaction, then each file, then their outcomes and
    scan records in one transaction (a kill between is settled by `recover`)."""

    def __init__(self, store: LibraryStore, batch_id: int, *, keep_mtime: bool) -> None:
        self.store = store
        self.journal = TagJournal(store)
        self.batch_id = batch_id
        self.keep_mtime = keep_mtime
        self.roots = {root.id: root.path for root in store.roots()}

    def prepare(self, job: Job) -> _Ready | FileOutcome:
        """Check the file and read what the write must keep; an outcome when it is not
        to be written (unchanged, gone, changed, read-only, unreadable)."""
        try:
            return self._prepare(job)
        except _KNOWN_FAILURES as exc:
            return _failure(job, exc)

    def _prepare(self, job: Job) -> _Ready | FileOutcome:
        row = file_by_id(self.store, job.file_id)
        if row is None:
            raise WriteFailed("the file is not in the library store")
        path = job.path
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise WriteFailed("the file is gone") from None
        if job.size is not None and (info.st_size, info.st_mtime_ns) != (job.size, job.mtime_ns):
            raise WriteFailed(job.changed_sentence)
        if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
            raise WriteFailed("the file is read-only")
        original = open_tags(os.fsdecode(path))
        names = set(job.plain) | set(job.raw)
        before = {name: read_raw(original, name) for name in sorted(names)}
        if not any(
            read_plain(original, name) != list(texts) for name, texts in job.plain.items()
        ) and all(before[name] == raw for name, raw in job.raw.items()):
            return FileOutcome(job.file_id, path, "unchanged")
        return _Ready(
            job, row.root_id, info, original, names, before, other_tags(original, names),
            length_of(original), audio_hash(path, original.format), _temp_path(path),
        )  # fmt: skip

    def begin(self, ready: Sequence[_Ready]) -> None:
        """Their pending entries, committed before any copy exists."""
        entries = self.journal.add_pending_many(
            self.batch_id,
            [
                (r.job.file_id, r.job.path, r.original.system, r.before, r.temp, r.job.reverses)
                for r in ready
            ],
        )
        for item, entry in zip(ready, entries, strict=True):
            item.entry = entry

    def replace(self, ready: _Ready) -> Written:
        """Write the copy, check it, and let it replace the file."""
        job, original, path, temp = ready.job, ready.original, ready.job.path, ready.temp
        replaced = False
        try:
            with open(path, "rb") as source, open(temp, "wb") as target:
                while block := source.read(1 << 20):
                    target.write(block)
            for name, texts in job.plain.items():  # the original's tags, saved into the copy
                write_plain(original, name, list(texts))
            for name, raw in job.raw.items():
                write_raw(original, name, raw)
            save(original, os.fsdecode(temp))
            written = open_tags(os.fsdecode(temp), like=original)
            _check(
                written, job, others=ready.others, length=ready.length, digest=ready.digest,
                format_name=original.format,
            )  # fmt: skip
            _keep_attributes(temp, ready.info, keep_mtime=self.keep_mtime)
            _fsync(temp)
            os.replace(temp, path)
            replaced = True
        finally:
            if not replaced:
                remove_file(temp)
        after = {name: read_raw(written, name) for name in sorted(ready.names)}
        read = read_opened(path, written.audio, root=self.roots.get(ready.root_id))
        return ready.entry, read, ready.root_id, after

    def settle(self, written: Sequence[Written], abandoned: Sequence[int]) -> None:
        """The folders flushed, then the chunk's outcomes in one transaction."""
        for folder in {os.path.dirname(read.path) or b"." for _, read, _, _ in written}:
            _fsync(folder, folder=True)
        self.journal.settle(written, abandoned)


def _keep_attributes(temp: bytes, info: os.stat_result, *, keep_mtime: bool) -> None:
    """Give the copy the file's mode and owner (and its times when asked)."""
    os.chmod(temp, info.st_mode & 0o7777)
    copy = os.stat(temp)
    if (copy.st_uid, copy.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.chown(temp, info.st_uid, info.st_gid)
        except PermissionError:
            raise WriteFailed(
                "the file belongs to another user, whose ownership a copy cannot keep"
            ) from None
    if keep_mtime:
        os.utime(temp, ns=(info.st_atime_ns, info.st_mtime_ns))


def run_jobs(
    store: LibraryStore,
    jobs: Sequence[Job],
    *,
    batch_id: int,
    keep_mtime: bool,
    progress: ProgressCallback | None,
    on_file: OutcomeCallback | None,
    cancel: threading.Event | None,
    refused: Iterable[FileOutcome] = (),
) -> WriteSummary:
    started = time.monotonic()
    writer = _Writer(store, batch_id, keep_mtime=keep_mtime)
    outcomes = list(refused)
    for outcome in outcomes:
        if on_file is not None:
            on_file(outcome)
    cancelled = False
    done = 0

    def report(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)

    for start in range(0, len(jobs), WRITE_CHUNK):
        ready: list[_Ready] = []
        for job in jobs[start : start + WRITE_CHUNK]:
            prepared = writer.prepare(job)
            if isinstance(prepared, FileOutcome):
                done += 1
                report(prepared)
            else:
                ready.append(prepared)
        writer.begin(ready)
        written: list[Written] = []
        abandoned: list[int] = []
        try:
            for item in ready:
                if cancelled or (cancel is not None and cancel.is_set()):
                    cancelled = True
                    abandoned.append(item.entry)
                    continue
                if progress is not None:
                    progress(WriteProgress(done, len(jobs), display_path(item.job.path)))
                try:
                    written.append(writer.replace(item))
                except _KNOWN_FAILURES as exc:
                    abandoned.append(item.entry)
                    report(_failure(item.job, exc))
                else:
                    report(FileOutcome(item.job.file_id, item.job.path, "written"))
                done += 1
        finally:  # also on Ctrl+C: what was replaced is recorded (the rest by `recover`)
            writer.settle(written, abandoned)
        if cancelled:
            break
    writer.journal.finish_batch(batch_id)
    if progress is not None and not cancelled:
        progress(WriteProgress(len(jobs), len(jobs), ""))
    counts = {
        status: sum(1 for o in outcomes if o.status == status)
        for status in ("written", "unchanged", "failed")
    }
    return WriteSummary(
        batch_id, counts["written"], counts["unchanged"], counts["failed"], cancelled,
        time.monotonic() - started, tuple(outcomes),
    )  # fmt: skip


def write_plans(
    store: LibraryStore,
    plans: Sequence[FilePlan],
    *,
    fields: Sequence[str],
    keep_mtime: bool = False,
    progress: ProgressCallback | None = None,
    on_file: OutcomeCallback | None = None,
    cancel: threading.Event | None = None,
) -> WriteSummary:
    """Write the plans that have changes, one journal batch; setting `cancel` stops
    between files (the files written stay written, and in the journal)."""
    recover(store)
    batch_id = TagJournal(store).start_batch("write", fields)
    jobs = [
        Job(plan.file_id, plan.path, plan.size, plan.mtime_ns,
             {change.name: change.after for change in plan.changes}, {})
        for plan in plans if plan.status == "write"
    ]  # fmt: skip
    return run_jobs(store, jobs, batch_id=batch_id, keep_mtime=keep_mtime, progress=progress,
                on_file=on_file, cancel=cancel)  # fmt: skip
