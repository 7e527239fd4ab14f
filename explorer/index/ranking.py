"""How index rowids encode rank, so `ORDER BY rowid` is "most popular first" without sorting.

An index row's rowid is `bucket << RANK_SHIFT | catalog_rowid`, with bucket 0 for the most
popular. FTS5 returns matches in rowid order, so the first 50 matches of a word that
matches millions of rows are its 50 most popular, read without touching the rest, and the
next page starts after the last rowid seen.
"""

from __future__ import annotations

import math

RANK_SHIFT = 40  # catalog rowids stay below 2**40 (1.1 trillion); buckets fit in 22 bits
ROWID_MASK = (1 << RANK_SHIFT) - 1
MAX_BUCKET = 127


def popularity_bucket(popularity: int) -> int:
    """Tracks and albums: popularity 100 -> bucket 0, popularity 0 -> bucket 100."""
    return 100 - max(0, min(100, popularity))


def followers_bucket(followers: int) -> int:
    """Artists: by followers on a log scale (1 follower -> 127, 100 M -> ~7)."""
    level = int(math.log2(max(0, followers) + 1) * 4.5)
    return MAX_BUCKET - max(0, min(MAX_BUCKET, level))


def encode(bucket: int, catalog_rowid: int) -> int:
    return (bucket << RANK_SHIFT) | catalog_rowid


def catalog_rowid(index_rowid: int) -> int:
    return index_rowid & ROWID_MASK


# The same arithmetic in SQL, for INSERT ... SELECT (no Python call per row).
SQL_POPULARITY_ROWID = f"(((100 - max(0, min(100, {{pop}}))) << {RANK_SHIFT}) | {{rowid}})"
