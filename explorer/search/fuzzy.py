"""Typo tolerance: close words from the index's vocabulary, never a scan of names."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Protocol

from rapidfuzz.distance import OSA

# Words shorter than this are not corrected (too many neighbours to guess from).
MIN_LENGTH = 4
# Edits allowed (a swap of two letters is one): one up to LONG_WORD letters, two above.
LONG_WORD = 7
# Alternatives kept per word, the most frequent first among the closest.
ALTERNATIVES = 3
# Vocabulary words read per corrected word at most (the scan for two edits, among words
# that share the first three letters, then the first two).
SCAN_LIMIT = 5_000
# Letters tried in place of, or between, a word's letters for the one-edit candidates
# (the vocabulary is folded to these, plus the word's own letters for other scripts).
ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def one_edit(word: str) -> set[str]:
    """Every string one deletion, insertion, substitution or swap of neighbours from `word`.

    Looked up in the vocabulary with one IN query (a few hundred B-tree lookups), so a
    one-letter typo costs the same on a vocabulary of 100,000 words or of 100 million.
    """
    letters = ALPHABET + "".join(sorted(set(word) - set(ALPHABET)))
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {head + tail[1:] for head, tail in splits if tail}
    found.update(head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1)
    found.update(head + c + tail[1:] for head, tail in splits if tail for c in letters)
    found.update(head + c + tail for head, tail in splits for c in letters)
    found.discard(word)
    return found


class Vocabulary(Protocol):
    """The words an index holds, with the rows holding each (the sidecar's `vocab` table,
    or a published catalog's)."""

    def docs(self, words: Sequence[str]) -> dict[str, int]:
        """The rows holding each of the words that the vocabulary has."""
        ...

    def near(self, prefix: str, low: int, high: int, limit: int) -> list[tuple[str, int]]:
        """Up to `limit` words starting with `prefix`, of `low` to `high` characters."""
        ...


class SidecarVocabulary:
    """The vocabulary of a sidecar index."""

    def __init__(self, index: sqlite3.Connection) -> None:
        self.index = index

    def docs(self, words: Sequence[str]) -> dict[str, int]:
        if not words:
            return {}
        marks = ",".join("?" * len(words))
        return dict(
            self.index.execute(
                f"SELECT term, docs FROM vocab WHERE term IN ({marks})", list(words)
            ).fetchall()
        )

    def near(self, prefix: str, low: int, high: int, limit: int) -> list[tuple[str, int]]:
        return self.index.execute(
            "SELECT term, docs FROM vocab WHERE term >= ? AND term < ? "
            "AND length(term) BETWEEN ? AND ? LIMIT ?",
            (prefix, prefix + "\U0010ffff", low, high, limit),
        ).fetchall()


def corrections(vocabulary: Vocabulary, words: tuple[str, ...]) -> dict[str, list[str]]:
    """For each word, up to ALTERNATIVES vocabulary words within one or two edits."""
    found: dict[str, list[str]] = {}
    for word in words:
        if len(word) < MIN_LENGTH or not word.isalpha():
            continue
        allowed = 1 if len(word) <= LONG_WORD else 2
        one = vocabulary.docs(sorted(one_edit(word)))
        scored = [(1, -docs, term) for term, docs in one.items()]
        # two edits only for long words, looked for among words that share the first letters
        for prefix in (word[:3], word[:2]) if not scored and allowed > 1 else ():
            near = vocabulary.near(prefix, len(word) - 2, len(word) + 2, SCAN_LIMIT)
            for term, docs in near:
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
