"""Split titles and artist credits the way tags and catalogs write them (pure functions)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Words that mark a version of a recording, mapped to the version they mean. A title's
# versions must agree with the candidate's (a live file should match the live recording).
VERSION_WORDS: dict[str, str] = {
    "remaster": "remaster",
    "remastered": "remaster",
    "live": "live",
    "unplugged": "live",
    "remix": "remix",
    "mix": "remix",
    "rmx": "remix",
    "edit": "edit",
    "acoustic": "acoustic",
    "demo": "demo",
    "instrumental": "instrumental",
    "karaoke": "instrumental",
    "mono": "mono",
    "extended": "extended",
    "radio": "edit",
    "version": "version",
    "re-recorded": "rerecorded",
    "rerecorded": "rerecorded",
    "session": "live",
    "orchestral": "acoustic",
    "stripped": "acoustic",
}
# Words of a version group that say nothing by themselves ("2011 Remaster" -> remaster).
FEATURE_MARKERS = ("feat.", "feat ", "ft.", "ft ", "featuring ", "with ")
ARTICLES = ("the", "a", "an", "les", "la", "le", "los", "las", "die", "der", "das", "el")

_GROUP = re.compile(r"\s*[\(\[]([^\(\)\[\]]*)[\)\]]")
_DASH_SUFFIX = re.compile(r"\s+[-–—]\s+(.+)$")
# "03 - Song", "3. Song", "03 Song", "1-03 Song"; a bare "7 Rings" or "99 Problems" stays
_LEADING_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}[-.]\d{1,3}(?:\s*[-.)_])?\s+|\d{1,3}\s*[-.)_]\s*|0\d{1,2}\s+)(?=\S)"
)
_FEAT_INLINE = re.compile(r"\s+(?:feat\.?|ft\.?|featuring)\s+(.+)$", re.IGNORECASE)
_ARTIST_SPLIT = re.compile(
    r"\s*(?:;|/|\s&\s|\sand\s|\sx\s|\svs\.?\s|\sfeat\.?\s|\sft\.?\s|\sfeaturing\s|\swith\s|,)\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'-]+", re.UNICODE)
# ASCII text without the characters a group or a dash suffix needs: `parse_title` has
# nothing to split off unless it holds "ft" or "feat"
_PLAIN = re.compile(r"[^\x80-\U0010ffff()\[\]\-]*")


@dataclass(frozen=True)
class TitleParts:
    """A title split into the song's name, featured artists and version marks."""

    base: str  # "Song" of "Song (feat. X) - Remastered 2011"
    featured: tuple[str, ...] = ()  # ("X",)
    versions: frozenset[str] = frozenset()  # {"remaster"}
    version_text: str = ""  # "Remastered 2011", for display and comparison
    number: int | None = None  # a track number written into the title ("03 - Song")


def _versions_of(text: str) -> frozenset[str]:
    found = set()
    for word in _WORD.findall(text.lower()):
        if word in VERSION_WORDS:
            found.add(VERSION_WORDS[word])
    if found == {"version"}:
        return frozenset(found)
    found.discard("version")
    return frozenset(found)


def _featured_in(text: str) -> tuple[str, ...] | None:
    lowered = text.lower().lstrip()
    for marker in FEATURE_MARKERS:
        if lowered.startswith(marker):
            return tuple(split_artists(text.lstrip()[len(marker) :]))
    return None


@lru_cache(maxsize=65_536)
def parse_title(title: str, *, strip_number: bool = False) -> TitleParts:
    """Split `title` into base name, featured artists and version marks.

    `strip_number` also removes a track number written before the title ("03 - Song",
    "3. Song"), as file tags often have it; catalog titles keep theirs ("7 Rings").
    """
    text = " ".join(title.split())
    number: int | None = None
    if strip_number:
        match = _LEADING_NUMBER.match(text)
        if match and len(text) > match.end():
            digits = re.findall(r"\d+", match.group(0))
            number = int(digits[-1]) if digits else None
            text = text[match.end() :]
    if _PLAIN.fullmatch(text) and "ft" not in (lowered := text.lower()) and "feat" not in lowered:
        # no group, dash or "feat." for the patterns below to find (most names)
        return TitleParts(base=text or " ".join(title.split()), number=number)
    featured: list[str] = []
    version_parts: list[str] = []
    versions: set[str] = set()
    # groups in parentheses or brackets, anywhere
    for group in list(_GROUP.finditer(text)):
        inner = group.group(1).strip()
        names = _featured_in(inner)
        if names is not None:
            featured.extend(names)
        elif _versions_of(inner):
            versions |= _versions_of(inner)
            version_parts.append(inner)
        else:
            continue
        text = text.replace(group.group(0), " ", 1)
    # " - Remastered 2011", " - Live"
    dash = _DASH_SUFFIX.search(text)
    if dash:
        suffix = dash.group(1).strip()
        names = _featured_in(suffix)
        if names is not None:
            featured.extend(names)
            text = text[: dash.start()]
        elif _versions_of(suffix):
            versions |= _versions_of(suffix)
            version_parts.append(suffix)
            text = text[: dash.start()]
    inline = _FEAT_INLINE.search(text)
    if inline:
        featured.extend(split_artists(inline.group(1)))
        text = text[: inline.start()]
    base = " ".join(text.split()) or " ".join(title.split())
    return TitleParts(
        base=base,
        featured=tuple(featured),
        versions=frozenset(versions),
        version_text=" ".join(version_parts),
        number=number,
    )


def uninvert(name: str) -> str:
    """`Beatles, The` -> `The Beatles`; other names unchanged."""
    head, sep, tail = name.rpartition(",")
    if sep and tail.strip().lower() in ARTICLES and head.strip():
        return f"{tail.strip()} {head.strip()}"
    return name.strip()


@lru_cache(maxsize=65_536)
def _split_cached(credit: str) -> tuple[str, ...]:
    whole = uninvert(credit)
    if whole != credit.strip():
        return (whole,)
    parts = [part.strip() for part in _ARTIST_SPLIT.split(credit) if part and part.strip()]
    return tuple(uninvert(part) for part in parts) or ((credit.strip(),) if credit.strip() else ())


def split_artists(credit: str) -> list[str]:
    """`A & B feat. C`, `A; B`, `A, B and C` -> the separate names, `Beatles, The` kept whole."""
    return list(_split_cached(credit))
