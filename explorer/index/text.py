"""The text the index holds for a name (what FTS5's tokenizer sees)."""

from __future__ import annotations

import itertools
from functools import lru_cache

from anyascii import anyascii

from explorer.text import cjk_pairs, is_cjk, tokens

# Index texts remembered per process: an artist's credit repeats on each of its tracks.
TEXT_CACHE = 262_144


@lru_cache(maxsize=TEXT_CACHE)
def index_text(text: str | None) -> str:
    """What the tokenizer sees for a name: plain ASCII as it is; anything else as the
    words of `explorer.text.tokens` (marks dropped, CJK per character), the pairs of
    neighbouring CJK characters (`explorer.text.cjk_pairs`) and the words' Latin form.

    CJK pairs also span the space between two words (see `cjk_pairs(across_spaces=True)`).

    Computed word by word (between white space, which no normalization joins across),
    each word remembered: titles rarely repeat, their words do."""
    if not text:
        return ""
    if text.isascii():
        return text
    words = text.split()
    parts = [part for word in words if (part := _word_text(word))]
    # the pairs across the spaces: the last token of a word and the first of the next
    # word that has any (words of punctuation alone are spaces to the tokenizer)
    edges = [edge for word in words if (edge := _edges(word))]
    parts += [
        left[1] + right[0]
        for left, right in itertools.pairwise(edges)
        if is_cjk(left[1]) and is_cjk(right[0])
    ]
    return " ".join(parts)


@lru_cache(maxsize=TEXT_CACHE)
def _word_text(word: str) -> str:
    """`index_text` of one word without white space."""
    words = tokens(word)
    if word.isascii():
        return " ".join(words)
    latin = [each for one in words for each in _latin(one) if each not in words]
    return " ".join(words + cjk_pairs(word, across_spaces=True) + latin)


@lru_cache(maxsize=TEXT_CACHE)
def _edges(word: str) -> tuple[str, str] | None:
    """The first and last token of a word (None when it has none)."""
    words = tokens(word)
    return (words[0], words[-1]) if words else None


@lru_cache(maxsize=TEXT_CACHE)
def _latin(word: str) -> list[str]:
    """The Latin form of one word (anyascii maps character by character, so a name's is
    its words' in order); remembered, for the syllables and characters names share."""
    return tokens(anyascii(word))
