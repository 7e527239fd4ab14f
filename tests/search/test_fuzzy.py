"""The typo pass: one-edit candidates and corrections from the index's vocabulary."""

from __future__ import annotations

import sqlite3

import pytest

from explorer.search.fuzzy import SidecarVocabulary, corrections, one_edit


@pytest.mark.parametrize(
    ("word", "near"),
    [
        ("lxnes", "lines"),  # substitution
        ("lines", "lnes"),  # deletion
        ("lines", "liness"),  # insertion
        ("lines", "ilnes"),  # neighbours swapped
        ("beyonse", "beyonce"),
        ("bjork", "björk"),  # the word's own letters are tried too
    ],
)
def test_one_edit_reaches(word: str, near: str) -> None:
    assert near in one_edit(word) or word in one_edit(near)


def test_one_edit_leaves_the_word_and_two_edits_out() -> None:
    found = one_edit("lines")
    assert "lines" not in found
    assert "lanes" in found and "lands" not in found


@pytest.fixture
def vocab() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE vocab (term TEXT PRIMARY KEY, docs INTEGER NOT NULL)")
    con.executemany(
        "INSERT INTO vocab VALUES (?, ?)",
        [("lines", 50), ("lanes", 9), ("lions", 70), ("satellite", 30), ("y_1999", 999)],
    )
    return con


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("lxnes", ["lines", "lanes"]),  # second letter wrong: found all the same, frequent first
        ("lanss", ["lanes"]),
        ("lanse", ["lanes"]),
        ("satelite", ["satellite"]),
        ("satxllxte", ["satellite"]),  # two edits in a long word
        ("abc", []),  # too short to guess
    ],
)
def test_corrections(vocab: sqlite3.Connection, word: str, expected: list[str]) -> None:
    assert (
        corrections(SidecarVocabulary(vocab), (word,)).get(word, [])[: len(expected) or 3]
        == expected
    )
