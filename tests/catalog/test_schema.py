"""The demo writer's schema equals the published DDL, column by column and index by index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from explorer.catalog import schema
from explorer.catalog.connection import features_path_for


def _columns(con: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    tables = [
        row[0]
        for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    # (name, declared type, not null, default, primary key) of every column, in order
    return {t: [tuple(c[1:]) for c in con.execute(f"PRAGMA table_info({t})")] for t in tables}


def _published(ddl: str) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.executescript(ddl)
    return con


@pytest.mark.parametrize(
    ("ddl", "index_ddl", "features"),
    [
        (schema.CATALOG_TABLES_DDL, schema.CATALOG_INDEXES_DDL, False),
        (schema.FEATURES_TABLES_DDL, schema.FEATURES_INDEXES_DDL, True),
    ],
    ids=["catalog", "audio-features"],
)
def test_demo_schema_matches_published_ddl(
    demo_catalog_path: Path, ddl: str, index_ddl: str, features: bool
) -> None:
    path = features_path_for(demo_catalog_path) if features else demo_catalog_path
    written = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    published = _published(ddl + index_ddl)
    try:
        assert _columns(written) == _columns(published)
        assert schema.describe_connection(written)[1] == schema.describe_connection(published)[1]
    finally:
        written.close()
        published.close()


def test_published_schema_is_what_the_docs_list() -> None:
    tables = schema.catalog_tables()
    assert set(tables) == {
        "artists",
        "artist_genres",
        "artist_images",
        "artist_albums",
        "available_markets",
        "albums",
        "album_images",
        "tracks",
        "track_artists",
    }
    assert tables["tracks"][:4] == ("rowid", "id", "fetched_at", "name")
    unique = {(i.table, i.columns) for i in schema.catalog_indexes() if i.unique}
    assert unique == {
        ("artists", ("id",)),
        ("albums", ("id",)),
        ("tracks", ("id",)),
        ("available_markets", ("available_markets",)),
    }
    not_indexed = {
        ("tracks", ("name",)),
        ("tracks", ("duration_ms",)),
        ("albums", ("release_date",)),
    }
    assert not not_indexed & {(i.table, i.columns) for i in schema.catalog_indexes()}
    assert len(schema.catalog_indexes()) == 20
