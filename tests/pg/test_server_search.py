"""Search on PostgreSQL: the same queries give the same hits, pages and notices as the
sidecar index of the file the catalog was published from."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.catalog.server import open_server_catalog
from explorer.cli.main import main
from explorer.search.engine import SearchEngine
from explorer.search.results import KINDS, SearchPage
from explorer.search.server_engine import ServerSearchEngine, engine_for
from tests.pg.conftest import published_copy

# Names sampled from the catalog as queries, per table.
SAMPLED = 12
# Pages compared per query and kind.
PAGES = 2
PAGE_SIZE = 10

# Queries written by hand: words in any order, prefixes, typos, scripts, every filter.
QUERIES = [
    "love",
    "love ",
    "lo",
    "heart love ",
    "the",
    "night of the",
    "blak desrts burn",
    "midnigth",
    "deserts",
    "year:1990..1999",
    "love year:2001",
    "type:single",
    "type:compilation night",
    "label:records",
    "genre:rock",
    "genre:deep house",
    'artist:"The Black Deserts"',
    'album:"greatest hits"',
    'album:"greatest hits" love',
    '"black deserts"',
    "remastered",
    "live 2011",
    "東京",
    "Москва",
    "beyonce",
    "zzzzqqq",
    "year:19x",
    "",
]


def _sampled(path: Path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        queries = []
        for table in ("tracks", "albums", "artists"):
            top = con.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
            step = max(1, top // SAMPLED)
            queries += [
                row[0]
                for row in con.execute(
                    f"SELECT name FROM {table} WHERE rowid % ? = 1 LIMIT ?", (step, SAMPLED)
                )
            ]
        isrc = con.execute("SELECT external_id_isrc FROM tracks WHERE rowid = 7").fetchone()[0]
        upc = con.execute(
            "SELECT external_id_upc FROM albums WHERE external_id_upc != '' LIMIT 1"
        ).fetchone()[0]
        return [*queries, f"isrc:{isrc}", f"upc:{upc}"]
    finally:
        con.close()


@pytest.fixture(scope="module")
def published(indexed_catalog_path: Path, pg_server: str) -> str:
    return published_copy(indexed_catalog_path, pg_server)


@pytest.fixture(scope="module")
def engines(
    indexed_catalog_path: Path, published: str
) -> Iterator[tuple[SearchEngine, SearchEngine]]:
    file_catalog = open_catalog(indexed_catalog_path)
    server_catalog = open_server_catalog(published)
    file_engine, server_engine = engine_for(file_catalog), engine_for(server_catalog)
    assert isinstance(server_engine, ServerSearchEngine)
    assert file_engine.index_ready and not isinstance(file_engine, ServerSearchEngine)
    yield file_engine, server_engine
    file_engine.close()
    file_catalog.close()
    server_catalog.close()


def _pages(engine: SearchEngine, text: str, kind: str) -> list[tuple[object, ...]]:
    found: list[tuple[object, ...]] = []
    cursor = None
    for _ in range(PAGES):
        page: SearchPage = engine.search(text, kind=kind, limit=PAGE_SIZE, cursor=cursor)  # type: ignore[arg-type]
        found.append((tuple(hit.id for hit in page.hits), page.more, page.fuzzy, page.notice))
        if page.cursor is None:
            break
        cursor = page.cursor
    return found


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("kind", KINDS)
def test_written_queries_find_the_same_on_both_engines(
    engines: tuple[SearchEngine, SearchEngine], text: str, kind: str
) -> None:
    file_engine, server_engine = engines
    assert _pages(server_engine, text, kind) == _pages(file_engine, text, kind)


def test_sampled_names_find_the_same_on_both_engines(
    engines: tuple[SearchEngine, SearchEngine], indexed_catalog_path: Path
) -> None:
    file_engine, server_engine = engines
    queries = _sampled(indexed_catalog_path)
    assert len(queries) >= 3 * SAMPLED
    found = 0
    for text in queries:
        for kind in KINDS:
            expected = _pages(file_engine, text, kind)
            assert _pages(server_engine, text, kind) == expected, (text, kind)
            found += bool(expected[0][0])
    assert found >= len(queries)  # the names find something


def test_the_search_command_takes_a_server(
    published: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--catalog", published, "love", "--type", "track", "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count('"type": "track"') >= 1
