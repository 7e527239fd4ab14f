"""The `explorer` command: parses arguments, runs one subcommand, maps errors to exit codes."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from explorer import __version__
from explorer.errors import KnownError
from explorer.log import configure, get_logger

log = get_logger("cli")

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command Ctrl+C stopped
INTERRUPTED = "explorer: interrupted."

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
    "decide",
    "tag",
    "demo",
    "install-desktop",
    "publish",
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
            "Without a subcommand, opens the window (on the catalog it opened last, or the demo)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    parser.add_argument("--debug", action="store_true", help="verbose log, tracebacks on errors")
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        help="the catalog to open in the window: a file or postgresql://user@host/dbname",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window on the demo catalog (created first if missing)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS if argv is None else _named(argv):
        module = f"explorer.cli.{name.replace('-', '_')}_cmd"
        importlib.import_module(module).register(subparsers)
    return parser


def _open_window(args: argparse.Namespace) -> int:
    from explorer.cli.gui_cmd import run_gui

    return run_gui(catalog=args.catalog, demo=args.demo)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:  # at any moment: while the subcommand's modules load, too
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str]) -> int:
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
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if _after_interrupt(exc):
            log.debug("an error while stopping after Ctrl+C", exc_info=exc)
            print(INTERRUPTED, file=sys.stderr)
            return EXIT_INTERRUPTED
        if _is_locked(exc):
            print(f"explorer: {BUSY}", file=sys.stderr)
            return EXIT_USER_ERROR
        damaged = _damaged_file(exc, args)
        if damaged is not None:
            log.debug("a damaged file", exc_info=exc)
            print(f"explorer: {damaged}", file=sys.stderr)
            return EXIT_USER_ERROR
        if args.debug:
            raise
        print(
            f"explorer: internal error ({type(exc).__name__}: {exc}); "
            "run again with --debug for the traceback and please report it.",
            file=sys.stderr,
        )
        return EXIT_BUG


BUSY = (
    "The library store is busy: another explorer (a scan, a match or the window) has been "
    "writing to it for over 10 s; try again when it is done."
)


def _after_interrupt(exc: BaseException) -> bool:
    """Whether `exc` was raised while a Ctrl+C was being handled (in a `finally` or an
    `__exit__` on its way out): the user stopped the command, and that is what to say,
    not the error of a clean-up the interruption cut short."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__context__
    return False


def _is_locked(exc: BaseException) -> bool:
    """SQLite gave up waiting for another process's write lock (the busy timeout)."""
    import sqlite3

    from explorer.library.store import is_busy

    return isinstance(getattr(exc, "orig", exc), sqlite3.Error) and is_busy(exc)


# The code that reads the search index (and never the user store). The catalog's
# connections and the index build name the file they find damaged themselves; the
# search engine's index connections and the user store's do not (yet).
INDEX_CODE = tuple(
    os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), area, "")
    for area in ("search", "index")
)


def _damaged_file(exc: Exception, args: argparse.Namespace) -> KnownError | None:
    """The sentence for SQLite's "database disk image is malformed" (or "file is not a
    database") that no layer named the file of: the search index when the code that
    raised it reads the index, else the user store of a command that has one, else the
    catalog."""
    from explorer.errors import catalog_damaged, index_damaged, is_damaged_file, store_damaged

    if not is_damaged_file(exc):
        return None
    catalog = getattr(args, "catalog", None)
    if catalog and _raised_in(exc, INDEX_CODE):
        return index_damaged(catalog, exc)
    if "store" in args:
        from explorer.library.store import default_store_path

        return store_damaged(args.store or default_store_path(), exc)
    if catalog:  # read by a way its connection does not watch
        return catalog_damaged(catalog, exc)
    return None


def _raised_in(exc: BaseException, folders: tuple[str, ...]) -> bool:
    """Whether code in one of `folders` was running when `exc` was raised: in this
    process (its traceback), or in a worker process (the traceback the pool passes on as
    the text of its cause)."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    if any(frame.filename.startswith(folders) for frame in frames):
        return True
    remote = str(exc.__cause__) if exc.__cause__ is not None else ""
    return any(folder in remote for folder in folders)
