"""`explorer index build|status|drop`: the sidecar search index of a catalog."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from explorer.cli.catalog_args import add_catalog_arguments, open_from_args
from explorer.cli.output import ProgressBar, format_seconds, print_json
from explorer.index import IndexProgress, build_index, drop_index, index_status


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("index", help="build, inspect or drop the search index")
    parser.add_argument(
        "action",
        choices=("build", "status", "drop"),
        help="build: write the index (resumes a build stopped before); status: how complete "
        "it is, where, how big; drop: delete it",
    )
    add_catalog_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the status as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_from_args(args) as catalog:
        if args.action == "build":
            bar = ProgressBar("Indexing", unit="rows")

            def report(progress: IndexProgress) -> None:
                bar.update(progress.rows_done, progress.rows_total, note=progress.part)

            try:
                status = build_index(catalog, progress=report)
            finally:
                bar.finish()
        elif args.action == "drop":
            found = drop_index(catalog)
            status = index_status(catalog)
            if not args.json:
                print("Index dropped." if found else "There was no index.")
                return 0
        else:
            status = index_status(catalog)
    if args.json:
        data = dataclasses.asdict(status)
        data["path"] = str(status.path)
        print_json(data)
        return 0
    state = "complete" if status.complete else ("partial" if status.exists else "none")
    print(f"Index       {status.path}")
    print(f"State       {state} ({status.share_done:.0%} of {status.rows_total:,} rows)")
    print(f"Size        {status.size_bytes / 1e6:,.1f} MB")
    if args.action == "build" and bar.enabled:
        print(f"Took        {format_seconds(bar_elapsed(bar))}")
    return 0


def bar_elapsed(bar: ProgressBar) -> float:
    import time

    return time.monotonic() - bar.started
