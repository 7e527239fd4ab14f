"""`explorer publish`: copy a catalog file into a PostgreSQL database for a whole team."""

from __future__ import annotations

import argparse
import time
from typing import Any

from explorer.catalog.publish import PublishProgress, is_postgres_url, publish
from explorer.cli.catalog_args import add_catalog_arguments, open_from_args
from explorer.cli.output import ProgressBar, format_seconds
from explorer.errors import KnownError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="copy a catalog (and its audio features) into PostgreSQL; a rerun resumes",
    )
    add_catalog_arguments(parser)
    parser.add_argument(
        "--to",
        metavar="URL",
        required=True,
        help="postgresql://user@host/dbname (password from ~/.pgpass or PGPASSWORD)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not is_postgres_url(args.to):
        raise KnownError(f"'{args.to}' is not a PostgreSQL URL (postgresql://user@host/dbname).")
    started = time.monotonic()
    with open_from_args(args) as catalog:
        bar = ProgressBar("Publishing", unit="rows")

        def report(progress: PublishProgress) -> None:
            bar.update(progress.rows_done, progress.rows_total, note=progress.step)

        try:
            result = publish(catalog, args.to, progress=report)
        finally:
            bar.finish()
    print(f"Copied      {len(result.tables_copied)} tables, {result.rows_copied:,} rows")
    if result.tables_skipped:
        print(f"Already     {', '.join(result.tables_skipped)} (done by an earlier run)")
    print(f"Took        {format_seconds(time.monotonic() - started)}")
    return 0
