"""The index text of a name (explorer/index/text.py), against a plain reference."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.index.text import index_text
from explorer.text import cjk_pairs, tokens
from explorer.text.normalize import lone_token

# Hangul vowel and final jamo: NFC composes them onto the syllable or jamo before them.
HANGUL_V_T = [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]
# Pieces of names whose tokens depend on their neighbours, or look as if they might.
TRICKY = [
    "か\u3099",  # kana and a combining voiced mark: が
    "\u309b",  # the spacing voiced mark: a space and the combining one under NFKC
    "\u1100\u1161",  # conjoining jamo: 가
    "\u11a8",  # a final jamo, after a syllable: 각
    "ㄱㅏ",  # compatibility jamo: conjoining ones under NFKC
    "ｶﾞ",  # half-width katakana and voiced mark: ガ
    "\uf900\uf91d",  # compatibility ideographs: unified ones under NFKC
    "\u3260\u326e",  # circled hangul
    "\u3220",  # parenthesized ideograph one
    "・",
    "\u3000",
    "ー",
    "ΑΣ",  # final sigma: lowercase depends on the neighbours
    "e\u0301",
    "東京タワー",
    "ｶﾀｶﾅ",
    "東京a",
    "사랑해",
    "Мир",
    "Crème",
    "a_b",
    "AC/DC",
    "-",
    " ",
]
# Characters from the scripts names are written in, beside any character at all.
NAME_CHARS = st.one_of(
    st.characters(),
    st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xAC40),
    st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),
    st.characters(min_codepoint=0x3130, max_codepoint=0x318F),
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),
    st.characters(min_codepoint=0xFF61, max_codepoint=0xFF9F),
    st.sampled_from(" -()・"),
)


def _whole_text(text: str) -> str:
    """The index text of a name computed over the whole name at once (the reference)."""
    if not text or text.isascii():
        return text or ""
    words = tokens(text)
    latin = [w for each in words for w in tokens(anyascii(each)) if w not in words]
    return " ".join(words + cjk_pairs(text, across_spaces=True) + latin)


def _words(text: str) -> set[str]:
    return set(text.split())


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.one_of(st.text(NAME_CHARS, max_size=8), st.sampled_from(TRICKY)), max_size=6
    ).flatmap(lambda parts: st.sampled_from(["", " "]).map(lambda gap: gap.join(parts)))
)
def test_the_index_text_has_the_words_of_the_whole_name(text: str) -> None:
    found = index_text(text)
    assert _words(found) == _words(_whole_text(text))
    assert (found == "") == (_whole_text(text) == "")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("夜春红你", "夜 春 红 你 夜春 春红 红你 ye chun hong ni"),
        ("가바 나영", "가 바 나 영 가바 바나 나영 ga ba na yeong"),
        ("か\u3099き", "か き かき ka ki"),  # the voiced mark dropped, as `tokens` does
        ("かき\u3099", "か き かき ka ki"),
        ("か\u309bき", "か き かき ka ki"),
        ("ｶﾞｷ", "カ キ カキ ka ki"),
        ("\u1100\u1161\u11a8", "각 gag"),  # jamo composed into one syllable
        ("가\u11a8", "각 gag"),
        ("ㄱㅏ", "가 ga"),
        ("\uf900\uf901", "豈 更 豈更 qi geng"),
        ("東京 - Live", "東 京 東京 live dong jing"),
        ("東・京", "東 京 東京 dong jing"),
        ("夜\u3000月", "夜 月 夜月 ye yue"),
        ("東 a 京", "東 京 a dong jing"),  # a word between: no pair
        ("東京a", "東 京 東京 a dong jing"),
        ("春花うゆ (feat. Pendpirk)", "春 花 う ゆ 春花 花う うゆ chun hua u yu feat pendpirk"),
        ("Нивевороми", "нивевороми nivevoromi"),
        ("Mùa thu", "mua thu"),
        ("ΑΣ", "ας as"),
        ("「」・", ""),
        ("Plain ASCII - Live", "Plain ASCII - Live"),
    ],
)
def test_index_text_examples(name: str, words: str) -> None:
    index_text.cache_clear()
    assert _words(index_text(name)) == _words(words)
    assert _words(words) == _words(_whole_text(name))


def _composes_onto_another() -> set[str]:
    """Characters that NFC composes onto the character before them."""
    second = {chr(code) for code in HANGUL_V_T}
    for code in range(sys.maxunicode + 1):
        mapping = unicodedata.decomposition(chr(code)).split()
        if len(mapping) == 2 and not mapping[0].startswith("<"):
            second.add(chr(int(mapping[1], 16)))
    return second


def test_lone_tokens_do_not_depend_on_their_neighbours() -> None:
    """Over every assigned code point (an unassigned one is a space on its own): what
    `lone_token` accepts begins, at each normalisation `tokens` makes, with a character
    that neither composes onto its neighbour nor is reordered before it, and doubled, has
    its token twice and their pair."""
    composing = _composes_onto_another()
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in ("Cn", "Cs"):
            continue
        token = lone_token(char)
        if token is None:
            continue
        decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", char).lower())
        unmarked = "".join(each for each in decomposed if unicodedata.category(each)[0] != "M")
        for form in (unicodedata.normalize("NFKD", char), decomposed, unmarked):
            first = form[:1]
            assert not first or unicodedata.combining(first) == 0, hex(code)
            assert first not in composing, hex(code)
        assert tokens(char * 2) == ([token, token] if token else []), hex(code)
        assert cjk_pairs(char * 2, across_spaces=True) == ([token * 2] if token else []), hex(code)
