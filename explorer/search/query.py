"""Search-box text -> a parsed query: words, phrases, field filters, or a pasted ID (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from explorer.search.results import EntityKind

# Longest query text considered; the rest is ignored (a pasted page is not a query).
MAX_QUERY_CHARS = 500
# Most words used from one query; more add cost and never help recall.
MAX_WORDS = 12
FIELDS = ("artist", "album", "track", "label", "genre", "isrc", "upc", "year", "type")
TYPES = {"album": "album", "single": "single", "ep": "single", "compilation": "compilation"}
OLDEST_YEAR, NEWEST_YEAR = 1000, 2999

_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_URI = re.compile(r"^spotify:(track|album|artist):([0-9A-Za-z]{22})$")
_URL = re.compile(
    r"^(?:https?://)?open\.spotify\.com/(?:intl-[a-z]{2}(?:-[a-z]{2})?/)?(track|album|artist)/"
    r"([0-9A-Za-z]{22})(?:[/?#].*)?$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r'(\w+):"([^"]*)"?|(\w+):(\S+)|"([^"]*)"?|(\S+)', re.UNICODE)
_YEAR_RANGE = re.compile(r"^(\d{4})(?:\s*(?:\.\.|-)\s*(\d{4}))?$")


@dataclass(frozen=True)
class EntityRef:
    """A pasted identifier: the kind when the URI/URL said it, and the 22-character id."""

    kind: EntityKind | None
    id: str


@dataclass(frozen=True)
class ParsedQuery:
    """What the user asked for."""

    text: str  # the cleaned text
    words: tuple[str, ...] = ()  # free words, in order
    phrases: tuple[str, ...] = ()  # "quoted phrases" (their words are also in `words`)
    filters: dict[str, str] = field(default_factory=dict)  # artist/album/track/label/genre/isrc/upc
    years: tuple[int, int] | None = None  # year:1990 -> (1990, 1990); year:1990..1999
    album_type: str | None = None  # type:album|single|compilation
    prefix: bool = False  # the last word is still being typed (no trailing space)
    ref: EntityRef | None = None  # a pasted ID, URI or URL
    ignored: tuple[str, ...] = ()  # year: and type: words not understood, left out

    @property
    def empty(self) -> bool:
        return not (self.words or self.filters or self.years or self.album_type or self.ref)


def parse_ref(text: str, *, any_id: bool = False) -> EntityRef | None:
    """`spotify:track:ID`, `https://open.spotify.com/album/ID?si=..`, or a bare 22-char ID.

    A bare ID needs a digit and a letter, unless `any_id` (where the text can only be an
    ID, as `explorer show`'s argument): typed in the search box, 22 letters are more
    likely a word, while about 2 % of real IDs have no digit."""
    text = text.strip()
    for pattern in (_URI, _URL):
        match = pattern.match(text)
        if match:
            return EntityRef(match.group(1), match.group(2))  # type: ignore[arg-type]
    if _ID.match(text) and (
        any_id or (any(c.isdigit() for c in text) and any(c.isalpha() for c in text))
    ):
        return EntityRef(None, text)
    return None


def _years(value: str) -> tuple[int, int] | None:
    match = _YEAR_RANGE.match(value.strip())
    if not match:
        return None
    low = int(match.group(1))
    high = int(match.group(2) or low)
    low, high = sorted((low, high))
    if low < OLDEST_YEAR or high > NEWEST_YEAR:
        return None
    return low, high


def parse_query(text: str) -> ParsedQuery:
    """Parse search-box text; never raises, whatever the text."""
    cleaned = _CONTROL.sub(" ", text or "")[:MAX_QUERY_CHARS]
    stripped = cleaned.strip()
    if not stripped:
        return ParsedQuery(text="")
    ref = parse_ref(stripped)
    if ref is not None:
        return ParsedQuery(text=stripped, ref=ref)
    words: list[str] = []
    phrases: list[str] = []
    filters: dict[str, str] = {}
    years: tuple[int, int] | None = None
    album_type: str | None = None
    ignored: list[str] = []
    last_is_word = False
    for match in _TOKEN.finditer(cleaned):
        last_is_word = False
        name = (match.group(1) or match.group(3) or "").lower()
        value = match.group(2) if match.group(1) else match.group(4)
        if name in FIELDS and value is not None and value.strip():
            value = value.strip()
            if name == "year":
                read = _years(value)
                years = read or years
                if read is None:
                    ignored.append(match.group(0))
            elif name == "type":
                album_type = TYPES.get(value.lower(), album_type)
                if value.lower() not in TYPES:
                    ignored.append(match.group(0))
            else:
                filters[name] = value
            continue
        if match.group(5) is not None:  # "a phrase"
            phrase = match.group(5).strip()
            if phrase:
                phrases.append(phrase)
                words.extend(phrase.split())
            continue
        words.append(match.group(0))
        last_is_word = True
    return ParsedQuery(
        text=stripped,
        words=tuple(words[:MAX_WORDS]),
        phrases=tuple(phrases),
        filters=filters,
        years=years,
        album_type=album_type,
        prefix=last_is_word and not cleaned[-1:].isspace(),
        ignored=tuple(ignored),
    )


def ignored_notice(parsed: ParsedQuery) -> str | None:
    """The sentence for filter words the query could not use (None when there are none)."""
    if not parsed.ignored:
        return None
    words = ", ".join(parsed.ignored)
    return (
        f"Left out {words}, which the search cannot use: a year is written year:1990 or "
        f"year:1990..1999 (from {OLDEST_YEAR} to {NEWEST_YEAR}), a type type:album, "
        "type:single or type:compilation."
    )
