"""`explorer export links|m3u|dataset`: links for scripts, playlists for players, a
labelled dataset for training (export_dataset.py).

Each kind is its own subcommand with its own options, so options may come before or after
`m3u`'s album id (one parser with an optional ALBUM after WHAT took the empty album as
soon as an option followed WHAT, and the id after it was "unrecognized").

`export links` gives each file's `path` (in CSV in its readable form, bytes that are not
UTF-8 shown as \\xNN as everywhere else; in JSON exact, those bytes as surrogate escapes
like "\\udce9" that `os.fsencode` turns back into them) and `uri`, the exact path as a
file: URI (its bytes percent-encoded); the link's status in words, and the title and
artists of the file and of the linked track. Playlists are written in binary,
each path as its own bytes; a path holding a line break cannot be an M3U line and is
left out, and the output says how many were.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Any

from explorer.cli.catalog_args import add_catalog_option, open_any_from_args, open_from_args
from explorer.cli.export_dataset import register_dataset
from explorer.cli.library_cmd import add_store_argument, open_existing_store
from explorer.cli.output import print_json
from explorer.cli.report_cmd import add_format_arguments, write_rows
from explorer.errors import KnownError
from explorer.matching.filter_playlist import filter_m3u
from explorer.matching.reports import (
    LinkExport,
    Playlist,
    export_links,
    m3u,
    owned_album_ids,
    playlist_file_name,
)
from explorer.search.query import parse_ref


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="every link (CSV/JSON), M3U playlists (an album, or a filter), a labelled dataset",
    )
    kinds = parser.add_subparsers(
        dest="what", metavar="WHAT", required=True, help="links, m3u or dataset"
    )
    links = kinds.add_parser(
        "links", help="every file's link with its status, ids, titles and artists"
    )
    add_catalog_option(links, "names the tracks you linked by hand (optional)")
    links.add_argument("--features", metavar="PATH", help=argparse.SUPPRESS)
    add_store_argument(links)
    add_format_arguments(links)
    links.set_defaults(func=run)
    playlist = kinds.add_parser(
        "m3u", help="a playlist of an album you have, of every album, or of a library filter"
    )
    playlist.add_argument("album", nargs="?", metavar="ALBUM_ID", help="the album")
    playlist.add_argument(
        "--all-albums",
        metavar="DIR",
        help="one playlist per album you have, into DIR (--json: a summary as JSON)",
    )
    playlist.add_argument(
        "--filter",
        metavar="WORDS",
        help="the files that pass these library filter words, e.g. 'bpm:120..128 key:8A~'",
    )
    add_catalog_option(playlist, "the catalog (needed)")
    playlist.add_argument("--features", metavar="PATH", help="its audio-features file")
    add_store_argument(playlist)
    add_format_arguments(playlist)
    playlist.set_defaults(func=run)
    register_dataset(kinds)


def run(args: argparse.Namespace) -> int:
    with open_existing_store(args.store) as store:
        if args.what == "links":
            if args.catalog:
                with open_from_args(args) as catalog:
                    write_rows(export_links(store, catalog), LinkExport, fmt=args.fmt or "csv")
            else:
                write_rows(export_links(store), LinkExport, fmt=args.fmt or "csv")
            return 0
        if not args.catalog:
            raise KnownError("Playlists need the catalog for the track order: add --catalog PATH.")
        if args.fmt == "csv" or (args.fmt == "json" and not args.all_albums):
            raise KnownError(
                "A playlist is written as M3U; only --all-albums DIR takes --json (a summary)."
            )
        if sum(map(bool, (args.album, args.all_albums, args.filter))) != 1:
            raise KnownError(
                "Name an album id, or --all-albums DIR for one playlist per album, or "
                "--filter WORDS for the files that pass them (one of the three)."
            )
        if args.filter:
            with open_from_args(args) as catalog:
                playlist = filter_m3u(store, catalog, args.filter)
            _write_stdout(playlist)
            if not playlist.entries:
                print(f"No linked file passes the filter {args.filter!r}.", file=sys.stderr)
            if playlist.skipped:
                print(_skipped_sentence(list(playlist.skipped)), file=sys.stderr)
            return 0
        with open_any_from_args(args) as catalog:
            ids = [_album_id(args.album)] if args.album else owned_album_ids(store)
            target = Path(args.all_albums) if args.all_albums else None
            if target is not None:
                try:
                    target.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise KnownError(
                        f"Cannot make the folder '{target}' for the playlists: "
                        f"{exc.strerror or exc}."
                    ) from exc
            written: set[str] = set()  # names as a case- and form-blind file system sees them
            entries = 0
            skipped: list[str] = []
            not_in_catalog: list[str] = []
            for album_id in ids:
                album = catalog.album(album_id)
                if album is None and target is None:
                    raise KnownError(f"No album {album_id} in this catalog.")
                if album is None:  # linked against another catalog: the others go on
                    not_in_catalog.append(album_id)
                    continue
                playlist = m3u(store, album)
                if target is None and not playlist.entries and not playlist.skipped:
                    raise KnownError(
                        f"None of your files is linked to a track of album {album_id} "
                        f"({album.name}); there is nothing to list."
                    )
                entries += playlist.entries
                skipped.extend(playlist.skipped)
                if target is None:
                    _write_stdout(playlist)
                    continue
                name, copy = playlist_file_name(album), 1
                while _fold(name) in written:  # ids that differ only in case
                    copy += 1
                    name = playlist_file_name(album, copy=copy)
                written.add(_fold(name))
                (target / name).write_bytes(playlist.data)
    if args.fmt == "json":
        print_json(
            {
                "directory": str(target),
                "playlists": len(written),
                "files": entries,
                "skipped": len(skipped),
                "skipped_paths": skipped,
                "albums_not_in_catalog": not_in_catalog,
            }
        )
        return 0
    if not_in_catalog:
        print(
            f"Left out {len(not_in_catalog):,} of your albums that this catalog does not have "
            f"(matched against another one?): {', '.join(not_in_catalog[:3])}"
            f"{' …' if len(not_in_catalog) > 3 else ''}.",
            file=sys.stderr,
        )
    if target is not None:
        lists = f"{len(written):,} playlist{'' if len(written) == 1 else 's'}"
        files = f"{entries:,} file{'' if entries == 1 else 's'}"
        print(f"Wrote {lists} ({files}) to {target}.")
    if skipped:
        print(_skipped_sentence(skipped), file=sys.stderr)
    return 0


def _album_id(text: str) -> str:
    """An album's id from an id, a spotify:album: URI or an open.spotify.com link."""
    ref = parse_ref(text, any_id=True)
    if ref is None or ref.kind not in (None, "album"):
        raise KnownError(f"{text!r} is not an album id, spotify:album: URI or album link.")
    return ref.id


def _write_stdout(playlist: Playlist) -> None:
    """The playlist's bytes as they are (paths that are not UTF-8 included)."""
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (an embedding host)
        sys.stdout.write(playlist.data.decode("utf-8", "surrogateescape"))
        return
    out.write(playlist.data)
    out.flush()


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _skipped_sentence(skipped: list[str]) -> str:
    shown = "; ".join(repr(path) for path in skipped[:3])
    more = f" and {len(skipped) - 3:,} more" if len(skipped) > 3 else ""
    return (
        f"Left out {len(skipped):,} file{'s' if len(skipped) != 1 else ''} whose path holds a "
        f"line break, which an M3U line cannot: {shown}{more}."
    )
