"""Walk music folders: audio files by extension, symlinks followed once, loops and errors noted.

Paths stay bytes from end to end (`os.scandir` on a bytes path), so a file name that is
not valid UTF-8 is stored and reopened exactly. Nothing here opens a file: a folder of
100,000 files costs one `scandir` entry and one `stat` per audio file.
"""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# File name extensions read as audio (lower case). Anything else is skipped without a
# stat. Adding one makes the scanner try mutagen on it; a file it cannot read becomes
# an error row, so keep this to real audio formats.
AUDIO_EXTENSIONS = frozenset(
    {
        ".mp3", ".mp2", ".flac", ".ogg", ".oga", ".opus", ".spx", ".m4a", ".m4b", ".m4p",
        ".mp4", ".aac", ".alac", ".wma", ".asf", ".aif", ".aiff", ".aifc", ".wav", ".ape",
        ".wv", ".mpc", ".mp+", ".tak", ".dsf", ".dff", ".tta", ".ofr", ".ofs", ".ac3", ".eac3",
        ".mid", ".midi", ".3gp", ".3g2",
    }
)  # fmt: skip
_AUDIO_BYTES = frozenset(ext.encode() for ext in AUDIO_EXTENSIONS)


@dataclass(frozen=True, slots=True)  # one per file: a million in a big library
class FoundFile:
    """An audio file found by the walk, with the stat the scanner compares."""

    path: bytes
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class WalkProblem:
    """A path the walk could not follow, and why (in words a person understands)."""

    path: bytes
    reason: str


def is_audio_name(name: bytes) -> bool:
    dot = name.rfind(b".")
    return dot > 0 and name[dot:].lower() in _AUDIO_BYTES


def _reason(exc: OSError, *, folder: bool) -> str:
    what = "folder" if folder else "file"
    if isinstance(exc, FileNotFoundError):
        return f"the {what} vanished during the scan"
    if isinstance(exc, PermissionError):
        return f"no permission to read the {what}"
    if isinstance(exc, NotADirectoryError):
        return "the folder was replaced by a file during the scan"
    return f"the {what} could not be read ({exc.strerror or exc})"


def _single_file(path: bytes, on_problem: Callable[[WalkProblem], None]) -> Iterator[FoundFile]:
    if not is_audio_name(os.path.basename(path)):
        on_problem(WalkProblem(path, "not an audio file (its name has no audio extension)"))
        return
    try:
        info = os.stat(path)
    except OSError as exc:
        on_problem(WalkProblem(path, _reason(exc, folder=False)))
        return
    yield FoundFile(path, info.st_size, info.st_mtime_ns)


def walk_audio(
    root: bytes,
    *,
    on_problem: Callable[[WalkProblem], None],
    on_folder: Callable[[bytes], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> Iterator[FoundFile]:
    """Yield the audio files under `root`, depth first, each folder visited once (or
    `root` itself when it is an audio file).

    A symlink to a folder is followed, but a folder already seen (by device and inode)
    is not entered again, so links that form loops end. Folders that cannot be listed
    and files that vanish are reported through `on_problem`; the walk goes on.
    """
    if os.path.isfile(root):  # a file given by itself: that one file
        yield from _single_file(root, on_problem)
        return
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack and not should_stop():
        folder = stack.pop()
        try:
            info = os.stat(folder)
            identity = (info.st_dev, info.st_ino)
            if identity in seen:
                continue  # a second link to a folder already walked (or a loop)
            seen.add(identity)
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as exc:
            on_problem(WalkProblem(folder, _reason(exc, folder=True)))
            continue
        if on_folder is not None:
            on_folder(folder)
        subfolders = []
        for entry in listed:
            try:
                if entry.is_dir(follow_symlinks=True):
                    subfolders.append(entry.path)
                    continue
                if not is_audio_name(entry.name):
                    continue
                info = entry.stat(follow_symlinks=True)
            except OSError as exc:
                if is_audio_name(entry.name):
                    reason = (
                        "the link points to nothing"
                        if entry.is_symlink() and isinstance(exc, FileNotFoundError)
                        else _reason(exc, folder=False)
                    )
                    on_problem(WalkProblem(entry.path, reason))
                continue
            if stat_module.S_ISREG(info.st_mode):
                yield FoundFile(entry.path, info.st_size, info.st_mtime_ns)
        stack.extend(sorted(subfolders, reverse=True))  # pop() then visits them in order
