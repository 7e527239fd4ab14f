"""`explorer install-desktop [--remove]`: the launcher entry and icon in the user's XDG folders."""

from __future__ import annotations

import argparse
from typing import Any

from explorer.cli.output import print_json
from explorer.desktop import APP_ID, install, remove


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "install-desktop",
        help="add Catalog Explorer to your desktop's application launcher (or --remove it)",
        description=(
            f"Writes {APP_ID}.desktop (whose Exec line runs this installation), its AppStream "
            "metainfo and the icon in every size under $XDG_DATA_HOME (default "
            "~/.local/share): applications/, metainfo/, icons/hicolor/."
        ),
    )
    parser.add_argument(
        "--remove", action="store_true", help="delete the files it wrote instead (only those)"
    )
    parser.add_argument("--json", action="store_true", help="print the files as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    files = remove() if args.remove else install()
    if args.json:
        print_json(
            {
                "removed" if args.remove else "installed": [str(p) for p in files.paths],
                "data_home": str(files.data_home),
                "command": list(files.command),
            }
        )
    elif args.remove:
        print(f"Removed {len(files.paths)} files from {files.data_home}.")
    else:
        print(
            f"Installed the launcher entry and its icon ({len(files.paths)} files) under "
            f"{files.data_home}; it runs: {' '.join(files.command)}"
        )
    return 0
