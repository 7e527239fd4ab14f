"""`explorer demo`: write the fictional demo catalog (deterministic for a seed)."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path
from typing import Any

from explorer.catalog.connection import features_path_for
from explorer.cli.output import ProgressBar, print_json
from explorer.demo import write_demo_catalog
from explorer.demo.writer import is_demo_file
from explorer.errors import KnownError
from explorer.paths import default_demo_catalog


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="write a fictional demo catalog in the published schema"
    )
    parser.add_argument(
        "path", nargs="?", help=f"where to write it (default: {default_demo_catalog()})"
    )
    parser.add_argument("--tracks", type=int, default=50_000, help="about how many tracks")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same file)")
    parser.add_argument(
        "--force", action="store_true", help="replace a catalog the demo wrote before (only that)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.path) if args.path else default_demo_catalog()
    if args.tracks < 1:
        raise KnownError("--tracks must be at least 1.")
    if path.exists() and not args.force:
        raise KnownError(f"'{path}' exists already; pass --force to replace it.")
    _check_replaceable(path)
    bar = ProgressBar("Writing demo", unit="tracks")
    try:
        stats = write_demo_catalog(
            path,
            tracks=args.tracks,
            seed=args.seed,
            progress=lambda done, total: bar.update(done, total),
        )
    except OSError as exc:
        raise KnownError(f"Cannot write '{path}': {exc.strerror or exc}.") from exc
    except sqlite3.Error as exc:  # SQLite's own "unable to open database file"
        raise KnownError(f"Cannot write '{path}': {exc}.") from exc
    finally:
        bar.finish()
    result = {
        "path": str(stats.path),
        "audio_features": str(stats.features_path),
        "tracks": stats.tracks,
        "albums": stats.albums,
        "artists": stats.artists,
        "seconds": round(stats.seconds, 2),
        "tracks_per_second": round(stats.tracks_per_second),
    }
    if args.json:
        print_json(result)
    else:
        print(
            f"Wrote {stats.tracks:,} tracks, {stats.albums:,} albums, {stats.artists:,} artists "
            f"to {stats.path} in {stats.seconds:.1f} s ({stats.tracks_per_second:,.0f} tracks/s)."
        )
    return 0


def _check_replaceable(path: Path) -> None:
    """--force replaces a catalog the demo wrote and its audio-features file, nothing
    else: not a real catalog (a download of 125 GB), a device, a folder, a user store or
    any other file given by mistake. The demo marks its files (DEMO_APPLICATION_ID)."""
    features = features_path_for(path)
    for target in (path, features):
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise KnownError(
                f"'{target}' is not a regular file; the demo replaces only a catalog it wrote "
                "before. Give another path."
            )
        if target.exists() and not is_demo_file(target):
            raise KnownError(
                f"'{target}' was not written by `explorer demo`, and --force replaces only "
                "what the demo wrote (never a real catalog or your own files). Give another "
                "path, or move that file away yourself."
            )
