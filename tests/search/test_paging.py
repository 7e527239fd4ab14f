"""Pages: at most `limit` hits each, and their cursors lead on to every other hit once."""

from __future__ import annotations

import pytest

from explorer.search.engine import SearchEngine
from explorer.search.query import parse_query
from explorer.search.results import SearchPage

# a query is answered in one page of this many hits to compare the pages with
WHOLE = 500


def _pages(engine: SearchEngine, typed: str, kind: str, limit: int) -> list[SearchPage]:
    pages = [engine.search(typed, kind=kind, limit=limit)]  # type: ignore[arg-type]
    while pages[-1].cursor:
        assert len(pages) < 1_000
        pages.append(engine.search(typed, kind=kind, limit=limit, cursor=pages[-1].cursor))  # type: ignore[arg-type]
    return pages


# (typed, kind, limit): more artists or albums named exactly as typed than the limit
EXACT = [
    ("love", "album", 1),
    ("Love ", "album", 4),
    ("Echo", "album", 5),
    ("Live at Port Aurel", "album", 3),
    ("Đặng Hà", "artist", 1),
]


@pytest.mark.parametrize(("typed", "kind", "limit"), EXACT)
def test_exact_names_beyond_the_limit_come_first_on_the_next_pages(
    engine: SearchEngine, typed: str, kind: str, limit: int
) -> None:
    exact = [hit.id for hit in engine._exact_names(parse_query(typed), kind)]  # type: ignore[arg-type]
    assert len(exact) > limit  # the case under test
    pages = _pages(engine, typed, kind, limit)
    assert len(pages[0].hits) == limit and pages[0].more
    shown = [hit.id for page in pages for hit in page.hits]
    assert shown[: len(exact)] == exact


# (typed, kind, limit): exact names, ranked windows, words dropped by the hit check
# (artist:, years left to it), completions and the typo pass
PAGED = [
    *EXACT,
    ("love ", "track", 1),
    ("love ", "track", 7),
    ("love ", "track", 50),
    ("night ", "album", 3),
    ("lov", "album", 3),
    ("lov", "album", 10),
    ("the ", "artist", 10),
    ('artist:"Bùi Tuấn"', "track", 3),
    ("year:1990..1999 love", "track", 5),
    ("love year:1950..2025", "track", 20),
    ("night year:1980..2009 ", "album", 2),
    ("lovr ", "track", 25),
    ("lovr nigth ", "track", 1),
    ("mirorr ", "album", 4),
]


@pytest.mark.parametrize(("typed", "kind", "limit"), PAGED)
def test_pages_hold_the_limit_and_lead_to_every_hit_once(
    engine: SearchEngine, typed: str, kind: str, limit: int
) -> None:
    whole = engine.search(typed, kind=kind, limit=WHOLE)  # type: ignore[arg-type]
    assert whole.hits and not whole.more
    pages = _pages(engine, typed, kind, limit)
    assert all(len(page.hits) <= limit for page in pages)
    assert all(page.more for page in pages[:-1]) and not pages[-1].more
    assert len(pages[0].hits) == min(limit, len(whole.hits))
    shown = [hit.id for page in pages for hit in page.hits]
    assert len(shown) == len(set(shown))  # none twice
    assert set(shown) == {hit.id for hit in whole.hits}  # none left out
    assert all(page.fuzzy == whole.fuzzy for page in pages if page.hits)


def test_a_cursor_from_elsewhere_starts_at_the_first_page(engine: SearchEngine) -> None:
    first = engine.search("love ", kind="track", limit=5)
    for cursor in ("", "x", "1:2", "1:2:3:4:5", "a:b:c:", "12::"):
        page = engine.search("love ", kind="track", limit=5, cursor=cursor)
        assert page.hits == first.hits, cursor
