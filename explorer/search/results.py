"""The search contract: what a search returns, shared by the engine, the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EntityKind = Literal["artist", "album", "track"]
KINDS: tuple[EntityKind, ...] = ("artist", "album", "track")


@dataclass(frozen=True)
class SearchHit:
    """One result row, ready to render (no lazy lookups needed)."""

    kind: EntityKind
    id: str  # the 22-character catalog id (stable across dump versions)
    rowid: int  # the catalog rowid (for fast follow-up lookups in this catalog only)
    name: str
    artists: tuple[str, ...] = ()  # credited artist names (tracks, albums); () for artists
    album: str | None = None  # tracks: the album name
    album_id: str | None = None  # tracks: the album id
    year: int | None = None  # tracks and albums: release year, None when unknown
    popularity: int = 0  # 0-100
    duration_ms: int | None = None  # tracks
    explicit: bool = False  # tracks
    followers: int | None = None  # artists
    album_type: str | None = None  # albums: album | single | compilation
    score: float = 0.0  # ranking score, higher first (for explanation, not display)


@dataclass(frozen=True)
class SearchPage:
    """One page of results of one kind; pass `cursor` back to get the next page."""

    kind: EntityKind
    hits: tuple[SearchHit, ...]
    cursor: str | None  # opaque; None when there is no next page
    more: bool  # True when more results exist than returned ("50+" in the GUI)
    reduced: bool = False  # True when answered without the sidecar index (prefix only)
    notice: str | None = None  # a sentence for the user ("Build the index for ...")
    fuzzy: bool = False  # True when the typo-tolerant pass produced these hits
