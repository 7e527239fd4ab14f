"""Musical keys: the catalog's pitch class and mode as DJs write them (`Am`, Camelot `8A`).

Pure: no database, no I/O. The catalog stores a key as a pitch class (0 = C ... 11 = B,
-1 = none) and a mode (1 major, 0 minor). The Camelot wheel numbers keys round the circle
of fifths: minor keys are `1A`..`12A` (`8A` = A minor), major keys `1B`..`12B` (`8B` = C
major); keys one step round the wheel, or the relative major/minor, mix well.
"""

from __future__ import annotations

import re

# Standard names of the pitch classes as DJ software shows them (flats where DJs use them).
MAJOR_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MINOR_NAMES = ("Cm", "C#m", "Dm", "Ebm", "Em", "Fm", "F#m", "Gm", "G#m", "Am", "Bbm", "Bm")

_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_CAMELOT = re.compile(r"0?([1-9]|1[0-2])([AB])", re.IGNORECASE)
_STANDARD = re.compile(
    r"([A-G])\s*(#|♯|b|♭|-?sharp|-?flat)?\s*(m|min|minor|maj|major)?", re.IGNORECASE
)


def _valid(pitch: int | None, mode: int | None) -> bool:
    return pitch is not None and 0 <= pitch <= 11 and mode in (0, 1)


def standard_name(pitch: int | None, mode: int | None) -> str:
    """`Am`, `F#`, `Ebm`, or an empty string for no key (pitch -1 or a mode not known)."""
    if pitch is None or mode is None or not _valid(pitch, mode):
        return ""
    return (MAJOR_NAMES if mode == 1 else MINOR_NAMES)[pitch]


def camelot(pitch: int | None, mode: int | None) -> str:
    """The Camelot code (`8A` for A minor, `8B` for C major), or an empty string."""
    if pitch is None or mode is None or not _valid(pitch, mode):
        return ""
    shift = 4 if mode == 0 else 7  # A minor (9) and C major (0) sit at 8
    return f"{(7 * pitch + shift) % 12 + 1}{'A' if mode == 0 else 'B'}"


def compatible(code: str) -> tuple[str, ...]:
    """A Camelot code and the codes that mix with it: one step either way round the wheel
    and the relative major/minor (`8A` -> `8A 7A 9A 8B`)."""
    found = _CAMELOT.fullmatch(code.strip())
    if found is None:
        return ()
    number, letter = int(found.group(1)), found.group(2).upper()
    other = "B" if letter == "A" else "A"
    down = (number - 2) % 12 + 1
    up = number % 12 + 1
    return (f"{number}{letter}", f"{down}{letter}", f"{up}{letter}", f"{number}{other}")


def parse_key(text: str) -> str | None:
    """The Camelot code of a key written by a person: `8A`, `08a`, `Am`, `A minor`, `C#m`,
    `Db`, `F sharp major`, `Bbmin`; None when it is no key. A letter alone is major."""
    text = text.strip()
    found = _CAMELOT.fullmatch(text)
    if found is not None:
        return f"{int(found.group(1))}{found.group(2).upper()}"
    found = _STANDARD.fullmatch(text)
    if found is None:
        return None
    letter, accidental, mode_word = found.groups()
    if letter.islower() and not accidental and not mode_word:
        return None  # "a", "b": words, not keys
    pitch = _LETTERS[letter.upper()]
    accidental = (accidental or "").lower()
    if accidental in ("#", "♯") or accidental.endswith("sharp"):
        pitch += 1
    elif accidental in ("b", "♭") or accidental.endswith("flat"):
        pitch -= 1
    minor = (mode_word or "").lower() in ("m", "min", "minor")
    return camelot(pitch % 12, 0 if minor else 1)
