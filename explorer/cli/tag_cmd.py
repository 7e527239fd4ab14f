"""`explorer tag write|undo|history`: write the matched recordings into the files' tags."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from explorer.cli.catalog_args import add_catalog_arguments, open_from_args
from explorer.cli.library_cmd import add_store_argument, open_existing_store
from explorer.cli.output import ProgressBar, print_json
from explorer.errors import KnownError
from explorer.library.store import LibraryStore
from explorer.library.tag_journal import JournalEntry, TagJournal
from explorer.tagging.fields import (
    ALL_FIELDS,
    LABELS,
    NEEDS_FEATURES,
    OPTIONAL_FIELDS,
    parse_fields,
)
from explorer.tagging.names import raw_texts
from explorer.tagging.plan import FilePlan, Preview, files_under, linked_files, plan_files
from explorer.tagging.recovery import recover
from explorer.tagging.undo import undo
from explorer.tagging.writer import FileOutcome, WriteProgress, WriteSummary, write_plans
from explorer.text.words import plural

EXIT_FAILED = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("tag", help="write matched recordings into your files' tags")
    actions = parser.add_subparsers(
        dest="tag_action", metavar="ACTION", required=True, help="write, undo or history"
    )

    write = actions.add_parser(
        "write", help="preview, then write the linked recording into the files' tags"
    )
    write.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="files or folders (default: every file with a matched, accepted or manual link)",
    )  # fmt: skip
    add_catalog_arguments(write)
    add_store_argument(write)
    write.add_argument(
        "--fields", default="ids", metavar="ids|all|LIST",
        help="identifiers only (default), all, or identifiers and a comma list of "
        f"{', '.join(OPTIONAL_FIELDS)}",
    )  # fmt: skip
    write.add_argument("--dry-run", action="store_true", help="show the preview, write nothing")
    write.add_argument("--yes", action="store_true", help="write without asking")
    write.add_argument(
        "--keep-mtime", action="store_true", help="keep the files' modification times"
    )
    write.add_argument("--json", action="store_true", help="one JSON object per file")
    write.set_defaults(func=run_write)

    undo_parser = actions.add_parser(
        "undo", help="put back the tags of the last batch, of batch N, or of files"
    )
    undo_parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    undo_parser.add_argument("--batch", type=int, metavar="N", help="the batch to undo")
    undo_parser.add_argument(
        "--force", action="store_true", help="undo files changed since their tags were written"
    )
    add_store_argument(undo_parser)
    undo_parser.add_argument("--json", action="store_true", help="one JSON object per file")
    undo_parser.set_defaults(func=run_undo)

    history = actions.add_parser("history", help="the batches written, or one file's writes")
    history.add_argument("path", nargs="?", metavar="PATH", help="one file")
    add_store_argument(history)
    history.add_argument("--json", action="store_true", help="one JSON object per line")
    history.set_defaults(func=run_history)


def _texts(values: tuple[str, ...] | list[str]) -> str:
    return "; ".join(values) if values else "(none)"


def plan_json(plan: FilePlan) -> dict[str, Any]:
    return {
        "path": plan.display,
        "status": plan.status,
        "problem": plan.problem,
        "format": plan.format or None,
        "track_id": plan.track_id,
        "changes": [
            {"field": c.field, "tag": c.name, "before": list(c.before), "after": list(c.after)}
            for c in plan.changes
        ],
    }


def print_preview(preview: Preview) -> None:
    """Each file to write with its fields before -> after, then the files refused."""
    for plan in preview.to_write:
        print(plan.display)
        for change in plan.changes:
            label = LABELS.get(change.field, change.field)
            print(f"  {label} ({change.name}): {_texts(change.before)} -> {_texts(change.after)}")
    for plan in preview.plans:
        if plan.status == "unchanged":
            print(f"{plan.display}: unchanged (its tags already say so)")
    refused = [plan for plan in preview.plans if plan.status == "unwritable"]
    if refused:
        print("Cannot be written:")
        for plan in refused:
            print(f"  {plan.display}: {plan.problem}")
    counts = preview.counts
    print(
        f"{counts.get('write', 0):,} files to write, {counts.get('unchanged', 0):,} unchanged "
        f"(their tags already say so), {counts.get('unwritable', 0):,} cannot be written."
    )


def _confirm(count: int) -> bool:
    sys.stdout.write(f"Write tags into {plural(count, 'file')}? [y/N] ")
    sys.stdout.flush()
    answer = sys.stdin.readline().strip().casefold()
    return answer in ("y", "yes")


def _outcome_json(outcome: FileOutcome) -> dict[str, Any]:
    return {"path": outcome.display, "status": outcome.status, "reason": outcome.reason}


def _run_with_bar(label: str, call: Any, *, json_out: bool, **kwargs: Any) -> WriteSummary:
    bar = ProgressBar(label, unit="files")

    def progress(state: WriteProgress) -> None:
        bar.update(state.done, state.total)

    def on_file(outcome: FileOutcome) -> None:
        if json_out:
            print_json(_outcome_json(outcome))
        elif outcome.status == "failed":
            sys.stderr.write(f"\n{outcome.display}: {outcome.reason}\n")

    summary: WriteSummary = call(progress=progress, on_file=on_file, **kwargs)
    bar.finish()
    return summary


def _summary_line(summary: WriteSummary, verb: str) -> str:
    return (
        f"{plural(summary.written, 'file')} {verb}, {summary.unchanged:,} unchanged, "
        f"{summary.failed:,} failed" + (" (cancelled)" if summary.cancelled else "")
        + (f"; batch {summary.batch_id}" if summary.batch_id is not None else "")
        + f"; {summary.seconds:.1f} s."
    )  # fmt: skip


def run_write(args: argparse.Namespace) -> int:
    fields = parse_fields(args.fields)
    if args.json and not (args.dry_run or args.yes):
        raise KnownError(
            "--json shows no preview to confirm: add --dry-run to see it, or --yes to write."
        )
    with open_from_args(args) as catalog, open_existing_store(args.store) as store:
        recover(store)
        if set(fields) & NEEDS_FEATURES and not catalog.has_features:
            print(
                "explorer: no audio-features file beside the catalog (give --features): "
                "BPM and key are left out.",
                file=sys.stderr,
            )
        ids = files_under(store, args.paths) if args.paths else list(linked_files(store))
        bar = ProgressBar("reading", unit="files")
        preview = plan_files(
            store, catalog, ids, fields=fields, progress=lambda done: bar.update(done, len(ids))
        )
        bar.finish()
        if args.json and args.dry_run:
            for plan in preview.plans:
                print_json(plan_json(plan))
        elif not args.json:
            print_preview(preview)
        unwritable = preview.counts.get("unwritable", 0)
        if args.dry_run or not preview.to_write:
            return EXIT_FAILED if unwritable else 0
        if (
            not args.yes
            and not args.json
            and sys.stdin.isatty()
            and not _confirm(len(preview.to_write))
        ):
            print("Nothing written.")
            return 0
        summary = _run_with_bar(
            "writing", write_plans, json_out=args.json, store=store, plans=preview.plans,
            fields=fields, keep_mtime=args.keep_mtime,
        )  # fmt: skip
    print(_summary_line(summary, "written"), file=sys.stderr if args.json else sys.stdout)
    return EXIT_FAILED if summary.failed or unwritable else 0


def _undo_ids(store: LibraryStore, paths: list[str]) -> list[int]:
    ids = files_under(store, paths)
    if not ids:
        raise KnownError("No files of the library store are under these paths.")
    return ids


def run_undo(args: argparse.Namespace) -> int:
    if args.batch is not None and args.paths:
        raise KnownError("Give either --batch N or paths, not both.")
    with open_existing_store(args.store) as store:
        recover(store)
        journal = TagJournal(store)
        if args.batch is not None and journal.batch(args.batch) is None:
            raise KnownError(f"There is no batch {args.batch}; `explorer tag history` lists them.")
        file_ids = _undo_ids(store, args.paths) if args.paths else []
        if not file_ids and args.batch is None and journal.latest_batch() is None:
            raise KnownError("No tags were written yet: there is nothing to undo.")
        summary = _run_with_bar(
            "undoing", undo, json_out=args.json, store=store, batch_id=args.batch,
            file_ids=file_ids, force=args.force,
        )  # fmt: skip
    print(_summary_line(summary, "put back"), file=sys.stderr if args.json else sys.stdout)
    return EXIT_FAILED if summary.failed else 0


def _entry_json(entry: JournalEntry) -> dict[str, Any]:
    return {
        "batch": entry.batch_id,
        "kind": entry.kind,
        "path": entry.display,
        "at": entry.at,
        "tags": {
            name: {"before": raw_texts(entry.before.get(name)), "after": raw_texts(raw)}
            for name, raw in entry.after.items()
        },
    }


def _when(at: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at)) if at else "unfinished"


def run_history(args: argparse.Namespace) -> int:
    with open_existing_store(args.store) as store:
        recover(store)
        journal = TagJournal(store)
        if args.path:
            row = store.file_by_path(args.path)
            if row is None:
                raise KnownError(f"{args.path} is not in the library store.")
            for entry in journal.history(row.id):
                if args.json:
                    print_json(_entry_json(entry))
                    continue
                print(f"batch {entry.batch_id} ({entry.kind}) at {_when(entry.at)}:")
                for name, raw in entry.after.items():
                    before = _texts(raw_texts(entry.before.get(name)))
                    print(f"  {name}: {before} -> {_texts(raw_texts(raw))}")
            return 0
        for batch in journal.batches():
            if not batch.written:  # a run that wrote nothing (all refused or cancelled)
                continue
            fields = [LABELS.get(f, f) for f in batch.fields if f in ALL_FIELDS]
            if args.json:
                print_json({
                    "batch": batch.id, "kind": batch.kind, "files": batch.written,
                    "fields": list(batch.fields), "reverses": batch.reverses,
                    "started_at": batch.started_at, "finished_at": batch.finished_at,
                })  # fmt: skip
                continue
            what = f"undo of batch {batch.reverses}" if batch.reverses else batch.kind
            text = f"batch {batch.id}: {what}, {plural(batch.written, 'file')}, {_when(batch.started_at)}"
            print(text + (f" ({', '.join(fields)})" if fields else ""))
    return 0
