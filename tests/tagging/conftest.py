"""Fixtures of the tagging tests: the committed samples scanned into a store, each linked
by hand to a track of a small demo catalog."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.catalog import Catalog, open_catalog
from explorer.catalog.records import TrackRow
from explorer.library.scan import scan
from explorer.library.store import FileRow, LibraryStore, open_store
from explorer.matching.links import Links

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"
# Every sample whose tags mutagen writes: each tag system, ID3 in versions 2.3 and 2.4.
WRITABLE = (
    "id3v23.mp3", "id3v24.mp3", "id3v1.mp3", "sample.flac", "sample.ogg", "sample.opus",
    "sample.spx", "sample.oga", "aac.m4a", "alac.m4a", "sample.wma", "sample.wv",
    "sample.mpc", "sample.aiff", "sample.wav", "sample.dsf", "sample.dff", "sample.tta",
)  # fmt: skip


@dataclass
class Library:
    """A scanned music folder whose files are linked to catalog tracks."""

    root: Path
    store: LibraryStore
    catalog: Catalog
    tracks: dict[str, TrackRow]  # sample name -> the track its file is linked to

    def row(self, name: str) -> FileRow:
        found = self.store.file_by_path(self.path(name))
        assert found is not None
        return found

    def path(self, name: str) -> Path:
        return self.root / "Album" / name


def make_library(tmp_path: Path, catalog: Catalog, names: tuple[str, ...]) -> Library:
    root = tmp_path / "music"
    (root / "Album").mkdir(parents=True)
    for name in names:
        shutil.copy(AUDIO / name, root / "Album" / name)
    store = open_store(tmp_path / "store" / "library.sqlite3")
    scan(store, [root], workers=1)
    # tracks with an ISRC, artists and an album: every field has a value to write
    tracks = [
        t for t in catalog.tracks_by_rowids(list(range(1, 400))) if t.isrc and t.artists and t.album
    ]
    library = Library(root, store, catalog, {})
    links = Links(store)
    for name, track in zip(names, tracks, strict=False):
        assert track.album is not None
        links.decide(
            library.row(name).id, "manual", track_id=track.id, album_id=track.album.id,
            isrc=track.isrc,
        )  # fmt: skip
        library.tracks[name] = track
    return library


@pytest.fixture
def small_catalog(small_catalog_path: Path) -> Iterator[Catalog]:
    catalog = open_catalog(small_catalog_path)
    yield catalog
    catalog.close()


@pytest.fixture
def library(tmp_path: Path, small_catalog: Catalog) -> Iterator[Library]:
    made = make_library(tmp_path, small_catalog, WRITABLE)
    yield made
    made.store.close()
