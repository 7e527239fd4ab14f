"""The user store's copy of the catalog facets of linked files (table `link_facets`).

A cache filled from the catalog by id lookups (matching/facets.py): the library's facet
filter words and columns read it in the store's own SQL. A row holds for the track it was
read for; readers join it on the link's current `track_id`, so a changed link never shows
another track's values, and `stale` finds it to read again.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from explorer.library.store import LibraryStore

# Files per `IN (...)` list and per page of stale links.
CHUNK = 500

_COLUMNS = (
    "file_id, track_id, tempo, key, mode, camelot, energy, danceability, valence, "
    "popularity, year, genres"
)


@dataclass(frozen=True)
class LinkFacets:
    """The facets of one linked file's track, as the store keeps them."""

    file_id: int
    track_id: str
    tempo: float | None
    key: int | None
    mode: int | None
    camelot: str | None
    energy: float | None
    danceability: float | None
    valence: float | None
    popularity: int | None
    year: int | None
    genres: tuple[str, ...]


def genres_text(genres: Sequence[str]) -> str:
    """Genres as stored: each between newlines (`\\nhouse\\ndeep house\\n`), so a word can be
    looked for at a genre's start (`\\nhouse`) or anywhere in one."""
    kept = [" ".join(genre.casefold().split()) for genre in genres]
    kept = [genre for genre in kept if genre]
    return "\n" + "\n".join(kept) + "\n" if kept else ""


def _row(values: Sequence[Any]) -> LinkFacets:
    genres = tuple(genre for genre in str(values[11] or "").split("\n") if genre)
    return LinkFacets(
        file_id=int(values[0]),
        track_id=str(values[1]),
        tempo=values[2],
        key=values[3],
        mode=values[4],
        camelot=values[5],
        energy=values[6],
        danceability=values[7],
        valence=values[8],
        popularity=values[9],
        year=values[10],
        genres=genres,
    )


class FacetCache:
    """The `link_facets` table of a user store (same database, same transactions)."""

    def __init__(self, store: LibraryStore) -> None:
        self.db = store.db

    def stale(self, *, after_file_id: int = 0, limit: int = CHUNK) -> list[tuple[int, str]]:
        """(file id, track id) of linked files whose facets are missing or were read for
        another track, in file order after `after_file_id`."""
        rows = self.db.execute_sql(
            "SELECT l.file_id, l.track_id FROM links l "
            "LEFT JOIN link_facets c ON c.file_id = l.file_id "
            "WHERE l.file_id > ? AND l.track_id IS NOT NULL "
            "AND (c.file_id IS NULL OR c.track_id != l.track_id) "
            "ORDER BY l.file_id LIMIT ?",
            (after_file_id, limit),
        )
        return [(int(row[0]), str(row[1])) for row in rows]

    def save(self, rows: Sequence[LinkFacets]) -> None:
        """Store (or replace) these files' facets in one transaction."""
        now = time.time()
        with self.db.atomic():
            for row in rows:
                self.db.execute_sql(
                    f"INSERT OR REPLACE INTO link_facets ({_COLUMNS}, read_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        row.file_id,
                        row.track_id,
                        row.tempo,
                        row.key,
                        row.mode,
                        row.camelot,
                        row.energy,
                        row.danceability,
                        row.valence,
                        row.popularity,
                        row.year,
                        genres_text(row.genres),
                        now,
                    ),
                )

    def get_many(self, file_ids: Sequence[int]) -> dict[int, LinkFacets]:
        """The facets of these files that hold for their current link's track."""
        found: dict[int, LinkFacets] = {}
        ids = list(dict.fromkeys(file_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            columns = ", ".join(f"c.{name.strip()}" for name in _COLUMNS.split(","))
            rows = self.db.execute_sql(
                f"SELECT {columns} FROM link_facets c JOIN links l "
                "ON l.file_id = c.file_id AND l.track_id = c.track_id "
                f"WHERE c.file_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((int(row[0]), _row(row)) for row in rows)
        return found
