"""The `--catalog` / `--features` options every catalog subcommand shares."""

from __future__ import annotations

import argparse

from explorer.catalog import Catalog, open_catalog
from explorer.catalog.publish import is_postgres_url
from explorer.catalog.server import ServerCatalog
from explorer.catalog.source import CatalogSource
from explorer.errors import KnownError
from explorer.paths import CATALOG_ENV, catalog_from_env, default_demo_catalog


def add_catalog_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """`--catalog`, defaulting to the catalog EXPLORER_CATALOG names."""
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        default=catalog_from_env(),
        help=f"{help_text}; default: ${CATALOG_ENV}",
    )


def add_catalog_arguments(parser: argparse.ArgumentParser) -> None:
    # not required by argparse, so that its absence gets a sentence naming the demo catalog
    add_catalog_option(parser, "the catalog file (where supported, postgresql://user@host/dbname)")
    parser.add_argument(
        "--features",
        metavar="PATH",
        help="the audio-features file (default: <catalog>_audio_features.sqlite3 beside it)",
    )


def _refuse_server(args: argparse.Namespace) -> None:
    command = getattr(args, "command", None) or "this command"
    if command == "index":
        raise KnownError(
            "A PostgreSQL catalog has no sidecar index: its search structures live on the "
            "server (made by `explorer publish`)."
        )
    if command == "publish":
        raise KnownError("`explorer publish` copies a catalog file: name the file with --catalog.")
    raise KnownError(
        f"`explorer {command}` does not open a PostgreSQL catalog yet; give it the catalog file."
    )


def open_from_args(args: argparse.Namespace) -> Catalog:
    """The catalog file the arguments name (a PostgreSQL URL is refused with a sentence)."""
    if not args.catalog:
        demo = default_demo_catalog()
        there = (
            f"the demo catalog is at {demo}"
            if demo.exists()
            else f"`explorer demo` writes the demo catalog to {demo}"
        )
        raise KnownError(
            f"Name the catalog with --catalog PATH or the {CATALOG_ENV} variable ({there})."
        )
    if is_postgres_url(args.catalog):
        _refuse_server(args)
    return open_catalog(args.catalog, features=args.features)


def open_any_from_args(args: argparse.Namespace) -> Catalog | ServerCatalog:
    """The catalog the arguments name: a file, or a catalog published into PostgreSQL."""
    if args.catalog and is_postgres_url(args.catalog):
        return CatalogSource.from_arguments(args.catalog, args.features).open()
    return open_from_args(args)
