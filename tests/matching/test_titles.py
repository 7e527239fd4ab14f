"""Title and credit splitting, as a table of what tags and catalogs really contain."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.matching.titles import parse_title, split_artists, uninvert

# (title, strip_number, base, featured, versions, number)
TITLES = [
    ("Song", False, "Song", (), set(), None),
    ("Song - Remastered 2011", False, "Song", (), {"remaster"}, None),
    ("Song - 2011 Remaster", False, "Song", (), {"remaster"}, None),
    ("Song (Remastered 2009)", False, "Song", (), {"remaster"}, None),
    ("Song - Live", False, "Song", (), {"live"}, None),
    ("Song (Live at Wembley)", False, "Song", (), {"live"}, None),
    ("Song [Live]", False, "Song", (), {"live"}, None),
    ("Song (feat. Other)", False, "Song", ("Other",), set(), None),
    ("Song (ft. A & B)", False, "Song", ("A", "B"), set(), None),
    ("Song feat. Other", False, "Song", ("Other",), set(), None),
    ("Song (feat. Other) - Radio Edit", False, "Song", ("Other",), {"edit"}, None),
    ("Song - Acoustic Version", False, "Song", (), {"acoustic"}, None),
    ("Song (Remix)", False, "Song", (), {"remix"}, None),
    ("Love (Is All Around)", False, "Love (Is All Around)", (), set(), None),
    ("Rock - Paper - Scissors", False, "Rock - Paper - Scissors", (), set(), None),
    ("03 - Song", True, "Song", (), set(), 3),
    ("3. Song", True, "Song", (), set(), 3),
    ("1-03 Song Title", True, "Song Title", (), set(), 3),
    ("7 Rings", True, "7 Rings", (), set(), None),
    ("1999", True, "1999", (), set(), None),
    ("03 - Song", False, "03 - Song", (), set(), None),
    ("  spaced   out  ", False, "spaced out", (), set(), None),
    ("(Live)", False, "(Live)", (), {"live"}, None),
]


@pytest.mark.parametrize(("title", "strip", "base", "featured", "versions", "number"), TITLES)
def test_parse_title(
    title: str,
    strip: bool,
    base: str,
    featured: tuple[str, ...],
    versions: set[str],
    number: int | None,
) -> None:
    parts = parse_title(title, strip_number=strip)
    assert parts.base == base
    assert parts.featured == featured
    assert parts.versions == frozenset(versions)
    assert parts.number == number


CREDITS = [
    ("Solo", ["Solo"]),
    ("A & B", ["A", "B"]),
    ("A feat. B", ["A", "B"]),
    ("A ft. B", ["A", "B"]),
    ("A; B; C", ["A", "B", "C"]),
    ("A, B and C", ["A", "B", "C"]),
    ("A / B", ["A", "B"]),
    ("A x B", ["A", "B"]),
    ("Beatles, The", ["The Beatles"]),
    ("The Beatles", ["The Beatles"]),
    ("Sandy", ["Sandy"]),
    ("Andy and the Band", ["Andy", "the Band"]),
    ("", []),
]


@pytest.mark.parametrize(("credit", "names"), CREDITS)
def test_split_artists(credit: str, names: list[str]) -> None:
    assert split_artists(credit) == names


@pytest.mark.parametrize(
    ("name", "plain"),
    [("Beatles, The", "The Beatles"), ("Smith, John", "Smith, John"), ("Doors, The ", "The Doors")],
)
def test_uninvert(name: str, plain: str) -> None:
    assert uninvert(name) == plain


_TITLE_PARTS = st.sampled_from(
    ["Song", "feat.", "Ft", "ft.", "featuring", "FEAT", "-", "–", "(", ")", "[", "]", "Live",
     "Remastered 2011", "03", "3.", "1-03", "é", "x", "Lift", "Feather", "soft", "(Remix)", ""]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(
    parts=st.lists(_TITLE_PARTS, max_size=6),
    glue=st.sampled_from([" ", "", "  "]),
    strip=st.booleans(),
)
def test_the_plain_title_shortcut_changes_nothing(parts: list[str], glue: str, strip: bool) -> None:
    """Plain ASCII titles without brackets, dashes or "ft"/"feat" skip the patterns; the
    result is the one the patterns give."""
    import re

    from explorer.matching import titles

    title = glue.join(parts)
    full = titles.parse_title.__wrapped__  # not the cached function
    plain = titles._PLAIN
    titles._PLAIN = re.compile(r"(?!)")  # never plain: every title takes the patterns
    try:
        expected = full(title, strip_number=strip)
    finally:
        titles._PLAIN = plain
    assert full(title, strip_number=strip) == expected
