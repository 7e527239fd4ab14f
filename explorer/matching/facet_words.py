"""The library filter's facet words: `bpm:120..128`, `key:Am`, `key:8A~`, `energy>0.7`,
`genre:house`, `year:1990..1999` (pure: words in, SQL conditions out).

The conditions read the store's copy of the catalog facets under the alias `lf`
(`link_facets`, joined on the file's link and its current track: see review.py), so a
file that is not linked, or whose facets were not read yet, passes no facet word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from explorer.text.keys import compatible, parse_key

# BPM compared as DJ software shows it, rounded: `bpm:128` takes 127.5 <= tempo < 128.5.
BPM_ROUNDING = 0.5

# word -> (column, lowest, highest, whole numbers); `dance`, `pop`, `tempo` for short
_NUMBERS = {
    "bpm": ("tempo", 0.0, 1000.0, False),
    "tempo": ("tempo", 0.0, 1000.0, False),
    "energy": ("energy", 0.0, 1.0, False),
    "danceability": ("danceability", 0.0, 1.0, False),
    "dance": ("danceability", 0.0, 1.0, False),
    "valence": ("valence", 0.0, 1.0, False),
    "popularity": ("popularity", 0.0, 100.0, True),
    "pop": ("popularity", 0.0, 100.0, True),
    "year": ("year", 0.0, 9999.0, True),
}
NAMES = ("bpm", "key", "energy", "danceability", "valence", "popularity", "genre", "year")
_NUMBER_WORD = re.compile(
    r"(" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")(<=|>=|<|>|=|:)(.*)",
    re.IGNORECASE,
)
_NUMBER = r"\d+(?:\.\d*)?|\.\d+"
_RANGE = re.compile(rf"({_NUMBER})?\s*(?:\.\.|-)\s*({_NUMBER})?")
_SINGLE = re.compile(_NUMBER)

KEY_PROBLEM = "key: needs a key, as in key:Am, key:8A or key:8A~ (with the keys that mix)"
GENRE_PROBLEM = "genre: needs part of a genre, as in genre:house"


def number_problem(name: str) -> str:
    column, low, high, whole = _NUMBERS[name.lower()]
    example = {
        "tempo": "bpm:120..128 or bpm>=120",
        "year": "year:1990..1999 or year>=2000",
        "popularity": "popularity>50",
    }.get(column, f"{name.lower()}>0.7 or {name.lower()}:0.2..0.5")
    kind = "whole numbers" if whole else "numbers"
    return f"{name.lower()} needs {kind} from {low:g} to {high:g}, as in {example}"


@dataclass
class FacetFilter:
    """What one facet word adds: SQL conditions on `lf`, their parameters, problems."""

    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _value(text: str | None, low: float, high: float, whole: bool) -> float | None:
    if text is None or not _SINGLE.fullmatch(text):
        return None
    value = float(text)
    if not low <= value <= high or (whole and not value.is_integer()):
        return None
    return value


def _numbers(found: FacetFilter, name: str, operator: str, text: str) -> None:
    column, low, high, whole = _NUMBERS[name.lower()]
    text = text.replace('"', "").strip()
    rounding = BPM_ROUNDING if column == "tempo" else 0.0
    ranged = _RANGE.fullmatch(text) if operator == ":" else None
    if ranged is not None and (ranged.group(1) or ranged.group(2)):
        first = _value(ranged.group(1), low, high, whole) if ranged.group(1) else low
        last = _value(ranged.group(2), low, high, whole) if ranged.group(2) else high
        if first is None or last is None or first > last:
            found.problems.append(number_problem(name))
            return
        found.where.append(f"lf.{column} >= ? AND lf.{column} {'<' if rounding else '<='} ?")
        found.params += [first - rounding, last + rounding]
        return
    value = _value(text, low, high, whole)
    if value is None:
        found.problems.append(number_problem(name))
        return
    if operator in (":", "=") and rounding:
        found.where.append(f"lf.{column} >= ? AND lf.{column} < ?")
        found.params += [value - rounding, value + rounding]
        return
    found.where.append(f"lf.{column} {'=' if operator == ':' else operator} ?")
    found.params.append(value)


def _key(found: FacetFilter, text: str) -> None:
    text = text.replace('"', "").strip()
    mixing = text.endswith("~")
    code = parse_key(text.rstrip("~"))
    if code is None:
        found.problems.append(KEY_PROBLEM)
        found.where.append("0")  # a key not understood: no file has it
        return
    codes = compatible(code) if mixing else (code,)
    found.where.append(f"lf.camelot IN ({','.join('?' * len(codes))})")
    found.params += list(codes)


def _genre(found: FacetFilter, text: str) -> None:
    genre = " ".join(text.replace('"', "").casefold().split())
    if not genre:
        found.problems.append(GENRE_PROBLEM)
        return
    found.where.append("instr(lf.genres, ?) > 0")  # stored folded: no LIKE needed
    found.params.append(genre)


def facet_word(word: str) -> FacetFilter | None:
    """The conditions of one facet word, or None when `word` is no facet word."""
    found = FacetFilter()
    number = _NUMBER_WORD.fullmatch(word)
    if number is not None:
        _numbers(found, number.group(1), number.group(2), number.group(3))
        return found
    name, colon, value = word.partition(":")
    if colon and name.lower() == "key":
        _key(found, value)
        return found
    if colon and name.lower() in ("genre", "genres"):
        _genre(found, value)
        return found
    return None
