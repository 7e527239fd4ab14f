"""One file's tag write up to the rename: a checked copy beside it (runs in a worker).

`stage_many` makes each file's copy: it reads the file (whole, when it is small enough:
then the tags are parsed, saved and read back in memory), saves the new tags into the
copy, reads the copy back (the planned tags, every other tag and picture as before, the
same length and stream signature, the same audio hash; the hash of the file's audio is
taken from the bytes read for the copy) and gives it the file's mode and owner (and times
when asked). `flushed` then flushes the copies to the disk, many at once in threads, so
that they share the file system's journal commits. Nothing here touches the store or the
file itself: `writer.py` journals the result and renames the copy over the file. A
failure removes the copy and says why in a sentence.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, BinaryIO

from mutagen import MutagenError

from explorer.library.records import FileRead
from explorer.library.tags import read_opened
from explorer.tagging.audio_hash import audio_ranges, copy_hashing, hash_ranges
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
# Copies (or folders) flushed to the disk at once, each in a thread: the file system
# commits its journal once for all the flushes waiting, so 16 cost about what one does.
# Raising it helps little past the number of files a journal commit gathers.
FSYNC_THREADS = 16
# Files up to this size are read whole and their copy made in memory (one read, one
# write, no file opened again); bigger ones are copied on the disk block by block.
# Raising it costs up to three times as much memory per worker process.
IN_MEMORY_UP_TO = 64 << 20


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
    format_name: str = ""  # as the plan read it (`size` and `mtime_ns` say it is unchanged)


@dataclass(frozen=True)
class Staged:
    """A checked copy, on the disk, ready to replace its file: the tags before and after,
    and the scan record the file will have."""

    job: Job
    temp: bytes  # the copy
    target: bytes  # the file it replaces (a symlink's target)
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


@dataclass(frozen=True)
class _Expected:
    """What the copy must read back as, besides the planned tags."""

    others: dict[str, str]  # every other tag and picture, digested
    length: float | None
    signature: Any  # the stream's own checksum (FLAC's STREAMINFO MD5), when it has one
    digest: str  # the audio hash


class _Named(io.BytesIO):
    """A file's bytes as a file object with its name (mutagen tells some kinds by name)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name


def temp_path(path: bytes) -> bytes:
    folder, name = os.path.split(path)
    return os.path.join(folder, b"." + name + b"." + str(os.getpid()).encode() + TEMP_SUFFIX)


def hard_link_problem(info: os.stat_result) -> str | None:
    """Why a file with other hard links is not written: its checked copy would replace
    this name only, and the file's other names would keep the old tags."""
    others = info.st_nlink - 1
    if others < 1:
        return None
    names = "another name" if others == 1 else f"{others} other names"
    return (
        f"the file has {names} (hard links), which would keep the old tags: a write "
        "replaces this name with a new file; make it a file of its own first (copy it "
        "over itself) to write it"
    )


def real_path(path: bytes) -> bytes:
    """The file a write replaces: a symlink's target (the link stays a link), else the
    path itself (a folder on the way that is a link leads to the same folder)."""
    return os.path.realpath(path) if os.path.islink(path) else path


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


def fsync_many(paths: Iterable[bytes], *, folder: bool = False) -> None:
    """`fsync` of several files or folders at once (see FSYNC_THREADS); raises the first
    error once all are done."""
    paths = list(paths)
    if not FSYNC or not paths:
        return
    if len(paths) == 1:
        fsync(paths[0], folder=folder)
        return
    with ThreadPoolExecutor(min(FSYNC_THREADS, len(paths))) as flusher:
        done = [flusher.submit(fsync, path, folder=folder) for path in paths]
    for future in done:
        future.result()


def stage(job: Job, *, keep_mtime: bool = False) -> Staged | NotStaged:
    """The checked copy of one file, flushed to the disk, or why there is none (never
    raises for a bad file)."""
    return flushed(stage_many([job], keep_mtime))[0]


def stage_many(jobs: Sequence[Job], keep_mtime: bool) -> list[Staged | NotStaged]:
    """The checked copies of several files (what a worker process is handed), not yet
    flushed to the disk: `flushed` does it, for many at once, before they are renamed."""
    return [_guarded(job, keep_mtime=keep_mtime) for job in jobs]


def flushed(results: Sequence[Staged | NotStaged]) -> list[Staged | NotStaged]:
    """Flush the copies to the disk, FSYNC_THREADS at once: a copy that could not be
    flushed is removed, and its file not written."""
    copies = [result.temp for result in results if isinstance(result, Staged)]
    if not FSYNC or not copies:
        return list(results)
    with ThreadPoolExecutor(min(FSYNC_THREADS, len(copies))) as flusher:
        errors = dict(zip(copies, flusher.map(_fsync_error, copies), strict=True))
    checked: list[Staged | NotStaged] = []
    for result in results:
        error = errors.get(result.temp) if isinstance(result, Staged) else None
        if isinstance(result, Staged) and error is not None:
            remove_file(result.temp)
            reason = f"the written copy could not be flushed to the disk ({error})"
            checked.append(NotStaged(result.job, "failed", reason))
        else:
            checked.append(result)
    return checked


