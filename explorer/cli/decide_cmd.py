"""`explorer decide accept|reject FILE` and `explorer decide undo|redo`: the review's
decisions from the command line, on the same calls as the window."""

from __future__ import annotations

import argparse
from typing import Any

from explorer.cli.library_cmd import add_store_argument, open_existing_store
from explorer.cli.output import print_json
from explorer.errors import KnownError
from explorer.matching import decisions

ON_FILE = ("accept", "reject")
WHOLE = ("undo", "redo")
DONE = {"accept": "Accepted", "reject": "Rejected"}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "decide",
        help="accept or reject a file's link, or undo / redo the latest decision",
        description=(
            "Decide on a file's link as the window's review does: accept keeps the "
            "suggested track, reject says it is wrong; undo and redo step through the "
            "decisions (an accept-all is one step). Re-matching never changes a decision."
        ),
    )
    parser.add_argument("action", choices=(*ON_FILE, *WHOLE), help="what to do")
    parser.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="for accept and reject: the file's path as scanned, or its id in the library",
    )
    add_store_argument(parser)
    parser.add_argument("--json", action="store_true", help="the result as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.action in ON_FILE and not args.file:
        raise KnownError(f"Name the file to {args.action}: `explorer decide {args.action} FILE`.")
    if args.action in WHOLE and args.file:
        raise KnownError(f"`explorer decide {args.action}` takes no file: it steps back or on.")
    with open_existing_store(args.store) as store:
        if args.action in WHOLE:
            step = decisions.undo(store) if args.action == "undo" else decisions.redo(store)
            if step is None:
                raise KnownError(f"Nothing to {args.action}.")
            file_id, said = step.file_id, step.said
        else:
            file_id = decisions.find_file(store, args.file)
            decisions.decide(store, file_id, args.action)
            said = f"{DONE[args.action]}: the link of file {file_id}."
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
