"""`explorer search`: the search box on the command line."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from dataclasses import replace
from typing import Any

from explorer.catalog.records import format_duration
from explorer.cli.arg_types import seconds, whole
from explorer.cli.catalog_args import add_catalog_arguments, open_any_from_args
from explorer.cli.output import print_json, print_table
from explorer.search.engine import SearchEngine
from explorer.search.results import KINDS, EntityKind, SearchHit, SearchPage
from explorer.search.server_engine import engine_for


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search artists, albums and tracks (words, field filters, IDs, URLs)",
        description=(
            "Words in any order and script; filters artist: album: track: label: genre: "
            'isrc: upc: year:1990 year:1990..1999 type:album|single|compilation; "quoted '
            'phrases"; a pasted ID, spotify: URI or open.spotify.com URL.'
        ),
    )
    add_catalog_arguments(parser)
    parser.add_argument("query", nargs="+", help="what to look for")
    parser.add_argument("--type", choices=KINDS, help="only this kind (default: all three)")
    parser.add_argument(
        "--limit", type=whole(1, 5_000, "hits"), default=10, help="hits per kind (default 10)"
    )
    parser.add_argument("--timeout", type=seconds(600), default=5.0, help="seconds per query")
    parser.add_argument("--json", action="store_true", help="one JSON object per hit")
    parser.set_defaults(func=run)


def hit_json(hit: SearchHit) -> dict[str, Any]:
    data = dataclasses.asdict(hit)
    data["type"] = data.pop("kind")
    data["artists"] = list(hit.artists)
    return data


def _rows(hit: SearchHit) -> tuple[object, ...]:
    if hit.kind == "track":
        return (
            hit.name,
            ", ".join(hit.artists),
            hit.album or "",
            hit.year or "",
            format_duration(hit.duration_ms),
            hit.popularity,
            hit.id,
        )
    if hit.kind == "album":
        return (
            hit.name,
            ", ".join(hit.artists),
            hit.album_type,
            hit.year or "",
            hit.popularity,
            hit.id,
        )
    return (hit.name, f"{hit.followers or 0:,}", hit.popularity, hit.id)


HEADERS = {
    "track": ("track", "artists", "album", "year", "time", "pop", "id"),
    "album": ("album", "artists", "type", "year", "pop", "id"),
    "artist": ("artist", "followers", "pop", "id"),
}


def _collect(
    engine: SearchEngine, text: str, kind: EntityKind, limit: int, timeout_s: float
) -> SearchPage:
    """Up to `limit` hits of one kind: page after page while the engine has more (a page
    holds 500 at most, and a filter the index cannot apply, as type: on tracks, may leave
    a page short or empty while more follow), within `timeout_s` in all."""
    deadline = time.monotonic() + timeout_s
    page = engine.search(text, kind=kind, limit=limit, timeout_s=timeout_s)
    hits, notices = list(page.hits), [page.notice] if page.notice else []
    while len(hits) < limit and page.cursor is not None:
        left = deadline - time.monotonic()
        if left <= 0:
            notices.append(f"stopped after {timeout_s:g} s with {len(hits):,} {kind}s")
            break
        page = engine.search(
            text, kind=kind, limit=limit - len(hits), cursor=page.cursor, timeout_s=left
        )
        hits += page.hits
        if page.notice and page.notice not in notices:
            notices.append(page.notice)
    return replace(
        page,
        hits=tuple(hits[:limit]),
        notice="; ".join(notices) or None,
        more=page.more or len(hits) > limit,
    )


def run(args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    kinds = (args.type,) if args.type else KINDS
    with open_any_from_args(args) as catalog:
        engine = engine_for(catalog)
        pages = [_collect(engine, text, kind, args.limit, args.timeout) for kind in kinds]
        engine.close()
    notices = {page.notice for page in pages if page.notice}
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)
    if args.json:
        for page in pages:
            for hit in page.hits:
                print_json(hit_json(hit))
        return 0
    if not any(page.hits for page in pages):
        print("No results.")
        return 0
    for page in pages:
        if not page.hits:
            continue
        more = "+" if page.more else ""
        fuzzy = " (close spellings)" if page.fuzzy else ""
        print(f"{page.kind.capitalize()}s: {len(page.hits)}{more}{fuzzy}")
        print_table([_rows(hit) for hit in page.hits], HEADERS[page.kind])
        print()
    return 0
