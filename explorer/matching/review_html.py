"""A file's match explained as the review pane shows it: the fields compared, the
candidates with their links to accept, reject or pick, the user's history (no Qt)."""

from __future__ import annotations

from html import escape
from typing import Any

from explorer.library.store import FileRow
from explorer.matching.links import HistoryRow, LinkRow
from explorer.matching.review import find_candidate, shown_status


def _candidate_html(candidate: dict[str, Any], file_id: int, *, pick: bool) -> str:
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


def _offered_html(candidate: dict[str, Any], file_id: int, link: LinkRow) -> str:
    """A candidate with "pick this one", or, when the file's link is to it, saying so."""
    if candidate.get("track_id") != link.track_id:
        return _candidate_html(candidate, file_id, pick=True)
    mark = "rejected by you" if link.status == "rejected" else "linked now"
    return f"{_candidate_html(candidate, file_id, pick=False)} — {mark}"


# Table cells kept on one line (a narrow pane broke "track_number" inside the word).
_NOWRAP = "style='white-space:nowrap'"


def _fields_html(candidate: dict[str, Any]) -> str:
    """The field-by-field table: field names as words ("track number"); a sentence when
    there is none (see `review.explained`: computed with the catalog's track)."""
    if not isinstance(candidate.get("fields"), list):
        return "<p>The comparison field by field shows with the catalog this file was matched against.</p>"
    rows = "".join(
        f"<tr><td {_NOWRAP}>{escape(str(f['field']).replace('_', ' '))}</td>"
        f"<td>{escape(str(f['file_value']))}</td>"
        f"<td>{escape(str(f['catalog_value']))}</td><td>{f['similarity']:.2f}</td>"
        f"<td>{f['contribution']:.3f}</td></tr>"
        for f in candidate.get("fields") or []
    )
    headings = "".join(
        f"<th {_NOWRAP}>{name}</th>" for name in ("field", "your file", "catalog", "alike", "adds")
    )
    return f"<table><tr>{headings}</tr>{rows}</table>"


def _matcher_said(link: LinkRow, *, with_decision: bool) -> str:
    """The matcher's verdict in words: its confidence (a manual link's is the user's),
    margin, method and reason; "" when it said nothing (a file it never matched)."""
    numbers = []
    if link.status != "manual" and (link.method or link.confidence):
        numbers.append(f"confidence {link.confidence:.2f}, margin {link.margin:.2f}")
        if link.method:
            numbers.append(f"by {link.method}")
    if not numbers and not link.reason:
        return ""
    said = ", ".join([link.decision, *numbers] if with_decision else numbers)
    if link.reason:
        said = f"{said}: {link.reason}" if said else link.reason
    return escape(said)


def _status_words(link: LinkRow | None) -> str:
    """After a readable file's status: who decided it, and what the matcher said."""
    if link is None:
        return " — this file has no link"
    if not link.user_decided:
        said = _matcher_said(link, with_decision=False)
        return f" — {said}" if said else ""
    words = " — decided by you"
    if link.status == "rejected":
        words += ": this file has no accepted link"
    said = _matcher_said(link, with_decision=True)
    return f"{words}; the matcher said: {said}" if said else words


def _actions_html(file_id: int, link: LinkRow | None) -> str:
    """Accept (when there is a linked track), Reject, and Unlink (when there is a link)."""
    actions = []
    if link is not None and link.track_id is not None:
        actions.append(f"<a href='explorer://accept/{file_id}'>Accept (A)</a>")
    actions.append(f"<a href='explorer://reject/{file_id}'>Reject (R)</a>")
    if link is not None:
        actions.append(f"<a href='explorer://unlink/{file_id}'>Unlink</a>")
    return f"<p>{' · '.join(actions)}</p>"


def _unreadable_html(file: FileRow) -> str:
    why = file.error or "it is no longer where it was scanned"
    return f"<p>This file could not be read: {escape(why)}</p>"


_LINKED = {
    "auto": "Linked",
    "accepted": "Linked (accepted by you)",
    "manual": "Linked (chosen by you)",
    "rejected": "Rejected by you",
}


def _best(link: LinkRow) -> dict[str, Any] | None:
    best = link.detail.get("best")
    return best if isinstance(best, dict) else None


def _linked_html(file_id: int, link: LinkRow, linked: dict[str, Any] | None = None) -> str:
    """What the file is linked to now, then the matcher's own choice when it differs."""
    best = _best(link)
    if link.track_id is None:
        if best is None:
            return ""
        return (
            f"<h3>Best candidate (not linked): {_candidate_html(best, file_id, pick=True)}</h3>"
            f"{_fields_html(best)}"
        )
    title = (
        "Suggested"  # the matcher's doubt: not linked until you accept it
        if link.status == "auto" and link.decision == "review"
        else _LINKED.get(link.status, "Linked")
    )
    chosen = find_candidate(link.detail, link.track_id) or (
        linked if linked and linked.get("track_id") == link.track_id else None
    )
    if chosen is None:
        named = f"track {escape(link.track_id)}, album {escape(link.album_id or '?')}"
    else:
        named = _candidate_html(chosen, file_id, pick=False)
    parts = [f"<h3>{title}: {named}</h3>"]
    if best is not None and best.get("track_id") == link.track_id:
        parts.append(_fields_html(best))
    elif best is not None:
        parts.append(
            f"<h3>The matcher's choice: {_candidate_html(best, file_id, pick=True)}</h3>"
            f"{_fields_html(best)}"
        )
    return "".join(parts)


def _others_html(file_id: int, link: LinkRow) -> str:
    """The runner-up and the alternatives, each to pick unless the file is linked to it."""
    parts = []
    runner_up = link.detail.get("runner_up")
    if isinstance(runner_up, dict):
        parts.append(f"<h3>Runner-up</h3><p>{_offered_html(runner_up, file_id, link)}</p>")
    alternatives = [c for c in link.detail.get("alternatives") or [] if isinstance(c, dict)]
    if alternatives:
        items = "".join(f"<li>{_offered_html(c, file_id, link)}</li>" for c in alternatives)
        parts.append(f"<h3>Alternatives (other releases first)</h3><ul>{items}</ul>")
    return "".join(parts)


def _history_html(history: list[HistoryRow]) -> str:
    if not history:
        return ""
    items = "".join(
        f"<li>{escape(h.actor)}: {escape(h.action)}{' (undone)' if h.undone else ''}</li>"
        for h in history
    )
    return f"<h3>History</h3><ul>{items}</ul>"


def review_html(
    file: FileRow,
    link: LinkRow | None,
    history: list[HistoryRow],
    linked: dict[str, Any] | None = None,
) -> str:
    """The match of one file explained: its link now and who decided it, the matcher's
    choice field by field, the runner-up and alternatives to pick, and the history.
    `linked`: the linked track as a candidate (`linked_candidate`), for a link the matcher
    never offered (made by hand from a search result)."""
    status = f"<b>{escape(shown_status(file, link))}</b>"
    parts = [
        f"<h2>{escape(file.display.rsplit('/', 1)[-1])}</h2>",
        f"<p>{escape(file.display)}</p>",
    ]
    if file.status != "ok":  # nothing to decide: only why it could not be read
        parts += [f"<p>{status}</p>", _unreadable_html(file)]
    else:
        parts += [f"<p>{status}{_status_words(link)}</p>", _actions_html(file.id, link)]
        if link is not None:
            parts += [_linked_html(file.id, link, linked), _others_html(file.id, link)]
    parts.append(_history_html(history))
    return "".join(parts)
