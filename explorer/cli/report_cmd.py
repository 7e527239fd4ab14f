"""`explorer report missing|duplicates|unmatched`: what a matched library tells you."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
from collections.abc import Iterable
from typing import Any

from explorer.cli.catalog_args import add_catalog_option, open_any_from_args
from explorer.cli.library_cmd import add_store_argument, open_existing_store
from explorer.cli.output import print_table, write_records
from explorer.errors import KnownError
from explorer.matching.reports import (
    DuplicateFile,
    MissingTrack,
    UnmatchedFile,
    duplicates,
    missing_report,
    unmatched,
)

NOT_IN_CATALOG = (
    "None of your linked albums are in this catalog; was the library matched against another one?"
)


def add_format_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_const", const="json", dest="fmt", help="JSON lines")
    group.add_argument(
        "--csv", action="store_const", const="csv", dest="fmt", help="CSV with a header"
    )


def write_rows(records: Iterable[Any], row_type: type, *, fmt: str) -> int:
    """`write_records`, with the CSV header written even when there is no row."""
    count = write_records(records, fmt=fmt)
    if count == 0 and fmt == "csv":
        names = [field.name for field in dataclasses.fields(row_type)]
        csv.writer(sys.stdout, lineterminator="\n").writerow(names)
    return count


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report", help="missing tracks of your albums, duplicates, files without a link"
    )
    parser.add_argument(
        "kind",
        choices=("missing", "duplicates", "unmatched"),
        help="missing: the tracks of your albums you do not have (needs --catalog); "
        "duplicates: one recording in several files; unmatched: files without a link, and why",
    )
    add_catalog_option(parser, "the catalog (needed for 'missing')")
    parser.add_argument("--features", metavar="PATH", help=argparse.SUPPRESS)
    add_store_argument(parser)
    add_format_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    headers: tuple[str, ...]
    table: list[tuple[object, ...]]
    row_type: type
    with open_existing_store(args.store) as store:
        if args.kind == "missing":
            if not args.catalog:
                raise KnownError("The missing-tracks report needs the catalog: add --catalog PATH.")
            with open_any_from_args(args) as catalog:
                report = missing_report(store, catalog)
            if report.albums_linked and not report.albums_found:
                raise KnownError(NOT_IN_CATALOG)
            if report.albums_found < report.albums_linked:
                print(
                    f"{report.albums_linked - report.albums_found:,} of your "
                    f"{report.albums_linked:,} linked albums are not in this catalog "
                    "and are left out.",
                    file=sys.stderr,
                )
            rows: list[Any] = list(report.tracks)
            row_type = MissingTrack
            headers = ("album", "artists", "have", "disc", "#", "missing track", "track id")
            table = [
                (
                    r.album,
                    r.album_artists,
                    f"{r.owned}/{r.total}",
                    r.disc_number,
                    r.track_number,
                    r.title,
                    r.track_id,
                )
                for r in rows
            ]
        elif args.kind == "duplicates":
            rows = duplicates(store)
            row_type = DuplicateFile
            headers = ("recording", "format", "kbit/s", "path")
            table = [(r.key, r.format, (r.bitrate or 0) // 1000, r.path) for r in rows]
        else:
            rows = unmatched(store)
            row_type = UnmatchedFile
            headers = ("status", "reason", "path")
            table = [(r.status, r.reason, r.path) for r in rows]
    if args.fmt:
        write_rows(rows, row_type, fmt=args.fmt)
        return 0
    if not rows:
        print("Nothing to report.")
        return 0
    print_table(table, headers)
    print(f"{len(rows):,} rows", file=sys.stderr)
    return 0
