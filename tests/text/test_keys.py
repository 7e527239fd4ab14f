"""Key names and the Camelot wheel, as tables."""

from __future__ import annotations

import pytest

from explorer.text.keys import camelot, compatible, parse_key, standard_name


@pytest.mark.parametrize(
    ("pitch", "mode", "name", "code"),
    [
        (9, 0, "Am", "8A"),
        (0, 1, "C", "8B"),
        (4, 0, "Em", "9A"),
        (7, 1, "G", "9B"),
        (8, 0, "G#m", "1A"),
        (11, 1, "B", "1B"),
        (3, 0, "Ebm", "2A"),
        (6, 1, "F#", "2B"),
        (10, 0, "Bbm", "3A"),
        (1, 1, "Db", "3B"),
        (5, 0, "Fm", "4A"),
        (8, 1, "Ab", "4B"),
        (0, 0, "Cm", "5A"),
        (3, 1, "Eb", "5B"),
        (7, 0, "Gm", "6A"),
        (10, 1, "Bb", "6B"),
        (2, 0, "Dm", "7A"),
        (5, 1, "F", "7B"),
        (11, 0, "Bm", "10A"),
        (2, 1, "D", "10B"),
        (6, 0, "F#m", "11A"),
        (9, 1, "A", "11B"),
        (1, 0, "C#m", "12A"),
        (4, 1, "E", "12B"),
        (-1, 1, "", ""),
        (None, 0, "", ""),
        (3, None, "", ""),
        (12, 0, "", ""),
        (5, 2, "", ""),
    ],
)
def test_names_and_codes(pitch: int | None, mode: int | None, name: str, code: str) -> None:
    assert standard_name(pitch, mode) == name
    assert camelot(pitch, mode) == code


def test_every_key_has_its_own_code() -> None:
    codes = {camelot(p, m) for p in range(12) for m in (0, 1)}
    assert len(codes) == 24


@pytest.mark.parametrize(
    ("code", "mixes"),
    [
        ("8A", ("8A", "7A", "9A", "8B")),
        ("1A", ("1A", "12A", "2A", "1B")),
        ("12B", ("12B", "11B", "1B", "12A")),
        ("08b", ("8B", "7B", "9B", "8A")),
        ("13A", ()),
        ("Am", ()),
        ("", ()),
    ],
)
def test_compatible(code: str, mixes: tuple[str, ...]) -> None:
    assert compatible(code) == mixes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("8A", "8A"),
        ("8a", "8A"),
        ("08A", "8A"),
        ("12b", "12B"),
        ("Am", "8A"),
        ("A minor", "8A"),
        ("amin", "8A"),
        ("A", "11B"),
        ("A major", "11B"),
        ("C", "8B"),
        ("C#m", "12A"),
        ("Dbm", "12A"),
        ("D♭m", "12A"),
        ("F sharp major", "2B"),
        ("Gb", "2B"),
        ("Cb", "1B"),  # B major
        ("B#m", "5A"),  # C minor
        ("Bbmin", "3A"),
        ("a", None),
        ("H", None),
        ("13A", None),
        ("0A", None),
        ("", None),
        ("house", None),
    ],
)
def test_parse_key(text: str, code: str | None) -> None:
    assert parse_key(text) == code
