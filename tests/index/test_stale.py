"""Indexes of a catalog file that changed since (a new download over it) are found and freed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from explorer.catalog import open_catalog
from explorer.index import build_index, drop_index, index_path_for
from explorer.index.store import drop_stale_indexes, index_files, stale_indexes


def _built(path: Path) -> Path:
    with open_catalog(path) as catalog:
        build_index(catalog)
        return index_path_for(catalog)


def _changed(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))


def test_an_index_of_an_earlier_version_of_the_file_is_stale(
    small_catalog_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "catalog.sqlite3"
    shutil.copy(small_catalog_path, copy)
    other = tmp_path / "other.sqlite3"  # another catalog's index is never touched
    shutil.copy(small_catalog_path, other)
    old = _built(copy)
    kept = _built(other)
    _changed(copy)
    with open_catalog(copy) as catalog:
        assert index_path_for(catalog) != old
        assert stale_indexes(catalog) == [old]
        assert drop_stale_indexes(catalog) > 0
        assert not any(item.exists() for item in index_files(old))
        assert kept.is_file()
        assert stale_indexes(catalog) == []


def test_a_build_deletes_the_indexes_of_earlier_versions(
    small_catalog_path: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "catalog.sqlite3"
    shutil.copy(small_catalog_path, copy)
    old = _built(copy)
    _changed(copy)
    new = _built(copy)
    assert new != old and new.is_file()
    assert not any(item.exists() for item in index_files(old))


def test_drop_takes_the_stale_indexes_too(small_catalog_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "catalog.sqlite3"
    shutil.copy(small_catalog_path, copy)
    old = _built(copy)
    _changed(copy)
    with open_catalog(copy) as catalog:
        assert drop_index(catalog)  # no index of the file as it is now, one of before
        assert not any(item.exists() for item in index_files(old))
        assert not drop_index(catalog)
