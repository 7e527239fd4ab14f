"""Fixtures of the library tests: a copy of the committed samples, a fresh store."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.library.store import LibraryStore, open_store

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"


@pytest.fixture
def music(tmp_path: Path) -> Path:
    """A music folder: the samples in Artist/Album/ plus a text file to skip."""
    root = tmp_path / "music"
    album = root / "Artist" / "Album"
    shutil.copytree(AUDIO, album)
    (root / "notes.txt").write_text("not audio")
    (album / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    return root


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    with open_store(tmp_path / "store" / "library.sqlite3") as opened:
        yield opened
