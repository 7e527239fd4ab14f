"""Fold names to one comparable form: case, width, accents, scripts, `&`, punctuation, "The".

| written                     | `normalize`            | why                                  |
| --------------------------- | ---------------------- | ------------------------------------ |
| `Beyoncé`                   | `beyonce`              | accents folded                       |
| `BJÖRK`                     | `bjork`                | case and accents                     |
| `The Beatles`               | `beatles`              | a leading article dropped            |
| `Beatles, The`              | `beatles`              | the inverted article too             |
| `Simon & Garfunkel`         | `simon and garfunkel`  | `&` is `and`                         |
| `AC/DC`                     | `ac dc`                | punctuation is a word break          |
| `Guns N' Roses`             | `guns n roses`         | apostrophes dropped                  |
| `ＡＢＣ１２３` (full width)   | `abc123`               | NFKC                                 |
| `Ирина Волкова`             | `irina volkova`        | Cyrillic transliterated (anyascii)   |
| `Σωκράτης`                  | `sokratis`             | Greek transliterated                 |
| `Nguyễn Thảo`               | `nguyen thao`          | Vietnamese marks folded              |
| `Straße`                    | `strasse`              | ß                                    |
| `王菲`                       | `wang fei`             | CJK: a Latin form, one syllable a word |
| `  lots   of   space `      | `lots of space`        | whitespace runs                      |

The table is the test (`tests/text/test_normalize.py`). `fold` keeps the script (for
indexing text that people type in its own script); `normalize` also transliterates.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from anyascii import anyascii

# Leading articles dropped from names ("The Beatles" and "Beatles" are one artist).
ARTICLES = ("the",)
# How many normalised strings are remembered (names repeat a lot in a library).
CACHE_SIZE = 65_536

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_ASCII_SPLIT = re.compile(r"[^a-z0-9]+")
_AMPERSAND = re.compile(r"\s*&\s*|\s*\+\s*")
_APOSTROPHES = re.compile(r"['’`´]")
_INVERTED_ARTICLE = re.compile(r",\s*(the)\s*$", re.IGNORECASE)
# CJK ideographs, kana and hangul: scripts written without spaces between words
_CJK_CHARS = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff"
    "\U00020000-\U0002fa1f"
)
_CJK = re.compile(f"([{_CJK_CHARS}])")
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]{{2,}}")
# Hangul conjoining jamo: NFC composes neighbouring ones into syllables
_JAMO = re.compile("[\u1100-\u11ff]")
_CJK_GAP = re.compile(f"(?<=[{_CJK_CHARS}])\\s+(?=[{_CJK_CHARS}])")
# Characters that are CJK or become CJK under NFKC (radicals, enclosed and half-width
# forms; checked over every code point): text without any has no CJK pairs.
_MAY_BE_CJK = re.compile(
    f"[{_CJK_CHARS}\u2e80-\u2fdf\u3000-\u33ff\uff00-\uffef\U0001f200-\U0001f2ff]"
)


def is_ascii(text: str) -> bool:
    """True when the text has only ASCII characters (the fast path)."""
    return text.isascii()


def fold(text: str) -> str:
    """Casefolded, NFKC, accents removed, `&` as `and`, punctuation as spaces; script kept."""
    if not text:
        return ""
    if text.isascii():  # most names: one table does what the patterns below do
        return " ".join(text.lower().translate(_ASCII_FOLD).split())
    lowered = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", lowered)
    lowered = unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )
    return _folded(lowered)


def _folded(lowered: str) -> str:
    """Apostrophes dropped, `&` and `+` as `and`, other non-word characters as spaces."""
    lowered = _APOSTROPHES.sub("", lowered)
    lowered = _AMPERSAND.sub(" and ", lowered)
    return " ".join(_NON_WORD.sub(" ", lowered).replace("_", " ").split())


# `_folded` of lowercase ASCII as one `str.translate`: letters and digits kept, the ASCII
# apostrophes dropped, `&` and `+` as " and " (the spaces around them collapse as the
# other runs of white space do), anything else a space
_ASCII_FOLD: dict[int, str | None] = {
    code: chr(code) if chr(code).isalnum() else " " for code in range(128)
}
_ASCII_FOLD.update({ord("'"): None, ord("`"): None, ord("&"): " and ", ord("+"): " and "})


@lru_cache(maxsize=CACHE_SIZE)
def normalize(text: str) -> str:
    """The comparable form of a name: `fold`, transliterated to Latin, leading "the" dropped."""
    if not text:
        return ""
    text = _INVERTED_ARTICLE.sub("", text.strip()) if "," in text else text
    folded = fold(text)
    if not folded.isascii():
        spaced = folded.translate(_SPACE_CJK)
        folded = fold(" ".join(anyascii(word) for word in spaced.split()))
    words = folded.split()
    if len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


class CharTable(dict[int, str | None]):
    """A `str.translate` table filled on first sight of each character (C speed after)."""

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        super().__init__()
        self.rule = rule

    def __missing__(self, code: int) -> str | None:
        value = self[code] = self.rule(chr(code))
        return value


def _cjk_spaced(char: str) -> str:
    return f" {char} " if _CJK.fullmatch(char) else char


def _word_char(char: str) -> str | None:
    """Marks dropped, letters, digits and private-use characters kept, the rest a space."""
    category = unicodedata.category(char)
    if category[0] == "M":
        return None
    return char if category[0] in "LN" or category == "Co" else " "


_SPACE_CJK = CharTable(_cjk_spaced)
_WORD_CHARS = CharTable(_word_char)


def spaced_cjk(text: str) -> str:
    """CJK, kana and hangul characters as separate words, so any part of a name is a word."""
    return " ".join(text.translate(_SPACE_CJK).split())


def tokens(text: str) -> list[str]:
    """The words of a name as the search index stores them: lowercase, every mark (accents,
    vowel signs) dropped, CJK split per character, only letters and digits in a word.

    The index and the search box both use this for text that is not plain ASCII, so the
    two always agree whatever SQLite's tokenizer thinks of a script; every word it makes
    stays one word for that tokenizer (letters and digits only).
    """
    if not text:
        return []
    lowered = unicodedata.normalize("NFKC", text).lower()
    if lowered.isascii():
        return [word for word in _ASCII_SPLIT.split(lowered) if word]
    return _kept(lowered).translate(_SPACE_CJK).split()


def _kept(lowered: str) -> str:
    """Marks dropped and non-word characters spaced out (of NFKC-lowered, non-ASCII text)."""
    kept = unicodedata.normalize("NFKD", lowered)
    if not kept.isalnum():  # letters and digits alone (most words) map to themselves
        kept = kept.translate(_WORD_CHARS)
    # NFC: hangul syllables decomposed by NFKD recompose from their jamo
    return unicodedata.normalize("NFC", kept)


def cjk_pairs(text: str, *, across_spaces: bool = False) -> list[str]:
    """Each two neighbouring characters of the CJK runs of a name ("東京タワー" -> 東京 京タ
    タワ ワー), in the form `tokens` gives them. The index holds them beside the single
    characters: a query of several characters asks for its pairs, whose lists are short,
    instead of single characters each found in a large share of all CJK names.

    `across_spaces` (the index's side) also pairs the characters either side of white
    space or punctuation between two CJK characters: "가바 나영" then also holds 바나, so
    "가바나영" typed without the space finds it, as "가바 나영" finds "가바나영"."""
    if not text or text.isascii() or not _MAY_BE_CJK.search(text):
        return []
    return _pairs(_kept(unicodedata.normalize("NFKC", text).lower()), across_spaces)


def _pairs(kept: str, across_spaces: bool) -> list[str]:
    """`cjk_pairs` of text already through `_kept`."""
    if across_spaces:
        kept = _CJK_GAP.sub("", kept)
    runs = _CJK_RUN.findall(kept)
    return [run[i : i + 2] for run in runs for i in range(len(run) - 1)]


def tokens_and_pairs(text: str) -> tuple[list[str], list[str]]:
    """`tokens(text)` and `cjk_pairs(text, across_spaces=True)` from one normalisation
    of the text: the index needs both of every name, and normalising is most of the cost.

    Text that NFKC makes ASCII goes through `_kept` too, which splits it as `tokens`'
    ASCII shortcut does (only letters and digits are kept)."""
    if not text or text.isascii():
        return tokens(text), []
    kept = _kept(unicodedata.normalize("NFKC", text).lower())
    if not _CJK.search(kept):  # most names: nothing to space out, no pairs
        return kept.split(), []
    pairs = _pairs(kept, across_spaces=True) if _MAY_BE_CJK.search(text) else []
    return kept.translate(_SPACE_CJK).split(), pairs


def lone_token(char: str) -> str | None:
    """What `tokens` makes of a character, the same beside any character this accepts:
    one CJK character ("東") or nothing (spaces, punctuation: ""); None for any other.
    A text of such characters has them as its tokens and their neighbours as its
    `cjk_pairs(across_spaces=True)`, without normalising it.

    Left out: marks and characters that decompose to begin with one (they combine with
    the character before them), and conjoining jamo (NFC joins them into syllables).
    Every other character begins, decomposed, with one that nothing composes onto
    (tests/index/test_text.py checks this over every code point)."""
    if unicodedata.category(char)[0] == "M" or unicodedata.combining(
        unicodedata.normalize("NFKD", char)[0]
    ):
        return None
    words = tokens(char)
    if not words:
        return ""
    if len(words) == 1 and is_cjk(words[0]) and not _JAMO.fullmatch(words[0]):
        return words[0]
    return None


def _latin(char: str) -> str:
    """A character's Latin form, lowercase, anything but ASCII letters and digits a space."""
    return _ASCII_SPLIT.sub(" ", anyascii(char).lower())


_LATIN = CharTable(_latin)


def latin(text: str) -> str:
    """`tokens(anyascii(text))` as one string (words between runs of white space): anyascii
    maps each character on its own, so a `str.translate` does it at C speed."""
    return text.translate(_LATIN)


def is_cjk(char: str) -> bool:
    """True for one CJK ideograph, kana or hangul character (a token `tokens` splits off)."""
    return bool(_CJK.fullmatch(char))


def search_tokens(text: str) -> list[str]:
    """The tokens a search for `text` asks the index for: those of `tokens`, with each
    CJK run of two characters or more asked for by its pairs (see `cjk_pairs`)."""
    words = tokens(text)
    pairs = cjk_pairs(text)
    if not pairs:
        return words
    paired = {char for pair in pairs for char in pair}
    return [word for word in words if word not in paired] + list(dict.fromkeys(pairs))


def case_variants(text: str) -> tuple[str, ...]:
    """The spellings of a name people type and catalogs store (as typed, Capitalized,
    Title Case, lower, UPPER), without repeats: for exact lookups through a name index."""
    return tuple(dict.fromkeys((text, text.capitalize(), text.title(), text.lower(), text.upper())))
