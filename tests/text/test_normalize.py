"""The normalisation table of explorer/text/normalize.py, as a test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.text import (
    case_variants,
    cjk_pairs,
    fold,
    normalize,
    search_tokens,
    spaced_cjk,
    tokens,
)

NORMALIZE = [
    ("Beyoncé", "beyonce"),
    ("BJÖRK", "bjork"),
    ("The Beatles", "beatles"),
    ("Beatles, The", "beatles"),
    ("Simon & Garfunkel", "simon and garfunkel"),
    ("Simon and Garfunkel", "simon and garfunkel"),
    ("AC/DC", "ac dc"),
    ("Guns N' Roses", "guns n roses"),
    ("ＡＢＣ１２３", "abc123"),
    ("Ирина Волкова", "irina volkova"),
    ("Σωκράτης", "sokratis"),
    ("Nguyễn Thảo", "nguyen thao"),
    ("Straße", "strasse"),
    ("王菲", "wang fei"),
    ("  lots   of   space ", "lots of space"),
    ("The", "the"),
    ("", ""),
    ("!!!", ""),
    ("Sigur Rós", "sigur ros"),
    ("Motörhead", "motorhead"),
]


@pytest.mark.parametrize(("written", "normal"), NORMALIZE)
def test_normalize(written: str, normal: str) -> None:
    assert normalize(written) == normal


FOLD = [
    ("Beyoncé", "beyonce"),
    ("Ирина", "ирина"),
    ("東京 Love", "東京 love"),
    ("Rock & Roll!", "rock and roll"),
]


@pytest.mark.parametrize(("written", "folded"), FOLD)
def test_fold_keeps_the_script(written: str, folded: str) -> None:
    assert fold(written) == folded


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("夜空の花", ["夜", "空", "の", "花"]),
        ("Love 愛してる", ["love", "愛", "し", "て", "る"]),
        ("별빛", ["별", "빛"]),
    ],
)
def test_tokens_split_spaceless_scripts(written: str, words: list[str]) -> None:
    assert tokens(written) == words
    assert spaced_cjk(written).replace(" ", "") == written.replace(" ", "")


@pytest.mark.parametrize(
    ("written", "pairs", "searched"),
    [
        ("東京タワー", ["東京", "京タ", "タワ", "ワー"], ["東京", "京タ", "タワ", "ワー"]),
        ("가바 나영", ["가바", "나영"], ["가바", "나영"]),
        ("Café 東京2 a東", ["東京"], ["cafe", "2", "a", "東京"]),  # a lone 東 stays a word
        ("プレイ", ["フレ", "レイ"], ["フレ", "レイ"]),  # marks dropped, as `tokens` does
        ("東", [], ["東"]),
        ("Love Song", [], ["love", "song"]),
        ("", [], []),
    ],
)
def test_cjk_runs_also_as_pairs(written: str, pairs: list[str], searched: list[str]) -> None:
    assert cjk_pairs(written) == pairs
    assert search_tokens(written) == searched
    assert all(pair[0] in tokens(written) and pair[1] in tokens(written) for pair in pairs)


@given(st.text(max_size=100))
def test_pairs_are_two_of_the_tokens_characters(text: str) -> None:
    words = set(tokens(text))
    for pair in cjk_pairs(text):
        assert len(pair) == 2 and pair[0] in words and pair[1] in words


@given(st.text(max_size=300))
def test_any_text_normalizes_to_plain_words(text: str) -> None:
    result = normalize(text)
    assert result == " ".join(result.split())
    assert normalize(result) == result or result.startswith("the ")


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_plain_ascii_folds_by_its_table_as_by_the_patterns(text: str) -> None:
    """fold's table for ASCII text gives what the patterns give other text."""
    import importlib

    module = importlib.import_module("explorer.text.normalize")
    assert fold(text) == module._folded(text.lower())


@pytest.mark.parametrize(
    "text", ["a'&b", "a '& b", "x_y", "1+1", "rock`n`roll", "A\x1cB", "&", "'"]
)
def test_ascii_punctuation_folds_as_before(text: str) -> None:
    import importlib

    module = importlib.import_module("explorer.text.normalize")
    assert fold(text) == module._folded(text.lower())


@pytest.mark.parametrize(
    ("typed", "variants"),
    [
        (
            "the velvet foxes",
            ("the velvet foxes", "The velvet foxes", "The Velvet Foxes", "THE VELVET FOXES"),
        ),
        ("AC/DC", ("AC/DC", "Ac/dc", "Ac/Dc", "ac/dc")),
        ("björk", ("björk", "Björk", "BJÖRK")),
        ("夜空", ("夜空",)),
        ("", ("",)),
    ],
)
def test_case_variants(typed: str, variants: tuple[str, ...]) -> None:
    assert case_variants(typed) == variants


def test_text_without_cjk_characters_has_no_pairs_whatever_nfkc_makes_of_it() -> None:
    """`cjk_pairs` skips text without a character that is CJK or becomes CJK under NFKC;
    checked over every code point, in pairs so that a pair can form."""
    import re
    import unicodedata

    from explorer.text.normalize import _CJK_CHARS, _MAY_BE_CJK

    cjk = re.compile(f"[{_CJK_CHARS}]")
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char).lower()
        if cjk.search(folded) or cjk.search(unicodedata.normalize("NFKD", folded)):
            assert _MAY_BE_CJK.search(char), hex(code)
    assert cjk_pairs("ｶﾀｶﾅ") == ["カタ", "タカ", "カナ"]  # half-width forms
