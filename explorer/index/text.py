"""The text the index holds for a name (what FTS5's tokenizer sees)."""

from __future__ import annotations

from functools import lru_cache

from explorer.text import is_cjk, tokens
from explorer.text.normalize import CharTable, latin, lone_token, tokens_and_pairs

# Index texts remembered per process: an artist's credit repeats on each of its tracks.
TEXT_CACHE = 262_144
# `_cjk_piece` of a character that `lone_token` leaves out: one no other piece holds
# (they hold CJK tokens, ASCII letters and digits, and spaces).
_NOT_LONE = "\0"


@lru_cache(maxsize=TEXT_CACHE)
def index_text(text: str | None) -> str:
    """What the tokenizer sees for a name: plain ASCII as it is; anything else as the
    words of `explorer.text.tokens` (marks dropped, CJK per character), the pairs of
    neighbouring CJK characters (`explorer.text.cjk_pairs`) and the words' Latin form,
    in no useful order, some repeated, between runs of white space (the index keeps
    neither order nor repeats).

    CJK pairs also span the space between two words (see `cjk_pairs(across_spaces=True)`).

    A name of CJK characters, spaces and punctuation whose tokens do not depend on their
    neighbours (most CJK names, rarely repeated) is mapped character by character,
    without normalising. Any other is computed word by word (between white space, which
    no normalization joins across), each word remembered: titles rarely repeat, their
    words do."""
    if not text:
        return ""
    if text.isascii():
        return text
    cjk = _lone_cjk_text(text)
    if cjk is not None:
        return cjk
    parts: list[str] = []
    last = ""  # the last token of the previous word with tokens, when it is CJK
    for word in text.split():
        found = _word(word)
        if found is None:  # punctuation alone: a space to the tokenizer
            continue
        word_text, first, last_of_word = found
        parts.append(word_text)
        if last and first:
            parts.append(last + first)
        last = last_of_word
    return " ".join(parts)


def _cjk_piece(char: str) -> str:
    """A character's part of `_lone_cjk_text`: its CJK token twice, the token's Latin
    form, the token again, so that neighbouring pieces make the pair of their tokens
    ("a a A a" "b b B b" -> a a A ab b B b); nothing for spaces and punctuation (CJK pairs
    span them); `_NOT_LONE` for a character whose tokens depend on its neighbours or are
    not CJK (see `explorer.text.normalize.lone_token`)."""
    token = lone_token(char)
    if token is None:
        return _NOT_LONE
    return f"{token} {token} {latin(token)} {token}" if token else ""


_CJK_PIECES = CharTable(_cjk_piece)


def _lone_cjk_text(text: str) -> str | None:
    """`index_text` of a name (or a word) of CJK characters, spaces and punctuation that
    each make their tokens whatever their neighbours, beginning with its first token and
    ending with its last; None for any other text. One `str.translate`, after a look at
    the first character (most names are not CJK)."""
    if _CJK_PIECES[ord(text[0])] == _NOT_LONE:
        return None
    pieces = text.translate(_CJK_PIECES)
    return None if _NOT_LONE in pieces else pieces


@lru_cache(maxsize=TEXT_CACHE)
def _word(word: str) -> tuple[str, str, str] | None:
    """`index_text` of one word without white space, with its first and last tokens when
    they are CJK ("" when not: what pairs with the neighbouring words); None when the
    word has no tokens."""
    if word.isascii():
        words = tokens(word)
        return (" ".join(words), "", "") if words else None
    cjk = _lone_cjk_text(word)
    if cjk is not None:
        return (cjk, cjk[0], cjk[-1]) if cjk else None
    words, pairs = tokens_and_pairs(word)
    if not words:
        return None
    text = " ".join(words + pairs)
    # an ASCII token is its own Latin form
    foreign = [one for one in words if not one.isascii()]
    if foreign:
        text = f"{text} {latin(' '.join(foreign))}"
    return text, _cjk_or_empty(words[0]), _cjk_or_empty(words[-1])


def _cjk_or_empty(token: str) -> str:
    """The token when it is a CJK character, else "" (a CJK token is one character)."""
    return token if len(token) == 1 and is_cjk(token) else ""
