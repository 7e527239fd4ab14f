"""Properties over any input: cleaned text is storable, guessing never fails."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from explorer.library.guess import guess_fields
from explorer.library.tags import MAX_TAG_CHARS, clean_text, tags_from_items


@given(st.text())
def test_clean_text_is_printable_and_storable(value: str) -> None:
    cleaned = clean_text(value)
    assert len(cleaned) <= MAX_TAG_CHARS
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in cleaned)
    cleaned.encode("utf-8")


@given(st.lists(st.tuples(st.text(max_size=30), st.lists(st.text(), max_size=3)), max_size=8))
def test_any_tag_items_fold_into_a_record(items: list[tuple[str, list[str]]]) -> None:
    tags = tags_from_items(items)
    json.dumps(tags.to_json())


@given(st.text(min_size=1).filter(lambda s: "\x00" not in s))
def test_any_path_can_be_guessed(name: str) -> None:
    fields = guess_fields("/music/" + name, root="/music")
    assert all(isinstance(v, str | int) for v in fields.values())
