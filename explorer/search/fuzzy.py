"""Typo tolerance: close words from the index's vocabulary, never a scan of names."""

from __future__ import annotations

import sqlite3

from rapidfuzz.distance import OSA

# Words shorter than this are not corrected (too many neighbours to guess from).
MIN_LENGTH = 4
# Edits allowed (a swap of two letters is one): one up to LONG_WORD letters, two above.
LONG_WORD = 7
# Alternatives kept per word, the most frequent first among the closest.
ALTERNATIVES = 3
# Vocabulary words read per corrected word at most.
SCAN_LIMIT = 20_000


def _neighbours(index: sqlite3.Connection, word: str, prefix: str) -> list[tuple[str, int]]:
    low, high = len(word) - 2, len(word) + 2
    return index.execute(
        "SELECT term, docs FROM vocab WHERE term >= ? AND term < ? "
        "AND length(term) BETWEEN ? AND ? LIMIT ?",
        (prefix, prefix + "\U0010ffff", low, high, SCAN_LIMIT),
    ).fetchall()


def corrections(index: sqlite3.Connection, words: tuple[str, ...]) -> dict[str, list[str]]:
    """For each word, up to ALTERNATIVES vocabulary words within one or two edits."""
    found: dict[str, list[str]] = {}
    for word in words:
        if len(word) < MIN_LENGTH or not word.isalpha():
            continue
        allowed = 1 if len(word) <= LONG_WORD else 2
        scored: list[tuple[int, int, str]] = []
        for prefix in (word[:2], word[:1]):
            for term, docs in _neighbours(index, word, prefix):
                if term == word or "_" in term:
                    continue
                distance = OSA.distance(word, term, score_cutoff=allowed)
                if distance <= allowed:
                    scored.append((distance, -docs, term))
            if scored:
                break
        scored.sort()
        if scored:
            found[word] = [term for _, _, term in scored[:ALTERNATIVES]]
    return found
