"""A labelled audio dataset from the linked files: the Hugging Face `audiofolder` layout
(audio files copied or linked, never moved, a metadata file with one column per label and
each link's confidence, and a README.md data card)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.catalog.connection import Catalog
from explorer.errors import KnownError
from explorer.library.facet_cache import LinkFacets
from explorer.library.store import LibraryStore
from explorer.matching.facets import refresh_facets
from explorer.matching.library_filter import filter_problems
from explorer.matching.review import ReviewRow, file_by_id, library_page
from explorer.text.keys import camelot, standard_name

# The folder inside DIR that holds the audio files (metadata's `file_name` starts with it).
AUDIO_FOLDER = "audio"
FORMATS = ("csv", "jsonl", "parquet")
MODES = ("copy", "link")
# The labels, in column order, and what each one is (the data card lists them).
FIELDS = {
    "artist": "the track's credited artists, joined by '; ' (JSON and Parquet: a list)",
    "title": "the track's name in the catalog",
    "album": "the name of the catalog release the file was linked to",
    "track_id": "the catalog track id (22 characters)",
    "album_id": "the catalog album id",
    "isrc": "the recording's ISRC",
    "year": "the release year of that album",
    "bpm": "tempo in beats per minute (the catalog's audio analysis)",
    "key": "the key in standard notation (Am, F#)",
    "camelot": "the key as a Camelot code (8A = A minor)",
    "energy": "0-1, the catalog's audio analysis",
    "danceability": "0-1, the catalog's audio analysis",
    "valence": "0-1 (musical positiveness), the catalog's audio analysis",
    "popularity": "0-100, the track's popularity in the catalog",
    "genres": "the genres of the track's artists, joined by '; ' (JSON and Parquet: a list)",
}
_LISTS = ("artist", "genres")
# Statuses whose labels are the user's or the matcher's sure choice; `review` and the
# unmatched ones only on request.
SURE = ("matched", "accepted", "manual")
UNMATCHED = ("unmatched", "not matched", "rejected")
# Longest file name written, in UTF-8 bytes (file systems take 255; room is left for
# " (12)" before the suffix).
NAME_BYTES = 200
# Characters a file name in the dataset never holds (path separators, line breaks, NUL).
_UNSAFE = str.maketrans(dict.fromkeys('/\\\n\r\t\x00:*?"<>|', "_"))


@dataclass(frozen=True)
class DatasetSummary:
    """What an export wrote and what it left out (and why)."""

    directory: Path
    metadata: Path
    written: int
    statuses: dict[str, int]  # files written, by status
    left_out: dict[str, int]  # review / unmatched / unreadable / missing: files not written
    fields: tuple[str, ...]
    linked: int  # files hard- or symlinked instead of copied
    symlinked: int


@dataclass
class _Plan:
    fields: tuple[str, ...]
    fmt: str
    mode: str
    records: list[dict[str, Any]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # as a case- and form-blind system sees them
    statuses: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)
    linked: int = 0
    symlinked: int = 0


def parse_fields(text: str | None) -> tuple[str, ...]:
    """`bpm,key,energy` -> those labels in the order given; None or empty -> every label."""
    if not text or not text.strip():
        return tuple(FIELDS)
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in FIELDS]
    if unknown:
        raise KnownError(
            f"No label named {', '.join(unknown)}; the labels are {', '.join(FIELDS)}."
        )
    return tuple(dict.fromkeys(names))


def _parquet_writer() -> Any:
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as parquet
    except ImportError as exc:
        raise KnownError(
            "Parquet needs pyarrow, which is not installed: pip install "
            "'catalog-explorer[parquet]' (or pyarrow), or write --format csv or jsonl."
        ) from exc
    return parquet


def _inside_root(store: LibraryStore, directory: Path) -> str | None:
    """The music folder (a scanned root) that holds `directory`, if one does."""
    target = os.path.realpath(os.fsencode(directory))
    for root in store.roots():
        base = os.path.realpath(root.path)
        if target == base or target.startswith(base.rstrip(b"/") + b"/"):
            return root.display
    return None


def _target(store: LibraryStore, directory: Path) -> None:
    """DIR must be new or empty (nothing in it is ever overwritten) and outside the music
    folders (a later scan would read the copies as more files of yours)."""
    root = _inside_root(store, directory)
    if root is not None:
        raise KnownError(
            f"'{directory}' is inside your music folder '{root}': the next scan would read "
            "the dataset's files as more of yours. Choose a folder outside it."
        )
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise KnownError(
            f"'{directory}' is not an empty folder; give a new or empty one for the dataset "
            "(nothing already there is overwritten)."
        )
    try:
        (directory / AUDIO_FOLDER).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(f"Cannot make the folder '{directory}': {exc.strerror or exc}.") from exc


def dataset_name(path: bytes, taken: set[str]) -> str:
    """A file name for the dataset, unique in `taken` (folded as a case- and form-blind file
    system compares: `Intro.flac`, `Intro (2).flac`); bytes that are not UTF-8 become `_`."""
    raw = os.path.basename(path).decode("utf-8", "replace").replace("\ufffd", "_")
    name = unicodedata.normalize("NFC", raw).translate(_UNSAFE).strip(" .") or "file"
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        stem, suffix = name, ""
    if len(name.encode()) > NAME_BYTES:  # shortened on a character boundary, suffix kept
        room = max(NAME_BYTES - len(suffix.encode()) - 1, 1)
        stem = stem.encode()[:room].decode("utf-8", "ignore").rstrip(" .") or "file"
        name = f"{stem}.{suffix}" if suffix else stem
    candidate, copy = name, 1
    while unicodedata.normalize("NFC", candidate).casefold() in taken:
        copy += 1
        candidate = f"{stem} ({copy}).{suffix}" if suffix else f"{stem} ({copy})"
    taken.add(unicodedata.normalize("NFC", candidate).casefold())
    return candidate


def _place(plan: _Plan, source: bytes, target: Path) -> None:
    """Copy the file (its bytes and times; the source is only read) or link it."""
    if plan.mode == "copy":
        shutil.copy2(source, os.fsencode(target))
        return
    try:
        os.link(source, os.fsencode(target))
        plan.linked += 1
    except OSError:  # another file system, or links not allowed: a symbolic link
        os.symlink(os.path.abspath(source), os.fsencode(target))
        plan.symlinked += 1


def _labels(
    track_id: str | None, facets: LinkFacets | None, track: Any, fields: Sequence[str]
) -> dict[str, Any]:
    """The labels of one file from its linked track (None/empty: the catalog has no value,
    or the file has no link to use)."""
    album = track.album if track is not None else None
    known: dict[str, Any] = {
        "artist": [a.name for a in track.artists] if track is not None else [],
        "title": track.name if track is not None else None,
        "album": album.name if album is not None else None,
        "track_id": track_id,
        "album_id": album.id if album is not None else None,
        "isrc": track.isrc if track is not None else None,
        "year": facets.year if facets else None,
        "bpm": facets.tempo if facets else None,
        "key": (standard_name(facets.key, facets.mode) or None) if facets else None,
        "camelot": (camelot(facets.key, facets.mode) or None) if facets else None,
        "energy": facets.energy if facets else None,
        "danceability": facets.danceability if facets else None,
        "valence": facets.valence if facets else None,
        "popularity": facets.popularity if facets else None,
        "genres": list(facets.genres) if facets else [],
    }
    return {name: known[name] for name in fields}


def _wanted(status: str, *, include_review: bool, include_unmatched: bool) -> str | None:
    """None when a file of this status goes in, else why it is left out."""
    if status in SURE:
        return None
    if status == "review":
        return None if include_review else "review"
    if status in UNMATCHED:
        return None if include_unmatched else "unmatched"
    return "unreadable"


def _add(plan: _Plan, store: LibraryStore, catalog: Catalog, row: ReviewRow, out: Path) -> None:
    file = file_by_id(store, row.file_id)
    if file is None or not os.path.isfile(file.path):
        plan.left_out["missing"] += 1
        return
    name = dataset_name(file.path, plan.names)
    try:
        _place(plan, file.path, out / AUDIO_FOLDER / name)
    except OSError as exc:  # a full disk, a file not readable: said, the rest not written
        raise KnownError(
            f"Could not {'copy' if plan.mode == 'copy' else 'link'} '{file.display}' into "
            f"'{out}': {exc.strerror or exc}. The dataset there is incomplete (no metadata "
            "file was written); your files are as they were."
        ) from exc
    linked = row.track_id if row.status not in UNMATCHED else None  # a rejected link: none
    track = catalog.track(linked) if linked else None
    record: dict[str, Any] = {"file_name": f"{AUDIO_FOLDER}/{name}"}
    record.update(_labels(linked, row.facets if linked else None, track, plan.fields))
    record["confidence"] = row.confidence
    record["status"] = row.status
    plan.records.append(record)
    plan.statuses[row.status] += 1


def _flat(value: Any) -> Any:
    """A CSV cell: lists joined by '; ', None as an empty cell."""
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else value


def _write_metadata(plan: _Plan, out: Path) -> Path:
    """metadata.csv / .jsonl / .parquet, written beside and then renamed into place."""
    columns = ["file_name", *plan.fields, "confidence", "status"]
    path = out / f"metadata.{plan.fmt}"
    partial = out / f".metadata.{plan.fmt}.partial"
    if plan.fmt == "parquet":
        parquet = _parquet_writer()
        import pyarrow

        if plan.records:
            table = pyarrow.Table.from_pylist(plan.records).select(columns)
        else:  # no row: the columns still named
            table = pyarrow.table({name: pyarrow.array([], pyarrow.string()) for name in columns})
        parquet.write_table(table, partial)
    elif plan.fmt == "jsonl":
        with partial.open("w", encoding="utf-8", newline="\n") as handle:
            for record in plan.records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([_flat(record[c]) for c in columns] for record in plan.records)
    partial.replace(path)
    return path


def _card(summary: DatasetSummary, *, catalog: Catalog, filter_text: str, mode: str) -> str:
    """The README.md data card: counts, fields, and how the labels were obtained."""
    lines = [
        "---",
        "task_categories:",
        "- audio-classification",
        "---",
        "",
        "# Audio dataset labelled from a music catalog",
        "",
        f"{summary.written:,} audio files in `{AUDIO_FOLDER}/`, listed in "
        f"`{summary.metadata.name}` (`file_name` is relative to it), in the Hugging Face "
        '`audiofolder` layout: `load_dataset("audiofolder", data_dir=...)` reads it.',
        "",
        "## How the labels were obtained",
        "",
        "Each file was matched to a track of the catalog "
        f"`{catalog.path.name}` by Catalog Explorer: from its tags (ISRC, ids, names, track "
        "number, duration) or its path, scored field by field. `confidence` (0-1) is the "
        "link's score; `status` says who decided: `matched` (the matcher, sure), `accepted` "
        "or `manual` (a person), `review` (the matcher, unsure). The labels are the "
        "catalog's values for the linked track"
        + (
            f" and its audio features (`{catalog.features_path.name}`)."
            if catalog.features_path is not None
            else "; no audio-features file was open, so tempo, key, energy, danceability "
            "and valence are empty."
        )
        + " They describe the catalog's recording, not an analysis of these files: a wrong "
        "link gives wrong labels.",
        "",
        "## Counts",
        "",
        "| files | count |",
        "| --- | ---: |",
    ]
    lines += [f"| {status} | {count:,} |" for status, count in sorted(summary.statuses.items())]
    lines += [f"| left out: {why} | {count:,} |" for why, count in sorted(summary.left_out.items())]
    shown_filter = " ".join(filter_text.split()).replace("`", "'")
    lines += [
        "",
        f"Filter: `{shown_filter or '(none)'}`. Audio files: "
        + (
            "copies (the originals are unchanged)."
            if mode == "copy"
            else f"links to the originals ({summary.linked:,} hard, {summary.symlinked:,} "
            "symbolic): editing one here edits the original."
        ),
        "",
        "## Fields",
        "",
        "| column | what |",
        "| --- | --- |",
        "| file_name | the audio file, relative to the metadata file |",
    ]
    lines += [f"| {name} | {FIELDS[name]} |" for name in summary.fields]
    lines += [
        "| confidence | the link's confidence, 0-1 |",
        "| status | matched, accepted, manual, review, unmatched, not matched or rejected |",
        "",
    ]
    return "\n".join(lines)


def export_dataset(
    store: LibraryStore,
    catalog: Catalog,
    directory: Path,
    *,
    filter_text: str = "",
    fields: Sequence[str] | None = None,
    fmt: str = "csv",
    mode: str = "copy",
    include_review: bool = False,
    include_unmatched: bool = False,
    progress: Callable[[int], None] | None = None,
) -> DatasetSummary:
    """Write the dataset of the files that pass `filter_text` (the library's filter words)
    into `directory` (new or empty). The user's files are only read: copied (`copy`) or
    linked (`link`: a hard link, or a symbolic one across file systems), never moved.
    Files to review or unmatched are left out unless asked for; every file left out is
    counted by why."""
    if fmt not in FORMATS:
        raise KnownError(f"The format can be {', '.join(FORMATS)}, not {fmt!r}.")
    if mode not in MODES:
        raise KnownError(f"Audio files are copied or linked, not {mode!r}.")
    if fmt == "parquet":
        _parquet_writer()  # said before anything is written
    problems = filter_problems(filter_text)
    if problems:
        raise KnownError(f"The filter is not understood: {'; '.join(problems)}.")
    plan = _Plan(tuple(fields) if fields is not None else tuple(FIELDS), fmt, mode)
    refresh_facets(store, catalog)
    _target(store, directory)
    after: ReviewRow | None = None
    while True:
        rows, more = library_page(
            store, after_id=after.file_id if after else 0, after=after, text=filter_text
        )
        for row in rows:
            why = _wanted(
                row.status, include_review=include_review, include_unmatched=include_unmatched
            )
            if why is not None:
                plan.left_out[why] += 1
                continue
            _add(plan, store, catalog, row, directory)
        if progress is not None:
            progress(len(plan.records))
        if not more or not rows:
            break
        after = rows[-1]
    metadata = _write_metadata(plan, directory)
    summary = DatasetSummary(
        directory=directory,
        metadata=metadata,
        written=len(plan.records),
        statuses=dict(plan.statuses),
        left_out=dict(plan.left_out),
        fields=plan.fields,
        linked=plan.linked,
        symlinked=plan.symlinked,
    )
    card = _card(summary, catalog=catalog, filter_text=filter_text, mode=mode)
    (directory / "README.md").write_text(card, encoding="utf-8")
    return summary
