"""The matcher's album lookup by the album artist's exact name, before any search."""

from __future__ import annotations

import pytest

from explorer.catalog import Catalog
from explorer.matching.facts import FileFacts
from explorer.matching.matcher import Matcher


def _an_album(catalog: Catalog) -> tuple[int, str, str]:
    """(album rowid, album name, main artist's name) of a release with a plain name."""
    row = catalog.execute(
        "SELECT al.rowid, al.name, a.name FROM albums al "
        "JOIN artist_albums aa ON aa.album_rowid = al.rowid AND aa.index_in_album = 0 "
        "JOIN artists a ON a.rowid = aa.artist_rowid "
        "WHERE al.name NOT LIKE '%(%' AND length(al.name) > 6 AND al.album_type = 'album' "
        "LIMIT 1"
    ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def test_the_album_artists_release_is_found_by_name(demo_catalog: Catalog) -> None:
    rowid, album, artist = _an_album(demo_catalog)
    matcher = Matcher(demo_catalog)
    for facts in (
        FileFacts(album=album, album_artist=artist),
        FileFacts(album=f"{album} (Deluxe Edition)", album_artist=artist.lower()),
        FileFacts(album=album.upper(), artists=(artist.upper(),)),
    ):
        assert rowid in matcher._albums_by_artist(facts), facts


def test_no_artist_or_another_album_finds_nothing(demo_catalog: Catalog) -> None:
    _, album, artist = _an_album(demo_catalog)
    matcher = Matcher(demo_catalog)
    assert matcher._albums_by_artist(FileFacts(album=album)) == []
    assert matcher._albums_by_artist(FileFacts(album="Zzyzx Qwv", album_artist=artist)) == []
    assert matcher._albums_by_artist(FileFacts(album=album, album_artist="No Such Artist")) == []


def test_a_prolific_artists_release_is_found_by_the_album_name(
    demo_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.matching import matcher as matcher_module

    monkeypatch.setattr(matcher_module, "ARTIST_RELEASES_READ", 0)  # every artist is prolific
    rowid, album, artist = _an_album(demo_catalog)
    matcher = Matcher(demo_catalog)
    assert rowid in matcher._albums_by_artist(FileFacts(album=album.lower(), album_artist=artist))
    # by exact name only: an edition mark is dropped, a typo is not forgiven
    assert rowid in matcher._albums_by_artist(
        FileFacts(album=f"{album} (Remastered)", album_artist=artist)
    )
    assert matcher._albums_by_artist(FileFacts(album=album + "x", album_artist=artist)) == []
