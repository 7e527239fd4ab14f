"""`explorer export dataset DIR`: the linked files as a labelled audio dataset (Hugging Face
`audiofolder` layout; the core is matching/dataset.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from explorer.cli.catalog_args import add_catalog_arguments, open_from_args
from explorer.cli.library_cmd import add_store_argument, open_existing_store
from explorer.cli.output import ProgressBar, print_json
from explorer.matching.dataset import FIELDS, FORMATS, export_dataset, parse_fields
from explorer.text.words import plural


def register_dataset(kinds: Any) -> None:
    parser = kinds.add_parser(
        "dataset",
        help="the linked files and their catalog labels, as an audiofolder dataset in DIR",
    )
    parser.add_argument("directory", metavar="DIR", help="a new or empty folder")
    parser.add_argument(
        "--filter", metavar="WORDS", default="", help="library filter words, e.g. 'bpm:120..128'"
    )
    parser.add_argument(
        "--fields",
        metavar="LIST",
        help=f"labels, comma-separated (default all: {','.join(FIELDS)})",
    )
    parser.add_argument(
        "--format", dest="metadata_format", choices=FORMATS, default="csv",
        help="the metadata file (parquet needs pyarrow)",
    )  # fmt: skip
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--copy", dest="mode", action="store_const", const="copy", help="copy the files (default)"
    )
    mode.add_argument(
        "--link",
        dest="mode",
        action="store_const",
        const="link",
        help="hard-link the files (symbolic links across file systems)",
    )
    parser.add_argument("--include-review", action="store_true", help="files to review too")
    parser.add_argument(
        "--include-unmatched", action="store_true", help="unmatched files too (without labels)"
    )
    parser.add_argument("--json", action="store_true", help="the summary as JSON")
    add_catalog_arguments(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run_dataset, mode="copy")


def run_dataset(args: argparse.Namespace) -> int:
    fields = parse_fields(args.fields)
    with open_existing_store(args.store) as store, open_from_args(args) as catalog:
        bar = ProgressBar("writing the dataset", unit="files")
        summary = export_dataset(
            store,
            catalog,
            Path(args.directory),
            filter_text=args.filter,
            fields=fields,
            fmt=args.metadata_format,
            mode=args.mode,
            include_review=args.include_review,
            include_unmatched=args.include_unmatched,
            progress=lambda done: bar.update(done, None),
        )
        bar.finish()
    if args.json:
        print_json(
            {
                "directory": str(summary.directory),
                "metadata": str(summary.metadata),
                "files": summary.written,
                "statuses": summary.statuses,
                "left_out": summary.left_out,
                "fields": list(summary.fields),
                "hard_links": summary.linked,
                "symbolic_links": summary.symlinked,
            }
        )
        return 0
    left = ", ".join(f"{count:,} {why}" for why, count in sorted(summary.left_out.items()))
    print(
        f"Wrote {plural(summary.written, 'file')} and {summary.metadata.name} to {summary.directory}"
        + (f"; left out {left}" if left else "")
        + "."
    )
    return 0
