"""What the catalog knows about tracks beyond their names (tempo, key, energy, genres, year),
read by id: unique-index and primary-key lookups, never a scan of the features table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from explorer.catalog.connection import FEATURES_SCHEMA, Catalog
from explorer.catalog.records import release_year

# Track ids per `IN (...)` lookup (SQLite allows 32,766 parameters; a page of the library
# is 500 files).
ID_CHUNK = 500
# Genres kept per track (the union of its credited artists' genres, in credit order).
MAX_GENRES = 12


@dataclass(frozen=True)
class TrackFacets:
    """One catalog track's facets; None where the catalog has no value (no features row,
    `null_response`, key -1, an unknown release date)."""

    track_id: str
    tempo: float | None
    key: int | None  # pitch class 0 = C ... 11 = B
    mode: int | None  # 1 major, 0 minor
    energy: float | None
    danceability: float | None
    valence: float | None
    popularity: int
    year: int | None
    genres: tuple[str, ...]


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _features(catalog: Catalog, ids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
    if not catalog.has_features:
        return {}
    rows = catalog.execute(
        "SELECT track_id, null_response, tempo, key, mode, energy, danceability, valence "
        f"FROM {FEATURES_SCHEMA}.track_audio_features WHERE track_id IN ({_marks(len(ids))})",
        tuple(ids),
    )
    return {row[0]: row[1:] for row in rows}


def _genres(catalog: Catalog, track_rowids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = catalog.execute(
        "SELECT ta.track_rowid, g.genre FROM track_artists ta "
        "JOIN artist_genres g ON g.artist_rowid = ta.artist_rowid "
        f"WHERE ta.track_rowid IN ({_marks(len(track_rowids))}) ORDER BY ta.track_rowid, ta.rowid",
        tuple(track_rowids),
    )
    for track_rowid, genre in rows:
        genres = found[track_rowid]
        if genre not in genres and len(genres) < MAX_GENRES:
            genres.append(genre)
    return {key: tuple(value) for key, value in found.items()}


def _chunk_facets(catalog: Catalog, ids: Sequence[str]) -> dict[str, TrackFacets]:
    tracks = catalog.execute(
        "SELECT t.rowid, t.id, t.popularity, al.release_date FROM tracks t "
        "LEFT JOIN albums al ON al.rowid = t.album_rowid "
        f"WHERE t.id IN ({_marks(len(ids))})",
        tuple(ids),
    ).fetchall()
    features = _features(catalog, [row[1] for row in tracks])
    genres = _genres(catalog, [row[0] for row in tracks])
    found = {}
    for rowid, track_id, popularity, release_date in tracks:
        null, tempo, key, mode, energy, dance, valence = features.get(track_id, (1,) + (None,) * 6)
        if null:
            tempo = key = mode = energy = dance = valence = None
        found[track_id] = TrackFacets(
            track_id=track_id,
            tempo=_number(tempo),
            key=key if isinstance(key, int) and 0 <= key <= 11 else None,
            mode=mode if mode in (0, 1) else None,
            energy=_number(energy),
            danceability=_number(dance),
            valence=_number(valence),
            popularity=int(popularity or 0),
            year=release_year(release_date) if isinstance(release_date, str) else None,
            genres=genres.get(rowid, ()),
        )
    return found


def track_facets(catalog: Catalog, track_ids: Sequence[str]) -> dict[str, TrackFacets]:
    """The facets of these tracks by id (those the catalog has), ID_CHUNK ids a lookup:
    `tracks(id)` and `track_audio_features(track_id)` are unique indexes, albums are read
    by rowid and genres through `track_artists(track_rowid)` and `artist_genres(artist_rowid)`."""
    unique = list(dict.fromkeys(track_ids))
    found: dict[str, TrackFacets] = {}
    with catalog.reading():
        for start in range(0, len(unique), ID_CHUNK):
            found.update(_chunk_facets(catalog, unique[start : start + ID_CHUNK]))
    return found
