"""Catalog tracks a file could be, cheapest evidence first; never a scan of a catalog table."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from explorer.catalog import Catalog
from explorer.catalog.records import TrackRow
from explorer.matching.decide import Method
from explorer.matching.facts import FileFacts
from explorer.matching.titles import parse_title
from explorer.search.engine import SearchEngine

# Hits asked of the search index per query; raising it finds more rare editions but
# costs a catalog lookup and a score each.
TEXT_HITS = 20
# The best candidates whose other releases (same ISRC) are added, so the edition choice
# sees the original album even when a compilation ranked higher in the search.
EXPAND_SIBLINGS_OF = 3
# Matches ranked by name exactness per query (the search box reads more).
RANK_WINDOW = 60
# The last-resort query: this many of the longest words of at least LONG_WORD letters.
LONGEST_WORDS = 3
LONG_WORD = 4
# Time limit of one search query, seconds.
QUERY_TIMEOUT_S = 1.0


@dataclass(frozen=True)
class Found:
    """A candidate track and the evidence that found it."""

    track: TrackRow
    method: Method


def query_words(text: str) -> str:
    """Words for the search box, stripped of characters the query parser treats as syntax.
    Letters, digits and combining marks stay: the vowel signs of Devanagari or Thai are
    marks, and dropping them broke "प्रेम" into "प र म"."""
    cleaned = "".join(
        c if c.isalnum() or c.isspace() or unicodedata.category(c)[0] == "M" else " " for c in text
    )
    return " ".join(cleaned.split())


def text_queries(facts: FileFacts) -> list[str]:
    """The free-text queries to try, most specific first."""
    title = parse_title(facts.title or "", strip_number=True)
    base = query_words(title.base)
    artists = query_words(" ".join((*facts.artists, *title.featured)))
    queries = []
    if base and artists:
        queries.append(f"{artists} {base}")
    if base:
        queries.append(base)
    if not base and artists and facts.album:
        queries.append(f"{artists} {query_words(facts.album)}")
    # the longest words alone: survives a misspelt short word or a mangled "feat."
    words = sorted(
        {w for w in f"{artists} {base}".split() if len(w) >= LONG_WORD},
        key=lambda w: (-len(w), w),
    )[:LONGEST_WORDS]
    if len(words) >= 2:
        queries.append(" ".join(words))
    return list(dict.fromkeys(queries))


def find_candidates(facts: FileFacts, *, catalog: Catalog, engine: SearchEngine) -> list[Found]:
    """Identifiers first (Spotify id tag, ISRC), then the search index by title and artist."""
    found: dict[int, Found] = {}

    def add(tracks: list[TrackRow], method: Method) -> None:
        for track in tracks:
            found.setdefault(track.rowid, Found(track, method))

    if facts.spotify_track_id:
        track = catalog.track(facts.spotify_track_id)
        if track is not None:
            add([track], "id-tag")
            if track.isrc:
                add(catalog.tracks_with_isrc(track.isrc), "isrc")
            return list(found.values())
    if facts.isrc:
        add(catalog.tracks_with_isrc(facts.isrc.strip().upper()), "isrc")
        if found:
            return list(found.values())
    for query in text_queries(facts):
        page = engine.search(
            query,
            kind="track",
            limit=TEXT_HITS,
            timeout_s=QUERY_TIMEOUT_S,
            fuzzy_below=1,  # typos only when the words find nothing
            rank_window=RANK_WINDOW,
        )
        rowids = [hit.rowid for hit in page.hits if hit.rowid not in found]
        add(catalog.tracks_by_rowids(rowids), "text")
        if len(found) >= TEXT_HITS // 2:
            break
    return list(found.values())


def expand_siblings(
    candidates: list[Found], *, catalog: Catalog, best: list[TrackRow]
) -> list[Found]:
    """Add the other releases (same ISRC) of the best candidates."""
    seen = {item.track.rowid for item in candidates}
    extra: list[Found] = []
    for track in best[:EXPAND_SIBLINGS_OF]:
        if not track.isrc:
            continue
        for sibling in catalog.tracks_with_isrc(track.isrc):
            if sibling.rowid not in seen:
                seen.add(sibling.rowid)
                extra.append(Found(sibling, "text"))
    return candidates + extra
