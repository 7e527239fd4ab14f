"""What the review shows: a file's state in one line, and its match explained (no Qt)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

from explorer.library.facet_cache import FacetCache, LinkFacets
from explorer.library.store import FileRow, LibraryStore
from explorer.matching.facet_words import facet_word
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
    facets: LinkFacets | None = None  # the linked track's, when read from the catalog


def shown_status(file: FileRow, link: LinkRow | None) -> str:
    if file.status != "ok":
        return "error"
    if link is None:
        return "not matched"
    return link.status if link.user_decided else link.decision


def find_candidate(detail: dict[str, Any], track_id: str | None) -> dict[str, Any] | None:
    """The candidate the matcher kept (best, runner-up or an alternative) for this track."""
    if track_id is None:
        return None
    for candidate in _candidates(detail):
        if candidate.get("track_id") == track_id:
            return candidate
    return None


def _candidates(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The best candidate, the runner-up and the alternatives, those that are objects."""
    found = [detail.get("best"), detail.get("runner_up"), *(detail.get("alternatives") or [])]
    return [candidate for candidate in found if isinstance(candidate, dict)]


def linked_candidate(track: Any) -> dict[str, Any]:
    """A catalog track (a TrackRow) as the review shows a candidate: for a link made by
    hand to a track the matcher never offered."""
    album = track.album
    return {
        "track_id": track.id,
        "album_id": album.id if album else None,
        "name": track.name,
        "artists": [artist.name for artist in track.artists],
        "album": album.name if album else None,
        "album_type": album.album_type if album else None,
        "isrc": track.isrc,
    }


def named_row(row: ReviewRow, linked: dict[str, Any]) -> ReviewRow:
    """The row with the names of `linked` (its linked track) instead of its ids."""
    artists = ", ".join(linked.get("artists") or [])
    return replace(row, track=f"{artists} – {linked.get('name')}", album=linked.get("album") or "")


def _names(link: LinkRow | None) -> tuple[str, str]:
    """The linked track's and album's names, from what the matcher kept."""
    if link is None or link.track_id is None:
        return "", ""
    candidate = find_candidate(link.detail or {}, link.track_id)
    if candidate is not None:
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
# `confidence<0.9` (also <=, >, >=, =; `conf` for short), `sort:confidence`, `sort:path`,
# `sort:status` or a facet's (`sort:bpm`, `sort:energy`, `sort:year`, ...), the catalog's facets of linked files (`bpm:120..128`, `key:8A~`,
# `energy>0.7`, `genre:house`, `year:1990..1999`: facet_words.py); other words match a
# file's path or title. Keys and statuses may be in any
# case, and double quotes keep words together (`status:"not matched"`, `"abba gold"`).
SHOWN_STATUS_SQL = (
    "CASE WHEN f.status != 'ok' THEN 'error' WHEN l.file_id IS NULL THEN 'not matched' "
    "WHEN l.status IN ('accepted', 'rejected', 'manual') THEN l.status ELSE l.decision END"
)
# The statuses a file is shown with (`shown_status`).
STATUSES = (
    "matched",
    "review",
    "unmatched",
    "accepted",
    "rejected",
    "manual",
    "error",
    "not matched",
)
# Each sort's key (SQL), then the file id: a page continues after the last row shown
# (its key and id), so a decision that moves a file in the order neither skips another
# file nor shows one twice on the pages after it (an OFFSET did both).
_SORT_KEYS = {
    "confidence": "coalesce(l.confidence, -1.0)",  # files without a link first
    "path": "f.display",
    "status": SHOWN_STATUS_SQL,
}
# Sorts by the linked track's facets (a `link_facets` column each; files without the
# value first, as for confidence).
_FACET_SORTS = {
    "bpm": "tempo",
    "energy": "energy",
    "danceability": "danceability",
    "valence": "valence",
    "year": "year",
    "popularity": "popularity",
}
_SORT_KEYS.update({name: f"coalesce(lf.{column}, -1)" for name, column in _FACET_SORTS.items()})
_SORTS = {name: f"{key}, f.id" for name, key in _SORT_KEYS.items()}
_KEY_OF_ORDER = {order: _SORT_KEYS[name] for name, order in _SORTS.items()}


def _sort_value(order: str, row: ReviewRow) -> object:
    """The sort key of a row shown, as `_SORT_KEYS[...]` computes it in SQL."""
    key = _KEY_OF_ORDER[order]
    for name, column in _FACET_SORTS.items():
        if key == _SORT_KEYS[name]:
            value = getattr(row.facets, column) if row.facets is not None else None
            return value if value is not None else -1
    if key == _SORT_KEYS["confidence"]:
        return row.confidence if row.confidence is not None else -1.0
    return row.path if key == _SORT_KEYS["path"] else row.status


