"""Every item model passes QAbstractItemModelTester on a small catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester

from explorer.catalog import open_catalog
from explorer.index import build_index
from explorer.search.engine import SearchEngine
from explorer.search.results import KINDS, EntityKind
from explorer.ui.browse_tree_model import BrowseTreeModel
from explorer.ui.search_results_model import COLUMNS, OWNED_MARK, SearchResultsModel


@pytest.mark.parametrize("kind", KINDS)
def test_search_results_model(
    small_catalog_path: Path, qtmodeltester: ModelTester, kind: EntityKind
) -> None:
    with open_catalog(small_catalog_path) as catalog:
        build_index(catalog)
        engine = SearchEngine(catalog)
        model = SearchResultsModel(kind)
        pages = []
        model.moreWanted.connect(lambda cursor: pages.append(cursor))
        # the first word of a name of this kind: hits on every page
        table = {"track": "tracks", "album": "albums", "artist": "artists"}[kind]
        (name,) = catalog.execute(f"SELECT name FROM {table} WHERE rowid = 1").fetchone()
        word = name.split()[0]
        page = engine.search(word, kind=kind, limit=5)
        assert page.hits
        model.set_page(page, {page.hits[0].id})
        qtmodeltester.check(model)
        if pages:
            model.append_page(engine.search(word, kind=kind, limit=5, cursor=pages[0]))
        qtmodeltester.check(model)
        # every column of every row has its text (the last: "yours" where there is one)
        for row in range(model.rowCount()):
            cells = [model.data(model.index(row, c)) for c in range(model.columnCount())]
            assert all(isinstance(cell, str) for cell in cells), cells
        if "Yours" in COLUMNS[kind]:
            last = model.columnCount() - 1
            assert model.data(model.index(0, last)) == OWNED_MARK
            assert model.data(model.index(1, last)) == ""


def test_browse_tree_model(small_catalog_path: Path, qtmodeltester: ModelTester) -> None:
    with open_catalog(small_catalog_path) as catalog:
        model = BrowseTreeModel()
        artists = catalog.top_artists(limit=3)
        model.add_top_artists(artists, None)
        first = model.index(0, 0)
        model.add_groups(model.node(first).id, catalog.artist_albums(artists[0].rowid))
        group = model.index(0, 0, first)
        model.fetchMore(group)
        album = model.index(0, 0, group)
        model.add_tracks(model.node(album).id, catalog.album(model.node(album).entity_id or ""))
        qtmodeltester.check(model)
        first_album = catalog.album_by_rowid(1)
        assert first_album is not None
        focused = model.focus_album(first_album)
        assert model.rowCount(focused) > 0
        qtmodeltester.check(model)
