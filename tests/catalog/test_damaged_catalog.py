"""A damaged catalog: opening stays cheap, and whatever reads a damaged page hears, in one
sentence, that the catalog is damaged (not a bare SQLite error, not another file)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.catalog.connection import features_path_for
from explorer.errors import DamagedCatalogError, KnownError, NotACatalogError
from tests.damage import damage_middle_of


@pytest.fixture
def damaged(demo_catalog_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "damaged.sqlite3"
    damage_middle_of("tracks", demo_catalog_path, path)
    return path


def _is_the_sentence(error: BaseException, path: Path) -> None:
    assert isinstance(error, DamagedCatalogError)
    assert isinstance(error, NotACatalogError) and isinstance(error, KnownError)
    text = str(error)
    assert text == (
        f"The catalog '{path}' is damaged (database disk image is malformed); "
        "download it again or restore a copy."
    )


def test_a_catalog_damaged_past_its_schema_opens_and_reads_what_is_whole(damaged: Path) -> None:
    with open_catalog(damaged) as catalog:
        assert catalog.estimate("tracks") > 0
        (first,) = catalog.tracks_by_rowids([1])
        assert catalog.track(first.id) == first
        assert catalog.execute("SELECT count(*) FROM artists").fetchone()[0] > 0


def test_every_way_of_reading_a_damaged_page_says_the_catalog_is_damaged(damaged: Path) -> None:
    with open_catalog(damaged, find_features=False) as catalog:
        rows = 0
        cursor = catalog.execute("SELECT rowid, name FROM tracks")  # the first rows are whole
        with pytest.raises(DamagedCatalogError) as iterated:
            for _row in cursor:
                rows += 1
        assert rows > 0  # met while fetching, after the statement had started
        _is_the_sentence(iterated.value, damaged)
        with pytest.raises(DamagedCatalogError) as fetched:
            catalog.execute("SELECT name FROM tracks").fetchall()
        _is_the_sentence(fetched.value, damaged)
        with pytest.raises(DamagedCatalogError) as counted:
            catalog.execute("SELECT sum(length(name)) FROM tracks").fetchone()
        _is_the_sentence(counted.value, damaged)
        with pytest.raises(DamagedCatalogError) as modelled:
            list(catalog.models.Track.select().dicts())
        _is_the_sentence(modelled.value, damaged)
        with pytest.raises(DamagedCatalogError), catalog.reading():
            catalog.execute("SELECT max(length(name)) FROM tracks").fetchone()
        # other SQLite errors stay what they are, and the connection goes on
        with pytest.raises(sqlite3.OperationalError):
            catalog.execute("SELECT no_such_column FROM tracks")
        assert catalog.tracks_by_rowids([1])


def test_with_audio_features_both_files_are_named(demo_catalog_path: Path, damaged: Path) -> None:
    features = features_path_for(damaged)
    shutil.copy(features_path_for(demo_catalog_path), features)
    with open_catalog(damaged) as catalog:
        assert catalog.has_features
        with pytest.raises(DamagedCatalogError) as caught:
            catalog.execute("SELECT name FROM tracks").fetchall()
    assert str(caught.value) == (
        f"The catalog '{damaged}' or its audio-features file '{features}' is damaged "
        "(database disk image is malformed); download them again or restore a copy."
    )
