"""`explorer decide accept|reject|unlink FILE`, `decide pick|link FILE TRACK` and `decide
undo|redo`: the review's decisions from the command line, on the same calls as the window."""

from __future__ import annotations

import argparse
from typing import Any

from explorer.cli.catalog_args import add_catalog_arguments, open_from_args
from explorer.cli.library_cmd import add_store_argument, open_existing_store
from explorer.cli.output import print_json
from explorer.errors import KnownError
from explorer.matching import decisions
from explorer.search.query import parse_ref

ON_FILE = ("accept", "reject", "unlink")
TO_TRACK = ("pick", "link")
WHOLE = ("undo", "redo")
DONE = {
    "accept": "Accepted",
    "reject": "Rejected",
    "unlink": "Unlinked (left for the matcher's next run)",
    "pick": "Picked",
    "link": "Linked by hand",
}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "decide",
        help="accept, reject, pick or link a file's track, or undo / redo the latest decision",
        description=(
            "Decide on a file's link as the window's review does: accept keeps the "
            "suggested track, reject says it is wrong, unlink forgets the decision and the "
            "link (the next match decides again), pick takes one of the alternatives the "
            "matcher offered, link ties the file to any track of the catalog (--catalog); "
            "undo and redo step through the decisions (an accept-all is one step). "
            "Re-matching never changes a decision."
        ),
    )
    parser.add_argument("action", choices=(*ON_FILE, *TO_TRACK, *WHOLE), help="what to do")
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="the file's path as scanned, or its id in the library (not for undo and redo)",
    )
    parser.add_argument(
        "track",
        nargs="?",
        metavar="TRACK",
        help="for pick and link: the track's ID, spotify:track: URI or open.spotify.com URL",
    )
    add_store_argument(parser)
    add_catalog_arguments(parser)
    parser.add_argument("--json", action="store_true", help="the result as one JSON object")
    parser.set_defaults(func=run)


def _check_arguments(args: argparse.Namespace) -> None:
    action = args.action
    if action in WHOLE and args.file:
        raise KnownError(f"`explorer decide {action}` takes no file: it steps back or on.")
    if action in ON_FILE and not args.file:
        raise KnownError(f"Name the file to {action}: `explorer decide {action} FILE`.")
    if action in ON_FILE and args.track:
        raise KnownError(f"`explorer decide {action}` takes a file only, not a track.")
    if action in TO_TRACK and not (args.file and args.track):
        raise KnownError(f"Name the file and the track: `explorer decide {action} FILE TRACK`.")


def _track_id(text: str) -> str:
    ref = parse_ref(text, any_id=True)
    if ref is None or ref.kind not in (None, "track"):
        raise KnownError(f"'{text}' is not a track's ID, spotify:track: URI or URL.")
    return ref.id


def _decide_on_file(args: argparse.Namespace, store: Any) -> tuple[int, str]:
    file_id = decisions.find_file(store, args.file)
    if args.action == "pick":
        track_id = _track_id(args.track)
        offered = decisions.offered(store, file_id, track_id)
        if offered is None:
            raise KnownError(
                "The matcher did not offer that track for this file; "
                "`explorer decide link FILE TRACK --catalog PATH` links any track."
            )
        decisions.decide(
            store,
            file_id,
            "pick",
            track_id=offered.track_id,
            album_id=offered.album_id,
            isrc=offered.isrc,
        )
    elif args.action == "link":
        track_id = _track_id(args.track)
        with open_from_args(args) as catalog:
            decisions.decide(store, file_id, "manual", track_id=track_id, catalog=catalog)
    else:
        decisions.decide(store, file_id, args.action)
    return file_id, f"{DONE[args.action]}: the link of file {file_id}."


def run(args: argparse.Namespace) -> int:
    _check_arguments(args)
    with open_existing_store(args.store) as store:
        if args.action in WHOLE:
            step = decisions.undo(store) if args.action == "undo" else decisions.redo(store)
            if step is None:
                raise KnownError(f"Nothing to {args.action}.")
            file_id, said = step.file_id, step.said
        else:
            file_id, said = _decide_on_file(args, store)
        link = decisions.link_of(store, file_id)
    if args.json:
        print_json(
            {
                "action": args.action,
                "file_id": file_id,
                "status": link.status if link is not None else None,
                "track_id": link.track_id if link is not None else None,
                "said": said,
            }
        )
    else:
        print(said)
    return 0
