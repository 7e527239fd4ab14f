"""Shared fixtures: an isolated EXPLORER_HOME and real demo catalogs written by the project."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from explorer.catalog import Catalog, open_catalog
from explorer.demo import write_demo_catalog

DEMO_TRACKS = 20_000
DEMO_SEED = 7
SMALL_TRACKS = 1_500


@pytest.fixture(scope="session", autouse=True)
def explorer_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test session writes its state under a temporary EXPLORER_HOME, never the real home."""
    home = tmp_path_factory.mktemp("explorer-home")
    old = os.environ.get("EXPLORER_HOME")
    os.environ["EXPLORER_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("EXPLORER_HOME", None)
    else:
        os.environ["EXPLORER_HOME"] = old


@pytest.fixture(scope="session")
def demo_catalog_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20,000-track demo catalog (with audio features), written once per session."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    write_demo_catalog(path, tracks=DEMO_TRACKS, seed=DEMO_SEED)
    return path


@pytest.fixture(scope="session")
def small_catalog_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1,500-track demo catalog for tests that walk everything (model testers)."""
    path = tmp_path_factory.mktemp("small") / "small.sqlite3"
    write_demo_catalog(path, tracks=SMALL_TRACKS, seed=3)
    return path


@pytest.fixture(scope="session")
def indexed_catalog_path(demo_catalog_path: Path) -> Path:
    """The session's demo catalog with its search index built."""
    from explorer.index import build_index

    with open_catalog(demo_catalog_path) as catalog:
        build_index(catalog)
    return demo_catalog_path


@pytest.fixture
def demo_catalog(demo_catalog_path: Path) -> Iterator[Catalog]:
    """The session's demo catalog, opened read-only for one test."""
    catalog = open_catalog(demo_catalog_path)
    yield catalog
    catalog.close()
