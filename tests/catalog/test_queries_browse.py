"""Browse queries: genres by a skip scan of the index, artists of a genre, top artists,
artists by exact name and their releases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from explorer.catalog import Catalog


def test_genres_are_distinct_and_sorted(demo_catalog: Catalog) -> None:
    genres = demo_catalog.genres()
    (real,) = demo_catalog.execute("SELECT count(DISTINCT genre) FROM artist_genres").fetchone()
    assert genres == sorted(set(genres)) and len(genres) == real
    assert demo_catalog.genres(limit=3) == genres[:3]


def test_genre_lookup_uses_the_index(demo_catalog: Catalog) -> None:
    plan = demo_catalog.execute(
        "EXPLAIN QUERY PLAN SELECT genre FROM artist_genres WHERE genre > ? ORDER BY genre LIMIT 1",
        ("",),
    ).fetchall()
    assert "USING COVERING INDEX artist_genres_genre" in str(plan)


def test_artists_of_a_genre(demo_catalog: Catalog) -> None:
    genre = demo_catalog.genres()[0]
    artists = demo_catalog.artists_of_genre(genre)
    assert artists
    followers = [a.followers for a in artists]
    assert followers == sorted(followers, reverse=True)
    for artist in artists[:5]:
        full = demo_catalog.artist(artist.id)
        assert full is not None and genre in full.genres


def test_artists_named_and_their_releases(demo_catalog: Catalog) -> None:
    rowid, name = demo_catalog.execute(
        "SELECT a.rowid, a.name FROM artists a JOIN artist_albums aa ON aa.artist_rowid = a.rowid "
        "LIMIT 1"
    ).fetchone()
    found = demo_catalog.artists_named([name.upper(), name, "no such artist"])
    assert rowid in found
    assert all(
        demo_catalog.execute("SELECT name FROM artists WHERE rowid = ?", (r,)).fetchone()[0] == name
        for r in found
    )
    assert demo_catalog.artists_named([]) == []
    releases = demo_catalog.album_names_of_artists([rowid])
    expected = demo_catalog.execute(
        "SELECT DISTINCT al.rowid, al.name FROM artist_albums aa JOIN albums al "
        "ON al.rowid = aa.album_rowid WHERE aa.artist_rowid = ?",
        (rowid,),
    ).fetchall()
    assert sorted(releases) == sorted(expected) and releases
    assert len(demo_catalog.album_names_of_artists([rowid], limit=1)) == 1
    assert demo_catalog.album_names_of_artists([]) == []


def test_albums_named_by_their_artists(demo_catalog: Catalog) -> None:
    album_rowid, album, artist = demo_catalog.execute(
        "SELECT al.rowid, al.name, a.name FROM albums al "
        "JOIN artist_albums aa ON aa.album_rowid = al.rowid "
        "JOIN artists a ON a.rowid = aa.artist_rowid WHERE al.name != '' LIMIT 1"
    ).fetchone()
    assert album_rowid in demo_catalog.albums_named_by([album.upper(), album], [artist])
    other = demo_catalog.execute(
        "SELECT name FROM artists WHERE name NOT IN "
        "(SELECT a.name FROM artist_albums aa JOIN artists a ON a.rowid = aa.artist_rowid "
        "WHERE aa.album_rowid IN (SELECT rowid FROM albums WHERE name = ?)) LIMIT 1",
        (album,),
    ).fetchone()[0]
    assert demo_catalog.albums_named_by([album], [other]) == []
    assert demo_catalog.albums_named_by([album], [artist], read=0) == []  # bounded
    assert demo_catalog.albums_named_by([], [artist]) == []
    assert demo_catalog.albums_named_by([album], []) == []


def test_albums_named_for_their_artists_rowids(demo_catalog: Catalog) -> None:
    album_rowid, album, artist_rowid = demo_catalog.execute(
        "SELECT al.rowid, al.name, aa.artist_rowid FROM albums al "
        "JOIN artist_albums aa ON aa.album_rowid = al.rowid WHERE al.name != '' LIMIT 1"
    ).fetchone()
    found = demo_catalog.albums_named_for([album.upper(), album], [artist_rowid, 10**9])
    expected = demo_catalog.execute(
        "SELECT DISTINCT al.rowid FROM albums al JOIN artist_albums aa "
        "ON aa.album_rowid = al.rowid WHERE al.name = ? AND aa.artist_rowid = ?",
        (album, artist_rowid),
    ).fetchall()
    assert found is not None and album_rowid in found
    assert sorted(found) == sorted(row[0] for row in expected)
    other = demo_catalog.execute(
        "SELECT rowid FROM artists WHERE rowid NOT IN (SELECT artist_rowid FROM artist_albums "
        "WHERE album_rowid IN (SELECT rowid FROM albums WHERE name = ?)) LIMIT 1",
        (album,),
    ).fetchone()[0]
    assert demo_catalog.albums_named_for([album], [other]) == []
    assert demo_catalog.albums_named_for([album], [artist_rowid], read=0) is None  # too common
    assert demo_catalog.albums_named_for([], [artist_rowid]) == []
    assert demo_catalog.albums_named_for([album], []) == []
    assert demo_catalog.albums_named_for(["no such album"], [artist_rowid]) == []


def test_an_album_without_its_extras_has_the_same_tracks(demo_catalog: Catalog) -> None:
    (rowid,) = demo_catalog.execute(
        "SELECT album_rowid FROM album_images WHERE album_rowid IN "
        "(SELECT album_rowid FROM artist_albums) LIMIT 1"
    ).fetchone()
    full = demo_catalog.album_by_rowid(rowid)
    light = demo_catalog.album_by_rowid(rowid, extras=False)
    assert full is not None and light is not None
    assert full.images and full.artists  # what the light load leaves out
    assert light.images == () and light.artists == ()
    assert light.name == full.name and light.tracks
    assert [replace(t, album=None) for t in light.tracks] == [
        replace(t, album=None) for t in full.tracks
    ]
    # each track carries its album's summary
    assert all(t.album == light.summary() for t in light.tracks)
    assert all(t.album == full.summary() for t in full.tracks)


def test_market_sets_are_read_once_and_stay_bounded(
    demo_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.catalog import queries

    rowids = [r[0] for r in demo_catalog.execute("SELECT rowid FROM available_markets LIMIT 5")]
    assert len(rowids) >= 3
    expected = {
        rowid: tuple(
            code.strip()
            for code in demo_catalog.execute(
                "SELECT available_markets FROM available_markets WHERE rowid = ?", (rowid,)
            )
            .fetchone()[0]
            .split(",")
            if code.strip()
        )
        for rowid in rowids
    }
    monkeypatch.setattr(queries, "MARKET_SETS_CACHED", 2)
    for _ in range(2):
        for rowid in rowids:
            assert demo_catalog.markets(rowid) == expected[rowid]
            assert len(demo_catalog._markets_cache) <= 2
    assert demo_catalog.markets(10**9) == ()


def test_tracks_without_their_albums_artists(demo_catalog: Catalog) -> None:
    """Search hits ask for tracks without their albums' artists (two lookups a track
    fewer); what a track hit shows is the same either way."""
    from explorer.search.hits import track_hits

    rowids = list(range(1, 400, 7))
    whole = demo_catalog.tracks_by_rowids(rowids)
    light = demo_catalog.tracks_by_rowids(rowids, album_artists=False)
    assert [t.rowid for t in light] == [t.rowid for t in whole] and whole
    assert all(t.album is not None and t.album.artists for t in whole)
    assert all(t.album is not None and t.album.artists == () for t in light)
    assert track_hits(light) == track_hits(whole)


def test_releases_credited_are_read_from_the_cheaper_side(demo_catalog: Catalog) -> None:
    """`_credited` gives the releases that credit the artists whichever side it reads:
    the artists' credits when they have fewer rows than there are releases, else each
    release's credits (both seen used here)."""
    (busiest,) = demo_catalog.execute(
        "SELECT artist_rowid FROM artist_albums GROUP BY artist_rowid "
        "ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    (loneliest,) = demo_catalog.execute(
        "SELECT artist_rowid FROM artist_albums GROUP BY artist_rowid HAVING count(*) = 1 LIMIT 1"
    ).fetchone()
    (theirs,) = demo_catalog.execute(
        "SELECT album_rowid FROM artist_albums WHERE artist_rowid = ?", (loneliest,)
    ).fetchone()
    (twice, first_of_two) = demo_catalog.execute(
        "SELECT artist_rowid, min(album_rowid) FROM artist_albums GROUP BY artist_rowid "
        "HAVING count(DISTINCT album_rowid) = 2 LIMIT 1"
    ).fetchone()
    busy_albums = [
        row[0]
        for row in demo_catalog.execute(
            "SELECT album_rowid FROM artist_albums WHERE artist_rowid = ? LIMIT 3", (busiest,)
        )
    ]
    some = [row[0] for row in demo_catalog.execute("SELECT rowid FROM albums LIMIT 40")]
    cases = [
        ([*some, theirs], [loneliest], 50),  # one credit against 41 releases: artist side
        ([*some, first_of_two], [twice], 50),  # two credits, one of them on these releases
        ([first_of_two, theirs, *some], [twice, loneliest], 1),
        ([theirs, *some[:5], theirs], [loneliest, busiest], 50),
        (busy_albums + some[:1], [busiest], 50),  # many credits: the releases' side
        (busy_albums, [busiest], 2),
        (some, [busiest, loneliest], 3),
        ([10**9], [loneliest], 5),
    ]
    statements: list[str] = []
    for albums, artists, limit in cases:
        marks = ",".join("?" * len(artists))
        expected = sorted(
            {
                row[0]
                for row in demo_catalog.execute(
                    f"SELECT album_rowid FROM artist_albums WHERE artist_rowid IN ({marks})",
                    tuple(artists),
                )
            }
            & set(albums)
        )[:limit]
        demo_catalog.connection().set_trace_callback(statements.append)
        try:
            assert demo_catalog._credited(albums, artists, limit) == expected
        finally:
            demo_catalog.connection().set_trace_callback(None)
    sides = " ".join(statements)
    assert "SELECT album_rowid FROM artist_albums WHERE artist_rowid IN" in sides
    assert "AND +artist_rowid IN" in sides
    assert demo_catalog._credited([], [busiest], 5) == demo_catalog._credited([theirs], [], 5) == []
