"""The normalisation table of explorer/text/normalize.py, as a test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.text import case_variants, fold, normalize, spaced_cjk, tokens

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


@given(st.text(max_size=300))
def test_any_text_normalizes_to_plain_words(text: str) -> None:
    result = normalize(text)
    assert result == " ".join(result.split())
    assert normalize(result) == result or result.startswith("the ")


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
