"""The tokens the search index's FTS5 tokenizer makes of a text, computed in Python."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from explorer.text.normalize import CharTable


def _fts_char(char: str) -> str:
    """What FTS5's unicode61 tokenizer keeps as part of a token: letters, numbers and
    private-use characters (its default categories) and '_' (its `tokenchars`); anything
    else separates tokens."""
    category = unicodedata.category(char)
    return char if char == "_" or category[0] in "LN" or category == "Co" else " "


_FTS_CHARS = CharTable(_fts_char)
# Runs of characters (words) remembered: names repeat their words.
RUN_CACHE = 262_144


def fts_tokens(text: str) -> list[str]:
    """The tokens the index's FTS5 tokenizer makes of a text: runs of the characters it
    keeps, lowercased, Latin accents dropped (`remove_diacritics 2`)."""
    if text.isascii():
        return text.translate(_FTS_CHARS).lower().split()
    return [_token(run) for run in text.translate(_FTS_CHARS).split()]


@lru_cache(maxsize=RUN_CACHE)
def _token(run: str) -> str:
    """One run lowercased, its marks dropped."""
    if run.isascii():
        return run.lower()
    decomposed = unicodedata.normalize("NFD", run.lower())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)
