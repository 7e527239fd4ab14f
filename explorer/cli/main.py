"""The `explorer` command: parses arguments, runs one subcommand, maps errors to exit codes."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from explorer import __version__
from explorer.errors import KnownError
from explorer.log import configure

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3

# Each subcommand `name` is the module `explorer.cli.<name>_cmd`, which exposes
# `register(subparsers)`; its parser sets `func`. Only the subcommand named on the command
# line is imported (with the part of the core it uses): importing all of them took 0.25 s,
# which every start paid, and so did every worker process of an index build or a match
# started by the `explorer` script (a worker imports the script that started it).
SUBCOMMANDS = (
    "info",
    "search",
    "show",
    "index",
    "scan",
    "match",
    "library",
    "report",
    "export",
    "demo",
)


def _named(argv: Sequence[str]) -> tuple[str, ...]:
    """The subcommands to register: the one the command line names first, or all of them
    (for the help, the window, or a mistyped name, whose error lists them)."""
    words = [word for word in argv if not word.startswith("-")]
    return (words[0],) if words and words[0] in SUBCOMMANDS else SUBCOMMANDS


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv`, only the subcommand it names is registered."""
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
    for name in SUBCOMMANDS if argv is None else _named(argv):
        importlib.import_module(f"explorer.cli.{name}_cmd").register(subparsers)
    return parser


def _open_window(args: argparse.Namespace) -> int:
    from explorer.cli.gui_cmd import run_gui

    return run_gui(catalog=args.catalog, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
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
