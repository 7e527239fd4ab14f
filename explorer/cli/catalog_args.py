"""The `--catalog` / `--features` options every catalog subcommand shares."""

from __future__ import annotations

import argparse

from explorer.catalog import Catalog, open_catalog
from explorer.errors import KnownError


def add_catalog_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="PATH", required=True, help="the catalog file")
    parser.add_argument(
        "--features",
        metavar="PATH",
        help="the audio-features file (default: <catalog>_audio_features.sqlite3 beside it)",
    )


def open_from_args(args: argparse.Namespace) -> Catalog:
    if not args.catalog:
        raise KnownError("Name the catalog with --catalog PATH.")
    return open_catalog(args.catalog, features=args.features)
