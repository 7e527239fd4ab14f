"""year:A..B finds the releases of every year of the range, however wide, or says why not."""

from __future__ import annotations

import pytest

import explorer.search.engine as engine_module
from explorer.search.engine import SearchEngine
from explorer.search.query import parse_query
from explorer.search.results import SearchHit


def _every_hit(engine: SearchEngine, typed: str, kind: str) -> list[SearchHit]:
    page = engine.search(typed, kind=kind, limit=500)  # type: ignore[arg-type]
    hits = list(page.hits)
    while page.cursor:
        page = engine.search(typed, kind=kind, limit=500, cursor=page.cursor)  # type: ignore[arg-type]
        hits += page.hits
    return hits


def _released(engine: SearchEngine, kind: str, low: int, high: int) -> set[str]:
    """The ids of the albums or tracks released from `low` to `high`, read from the
    catalog itself (a 20,000-track demo)."""
    sql = {
        "album": "SELECT id FROM albums WHERE release_date >= ? AND release_date < ?",
        "track": "SELECT t.id FROM tracks t JOIN albums a ON a.rowid = t.album_rowid "
        "WHERE a.release_date >= ? AND a.release_date < ?",
    }[kind]
    return {row[0] for row in engine.catalog.execute(sql, (f"{low:04d}", f"{high + 1:04d}"))}


RANGES = [
    (1990, 1990),
    (1990, 1999),
    (1965, 2025),  # the catalog's years, 61 of them
    (1950, 2025),
    (1900, 2025),
    (1000, 2999),  # the widest the parser takes
    (2026, 2999),  # none of the catalog's
]


@pytest.mark.parametrize("kind", ["album", "track"])
@pytest.mark.parametrize(("low", "high"), RANGES)
def test_every_release_of_the_range(engine: SearchEngine, kind: str, low: int, high: int) -> None:
    hits = _every_hit(engine, f"year:{low}..{high}", kind)
    assert {hit.id for hit in hits} == _released(engine, kind, low, high)
    assert len(hits) == len({hit.id for hit in hits})


# (typed, the range's years): words with a range asked of the index or checked on the hits
WITH_WORDS = [
    ("love year:1950..2025", (1965, 2025)),
    ("night year:1980..2009 ", (1980, 2009)),
    ("the love year:1900..1999", (1965, 1999)),
]


@pytest.mark.parametrize("dense", [0.0, 2.0])  # the years always / never left to the check
@pytest.mark.parametrize("kind", ["album", "track"])
@pytest.mark.parametrize(("typed", "years"), WITH_WORDS)
def test_words_with_a_range_find_what_each_year_finds(
    engine: SearchEngine,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    years: tuple[int, int],
    kind: str,
    dense: float,
) -> None:
    words = typed.split(" year:")[0]
    each_year = {
        hit.id
        for year in range(years[0], years[1] + 1)
        for hit in _every_hit(engine, f"{words} year:{year} ", kind)
    }
    monkeypatch.setattr(engine_module, "DENSE_YEARS", dense)
    hits = _every_hit(engine, typed, kind)
    assert each_year and {hit.id for hit in hits} == each_year
    assert engine.search(typed, kind=kind).notice is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "most", "shown"),
    [
        ("year:1900..2025", 10, (2016, 2025)),
        ("love year:1000..2999", 20, (2006, 2025)),
        ("year:1900..2025", 61, (1965, 2025)),
    ],
)
def test_more_years_than_a_search_asks_for_are_said(
    engine: SearchEngine,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    most: int,
    shown: tuple[int, int],
) -> None:
    monkeypatch.setattr(engine_module, "MAX_YEARS", most)
    monkeypatch.setattr(engine_module, "DENSE_YEARS", 2.0)  # never left to the check
    page = engine.search(typed, kind="album", limit=100)
    assert page.hits and all(shown[0] <= (hit.year or 0) <= shown[1] for hit in page.hits)
    assert parse_query(typed).years  # the filter was read
    if shown[0] > 1965:
        assert page.notice is not None
        assert f"from {shown[0]} to {shown[1]}" in page.notice
        assert f"year:1965..{shown[0] - 1}" in page.notice
    else:
        assert page.notice is None
