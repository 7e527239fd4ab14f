"""The published DDL of the 2025 dump: the one source for the demo writer and the validator."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache

# spotify_clean.sqlite3, as published (see shared/docs/catalog-schema.md).
CATALOG_TABLES_DDL = """
CREATE TABLE artists (
    rowid integer PRIMARY KEY NOT NULL,
    id text NOT NULL,
    fetched_at integer NOT NULL,
    name text NOT NULL,
    followers_total integer NOT NULL,
    popularity integer NOT NULL
);
CREATE TABLE artist_genres (
    artist_rowid integer NOT NULL,
    genre text NOT NULL
);
CREATE TABLE artist_images (
    artist_rowid integer NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    url text NOT NULL
);
CREATE TABLE artist_albums (
    artist_rowid integer NOT NULL,
    album_rowid integer NOT NULL,
    is_appears_on integer NOT NULL,
    is_implicit_appears_on integer NOT NULL,
    index_in_album integer
);
CREATE TABLE available_markets (
    rowid integer PRIMARY KEY NOT NULL,
    available_markets text NOT NULL
);
CREATE TABLE albums (
    rowid integer PRIMARY KEY NOT NULL,
    id text NOT NULL,
    fetched_at integer NOT NULL,
    name text NOT NULL,
    album_type text NOT NULL,
    available_markets_rowid integer NOT NULL,
    external_id_upc text,
    external_id_amgid text,
    copyright_c text,
    copyright_p text,
    label text NOT NULL,
    popularity integer NOT NULL,
    release_date text NOT NULL,
    release_date_precision text NOT NULL,
    total_tracks integer NOT NULL
);
CREATE TABLE album_images (
    album_rowid integer NOT NULL,
    width integer NOT NULL,
    height integer NOT NULL,
    url text NOT NULL
);
CREATE TABLE tracks (
    rowid integer PRIMARY KEY NOT NULL,
    id text NOT NULL,
    fetched_at integer NOT NULL,
    name text NOT NULL,
    preview_url text,
    album_rowid integer NOT NULL,
    track_number integer NOT NULL,
    external_id_isrc text,
    external_id_ean text,
    external_id_upc text,
    popularity integer NOT NULL,
    available_markets_rowid integer NOT NULL,
    disc_number integer NOT NULL,
    duration_ms integer NOT NULL,
    explicit integer NOT NULL
);
CREATE TABLE track_artists (
    track_rowid integer NOT NULL,
    artist_rowid integer NOT NULL
);
"""

# The indexes that ship in the file; created by the demo writer after the rows are in.
CATALOG_INDEXES_DDL = """
CREATE UNIQUE INDEX artists_id_unique ON artists (id);
CREATE UNIQUE INDEX albums_id_unique ON albums (id);
CREATE UNIQUE INDEX tracks_id_unique ON tracks (id);
CREATE UNIQUE INDEX available_markets_unique ON available_markets (available_markets);
CREATE INDEX artists_name ON artists (name);
CREATE INDEX artists_popularity ON artists (popularity);
CREATE INDEX artists_followers ON artists (followers_total);
CREATE INDEX albums_name ON albums (name);
CREATE INDEX albums_popularity ON albums (popularity);
CREATE INDEX tracks_popularity ON tracks (popularity);
CREATE INDEX tracks_album ON tracks (album_rowid);
CREATE INDEX tracks_isrc ON tracks (external_id_isrc);
CREATE INDEX track_artists_track ON track_artists (track_rowid);
CREATE INDEX track_artists_artist ON track_artists (artist_rowid);
CREATE INDEX artist_albums_artist ON artist_albums (artist_rowid);
CREATE INDEX artist_albums_album ON artist_albums (album_rowid);
CREATE INDEX artist_genres_artist ON artist_genres (artist_rowid);
CREATE INDEX artist_genres_genre ON artist_genres (genre);
CREATE INDEX artist_images_artist ON artist_images (artist_rowid);
CREATE INDEX album_images_album ON album_images (album_rowid);
"""

# spotify_clean_audio_features.sqlite3, as published.
FEATURES_TABLES_DDL = """
CREATE TABLE track_audio_features (
    rowid integer PRIMARY KEY NOT NULL,
    track_id text NOT NULL,
    fetched_at integer NOT NULL,
    null_response integer NOT NULL,
    duration_ms integer,
    time_signature integer,
    tempo integer,
    key integer,
    mode integer,
    danceability real,
    energy real,
    loudness real,
    speechiness real,
    acousticness real,
    instrumentalness real,
    liveness real,
    valence real
);
"""

FEATURES_INDEXES_DDL = """
CREATE UNIQUE INDEX track_audio_features_track_id ON track_audio_features (track_id);
"""

# Tables whose rows grow with the catalog; never count(*) them.
BIG_TABLES = (
    "tracks",
    "track_artists",
    "albums",
    "artist_albums",
    "album_images",
    "artists",
    "artist_genres",
    "artist_images",
)


@dataclass(frozen=True)
class IndexSpec:
    """One index as the validator and the schema test compare them."""

    table: str
    columns: tuple[str, ...]
    unique: bool


def _describe(ddl: str) -> tuple[dict[str, tuple[str, ...]], frozenset[IndexSpec]]:
    con = sqlite3.connect(":memory:")
    try:
        con.executescript(ddl)
        return describe_connection(con)
    finally:
        con.close()


def describe_connection(
    con: sqlite3.Connection, *, schema: str = "main"
) -> tuple[dict[str, tuple[str, ...]], frozenset[IndexSpec]]:
    """Tables (with their column names) and indexes of an open database."""
    tables: dict[str, tuple[str, ...]] = {}
    indexes: set[IndexSpec] = set()
    names = [
        row[0]
        for row in con.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    for name in names:
        cols = con.execute(f'PRAGMA {schema}.table_info("{name}")').fetchall()
        tables[name] = tuple(col[1] for col in cols)
        for idx in con.execute(f'PRAGMA {schema}.index_list("{name}")').fetchall():
            if idx[3] != "c":  # skip automatic indexes of constraints
                continue
            info = con.execute(f'PRAGMA {schema}.index_info("{idx[1]}")').fetchall()
            indexes.add(IndexSpec(name, tuple(col[2] for col in info), bool(idx[2])))
    return tables, frozenset(indexes)


@cache
def catalog_tables() -> dict[str, tuple[str, ...]]:
    """Every published catalog table with its columns, in declaration order."""
    return _describe(CATALOG_TABLES_DDL)[0]


@cache
def catalog_indexes() -> frozenset[IndexSpec]:
    """Every index that ships in the published catalog."""
    return _describe(CATALOG_TABLES_DDL + CATALOG_INDEXES_DDL)[1]


@cache
def features_tables() -> dict[str, tuple[str, ...]]:
    """The audio-features table with its columns."""
    return _describe(FEATURES_TABLES_DDL)[0]


@cache
def features_indexes() -> frozenset[IndexSpec]:
    """The index that ships in the audio-features file."""
    return _describe(FEATURES_TABLES_DDL + FEATURES_INDEXES_DDL)[1]
