"""The query parser as a table: what people type and what it means."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.search.query import EntityRef, ignored_notice, parse_query, parse_ref

ID = "4uLU6hMCjMI75M1A2tKUQC"

# (typed, words, filters, years, album type, prefix)
TABLE = [
    ("", (), {}, None, None, False),
    ("   ", (), {}, None, None, False),
    ("love", ("love",), {}, None, None, True),
    ("love ", ("love",), {}, None, None, False),
    ("beyonce halo", ("beyonce", "halo"), {}, None, None, True),
    ('"black sugar" koumtoth', ("black", "sugar", "koumtoth"), {}, None, None, True),
    ("artist:beyonce halo", ("halo",), {"artist": "beyonce"}, None, None, True),
    ('artist:"the velvet foxes"', (), {"artist": "the velvet foxes"}, None, None, False),
    ("album:Thriller", (), {"album": "Thriller"}, None, None, False),
    ("label:sony track:love", (), {"label": "sony", "track": "love"}, None, None, False),
    ("genre:k-pop", (), {"genre": "k-pop"}, None, None, False),
    ("isrc:USUM71703861", (), {"isrc": "USUM71703861"}, None, None, False),
    ("upc:00602557", (), {"upc": "00602557"}, None, None, False),
    ("love year:1990", ("love",), {}, (1990, 1990), None, False),
    ("year:1990..1999 love", ("love",), {}, (1990, 1999), None, True),
    ("year:1999-1990", (), {}, (1990, 1999), None, False),
    ("year:1000..2999", (), {}, (1000, 2999), None, False),  # wide ranges kept whole
    ("year:abc love", ("love",), {}, None, None, True),
    ("type:ep summer", ("summer",), {}, None, "single", True),
    ("type:compilation", (), {}, None, "compilation", False),
    ("type:banana x", ("x",), {}, None, None, True),
    ("foo:bar", ("foo:bar",), {}, None, None, True),
    ("AND OR NOT NEAR", ("AND", "OR", "NOT", "NEAR"), {}, None, None, True),
    ('unbalanced "quote', ("unbalanced", "quote"), {}, None, None, False),
    ("(parens* -minus", ("(parens*", "-minus"), {}, None, None, True),
    ("夜空の花", ("夜空の花",), {}, None, None, True),
    ("tab\tand\x00nul", ("tab", "and", "nul"), {}, None, None, True),
]


@pytest.mark.parametrize(("typed", "words", "filters", "years", "album_type", "prefix"), TABLE)
def test_parse(
    typed: str,
    words: tuple[str, ...],
    filters: dict[str, str],
    years: tuple[int, int] | None,
    album_type: str | None,
    prefix: bool,
) -> None:
    parsed = parse_query(typed)
    assert parsed.words == words
    assert parsed.filters == filters
    assert parsed.years == years
    assert parsed.album_type == album_type
    assert parsed.prefix == prefix
    assert parsed.ref is None


@pytest.mark.parametrize(
    ("typed", "ref"),
    [
        (f"spotify:track:{ID}", EntityRef("track", ID)),
        (f"spotify:album:{ID}", EntityRef("album", ID)),
        (f"https://open.spotify.com/artist/{ID}", EntityRef("artist", ID)),
        (f"https://open.spotify.com/intl-de/track/{ID}?si=abc", EntityRef("track", ID)),
        (f"open.spotify.com/album/{ID}", EntityRef("album", ID)),
        (f"  {ID}  ", EntityRef(None, ID)),
        ("abcdefghijklmnopqrstuv", None),  # letters only: a word, not an id
        (f"spotify:playlist:{ID}", None),
        (ID[:-1], None),
    ],
)
def test_pasted_ids(typed: str, ref: EntityRef | None) -> None:
    assert parse_ref(typed) == ref
    assert parse_query(typed).ref == ref


def test_long_text_is_cut() -> None:
    parsed = parse_query("word " * 5000)
    assert len(parsed.words) <= 12


@given(st.text(max_size=2000))
def test_any_text_parses(text: str) -> None:
    parsed = parse_query(text)
    assert len(parsed.words) <= 12


@pytest.mark.parametrize(
    ("typed", "ignored", "years", "album_type"),
    [
        ("year:..1990 love", ("year:..1990",), None, None),
        ("year:abc love", ("year:abc",), None, None),
        ("year:0..9999", ("year:0..9999",), None, None),
        ("type:lp love", ("type:lp",), None, None),
        ("year:1990..1999 type:single", (), (1990, 1999), "single"),
        ("love", (), None, None),
    ],
)
def test_filter_words_it_cannot_use_are_named(
    typed: str, ignored: tuple[str, ...], years: object, album_type: object
) -> None:
    parsed = parse_query(typed)
    assert (parsed.ignored, parsed.years, parsed.album_type) == (ignored, years, album_type)
    notice = ignored_notice(parsed)
    assert (notice is None) == (not ignored)
    assert all(word in (notice or "") for word in ignored)


def test_the_page_says_what_was_left_out(indexed_catalog_path: Path) -> None:
    from explorer.catalog import open_catalog
    from explorer.search.engine import SearchEngine

    with open_catalog(indexed_catalog_path) as catalog:
        page = SearchEngine(catalog).search("year:abc love", kind="album")
    assert page.hits  # the other words still search
    assert page.notice is not None and "Left out year:abc" in page.notice
