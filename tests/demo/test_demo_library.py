"""The demo library: real files whose tags carry the damage they are labelled with."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import mutagen
import pytest

from explorer.catalog import Catalog
from explorer.demo.library import DAMAGE_SHARES, LibraryFile, write_demo_library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, demo_catalog_path: Path) -> list[LibraryFile]:
    from explorer.catalog import open_catalog

    with open_catalog(demo_catalog_path) as catalog:
        return write_demo_library(catalog, tmp_path_factory.mktemp("lib"), albums=80, seed=5)


def test_every_damage_type_is_there(library: list[LibraryFile]) -> None:
    seen = Counter(item.damage for item in library)
    assert set(seen) == set(DAMAGE_SHARES)


def test_files_exist_with_the_truths_duration(
    library: list[LibraryFile], demo_catalog: Catalog
) -> None:
    for item in library[:60]:
        audio = mutagen.File(item.path)
        track = demo_catalog.track(item.track_id)
        assert audio is not None and track is not None
        off = abs(audio.info.length * 1000 - track.duration_ms)
        assert off <= (2000 if item.damage == "duration" else 1)


def _tags(item: LibraryFile) -> dict[str, list[str]]:
    audio = mutagen.File(item.path)
    return {key.lower(): value for key, value in (audio.tags or {}).items()}


@pytest.mark.parametrize(
    ("damage", "check"),
    [
        ("untagged", lambda tags, track: tags == {}),
        ("no_album", lambda tags, track: "album" not in tags and "title" in tags),
        ("no_artist", lambda tags, track: "artist" not in tags),
        ("isrc", lambda tags, track: tags["isrc"] == [track.isrc]),
        (
            "number_in_title",
            lambda tags, track: tags["title"][0].startswith(f"{track.track_number:02d} - "),
        ),
        ("clean", lambda tags, track: tags["title"] == [track.name]),
    ],
)
def test_tags_carry_the_damage(
    library: list[LibraryFile], demo_catalog: Catalog, damage: str, check: object
) -> None:
    items = [item for item in library if item.damage == damage]
    assert items
    for item in items:
        track = demo_catalog.track(item.track_id)
        assert check(_tags(item), track), item.path  # type: ignore[operator]


def test_compilation_copies_point_at_a_compilation(
    library: list[LibraryFile], demo_catalog: Catalog
) -> None:
    copies = [item for item in library if item.damage == "compilation"]
    types = {demo_catalog.track(item.track_id).album.album_type for item in copies}  # type: ignore[union-attr]
    assert "compilation" in types


def test_same_seed_same_library(tmp_path: Path, demo_catalog: Catalog) -> None:
    first = write_demo_library(demo_catalog, tmp_path / "a", albums=5, seed=9)
    second = write_demo_library(demo_catalog, tmp_path / "b", albums=5, seed=9)
    assert [(f.path.relative_to(tmp_path / "a"), f.track_id) for f in first] == [
        (f.path.relative_to(tmp_path / "b"), f.track_id) for f in second
    ]
