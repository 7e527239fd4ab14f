"""The catalog's facets of linked files, copied into the user store by id lookups, so the
library filters and lists them without reading the catalog (see `library/facet_cache.py`)."""

from __future__ import annotations

from collections.abc import Callable

from explorer.catalog.connection import Catalog
from explorer.catalog.facets import TrackFacets, track_facets
from explorer.library.facet_cache import CHUNK, FacetCache, LinkFacets
from explorer.library.store import LibraryStore
from explorer.text.keys import camelot


def link_facets(file_id: int, facets: TrackFacets) -> LinkFacets:
    """One file's row of the cache from its linked track's facets."""
    return LinkFacets(
        file_id=file_id,
        track_id=facets.track_id,
        tempo=facets.tempo,
        key=facets.key,
        mode=facets.mode,
        camelot=camelot(facets.key, facets.mode) or None,
        energy=facets.energy,
        danceability=facets.danceability,
        valence=facets.valence,
        popularity=facets.popularity,
        year=facets.year,
        genres=facets.genres,
    )


def _absent(file_id: int, track_id: str) -> LinkFacets:
    """A linked track this catalog lacks (matched against another one): no values, and
    not looked up again until the link changes."""
    return LinkFacets(file_id, track_id, None, None, None, None, None, None, None, None, None, ())


def refresh_facets(
    store: LibraryStore,
    catalog: Catalog,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Read the facets of every linked file whose copy is missing or stale, CHUNK files a
    page (each page: id lookups in the catalog, one transaction in the store). Returns the
    files read; a second call right after reads none."""
    cache = FacetCache(store)
    done = 0
    after = 0
    while page := cache.stale(after_file_id=after, limit=CHUNK):
        found = track_facets(catalog, [track_id for _, track_id in page])
        cache.save(
            [
                link_facets(file_id, found[track_id])
                if track_id in found
                else _absent(file_id, track_id)
                for file_id, track_id in page
            ]
        )
        done += len(page)
        after = page[-1][0]
        if progress is not None:
            progress(done)
    return done
