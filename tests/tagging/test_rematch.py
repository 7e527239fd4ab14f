"""Files whose ids were written match again by those ids: the same track, method id-tag."""

from __future__ import annotations

from pathlib import Path

from explorer.catalog import open_catalog
from explorer.demo.library import write_demo_library
from explorer.library.scan import scan
from explorer.library.store import open_store
from explorer.matching.links import Links
from explorer.matching.run import match_library
from explorer.tagging.fields import ID_FIELDS
from explorer.tagging.plan import linked_files, plan_files
from explorer.tagging.writer import write_plans


def _links(store_path: Path, root: Path, catalog_path: Path) -> dict[bytes, tuple[str, str]]:
    with open_catalog(catalog_path) as catalog, open_store(store_path) as store:
        scan(store, [root], workers=1)
        match_library(store, catalog, workers=0)
        links = Links(store)
        found = {}
        for row in store.iter_files():
            link = links.get(row.id)
            if link is not None and link.decision == "matched" and link.track_id:
                found[row.path] = (link.track_id, link.method or "")
        return found


def test_written_ids_rematch_by_id(tmp_path: Path, indexed_catalog_path: Path) -> None:
    root = tmp_path / "music"
    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, root, albums=8, seed=5)
    first_store = tmp_path / "first.sqlite3"
    first = _links(first_store, root, indexed_catalog_path)
    assert first and {method for _, method in first.values()} != {"id-tag"}
    with open_catalog(indexed_catalog_path) as catalog, open_store(first_store) as store:
        preview = plan_files(store, catalog, list(linked_files(store)), fields=ID_FIELDS)
        summary = write_plans(store, preview.plans, fields=ID_FIELDS)
    assert summary.written == len(first) and summary.failed == 0
    again = _links(tmp_path / "second.sqlite3", root, indexed_catalog_path)
    assert {path: track for path, (track, _) in again.items() if path in first} == {
        path: track for path, (track, _) in first.items()
    }
    assert {again[path][1] for path in first} == {"id-tag"}
