"""Counted words: the one rule every sentence of the CLI and the window uses."""

from __future__ import annotations

import pytest

from explorer.text.words import plural


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 files"), (1, "1 file"), (2, "2 files"), (12345, "12,345 files")]
)
def test_plural(count: int, text: str) -> None:
    assert plural(count, "file") == text
