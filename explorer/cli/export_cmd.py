"""`explorer export links|m3u`: links for scripts, playlists for players."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from explorer.cli.catalog_args import open_from_args
from explorer.cli.library_cmd import add_store_argument
from explorer.cli.output import write_records
from explorer.cli.report_cmd import add_format_arguments
from explorer.demo.library import safe_name
from explorer.errors import KnownError
from explorer.library.store import open_store
from explorer.matching.reports import export_links, m3u, owned_album_ids


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export", help="every link (CSV/JSON), or M3U playlists of your albums"
    )
    parser.add_argument("what", choices=("links", "m3u"))
    parser.add_argument("album", nargs="?", metavar="ALBUM_ID", help="m3u: the album")
    parser.add_argument(
        "--all-albums", metavar="DIR", help="m3u: one playlist per album you have, into DIR"
    )
    parser.add_argument("--catalog", metavar="PATH", help="the catalog (needed for m3u)")
    parser.add_argument("--features", metavar="PATH", help=argparse.SUPPRESS)
    add_store_argument(parser)
    add_format_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_store(args.store) as store:
        if args.what == "links":
            write_records(export_links(store), fmt=args.fmt or "csv")
            return 0
        if not args.catalog:
            raise KnownError("Playlists need the catalog for the track order: add --catalog PATH.")
        if not args.album and not args.all_albums:
            raise KnownError("Name an album id, or --all-albums DIR for one playlist per album.")
        with open_from_args(args) as catalog:
            ids = [args.album] if args.album else owned_album_ids(store)
            target = Path(args.all_albums) if args.all_albums else None
            if target is not None:
                target.mkdir(parents=True, exist_ok=True)
            for album_id in ids:
                album = catalog.album(album_id)
                if album is None:
                    raise KnownError(f"No album {album_id} in this catalog.")
                text = m3u(store, album)
                if target is None:
                    print(text, end="")
                else:
                    name = safe_name(
                        f"{', '.join(a.name for a in album.artists)} - {album.name} [{album.id}]"
                    )
                    (target / f"{name}.m3u8").write_text(text, encoding="utf-8")
            if target is not None:
                print(f"Wrote {len(ids):,} playlists to {target}.")
    return 0
