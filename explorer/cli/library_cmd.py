"""`explorer library`: what the user store holds (roots, counts, files page by page)."""

from __future__ import annotations

import argparse
import os
import shlex
from pathlib import Path
from typing import Any

from explorer.cli.arg_types import whole
from explorer.cli.output import print_json, print_table
from explorer.errors import KnownError
from explorer.library.records import STATUS_ERROR, STATUS_MISSING, STATUS_OK
from explorer.library.store import FILE_PAGE, FileRow, LibraryStore, open_store

# The statuses of a file's link `--status` also takes (as the window shows them).
LINK_STATUSES = ("matched", "review", "unmatched", "accepted", "rejected", "manual")


def file_json(row: FileRow) -> dict[str, Any]:
    """The JSON object of one file, shared by `explorer scan --json` and `library --json`."""
    stream = row.stream
    tags = row.tags
    return {
        "path": os.fsdecode(row.path),  # exact: see print_json
        "status": row.status,
        "error": row.error,
        "format": stream.format if stream else None,
        "duration_s": stream.duration_s if stream else None,
        "bitrate": stream.bitrate if stream else None,
        "title": tags.title,
        "artists": list(tags.artists),
        "album": tags.album,
        "album_artists": list(tags.album_artists),
        "track_number": tags.track_number,
        "disc_number": tags.disc_number,
        "year": tags.year,
        "isrc": tags.isrc,
        "spotify_track_id": tags.spotify_track_id,
        "guessed": sorted(tags.guessed),
        "file_id": row.id,
    }


def no_audio_found(folders: list[str], seen: int) -> None:
    """A scan that found no audio file at all is said (exit 1), not reported as 0 files."""
    if seen == 0:
        named = ", ".join(f"'{folder}'" for folder in folders)
        raise KnownError(
            f"No audio files were found in {named} (looked for .flac, .mp3, .m4a, .ogg, .opus, "
            ".wav and other audio formats); give the folders that hold your music."
        )


def add_store_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", metavar="PATH", type=Path, help="the user store (default: in the data folder)"
    )


def open_existing_store(path: Path | None) -> LibraryStore:
    """The store of a command that only reads it: a --store path that does not exist is a
    typo to say, not a new empty store to make (the default one is made as by a scan)."""
    if path is not None and (not path.exists() or (path.is_file() and not path.stat().st_size)):
        raise KnownError(
            f"There is no library store at '{path}'; give the path of one, or make it with "
            f"`explorer scan DIR --store {shlex.quote(str(path))}`."
        )
    return open_store(path)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("library", help="list the scanned files kept in the user store")
    add_store_argument(parser)
    parser.add_argument(
        "--status",
        choices=(STATUS_OK, STATUS_ERROR, STATUS_MISSING, *LINK_STATUSES),
        help="only the files the last scan found so (ok, error, missing), or whose link is so "
        "(matched, review, unmatched by the matcher; accepted, rejected, manual by you)",
    )
    parser.add_argument(
        "--limit", type=whole(1, 10**12, "files"), default=None, help="at most this many files"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.set_defaults(func=run)


def _rows(args: argparse.Namespace) -> list[list[FileRow]]:
    pages: list[list[FileRow]] = []
    left = args.limit
    with open_existing_store(args.store) as store:
        after = 0
        while left is None or left > 0:
            size = FILE_PAGE if left is None else min(FILE_PAGE, left)
            if args.status in LINK_STATUSES:
                from explorer.matching.reports import files_with_status

                page = files_with_status(store, args.status, after_id=after, limit=size)
            else:
                page = store.files(after_id=after, limit=size, status=args.status)
            if not page:
                break
            pages.append(page)
            after = page[-1].id
            left = None if left is None else left - len(page)
    return pages


def run(args: argparse.Namespace) -> int:
    if args.json:
        for page in _rows(args):
            for row in page:
                print_json(file_json(row))
        return 0
    with open_existing_store(args.store) as store:
        roots = store.roots()
        counts = store.counts()
    if not roots:
        print("The library is empty: add music with `explorer scan DIR`.")
        return 0
    for root in roots:
        print(f"Root  {root.display}")
    print(
        f"Files {counts[STATUS_OK]:,} ok, {counts[STATUS_ERROR]:,} with errors, "
        f"{counts[STATUS_MISSING]:,} missing\n"
    )
    table = [
        (
            row.status,
            row.stream.format if row.stream else "",
            f"{row.stream.duration_s:.1f}" if row.stream and row.stream.duration_s else "",
            ", ".join(row.tags.artists),
            row.tags.title or "",
            row.tags.album or "",
            row.display,
            row.error or "",
        )
        for page in _rows(args)
        for row in page
    ]
    print_table(table, ["status", "format", "s", "artists", "title", "album", "path", "error"])
    return 0
