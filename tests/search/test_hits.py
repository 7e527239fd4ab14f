"""The hit check and its shortcut: a query it cannot refuse fetches no spare rows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.search.hits import checks_anything, keep
from explorer.search.query import parse_query
from explorer.search.results import SearchHit

WORDS = st.sampled_from(
    [
        "love",
        "the",
        "夜空",
        "별",
        "year:1999",
        "type:single",
        'artist:"x y"',
        "track:z",
        '"a b"',
        "Ünï",
        "-",
        "",
    ]
)


@given(
    st.lists(WORDS, max_size=4).map(" ".join),
    st.sampled_from(["track", "album", "artist"]),
    st.text(max_size=12),
    st.lists(st.text(max_size=8), max_size=2),
    st.none() | st.integers(1900, 2030),
    st.none() | st.sampled_from(["album", "single", "compilation"]),
)
def test_a_query_that_checks_nothing_keeps_every_hit(
    text: str,
    kind: str,
    name: str,
    artists: list[str],
    year: int | None,
    album_type: str | None,
) -> None:
    parsed = parse_query(text)
    hit = SearchHit(
        kind=kind,  # type: ignore[arg-type]
        id="x" * 22,
        rowid=1,
        name=name,
        artists=tuple(artists),
        year=year,
        album_type=album_type,
    )
    if not checks_anything(parsed):
        assert keep(hit, parsed)
    # the index matched the years: a hit's year is in range
    if parsed.years and not checks_anything(parsed, years_matched=True):
        low, high = parsed.years
        assert keep(replace(hit, year=low), parsed)
        assert keep(replace(hit, year=high), parsed)


@pytest.mark.parametrize(
    ("text", "checks"),
    [
        ("love song", False),
        ("beyonse halo", False),
        ('artist:"The Foxes" love', True),
        ("track:halo", True),
        ('"love song"', True),
        ("year:1990..1999 love", True),
        ("type:single love", True),
        ("夜空", True),
    ],
)
def test_checks_anything(text: str, checks: bool) -> None:
    assert checks_anything(parse_query(text)) is checks
