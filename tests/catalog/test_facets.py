"""Facets read by id: every statement an index or primary-key search, never a scan."""

from __future__ import annotations

from explorer.catalog import Catalog
from explorer.catalog.facets import track_facets


def test_facets_read_by_index_only(demo_catalog: Catalog) -> None:
    rowids = list(range(1, 2_000, 7))
    ids = [track.id for track in demo_catalog.tracks_by_rowids(rowids, with_album=False)]
    statements: list[str] = []
    connection = demo_catalog.connection()
    connection.set_trace_callback(statements.append)
    try:
        found = track_facets(demo_catalog, [*ids, "no-such-track-id-00000"])
    finally:
        connection.set_trace_callback(None)
    assert set(found) == set(ids)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3  # one of each kind for these few ids
    for sql in selects:
        plan = [row[3] for row in demo_catalog.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert plan and all(step.startswith(("SEARCH", "USE TEMP B-TREE")) for step in plan), (
            sql[:120],
            plan,
        )
