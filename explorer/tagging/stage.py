"""One file's tag write up to the rename: a checked copy beside it (runs in a worker).

`stage` reads the file, copies it, saves the new tags into the copy, reads the copy back
(the planned tags, every other tag and picture as before, the same length, the same
audio hash), gives it the file's mode and owner (and times when asked) and flushes it.
It never touches the store or the file itself: `writer.py` journals the result and
renames the copy over the file. A failure removes the copy and says why in a sentence.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mutagen import MutagenError

from explorer.library.records import FileRead
from explorer.library.tags import read_opened
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

# The written copy's name: hidden, beside the file, marked as ours (a leftover of a kill
# is removed by `recovery.recover`, which finds it in the journal).
TEMP_SUFFIX = b".explorer-tags.tmp"
# Seconds of difference in the stream's length (mutagen's reading) still taken as equal.
LENGTH_TOLERANCE_S = 0.001
# Whether the copy is flushed to the disk before it replaces the file: off, a power cut
# right after a write may leave the file empty on some file systems.
FSYNC = True
# Bytes copied at a time.
COPY_BLOCK = 1 << 20


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
    temp: bytes = b""  # the copy's path (named by the writing process, journalled first)
    root: bytes | None = None  # the scanned folder (for the scan record's guesses)
    reverses: int | None = None
    changed_sentence: str = "the file changed since the last scan; scan it again first"


@dataclass(frozen=True)
class Staged:
    """A checked copy ready to replace its file: the tags before and after, and the scan
    record the file will have."""

    job: Job
    tag_system: str
    before: dict[str, Any]
    after: dict[str, Any]
    read: FileRead


@dataclass(frozen=True)
class NotStaged:
    """A job not to write: `unchanged`, or `failed` with a sentence."""

    job: Job
    status: str
    reason: str | None = None


def temp_path(path: bytes) -> bytes:
    folder, name = os.path.split(path)
    return os.path.join(folder, b"." + name + b"." + str(os.getpid()).encode() + TEMP_SUFFIX)


def remove_file(path: bytes) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def fsync(path: bytes, *, folder: bool = False) -> None:
    if not FSYNC:
        return
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if folder else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage(job: Job, *, keep_mtime: bool = False) -> Staged | NotStaged:
    """The checked copy of one file, or why there is none (never raises for a bad file)."""
    try:
        return _stage(job, keep_mtime=keep_mtime)
    except (WriteFailed, UnwritableError) as exc:
        return NotStaged(job, "failed", str(exc))
    except MutagenError as exc:
        reason = f"mutagen could not write its tags ({exc}); the file was left as it was"
        return NotStaged(job, "failed", reason)
    except OSError as exc:
        return NotStaged(job, "failed", f"the file could not be written ({exc.strerror or exc})")


def stage_many(jobs: Sequence[Job], keep_mtime: bool) -> list[Staged | NotStaged]:
    """`stage` for several files (what a worker process is handed)."""
    return [stage(job, keep_mtime=keep_mtime) for job in jobs]


def _stage(job: Job, *, keep_mtime: bool) -> Staged | NotStaged:
    path = os.path.realpath(job.path)  # a symlink stays one: its target is written
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
        return NotStaged(job, "unchanged")
    others = other_tags(original, names)
    length = length_of(original)
    digest = audio_hash(path, original.format)
    temp = job.temp or temp_path(path)
    done = False
    try:
        with open(path, "rb") as source, open(temp, "wb") as target:
            while block := source.read(COPY_BLOCK):
                target.write(block)
        for name, texts in job.plain.items():  # the original's tags, saved into the copy
            write_plain(original, name, list(texts))
        for name, raw in job.raw.items():
            write_raw(original, name, raw)
        save(original, os.fsdecode(temp))
        written = open_tags(os.fsdecode(temp), like=original)
        _check(
            written, job, others=others, length=length, digest=digest, format_name=original.format
        )
        _keep_attributes(temp, info, keep_mtime=keep_mtime)
        fsync(temp)
        after = {name: read_raw(written, name) for name in sorted(names)}
        read = read_opened(job.path, written.audio, root=job.root, stat_of=temp)
        done = True
    finally:
        if not done:
            remove_file(temp)
    return Staged(job, original.system, before, after, read)


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
