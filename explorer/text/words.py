"""Counted words in the sentences the CLI and the window say: "1 file", "2 files"."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """`1 folder`, `2 folders`, `1,000 folders` (regular plurals only)."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


__all__ = ["plural"]