# a word: runs of other characters and double-quoted parts (the closing quote optional)
_WORD = re.compile(r'(?:"[^"]*"?|[^\s"]+)+')
_CONFIDENCE = re.compile(r"(?:conf|confidence)(<=|>=|<|>|=|:)(.*)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
# The files, their links and the facets of the linked track (a cached copy of the
# catalog's, joined only when it was read for the track linked now).
FILES_SQL = (
    "files f LEFT JOIN links l ON l.file_id = f.id "
    "LEFT JOIN link_facets lf ON lf.file_id = f.id AND lf.track_id = l.track_id"
)
# The SQL function that folds case beyond ASCII (LIKE folds ASCII letters only), for
# `folder:` words with other letters; `use_filter_functions` registers it.
FOLD_FUNCTION = "explorer_casefold"

SORT_PROBLEM = (
    "sort: can be confidence, path, status, bpm, energy, danceability, valence, year or popularity"
)
STATUS_PROBLEM = (
    "status: can be matched, review, unmatched, accepted, rejected, manual, error or not_matched"
)
CONFIDENCE_PROBLEM = "confidence needs a number from 0 to 1, as in confidence<0.9"
FORMAT_PROBLEM = "format: needs a file format, as in format:flac"
FOLDER_PROBLEM = "folder: needs part of a folder's name, as in folder:Abba"


@dataclass
class _Filter:
    """A filter text read: SQL conditions, their parameters, the order, what was not understood."""

    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    order: str = "f.id"
    problems: list[str] = field(default_factory=list)


def _like(text: str) -> str:
    return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def _casefold(text: str | None) -> str | None:
    return text.casefold() if text is not None else None


def use_filter_functions(store: LibraryStore) -> None:
    """Make the SQL functions `library_filter`'s conditions may call known to the store's
    connection (`library_page` does this; other callers of `library_filter` must too)."""
    store.db.register_function(_casefold, FOLD_FUNCTION, 1, deterministic=True)


def _status_word(found: _Filter, value: str) -> None:
    status = " ".join(value.lower().replace("_", " ").replace("-", " ").split())
    if not status:
        found.problems.append(STATUS_PROBLEM)
        return
    if status not in STATUSES:  # still filtered (no file has it), and said
        found.problems.append(STATUS_PROBLEM)
    found.where.append(f"({SHOWN_STATUS_SQL}) = ?")
    found.params.append(status)


def _format_word(found: _Filter, value: str) -> None:
    if not value:
        found.problems.append(FORMAT_PROBLEM)
        return
    found.where.append("lower(f.format) = ?")
    found.params.append(value.lower())


def _folder_word(found: _Filter, value: str) -> None:
    if not value:
        found.problems.append(FOLDER_PROBLEM)
    elif value.isascii():  # LIKE folds the case of ASCII letters, all a pattern has
        found.where.append("f.folder LIKE ? ESCAPE '!'")
        found.params.append(_like(value))
    else:
        found.where.append(f"instr({FOLD_FUNCTION}(f.folder), ?) > 0")
        found.params.append(value.casefold())


def _sort_word(found: _Filter, value: str) -> None:
    order = _SORTS.get(value.lower())
    if order is None:
        found.problems.append(SORT_PROBLEM)
    else:
        found.order = order


_KEYS = {"status": _status_word, "format": _format_word, "folder": _folder_word, "sort": _sort_word}


def _confidence_word(found: _Filter, operator: str, number: str) -> None:
    value = float(number) if _NUMBER.fullmatch(number) else -1.0
    if operator == ":" or not 0.0 <= value <= 1.0:
        found.problems.append(CONFIDENCE_PROBLEM)
        return
    found.where.append(f"l.confidence {operator} ?")
    found.params.append(value)


def _text_word(found: _Filter, text: str) -> None:
    found.where.append("(f.display LIKE ? ESCAPE '!' OR f.title LIKE ? ESCAPE '!')")
    found.params += [_like(text), _like(text)]


def _read_word(found: _Filter, word: str) -> None:
    facet = facet_word(word)
    if facet is not None:
        found.where += [f"({condition})" for condition in facet.where]
        found.params += facet.params
        found.problems += facet.problems
        return
    confidence = _CONFIDENCE.fullmatch(word)
    if confidence:
        _confidence_word(found, confidence.group(1), confidence.group(2))
        return
    name, colon, value = word.partition(":")
    handler = _KEYS.get(name.lower()) if colon else None
    if handler is not None:
        handler(found, value.replace('"', ""))
        return
    if colon and name.isalpha() and value and not name.startswith('"'):
        # "artist:Abba", "stauts:review": searched as text, and said (a name can hold a
        # colon, "Live: 1975", so it still filters)
        found.problems.append(unknown_key_problem(name))
    if text := word.replace('"', ""):
        _text_word(found, text)


def unknown_key_problem(name: str) -> str:
    return (
        f"{name}: is no filter word (status:, format:, folder:, sort:, confidence, bpm:, "
        "key:, energy, danceability, valence, popularity, genre:, year:); "
        "searched as text"
    )


def _read_filter(text: str) -> _Filter:
    found = _Filter()
    for word in _WORD.findall(text):
        _read_word(found, word)
    found.problems = list(dict.fromkeys(found.problems))
    return found


def library_filter(text: str) -> tuple[str, list[object], str]:
    """SQL conditions, their parameters and the ORDER BY for a library filter text.

    Words it cannot understand (`filter_problems` names them) filter nothing out, except
    a `status:` it does not know, which no file has. A non-ASCII `folder:` word calls the
    SQL function that `use_filter_functions` registers.
    """
    found = _read_filter(text)
    return " AND ".join(found.where) or "1", found.params, found.order


def filter_problems(text: str) -> list[str]:
    """One plain sentence for each kind of word of a library filter text not understood."""
    return _read_filter(text).problems


def pages_by_position(text: str) -> bool:
    """Whether `library_page` continues this filter's pages after the last row shown (it
    is sorted: `after`) rather than after a file id (`after_id`)."""
    return _read_filter(text).order != "f.id"


def library_page(
    store: LibraryStore,
    *,
    after_id: int = 0,
    after: ReviewRow | None = None,
    limit: int | None = None,
    text: str = "",
) -> tuple[list[ReviewRow], bool]:
    """One page of files matching the filter `text`, and whether more exist.

    Pages continue after the file id `after_id`, or, sorted, after the row `after` (the
    last one shown: its sort key and id). The user store is the user's own and small next
    to the catalog. A file a decision moved past the rows shown comes again on a later
    page: the view keeps the first (see LibraryModel.append_rows).
    """
    limit = PAGE if limit is None else limit
    use_filter_functions(store)
    where, params, order = library_filter(text)
    paging: list[object]
    if order == "f.id":
        condition, paging = "f.id > ?", [after_id]
    elif after is not None:
        condition = f"({_KEY_OF_ORDER[order]}, f.id) > (?, ?)"
        paging = [_sort_value(order, after), after.file_id]
    else:
        condition, paging = "1", []
    ids = [
        r[0]
        for r in store.db.execute_sql(
            f"SELECT f.id FROM {FILES_SQL} WHERE {where} AND {condition} ORDER BY {order} LIMIT ?",
            (*params, *paging, limit + 1),
        )
    ]
    return _review_rows(store, ids[:limit]), len(ids) > limit


def library_folders(store: LibraryStore, text: str = "") -> list[str]:
    """The folders holding files that match the filter `text`, in name order (the library
    grouped by folder)."""
    if not text.strip():
        return store.folders()
    use_filter_functions(store)
    where, params, _order = library_filter(text)
    rows = store.db.execute_sql(
        f"SELECT DISTINCT f.folder FROM {FILES_SQL} WHERE {where} ORDER BY f.folder",
        params,
    )
    return [row[0] for row in rows]


def folder_rows(
    store: LibraryStore, folder: str, text: str = "", *, limit: int = 100_000
) -> list[ReviewRow]:
    """The files of one folder that match the filter `text`, in the filter's order."""
    use_filter_functions(store)
    where, params, order = library_filter(text)
    ids = [
        row[0]
        for row in store.db.execute_sql(
            f"SELECT f.id FROM {FILES_SQL} WHERE f.folder = ? AND {where} ORDER BY {order} LIMIT ?",
            (folder, *params, limit),
        )
    ]
    return _review_rows(store, ids)


def _review_rows(store: LibraryStore, ids: list[int]) -> list[ReviewRow]:
    """The rows of these files, in this order (those still in the store)."""
    links = Links(store)
    facets = FacetCache(store).get_many(ids)
    rows = []
    for file_id in ids:
        file = file_by_id(store, file_id)
        if file is not None:
            rows.append(replace(review_row(file, links.get(file_id)), facets=facets.get(file_id)))
    return rows


def file_by_id(store: LibraryStore, file_id: int) -> FileRow | None:
    row = store.db.execute_sql("SELECT path FROM files WHERE id = ?", (file_id,)).fetchone()
    return store.file_by_path(row[0]) if row else None


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
    """The field-by-field table: field names as words ("track number")."""
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
