"""`explorer demo`: write the fictional demo catalog (deterministic for a seed) with its search
index and covers, or (`--library DIR`) a small labelled folder of audio files to match."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path
from typing import Any

from explorer.catalog import open_catalog
from explorer.catalog.connection import features_path_for
from explorer.cli.output import ProgressBar, print_json
from explorer.demo import write_demo_catalog
from explorer.demo.covers import demo_covers_present, write_demo_covers
from explorer.demo.writer import is_demo_file
from explorer.errors import KnownError
from explorer.index import IndexProgress, build_index, index_status
from explorer.paths import cover_cache_dir, default_demo_catalog


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="write a fictional demo catalog in the published schema, with its search index "
        "and covers",
    )
    parser.add_argument(
        "path", nargs="?", help=f"where to write it (default: {default_demo_catalog()})"
    )
    parser.add_argument(
        "--library",
        metavar="DIR",
        help="instead, write a small folder of tagged audio files made from the catalog at "
        "PATH (written first if missing), to try `explorer match DIR` on",
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
    if args.library:
        return _write_library(args, path)
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
    index, covers = finish_demo(stats.path)
    result = {
        "path": str(stats.path),
        "index": str(index),
        "covers": covers,
        "cover_folder": str(cover_cache_dir()),
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
            f"to {stats.path} in {stats.seconds:.1f} s ({stats.tracks_per_second:,.0f} tracks/s), "
            f"with its search index and {covers:,} covers."
        )
    return 0


def finish_demo(path: Path) -> tuple[Path, int]:
    """Build the demo catalog's search index and write its covers, each unless done
    already (progress on the terminal); returns the index's path and the covers written."""
    covers = 0
    with open_catalog(path) as catalog:
        status = index_status(catalog)
        if not status.complete:
            bar = ProgressBar("Indexing", unit="rows")

            def report(progress: IndexProgress) -> None:
                bar.update(progress.rows_done, progress.rows_total, note=progress.part)

            try:
                status = build_index(catalog, progress=report)
            finally:
                bar.finish()
        if not demo_covers_present(catalog):
            cover_bar = ProgressBar("Drawing covers", unit="covers")
            try:
                covers = write_demo_covers(
                    catalog, progress=lambda done, total: cover_bar.update(done, total)
                )
            except OSError as exc:
                raise KnownError(
                    f"Cannot write the demo covers to '{cover_cache_dir()}': {exc.strerror or exc}."
                ) from exc
            finally:
                cover_bar.finish()
    return status.path, covers


def _write_library(args: argparse.Namespace, catalog_path: Path) -> int:
    """`--library DIR`: the demo catalog (written first when missing) and a folder of
    silent, tagged FLAC files made from it, damaged as real libraries are."""
    from explorer.demo.library import ensure_demo_library

    folder = Path(args.library)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise KnownError(f"'{folder}' is not an empty folder; give a new or empty one.")
    if not catalog_path.exists():
        if args.path:
            raise KnownError(f"There is no catalog at '{catalog_path}'; write it first.")
        write_demo_catalog(catalog_path)
        finish_demo(catalog_path)
    with open_catalog(catalog_path) as catalog:
        try:
            written = ensure_demo_library(catalog, folder)
        except OSError as exc:
            raise KnownError(f"Cannot write '{folder}': {exc.strerror or exc}.") from exc
    files = sum(1 for _ in written.rglob("*.flac"))
    if args.json:
        print_json({"library": str(written), "catalog": str(catalog_path), "files": files})
    else:
        print(
            f"Wrote {files:,} tagged audio files to {written}; match them with:\n"
            f"  explorer match '{written}' --catalog '{catalog_path}'"
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