def _fsync_error(path: bytes) -> str | None:
    try:
        fsync(path)
    except OSError as exc:
        return str(exc.strerror or exc)
    return None


def _guarded(job: Job, *, keep_mtime: bool) -> Staged | NotStaged:
    try:
        return _stage(job, keep_mtime=keep_mtime)
    except (WriteFailed, UnwritableError) as exc:
        return NotStaged(job, "failed", str(exc))
    except MutagenError as exc:
        reason = f"mutagen could not write its tags ({exc}); the file was left as it was"
        return NotStaged(job, "failed", reason)
    except OSError as exc:
        return NotStaged(job, "failed", f"the file could not be written ({exc.strerror or exc})")


def _stage(job: Job, *, keep_mtime: bool) -> Staged | NotStaged:
    path = real_path(job.path)  # a symlink stays one: its target is written
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise WriteFailed("the file is gone") from None
    if job.size is not None and (info.st_size, info.st_mtime_ns) != (job.size, job.mtime_ns):
        raise WriteFailed(job.changed_sentence)
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise WriteFailed("the file is read-only")
    if (linked := hard_link_problem(info)) is not None:
        raise WriteFailed(linked)
    name = os.fsdecode(path)
    with open(name, "rb") as source:
        in_memory = info.st_size <= IN_MEMORY_UP_TO
        read_from: BinaryIO = _Named(source.read(), name) if in_memory else source
        known = job.format_name if job.size is not None else ""
        original = open_tags(read_from, format_name=known)
        names = set(job.plain) | set(job.raw)
        before = {name: read_raw(original, name) for name in sorted(names)}
        if not any(
            read_plain(original, name) != list(texts) for name, texts in job.plain.items()
        ) and all(before[name] == raw for name, raw in job.raw.items()):
            return NotStaged(job, "unchanged")
        others = other_tags(original, names)
        ranges = audio_ranges(read_from, original.format)
        temp = job.temp or temp_path(path)
        done = False
        try:
            with open(temp, "w+b") as target:
                if isinstance(read_from, _Named):  # the hash of the bytes read once
                    digest = hash_ranges(read_from, ranges)
                    copy: BinaryIO = _Named(read_from.getvalue(), name)
                else:  # the copy made on the disk, hashed on the way
                    digest, copy = copy_hashing(source, target, ranges), target
                for tag, texts in job.plain.items():  # the original's tags, saved into the copy
                    write_plain(original, tag, list(texts))
                for tag, raw in job.raw.items():
                    write_raw(original, tag, raw)
                save(original, copy)
                written = open_tags(copy, like=original)
                expected = _Expected(others, length_of(original), _signature(original), digest)
                _check(written, copy, job, expected)
                if isinstance(copy, _Named):
                    _write_checked(target, copy.getvalue())
            _keep_attributes(temp, info, keep_mtime=keep_mtime)
            after = {name: read_raw(written, name) for name in sorted(names)}
            read = read_opened(job.path, written.audio, root=job.root, stat_of=temp)
            done = True
        finally:
            if not done:
                remove_file(temp)
    return Staged(job, temp, path, original.system, before, after, read)


def _signature(tag_file: TagFile) -> Any:
    return getattr(tag_file.audio.info, "md5_signature", None)


def _write_checked(target: BinaryIO, data: bytes) -> None:
    """Write the checked bytes into the copy and read them back from it."""
    target.write(data)
    target.flush()
    if os.pread(target.fileno(), len(data) + 1, 0) != data:
        raise WriteFailed("the written copy does not read back as it was written")


def _check(copy: TagFile, handle: BinaryIO, job: Job, expected: _Expected) -> None:
    names = set(job.plain) | set(job.raw)
    for name, texts in job.plain.items():
        if read_plain(copy, name) != list(texts):
            raise WriteFailed(f"the written copy read back {name} differently")
    for name, raw in job.raw.items():
        if read_raw(copy, name) != raw:
            raise WriteFailed(f"the written copy read back {name} differently")
    if other_tags(copy, names) != expected.others:
        raise WriteFailed("the written copy lost or changed other tags")
    length, new_length = expected.length, length_of(copy)
    if (length is None) != (new_length is None) or (
        length is not None
        and new_length is not None
        and abs(length - new_length) > LENGTH_TOLERANCE_S
    ):
        raise WriteFailed("the written copy's audio length differs")
    if _signature(copy) != expected.signature:
        raise WriteFailed("the written copy's stream checksum (FLAC's MD5) differs")
    if hash_ranges(handle, audio_ranges(handle, copy.format)) != expected.digest:
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
