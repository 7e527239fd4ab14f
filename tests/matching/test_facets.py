"""Facets of linked files: copied from a demo catalog (with its features file) by id, equal
to what the catalog says, and filtered by the library's facet words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.catalog import Catalog, open_catalog
from explorer.demo.library import write_demo_library
from explorer.library.facet_cache import FacetCache
from explorer.library.scan import scan
from explorer.library.store import LibraryStore, open_store
from explorer.matching.facets import refresh_facets
from explorer.matching.library_filter import filter_problems
from explorer.matching.links import Links
from explorer.matching.review import ReviewRow, library_page
from explorer.matching.run import match_library
from explorer.text.keys import camelot, compatible


@dataclass(frozen=True)
class Truth:
    """One linked track's facets as the catalog's own queries give them."""

    tempo: float | None
    camelot: str
    energy: float | None
    danceability: float | None
    valence: float | None
    popularity: int
    year: int | None
    genres: tuple[str, ...]


@dataclass
class Library:
    catalog: Catalog
    store: LibraryStore
    truth: dict[int, Truth]  # file id -> its linked track's facets
    read: int  # files the first refresh read


def catalog_truth(catalog: Catalog, track_id: str) -> Truth:
    track = catalog.track(track_id)
    assert track is not None and track.album is not None
    features = catalog.audio_features(track_id)
    analysed = features is not None and not features.null_response
    genres: list[str] = []
    for ref in track.artists:
        artist = catalog.artist(ref.id)
        assert artist is not None
        genres += [g for g in artist.genres if g not in genres]
    year = track.album.release_date[:4]
    return Truth(
        tempo=features.tempo if analysed and features else None,
        camelot=camelot(features.key, features.mode) if analysed and features else "",
        energy=features.energy if analysed and features else None,
        danceability=features.danceability if analysed and features else None,
        valence=features.valence if analysed and features else None,
        popularity=track.popularity,
        year=int(year) if year.isdigit() and year != "0000" else None,
        genres=tuple(genres),
    )


@pytest.fixture(scope="module")
def library(
    indexed_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Library]:
    folder = tmp_path_factory.mktemp("facet-library")
    catalog = open_catalog(indexed_catalog_path)
    assert catalog.has_features
    write_demo_library(catalog, folder, albums=30, seed=23)
    store = open_store(tmp_path_factory.mktemp("facet-store") / "library.sqlite3")
    scan(store, [folder])
    match_library(store, catalog)
    read = refresh_facets(store, catalog)
    links = Links(store)
    truth = {}
    for row in store.files(limit=10_000):
        link = links.get(row.id)
        if link is not None and link.track_id is not None:
            truth[row.id] = catalog_truth(catalog, link.track_id)
    yield Library(catalog, store, truth, read)
    store.close()
    catalog.close()


def test_every_linked_file_gets_the_catalogs_values(library: Library) -> None:
    assert library.read == len(library.truth) > 100
    cached = FacetCache(library.store).get_many(list(library.truth))
    assert set(cached) == set(library.truth)
    for file_id, truth in library.truth.items():
        facets = cached[file_id]
        assert facets.tempo == truth.tempo
        assert (facets.camelot or "") == truth.camelot
        assert (facets.energy, facets.danceability, facets.valence) == (
            truth.energy,
            truth.danceability,
            truth.valence,
        )
        assert (facets.popularity, facets.year) == (truth.popularity, truth.year)
        assert facets.genres == tuple(g.casefold() for g in truth.genres)
    assert refresh_facets(library.store, library.catalog) == 0  # nothing stale: nothing read


def _in(low: float, high: float, value: float | None) -> bool:
    return value is not None and low <= value <= high


def _genre_word(library: Library) -> str:
    genres = [g for t in library.truth.values() for g in t.genres]
    return max(set(genres), key=genres.count).split()[-1].casefold()


FACET_CASES: list[tuple[str, Callable[[Truth], bool]]] = [
    ("bpm:120..128", lambda t: t.tempo is not None and 119.5 <= t.tempo < 128.5),
    ("BPM>=150", lambda t: _in(150, 1000, t.tempo)),
    ("tempo<90", lambda t: t.tempo is not None and t.tempo < 90),
    ("key:8A", lambda t: t.camelot == "8A"),
    ("key:Am", lambda t: t.camelot == "8A"),
    ("key:8A~", lambda t: t.camelot in compatible("8A")),
    ("key:C", lambda t: t.camelot == "8B"),
    ("energy>0.7", lambda t: t.energy is not None and t.energy > 0.7),
    ("danceability<=0.3", lambda t: _in(0, 0.3, t.danceability)),
    ("valence:0.2..0.5", lambda t: _in(0.2, 0.5, t.valence)),
    ("popularity>=1", lambda t: t.popularity >= 1),
    ("year:1990..1999", lambda t: _in(1990, 1999, t.year)),
    ("year>=2010 energy>0.5", lambda t: _in(2010, 9999, t.year) and _in(0.5001, 1, t.energy)),
]


@pytest.mark.parametrize(("text", "check"), FACET_CASES, ids=[c[0] for c in FACET_CASES])
def test_facet_words_filter_as_the_catalog_says(
    library: Library, text: str, check: Callable[[Truth], bool]
) -> None:
    rows, more = library_page(library.store, text=text, limit=10_000)
    assert not more and not filter_problems(text)
    expected = sorted(f for f, truth in library.truth.items() if check(truth))
    assert expected, "a case that filters out everything proves nothing"
    assert [row.file_id for row in rows] == expected
    assert len(expected) < len(library.truth)


def test_genre_word(library: Library) -> None:
    word = _genre_word(library)
    rows, _ = library_page(library.store, text=f"genre:{word.upper()}", limit=10_000)
    expected = sorted(
        f for f, t in library.truth.items() if any(word in g.casefold() for g in t.genres)
    )
    assert expected and [row.file_id for row in rows] == expected


def test_facet_words_combine_with_status_and_carry_values(library: Library) -> None:
    rows, _ = library_page(library.store, text="status:matched bpm:60..140", limit=10_000)
    assert rows and all(row.status == "matched" for row in rows)
    assert all(isinstance(row, ReviewRow) and row.facets is not None for row in rows)
    assert all(row.facets and 59.5 <= (row.facets.tempo or 0) < 140.5 for row in rows)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("bpm:fast", "bpm needs numbers"),
        ("energy>2", "energy needs numbers from 0 to 1"),
        ("year:1999..1990", "year needs whole numbers"),
        ("key:H", "key: needs a key"),
        ("genre:", "genre: needs part of a genre"),
    ],
)
def test_facet_words_not_understood_are_said(library: Library, text: str, problem: str) -> None:
    assert any(problem in said for said in filter_problems(text))
    library_page(library.store, text=text)  # and the page is still read


def test_a_changed_link_hides_the_old_tracks_values(library: Library) -> None:
    file_id = next(iter(library.truth))
    links = Links(library.store)
    link = links.get(file_id)
    assert link is not None and link.track_id is not None
    library.store.db.execute_sql(
        "UPDATE link_facets SET track_id = 'another-track' WHERE file_id = ?", (file_id,)
    )
    assert file_id not in FacetCache(library.store).get_many([file_id])
    assert refresh_facets(library.store, library.catalog) == 1
    assert file_id in FacetCache(library.store).get_many([file_id])


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("sort:bpm", lambda t: t.tempo),
        ("sort:energy", lambda t: t.energy),
        ("sort:year", lambda t: t.year),
        ("sort:popularity", lambda t: t.popularity),
    ],
)
def test_facet_sorts_page_on(
    library: Library, word: str, value: Callable[[Truth], float | None]
) -> None:
    """Pages of 37 continue after the last row shown: every file once, in the facet's
    order (files without the value first), ties in file order."""
    shown: list[ReviewRow] = []
    after = None
    while True:
        rows, more = library_page(
            library.store, text=f"{word} status:matched", after=after, limit=37
        )
        shown += rows
        if not more:
            break
        after = rows[-1]
    ids = [row.file_id for row in shown]
    assert len(ids) == len(set(ids)) > 37
    keys = [value(library.truth[i]) if i in library.truth else None for i in ids]
    order = [(-1 if k is None else k, i) for k, i in zip(keys, ids, strict=True)]
    assert order == sorted(order)
