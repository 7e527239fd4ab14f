"""Every item model passes QAbstractItemModelTester on a small catalog."""

from __future__ import annotations

from pathlib import Path

from pytestqt.modeltest import ModelTester

from explorer.catalog import open_catalog
from explorer.index import build_index
from explorer.search.engine import SearchEngine
from explorer.ui.browse_tree_model import BrowseTreeModel
from explorer.ui.search_results_model import SearchResultsModel


def test_search_results_model(small_catalog_path: Path, qtmodeltester: ModelTester) -> None:
    with open_catalog(small_catalog_path) as catalog:
        build_index(catalog)
        engine = SearchEngine(catalog)
        model = SearchResultsModel("track")
        pages = []
        model.moreWanted.connect(lambda cursor: pages.append(cursor))
        model.set_page(engine.search("a", kind="track", limit=5))
        qtmodeltester.check(model)
        if pages:
            model.append_page(engine.search("a", kind="track", limit=5, cursor=pages[0]))
        qtmodeltester.check(model)


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
