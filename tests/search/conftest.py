"""The search tests' engine on the session's indexed demo catalog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.search.engine import SearchEngine


@pytest.fixture(scope="module")
def engine(indexed_catalog_path: Path) -> Iterator[SearchEngine]:
    catalog = open_catalog(indexed_catalog_path)
    engine = SearchEngine(catalog)
    assert engine.index_ready
    yield engine
    engine.close()
    catalog.close()
