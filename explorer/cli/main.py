"""The `explorer` command: parses arguments, runs one subcommand, maps errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from explorer import __version__
from explorer.cli import (
    demo_cmd,
    export_cmd,
    index_cmd,
    info_cmd,
    library_cmd,
    match_cmd,
    report_cmd,
    scan_cmd,
    search_cmd,
    show_cmd,
)
from explorer.errors import KnownError
from explorer.log import configure

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3

# Each subcommand module exposes `register(subparsers)`; its parser sets `func`.
SUBCOMMANDS = (
    info_cmd,
    search_cmd,
    show_cmd,
    index_cmd,
    scan_cmd,
    match_cmd,
    library_cmd,
    report_cmd,
    export_cmd,
    demo_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="explorer",
        description=(
            "Explore huge music metadata catalogs and link them to your own music files. "
            "Without a subcommand, opens the window."
        ),
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    parser.add_argument("--debug", action="store_true", help="verbose log, tracebacks on errors")
    parser.add_argument("--catalog", metavar="PATH", help="the catalog to open in the window")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window on the demo catalog (created first if missing)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def _open_window(args: argparse.Namespace) -> int:
    from explorer.cli.gui_cmd import run_gui

    return run_gui(catalog=args.catalog, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure(debug=args.debug)
    try:
        if args.command is None:
            return _open_window(args)
        result: int = args.func(args)
        return result
    except KnownError as exc:
        print(f"explorer: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("explorer: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"explorer: internal error ({type(exc).__name__}: {exc}); "
            "run again with --debug for the traceback and please report it.",
            file=sys.stderr,
        )
        return EXIT_BUG
