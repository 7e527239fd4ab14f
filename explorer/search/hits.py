"""Catalog records -> SearchHit rows, and the checks the index cannot make itself."""

from __future__ import annotations

import re
from collections.abc import Iterable

from explorer.catalog.records import AlbumSummary, ArtistRow, TrackRow
from explorer.search.query import ParsedQuery
from explorer.search.results import SearchHit
from explorer.text import fold, normalize

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def track_hits(tracks: Iterable[TrackRow]) -> list[SearchHit]:
    return [
        SearchHit(
            kind="track",
            id=t.id,
            rowid=t.rowid,
            name=t.name,
            artists=tuple(a.name for a in t.artists),
            album=t.album.name if t.album else None,
            album_id=t.album.id if t.album else None,
            year=t.album.year if t.album else None,
            popularity=t.popularity,
            duration_ms=t.duration_ms,
            explicit=t.explicit,
            album_type=t.album.album_type if t.album else None,
        )
        for t in tracks
    ]


def album_hits(albums: Iterable[AlbumSummary]) -> list[SearchHit]:
    return [
        SearchHit(
            kind="album",
            id=a.id,
            rowid=a.rowid,
            name=a.name,
            artists=tuple(x.name for x in a.artists),
            year=a.year,
            popularity=a.popularity,
            album_type=a.album_type,
        )
        for a in albums
    ]


def artist_hits(artists: Iterable[ArtistRow]) -> list[SearchHit]:
    return [
        SearchHit(
            kind="artist",
            id=a.id,
            rowid=a.rowid,
            name=a.name,
            popularity=a.popularity,
            followers=a.followers,
        )
        for a in artists
    ]


def name_exactness(name: str, text: str) -> int:
    """3: the name is the text; 2: the text is the name plus other words (the artist's, say);
    1: the name starts with the text; 0: otherwise."""
    wanted = normalize(text)
    have = normalize(name)
    if not wanted or not have:
        return 0
    if have == wanted:
        return 3
    if wanted.endswith(" " + have) or wanted.startswith(have + " "):
        return 2
    if have.startswith(wanted):
        return 1
    return 0


def checks_anything(parsed: ParsedQuery, *, years_matched: bool = False) -> bool:
    """False when `keep` passes every hit of this query (so no spare rows are fetched).

    `years_matched`: every hit already has a year in the query's range (the index's year
    tokens come from the same release date as a hit's year).
    """
    return bool(
        parsed.filters.get("artist")
        or parsed.filters.get("track")
        or parsed.phrases
        or parsed.album_type
        or (parsed.years and not years_matched)
        or any(_CJK.search(word) for word in parsed.words)
    )


def keep(hit: SearchHit, parsed: ParsedQuery) -> bool:
    """Filters checked on fetched rows: artist:, track:, phrases, CJK parts, type: on tracks."""
    everything = " ".join((hit.name, *hit.artists, hit.album or ""))
    artist = parsed.filters.get("artist")
    if artist:
        credited = hit.name if hit.kind == "artist" else " ".join(hit.artists)
        if normalize(artist) not in normalize(credited):
            return False
    track = parsed.filters.get("track")
    if track and hit.kind == "track" and normalize(track) not in normalize(hit.name):
        return False
    for phrase in parsed.phrases:
        if normalize(phrase) not in normalize(everything):
            return False
    if hit.kind != "artist" and parsed.album_type and hit.album_type != parsed.album_type:
        return False
    if hit.kind != "artist" and parsed.years:
        low, high = parsed.years
        if hit.year is None or not low <= hit.year <= high:
            return False
    squeezed = fold(everything).replace(" ", "")
    for word in parsed.words:
        typing = parsed.prefix and word == parsed.words[-1]
        if _CJK.search(word) and fold(word).replace(" ", "") not in squeezed and not typing:
            return False
    return True
