"""Shared output helpers of the CLI: JSON lines, aligned tables, a terminal progress bar."""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

# A path's bytes that are not UTF-8, as Python decodes them (os.fsdecode: surrogate escapes).
_SURROGATES = re.compile("[\udc80-\udcff]")


def print_json(value: Any, *, stream: TextIO | None = None) -> None:
    """One JSON value on one line (UTF-8 kept readable). A path's bytes that are not UTF-8
    (surrogate escapes) are written as JSON escapes ("\\udce9"): `json.loads` gives the
    same string back and `os.fsencode` the exact bytes, so a script can open the file."""
    out = stream or sys.stdout
    text = json.dumps(value, ensure_ascii=False, default=str)
    out.write(_SURROGATES.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def readable(text: str) -> str:
    """A path decoded with surrogate escapes in its readable form (\\xNN), for people and CSV."""
    return _SURROGATES.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def write_records(records: Iterable[Any], *, fmt: str, stream: TextIO | None = None) -> int:
    """Frozen dataclass rows as CSV (a header, then one line each) or JSON lines; returns how many."""
    import csv
    import dataclasses

    out = stream or sys.stdout
    writer: Any = None
    count = 0
    for record in records:
        data = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
        if fmt == "csv":
            data = {k: readable(v) if isinstance(v, str) else v for k, v in data.items()}
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(data), lineterminator="\n")
                writer.writeheader()
            writer.writerow(data)
        else:
            print_json(data, stream=out)
        count += 1
    return count


# Columns cut at their start when too wide: a path keeps its file name.
PATH_HEADERS = frozenset({"path", "file"})


def print_table(
    rows: Iterable[Sequence[object]], headers: Sequence[str], *, stream: TextIO | None = None
) -> None:
    """A plain aligned table for people: columns as wide as the terminal shows the text
    (CJK letters take two cells, combining marks none), at most 60, paths cut at their
    start; control characters (a newline in a file name) shown escaped so a row stays
    one line."""
    out = stream or sys.stdout
    text_rows = [[_visible("" if cell is None else str(cell)) for cell in row] for row in rows]
    widths = [_width(header) for header in headers]
    for row in text_rows:
        for i, cell in enumerate(row):
            widths[i] = min(max(widths[i], _width(cell)), 60)
    out.write("  ".join(_fit(h, w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    ends = [header in PATH_HEADERS for header in headers]
    for row in text_rows:
        cells = [
            _fit(cell, w, keep_end=end) for cell, w, end in zip(row, widths, ends, strict=True)
        ]
        out.write("  ".join(cells).rstrip() + "\n")


def _visible(text: str) -> str:
    """Control characters as escapes (\\n, \\x1b): they would break or recolour the line."""
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) == "Cc" else ch
        for ch in text
    )


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    """Terminal cells the text takes."""
    return len(text) if text.isascii() else sum(_char_width(ch) for ch in text)


def _fit(text: str, width: int, *, keep_end: bool = False) -> str:
    """The text cut (with …) or padded with spaces to `width` terminal cells; `keep_end`:
    cut at the start (a path keeps its file name)."""
    used = _width(text)
    if used > width:
        kept, used = [], 1  # the ellipsis
        for ch in reversed(text) if keep_end else text:
            cells = _char_width(ch)
            if used + cells > width:
                break
            kept.append(ch)
            used += cells
        text = "…" + "".join(reversed(kept)) if keep_end else "".join(kept) + "…"
    return text + " " * (width - used)


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """A one-line progress bar on stderr (silent when stderr is not a terminal)."""

    WIDTH = 30

    def __init__(self, label: str, *, unit: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.started = time.monotonic()
        self._last_draw = 0.0

    def update(self, done: int, total: int | None, *, note: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last_draw < 0.1 and (total is None or done < total):
            return
        self._last_draw = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        if total:
            share = min(1.0, done / total)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            left = (total - done) / rate if rate > 0 else 0
            text = (
                f"\r{self.label} [{bar}] {share:4.0%} {done:,}/{total:,} {self.unit} "
                f"{rate:,.0f}/s, {format_seconds(left)} left {note}"
            )
        else:
            text = f"\r{self.label} {done:,} {self.unit} {rate:,.0f}/s {note}"
        self.stream.write(text[:200].ljust(80))
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
