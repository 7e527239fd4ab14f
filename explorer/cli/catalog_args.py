"""The `--catalog` / `--features` options every catalog subcommand shares."""

from __future__ import annotations

import argparse

from explorer.catalog import Catalog, open_catalog
from explorer.errors import KnownError
from explorer.paths import default_demo_catalog


def add_catalog_arguments(parser: argparse.ArgumentParser) -> None:
    # not required by argparse, so that its absence gets a sentence naming the demo catalog
    parser.add_argument("--catalog", metavar="PATH", help="the catalog file (required)")
    parser.add_argument(
        "--features",
        metavar="PATH",
        help="the audio-features file (default: <catalog>_audio_features.sqlite3 beside it)",
    )


def open_from_args(args: argparse.Namespace) -> Catalog:
    if not args.catalog:
        demo = default_demo_catalog()
        there = (
            f"the demo catalog is at {demo}"
            if demo.exists()
            else f"`explorer demo` writes the demo catalog to {demo}"
        )
        raise KnownError(f"Name the catalog with --catalog PATH ({there}).")
    return open_catalog(args.catalog, features=args.features)
