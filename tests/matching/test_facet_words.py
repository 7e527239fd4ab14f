"""The facet words as SQL conditions (pure), as a table."""

from __future__ import annotations

import pytest

from explorer.matching.facet_words import facet_word


@pytest.mark.parametrize(
    ("word", "where", "params"),
    [
        ("bpm:120..128", ["lf.tempo >= ? AND lf.tempo < ?"], [119.5, 128.5]),
        ("bpm:128", ["lf.tempo >= ? AND lf.tempo < ?"], [127.5, 128.5]),
        ("BPM:120-", ["lf.tempo >= ? AND lf.tempo < ?"], [119.5, 1000.5]),
        ("bpm:..90", ["lf.tempo >= ? AND lf.tempo < ?"], [-0.5, 90.5]),
        ("tempo>=140", ["lf.tempo >= ?"], [140.0]),
        ("energy>0.7", ["lf.energy > ?"], [0.7]),
        ("dance<.3", ["lf.danceability < ?"], [0.3]),
        ("valence:0.2..0.5", ["lf.valence >= ? AND lf.valence <= ?"], [0.2, 0.5]),
        ("popularity>50", ["lf.popularity > ?"], [50.0]),
        ("year:1990..1999", ["lf.year >= ? AND lf.year <= ?"], [1990.0, 1999.0]),
        ("year:1997", ["lf.year = ?"], [1997.0]),
        ("key:Am", ["lf.camelot IN (?)"], ["8A"]),
        ('key:"A minor"', ["lf.camelot IN (?)"], ["8A"]),
        ("key:8a~", ["lf.camelot IN (?,?,?,?)"], ["8A", "7A", "9A", "8B"]),
        ("key:12B~", ["lf.camelot IN (?,?,?,?)"], ["12B", "11B", "1B", "12A"]),
        ("genre:House", ["instr(lf.genres, ?) > 0"], ["house"]),
        ('genre:"Deep  House"', ["instr(lf.genres, ?) > 0"], ["deep house"]),
    ],
)
def test_facet_words(word: str, where: list[str], params: list[object]) -> None:
    found = facet_word(word)
    assert found is not None and not found.problems
    assert (found.where, found.params) == (where, params)


@pytest.mark.parametrize(
    "word", ["energy>1.5", "year:1990.5", "bpm:x", "popularity>101", "key:Z", "key:", "genre:"]
)
def test_words_not_understood(word: str) -> None:
    found = facet_word(word)
    assert found is not None and found.problems


@pytest.mark.parametrize("word", ["status:review", "abba", "keyboard", "bpmx:1", "Live: 1975"])
def test_other_words_are_not_facets(word: str) -> None:
    assert facet_word(word) is None
