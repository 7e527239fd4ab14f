"""Stop words: "and" is left out of a query (the index never holds `&`), unless the
query is nothing but stop words."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.index import build_index
from explorer.search.engine import SearchEngine
from explorer.search.query import parse_query
from explorer.search.terms import match_terms

# Names given to rows of a copy of the small demo catalog (whose names never hold the
# word "and"): (table, rowid, name). Artist 15 is credited on tracks.
RENAMED = [
    ("artists", 15, "Cemjial & Trobel"),
    ("artists", 2, "The The"),
    ("tracks", 1, "And"),
]


@pytest.fixture(scope="module")
def engine(
    small_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchEngine]:
    path = tmp_path_factory.mktemp("stop-words") / "renamed.sqlite3"
    shutil.copy(small_catalog_path, path)
    con = sqlite3.connect(path)
    with con:
        for table, rowid, name in RENAMED:
            con.execute(f"UPDATE {table} SET name = ? WHERE rowid = ?", (name, rowid))
    assert con.execute("SELECT 1 FROM track_artists WHERE artist_rowid = 15").fetchone()
    con.close()
    catalog = open_catalog(path)
    build_index(catalog)
    engine = SearchEngine(catalog)
    assert engine.index_ready
    yield engine
    engine.close()
    catalog.close()


# (typed, kind, the name a hit has, or one of its artists)
FOUND = [
    ("Cemjial and Trobel", "artist", "Cemjial & Trobel"),
    ("Cemjial and Trobel ", "artist", "Cemjial & Trobel"),
    ("cemjial AND trobel ", "artist", "Cemjial & Trobel"),
    ("Trobel and Cemjial", "artist", "Cemjial & Trobel"),
    ("Cemjial and", "artist", "Cemjial & Trobel"),  # "and" being typed
    ('"Cemjial and Trobel"', "artist", "Cemjial & Trobel"),
    ("Cemjial and Trobel", "track", "Cemjial & Trobel"),
    ('artist:"Cemjial and Trobel"', "track", "Cemjial & Trobel"),
    ("The The", "artist", "The The"),  # no stop word: "the" is a word like any other
    ("And", "track", "And"),  # stop words alone are kept
    ("and ", "track", "And"),
    ("and and ", "track", "And"),
]


@pytest.mark.parametrize(("typed", "kind", "name"), FOUND)
def test_and_is_not_required(engine: SearchEngine, typed: str, kind: str, name: str) -> None:
    hits = engine.search(typed, kind=kind, limit=50).hits  # type: ignore[arg-type]
    assert any(name in (hit.name, *hit.artists) for hit in hits)


# (typed, the MATCH expression, the word being typed)
TERMS = [
    ("Cemjial and Trobel", '"cemjial" AND "trobel"', "trobel"),
    ("Cemjial and Trobel ", '"cemjial" AND "trobel"', None),
    ("Cemjial AND", '"cemjial"', None),  # the word typed is a stop word: none completed
    ("and Trobel", '"trobel"', "trobel"),
    ("and", '"and"', "and"),
    ("and and ", '"and"', None),
    ("The The ", '"the"', None),
]


@pytest.mark.parametrize(("typed", "expression", "prefix"), TERMS)
def test_stop_words_are_left_out_of_the_match(
    typed: str, expression: str, prefix: str | None
) -> None:
    terms = match_terms(parse_query(typed), "artist")
    assert terms.expression == expression
    assert terms.prefix_token == prefix
