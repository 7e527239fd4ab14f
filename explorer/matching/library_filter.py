"""The library view's filter words (`status:review format:flac folder:Abba confidence<0.9
sort:bpm key:8A~ ...`) read into SQL conditions, their parameters and an order (no Qt)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from explorer.library.store import LibraryStore
from explorer.matching.facet_words import facet_word

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
SORT_KEYS = {
    "confidence": "coalesce(l.confidence, -1.0)",  # files without a link first
    "path": "f.display",
    "status": SHOWN_STATUS_SQL,
}
# Sorts by the linked track's facets (a `link_facets` column each; files without the
# value first, as for confidence).
FACET_SORTS = {
    "bpm": "tempo",
    "energy": "energy",
    "danceability": "danceability",
    "valence": "valence",
    "year": "year",
    "popularity": "popularity",
}
SORT_KEYS.update({name: f"coalesce(lf.{column}, -1)" for name, column in FACET_SORTS.items()})
SORTS = {name: f"{key}, f.id" for name, key in SORT_KEYS.items()}
KEY_OF_ORDER = {order: SORT_KEYS[name] for name, order in SORTS.items()}

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
    order = SORTS.get(value.lower())
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
