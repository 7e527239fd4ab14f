"""`explorer match DIR... --catalog PATH`: scan folders and link each file to its recording."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, cast

from explorer.catalog import Catalog
from explorer.cli.arg_types import whole
from explorer.cli.catalog_args import add_catalog_arguments, open_any_from_args
from explorer.cli.library_cmd import add_store_argument, no_audio_found
from explorer.cli.output import ProgressBar, print_json
from explorer.errors import KnownError
from explorer.index import build_index
from explorer.library.records import STATUS_MISSING
from explorer.library.scan import ScanProgress, scan
from explorer.library.store import open_store
from explorer.matching.decide import Thresholds
from explorer.matching.facets import refresh_facets
from explorer.matching.links import LinkRow, Links
from explorer.matching.run import FileOutcome, MatchProgress, match_library
from explorer.search.engine import SearchEngine
from explorer.search.server_engine import engine_for
from explorer.text.words import plural


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "match", help="scan folders and link every file to its catalog recording"
    )
    parser.add_argument(
        "folders", nargs="+", metavar="DIR", help="folders that hold music (or single audio files)"
    )
    add_catalog_arguments(parser)
    add_store_argument(parser)
    defaults = Thresholds()
    parser.add_argument(
        "--matched",
        type=float,
        default=defaults.matched_confidence,
        help=f"confidence to link without asking (default {defaults.matched_confidence})",
    )
    parser.add_argument(
        "--review",
        type=float,
        default=defaults.review_confidence,
        help=f"confidence below which a file stays unmatched (default {defaults.review_confidence})",
    )
    parser.add_argument(
        "--workers",
        type=whole(0, 64, "processes"),
        default=None,
        help="processes that match in parallel (default: one per core for 1,500 files or "
        "more; 0 matches in this process)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.set_defaults(func=run)


def outcome_json(outcome: FileOutcome, kept: LinkRow | None = None) -> dict[str, Any]:
    """One file's line of `--json`; `kept`: the link a user decided, kept as it is."""
    row, result = outcome.file, outcome.result
    data: dict[str, Any] = {"path": os.fsdecode(row.path)}  # exact: see print_json
    if result is None:
        # a rejected link names the track you turned down: not a link to use
        linked = kept is not None and kept.status != "rejected"
        data.update(
            status="kept" if outcome.kept_user_decision else "error",
            decision=kept.status if kept else None,  # accepted | rejected | manual
            track_id=kept.track_id if kept and linked else None,
            album_id=kept.album_id if kept and linked else None,
            confidence=kept.confidence if kept and linked else None,
            margin=kept.margin if kept and linked else None,
            method=kept.method if kept and linked else None,
            reason=f"{kept.status} by you earlier; left as it is"
            if kept
            else "decided by you earlier; left as it is"
            if outcome.kept_user_decision
            else "the file is gone since the last scan"  # whatever it said before
            if row.status == STATUS_MISSING
            else row.error or f"the file could not be read ({row.status})",
        )
        return data
    data.update(
        status=result.status,
        track_id=result.track_id,
        album_id=result.album_id,
        confidence=result.confidence,
        margin=result.margin,
        method=result.method,
        reason=result.reason,
    )
    if result.fields:
        data["fields"] = {name: round(contribution, 4) for name, contribution in result.fields}
    return data


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.review <= args.matched <= 1:
        raise KnownError("Thresholds must satisfy 0 <= --review <= --matched <= 1.")
    thresholds = Thresholds(matched_confidence=args.matched, review_confidence=args.review)
    with open_any_from_args(args) as opened:
        # a published catalog answers every query of the matcher (see CatalogQueries)
        catalog = cast(Catalog, opened)
        engine = engine_for(opened)
        if not engine.index_ready:
            bar = ProgressBar("indexing the catalog (once)", unit="rows")
            build_index(catalog, progress=lambda p: bar.update(p.rows_done, p.rows_total))
            bar.finish()
            engine = SearchEngine(catalog)
        with open_store(args.store) as store:
            scan_bar = ProgressBar("scanning", unit="files")

            def scanned(state: ScanProgress) -> None:
                scan_bar.update(state.files_done, state.files_total)

            summary_scan = scan(store, args.folders, progress=scanned)
            scan_bar.finish()
            no_audio_found(args.folders, summary_scan.files_seen)
            wanted = {os.fsencode(os.path.realpath(folder)) for folder in args.folders}
            roots = [root.id for root in store.roots() if os.path.realpath(root.path) in wanted]
            match_bar = ProgressBar("matching", unit="files")

            def matched(state: MatchProgress) -> None:
                match_bar.update(state.files_done, state.files_total)

            links = Links(store)

            def on_file(outcome: FileOutcome) -> None:
                if args.json:
                    kept = links.get(outcome.file.id) if outcome.kept_user_decision else None
                    print_json(outcome_json(outcome, kept))

            summary = match_library(
                store,
                catalog,
                root_ids=roots,
                thresholds=thresholds,
                progress=matched,
                on_file=on_file,
                engine=engine,
                workers=args.workers,
                fields=args.json,  # the contributions field by field: only --json prints them
            )
            match_bar.finish()
            facet_bar = ProgressBar("reading the catalog's facets of linked files", unit="files")
            refresh_facets(store, catalog, progress=lambda done: facet_bar.update(done, None))
            facet_bar.finish()
    seconds = summary_scan.seconds + summary.seconds
    files = summary.files
    text = (
        f"{plural(files, 'file')}: {summary.matched:,} matched, {summary.review:,} to review, "
        f"{summary.unmatched:,} unmatched, {plural(summary.errors, 'error')}"
        + (f", {summary.kept:,} kept as you decided" if summary.kept else "")
        + f"; {seconds:.1f} s, {files / seconds if seconds else 0:,.0f} files/s "
        f"(scan {summary_scan.seconds:.1f} s, match {summary.seconds:.1f} s)"
    )
    print(text, file=sys.stderr if args.json else sys.stdout)
    return 0
