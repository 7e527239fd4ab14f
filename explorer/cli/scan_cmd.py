"""`explorer scan DIR...`: add folders to the library and read their files' tags."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from explorer.cli.arg_types import whole
from explorer.cli.library_cmd import add_store_argument, file_json, no_audio_found
from explorer.cli.output import ProgressBar, print_json
from explorer.library.scan import SCAN_WORKERS, ScanProgress, scan
from explorer.library.store import FileRow, open_store
from explorer.text.words import plural


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "scan", help="add music folders to the library and read their tags (incremental)"
    )
    parser.add_argument(
        "folders", nargs="+", metavar="DIR", help="folders that hold music (or single audio files)"
    )
    add_store_argument(parser)
    parser.add_argument(
        "--workers",
        type=whole(0, 64, "processes"),
        default=SCAN_WORKERS,
        help="processes reading tags (default 2)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    bar = ProgressBar("scanning", unit="files")

    def progress(state: ScanProgress) -> None:
        bar.update(state.files_done, state.files_total, note=state.current_folder[-40:])

    def on_file(row: FileRow) -> None:
        if args.json:
            print_json(file_json(row))

    with open_store(args.store) as store:
        summary = scan(
            store, args.folders, workers=args.workers, progress=progress, on_file=on_file
        )
    bar.finish()
    no_audio_found(args.folders, summary.files_seen)
    text = (
        f"{plural(summary.files_seen, 'file')}: {summary.files_read:,} read, "
        f"{summary.files_unchanged:,} unchanged, {summary.errors:,} with errors, "
        f"{summary.missing:,} now missing; {summary.seconds:.1f} s, "
        f"{summary.files_per_s:,.0f} files/s"
    )
    print(text, file=sys.stderr if args.json else sys.stdout)
    return 0
