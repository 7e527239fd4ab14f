"""`explorer show`: one artist, album or track with every field."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from explorer.catalog.queries import CatalogQueries
from explorer.catalog.records import format_duration
from explorer.cli.catalog_args import add_catalog_arguments, open_any_from_args
from explorer.cli.output import print_json, print_table
from explorer.errors import KnownError
from explorer.search.query import parse_ref


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("show", help="one artist, album or track with every field")
    add_catalog_arguments(parser)
    parser.add_argument("ref", metavar="ID_OR_URI", help="a 22-character ID, spotify: URI or URL")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.set_defaults(func=run)


def lookup(catalog: CatalogQueries, text: str) -> dict[str, Any]:
    """The entity named by `text`, as a JSON-ready dict with its kind."""
    ref = parse_ref(text, any_id=True)
    if ref is None:
        raise KnownError(f"'{text}' is not an ID, a spotify: URI or an open.spotify.com URL.")
    kinds = (ref.kind,) if ref.kind else ("track", "album", "artist")
    for kind in kinds:
        if kind == "track":
            track = catalog.track(ref.id)
            if track is not None:
                features = catalog.audio_features(track.id)
                others = [t for t in catalog.tracks_with_isrc(track.isrc or "") if t.id != track.id]
                return {
                    "type": "track",
                    **dataclasses.asdict(track),
                    "uri": track.uri,
                    "audio_features": dataclasses.asdict(features) if features else None,
                    "also_on": [
                        {
                            "track_id": t.id,
                            "album_id": t.album.id if t.album else None,
                            "album": t.album.name if t.album else None,
                        }
                        for t in others
                    ],
                }
        elif kind == "album":
            album = catalog.album(ref.id)
            if album is not None:
                return {"type": "album", **dataclasses.asdict(album), "uri": album.uri}
        else:
            artist = catalog.artist(ref.id)
            if artist is not None:
                groups = catalog.artist_albums(artist.rowid)
                return {
                    "type": "artist",
                    **dataclasses.asdict(artist),
                    "uri": artist.uri,
                    "releases": {
                        label: [dataclasses.asdict(a) for a in albums]
                        for label, albums in groups.items()
                    },
                }
    raise KnownError(f"No {' or '.join(kinds)} with the id '{ref.id}' in this catalog.")


def _print_fields(data: dict[str, Any], skip: set[str]) -> None:
    for key, value in data.items():
        if key in skip or (
            isinstance(value, list | tuple | dict) and key not in ("markets", "genres")
        ):
            continue
        if isinstance(value, list | tuple):
            value = f"{len(value)}: {', '.join(map(str, value))}" if value else "none"
        print(f"{key:>24}  {'' if value is None else value}")


def run(args: argparse.Namespace) -> int:
    with open_any_from_args(args) as catalog:
        data = lookup(catalog, args.ref)
    if args.json:
        print_json(data)
        return 0
    print(f"{data['type'].capitalize()}: {data['name'] or '(no name)'}")
    _print_fields(data, {"type", "name"})
    if data.get("images"):
        images = ", ".join(f"{i['width']}px {i['url']}" for i in data["images"])
        print(f"{'images':>24}  {images}")
    if data.get("artists"):
        print(f"{'artists':>24}  {', '.join(a['name'] for a in data['artists'])}")
    if data["type"] == "track":
        if data.get("album"):
            print(f"{'album':>24}  {data['album']['name']} ({data['album']['id']})")
        features = data.get("audio_features")
        if features:
            print("\nAudio features")
            _print_fields(features, {"track_id"})
        if data["also_on"]:
            print(f"\nThis recording is also on {len(data['also_on'])} other release(s):")
            print_table(
                [(a["album"], a["album_id"], a["track_id"]) for a in data["also_on"]],
                ("album", "album id", "track id"),
            )
    elif data["type"] == "album":
        print()
        print_table(
            [
                (
                    t["disc_number"],
                    t["track_number"],
                    t["name"],
                    format_duration(t["duration_ms"]),
                    t["isrc"] or "",
                    t["id"],
                )
                for t in data["tracks"]
            ],
            ("disc", "#", "title", "time", "isrc", "id"),
        )
    else:
        for label, albums in data["releases"].items():
            if albums:
                print(f"\n{label}: {len(albums)}")
                print_table(
                    [(a["name"], a["release_date"], a["id"]) for a in albums],
                    ("title", "released", "id"),
                )
    return 0
