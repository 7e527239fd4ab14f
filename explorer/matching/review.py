"""What the review shows: a file's state in one line, and its match explained (no Qt)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from explorer.library.store import FileRow, LibraryStore
from explorer.matching.links import HistoryRow, LinkRow, Links

# Files per page of the library view.
PAGE = 500


@dataclass(frozen=True)
class ReviewRow:
    """One file as the library view lists it."""

    file_id: int
    path: str
    status: str  # matched | review | unmatched | accepted | rejected | manual | error | not matched
    confidence: float | None
    margin: float | None
    track: str
    album: str
    track_id: str | None


def shown_status(file: FileRow, link: LinkRow | None) -> str:
    if file.status != "ok":
        return "error"
    if link is None:
        return "not matched"
    return link.status if link.user_decided else link.decision


def _names(link: LinkRow | None) -> tuple[str, str]:
    """The linked track's and album's names, from what the matcher kept."""
    if link is None or link.track_id is None:
        return "", ""
    detail = link.detail or {}
    for candidate in [detail.get("best"), *(detail.get("alternatives") or [])]:
        if candidate and candidate.get("track_id") == link.track_id:
            artists = ", ".join(candidate.get("artists") or [])
            return f"{artists} – {candidate.get('name')}", candidate.get("album") or ""
    return link.track_id, link.album_id or ""


def review_row(file: FileRow, link: LinkRow | None) -> ReviewRow:
    track, album = _names(link)
    return ReviewRow(
        file_id=file.id,
        path=file.display,
        status=shown_status(file, link),
        confidence=link.confidence if link else None,
        margin=link.margin if link else None,
        track=track,
        album=album,
        track_id=link.track_id if link else None,
    )


# The library view's filter words: `status:review`, `format:flac`, `folder:Abba`,
# `confidence<0.9` (also <=, >, >=), `sort:confidence` or `sort:path`; other words match
# a file's path or title.
SHOWN_STATUS_SQL = (
    "CASE WHEN f.status != 'ok' THEN 'error' WHEN l.file_id IS NULL THEN 'not matched' "
    "WHEN l.status IN ('accepted', 'rejected', 'manual') THEN l.status ELSE l.decision END"
)
_CONFIDENCE = re.compile(r"^(?:conf|confidence)(<=|>=|<|>|=)([01](?:\.\d+)?)$")


def _like(text: str) -> str:
    return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def library_filter(text: str) -> tuple[str, list[object], str]:
    """SQL conditions, their parameters and the ORDER BY for a library filter text."""
    where: list[str] = []
    params: list[object] = []
    order = "f.id"
    for word in text.split():
        name, _, value = word.partition(":")
        match = _CONFIDENCE.match(word.lower())
        if match:
            where.append(f"l.confidence {match.group(1)} ?")
            params.append(float(match.group(2)))
        elif name == "status" and value:
            where.append(f"({SHOWN_STATUS_SQL}) = ?")
            params.append(value.replace("_", " ").lower())
        elif name == "format" and value:
            where.append("lower(f.format) = ?")
            params.append(value.lower())
        elif name == "folder" and value:
            where.append("f.folder LIKE ? ESCAPE '!'")
            params.append(_like(value))
        elif name == "sort" and value in ("confidence", "path", "status"):
            order = {
                "confidence": "l.confidence, f.id",
                "path": "f.display",
                "status": f"{SHOWN_STATUS_SQL}, f.id",
            }[value]
        else:
            where.append("(f.display LIKE ? ESCAPE '!' OR f.title LIKE ? ESCAPE '!')")
            params += [_like(word), _like(word)]
    return " AND ".join(where) or "1", params, order


def library_page(
    store: LibraryStore, *, after_id: int = 0, limit: int | None = None, text: str = ""
) -> tuple[list[ReviewRow], bool]:
    """One page of files matching the filter `text`, and whether more exist.

    Pages continue by position (`after_id` counts rows already shown when sorted, file id
    otherwise); the user store is the user's own and small next to the catalog.
    """
    limit = PAGE if limit is None else limit
    links = Links(store)
    where, params, order = library_filter(text)
    paging = "f.id > ?" if order == "f.id" else "1"
    offset = 0 if order == "f.id" else after_id
    ids = [
        r[0]
        for r in store.db.execute_sql(
            f"SELECT f.id FROM files f LEFT JOIN links l ON l.file_id = f.id "
            f"WHERE {where} AND {paging} ORDER BY {order} LIMIT ? OFFSET ?",
            (*params, *([after_id] if order == "f.id" else []), limit + 1, offset),
        )
    ]
    more = len(ids) > limit
    rows = []
    for file_id in ids[:limit]:
        file = file_by_id(store, file_id)
        if file is not None:
            rows.append(review_row(file, links.get(file_id)))
    return rows, more


def file_by_id(store: LibraryStore, file_id: int) -> FileRow | None:
    row = store.db.execute_sql("SELECT path FROM files WHERE id = ?", (file_id,)).fetchone()
    return store.file_by_path(row[0]) if row else None


def _candidate_html(candidate: dict[str, Any] | None, file_id: int, *, pick: bool) -> str:
    if not candidate:
        return "-"
    artists = escape(", ".join(candidate.get("artists") or []))
    text = (
        f"{artists} – <b>{escape(candidate.get('name') or '')}</b> on "
        f"{escape(candidate.get('album') or '?')} ({escape(candidate.get('album_type') or '')}), "
        f"score {candidate.get('score', 0):.2f}"
    )
    if pick:
        target = "/".join(
            escape(str(candidate.get(key) or "-")) for key in ("track_id", "album_id", "isrc")
        )
        text += f" &nbsp; <a href='explorer://pick/{file_id}/{target}'>pick this one</a>"
    return text


def review_html(file: FileRow, link: LinkRow | None, history: list[HistoryRow]) -> str:
    """The match of one file explained: field by field, runner-up, alternatives, history."""
    status = shown_status(file, link)
    parts = [
        f"<h2>{escape(file.display.rsplit('/', 1)[-1])}</h2>",
        f"<p>{escape(file.display)}</p>",
    ]
    actions = (
        f"<a href='explorer://accept/{file.id}'>Accept (A)</a> · "
        f"<a href='explorer://reject/{file.id}'>Reject (R)</a> · "
        f"<a href='explorer://unlink/{file.id}'>Unlink</a>"
    )
    parts.append(f"<p><b>{escape(status)}</b>")
    if link is not None:
        parts.append(
            f" — confidence {link.confidence:.2f}, margin {link.margin:.2f}, "
            f"by {escape(link.method or '-')}: {escape(link.reason)}"
        )
    parts.append(f"</p><p>{actions}</p>")
    if file.status != "ok":
        parts.append(f"<p>This file could not be read: {escape(file.error or '')}</p>")
    detail = link.detail if link else {}
    best = detail.get("best") if detail else None
    if best:
        rows = "".join(
            f"<tr><td>{escape(f['field'])}</td><td>{escape(str(f['file_value']))}</td>"
            f"<td>{escape(str(f['catalog_value']))}</td><td>{f['similarity']:.2f}</td>"
            f"<td>{f['contribution']:.3f}</td></tr>"
            for f in best.get("fields", [])
        )
        parts.append(
            f"<h3>Linked: {_candidate_html(best, file.id, pick=False)}</h3>"
            "<table><tr><th>field</th><th>your file</th><th>catalog</th><th>alike</th>"
            f"<th>adds</th></tr>{rows}</table>"
        )
    if detail.get("runner_up"):
        parts.append(
            f"<h3>Runner-up</h3><p>{_candidate_html(detail['runner_up'], file.id, pick=True)}</p>"
        )
    alternatives = detail.get("alternatives") or []
    if alternatives:
        items = "".join(f"<li>{_candidate_html(c, file.id, pick=True)}</li>" for c in alternatives)
        parts.append(f"<h3>Alternatives (other releases first)</h3><ul>{items}</ul>")
    if history:
        items = "".join(
            f"<li>{escape(h.actor)}: {escape(h.action)}{' (undone)' if h.undone else ''}</li>"
            for h in history
        )
        parts.append(f"<h3>History</h3><ul>{items}</ul>")
    return "".join(parts)
