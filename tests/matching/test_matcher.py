"""The matcher's album lookup by the album artist's exact name, before any search."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from explorer.catalog import Catalog, open_catalog
from explorer.matching.album import ALBUMS_TIED_MAX, ALBUMS_TRIED, best_album
from explorer.matching.candidates import query_words
from explorer.matching.decide import Candidate
from explorer.matching.facts import FileFacts
from explorer.matching.matcher import PROBE_FILES, Matcher


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


def _with_deluxe(catalog: Catalog, condition: str) -> tuple[int, int]:
    """(album rowid, its deluxe edition's rowid) of the main artist's first release that
    has one named "X (Deluxe Edition)" and meets `condition` (on a1, the release, and
    a2, the edition)."""
    row = catalog.execute(
        "SELECT a1.rowid, a2.rowid FROM albums a1 "
        "JOIN artist_albums x1 ON x1.album_rowid = a1.rowid AND x1.index_in_album = 0 "
        "JOIN artist_albums x2 ON x2.artist_rowid = x1.artist_rowid "
        "JOIN albums a2 ON a2.rowid = x2.album_rowid "
        f"WHERE a2.name = a1.name || ' (Deluxe Edition)' AND {condition} LIMIT 1"
    ).fetchone()
    assert row is not None
    return row[0], row[1]


# the releases named exactly like the tag (tried first), and those named alike
LOOKUPS = ["_exact_releases", "_albums_by_artist"]


@pytest.mark.parametrize("lookup", LOOKUPS)
def test_the_album_artists_release_is_found_by_name(demo_catalog: Catalog, lookup: str) -> None:
    rowid, album, artist = _an_album(demo_catalog)
    find = getattr(Matcher(demo_catalog), lookup)
    for facts in (
        FileFacts(album=album, album_artist=artist),
        FileFacts(album=f"{album} (Deluxe Edition)", album_artist=artist.lower()),
        FileFacts(album=album.upper(), artists=(artist.upper(),)),
    ):
        assert rowid in find(facts), facts


@pytest.mark.parametrize("lookup", LOOKUPS)
def test_no_artist_or_another_album_finds_nothing(demo_catalog: Catalog, lookup: str) -> None:
    _, album, artist = _an_album(demo_catalog)
    find = getattr(Matcher(demo_catalog), lookup)
    assert find(FileFacts(album=album)) == []
    assert find(FileFacts(album="Zzyzx Qwv", album_artist=artist)) == []
    assert find(FileFacts(album=album, album_artist="No Such Artist")) == []


def test_the_exact_lookup_forgives_no_typo(demo_catalog: Catalog) -> None:
    rowid, album, artist = _an_album(demo_catalog)
    matcher = Matcher(demo_catalog)
    typo = FileFacts(album=album + "x", album_artist=artist)
    assert matcher._exact_releases(typo) == []
    assert rowid in matcher._albums_by_artist(typo)  # the releases named alike find it


@pytest.mark.parametrize(
    ("limit", "value", "typo_forgiven"),
    [
        # every artist is prolific: by the album's exact name only
        ("ARTIST_RELEASES_READ", 0, False),
        # every artist name is shared by many artists: by the album's exact name, and
        # named alike among the releases of the namesakes read (the one artist here)
        ("NAMESAKES_READ", 1, True),
    ],
)
def test_past_a_limit_the_release_is_found_by_the_album_name(
    demo_catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
    limit: str,
    value: int,
    typo_forgiven: bool,
) -> None:
    from explorer.matching import matcher as matcher_module

    monkeypatch.setattr(matcher_module, limit, value)
    rowid, album, artist = _an_album(demo_catalog)
    matcher = Matcher(demo_catalog)
    assert rowid in matcher._albums_by_artist(FileFacts(album=album.lower(), album_artist=artist))
    assert rowid in matcher._albums_by_artist(FileFacts(album=album, album_artist=artist.upper()))
    # by exact name: an edition mark is dropped
    assert rowid in matcher._albums_by_artist(
        FileFacts(album=f"{album} (Remastered)", album_artist=artist)
    )
    typo = matcher._albums_by_artist(FileFacts(album=album + "x", album_artist=artist))
    assert (rowid in typo) is typo_forgiven
    # (its editions, named alike, may follow it)
    assert typo[:1] == ([rowid] if typo_forgiven else [])


def test_a_folder_the_exactly_named_release_does_not_hold_lands_on_its_edition(
    demo_catalog: Catalog,
) -> None:
    """Files of a deluxe edition tagged with the plain album name: the plain release,
    found first by its exact name, lacks the bonus tracks, so the releases named alike
    are tried, and the whole folder lands on the deluxe edition."""
    plain, deluxe = _with_deluxe(demo_catalog, "a2.total_tracks > a1.total_tracks")
    name = demo_catalog.execute("SELECT name FROM albums WHERE rowid = ?", (plain,)).fetchone()[0]
    files, ids = _album_files(demo_catalog, deluxe, name)
    matcher = Matcher(demo_catalog)
    assert plain in matcher._exact_releases(files[0])
    results = matcher.match_files(files)
    assert [r.track_id for r in results] == ids, [r.reason for r in results]
    deluxe_id = demo_catalog.execute("SELECT id FROM albums WHERE rowid = ?", (deluxe,)).fetchone()
    assert {r.best.track.album.id for r in results if r.best and r.best.track.album} == {
        deluxe_id[0]
    }


def test_an_album_tag_naming_an_edition_lands_on_that_edition(demo_catalog: Catalog) -> None:
    """Files tagged "X (Deluxe Edition)" (the artist misspelt) whose tracks the plain
    release holds too: the edition the tag names, not the plain one the edition rules
    prefer among releases that fit alike."""
    plain, deluxe = _with_deluxe(demo_catalog, "a1.total_tracks >= 4")
    release = demo_catalog.album_by_rowid(deluxe)
    original = demo_catalog.album_by_rowid(plain)
    assert release is not None and original is not None
    files = [
        replace(facts, artists=(facts.artists[0] + "x",), album_artist=f"{facts.album_artist}x")
        for facts in _album_files(demo_catalog, deluxe, release.name)[0]
    ][: len(original.tracks)]
    results = Matcher(demo_catalog).match_files(files)
    albums = {r.best.track.album.id for r in results if r.best and r.best.track.album}
    assert albums == {release.id}, [r.reason for r in results]


class _CountingMatcher(Matcher):
    """The real matcher, counting the files it searches for one by one."""

    searched = 0

    def candidates(self, facts: FileFacts) -> list[Candidate]:
        self.searched += 1
        return super().candidates(facts)


def _album_files(catalog: Catalog, rowid: int, album: str) -> tuple[list[FileFacts], list[str]]:
    release = catalog.album_by_rowid(rowid)
    assert release is not None and len(release.tracks) >= 4
    files = [
        FileFacts(
            title=track.name,
            artists=tuple(a.name for a in track.artists),
            album=album,
            album_artist=track.artists[0].name,
            track_number=track.track_number,
            duration_ms=track.duration_ms,
        )
        for track in release.tracks
    ]
    return files, [track.id for track in release.tracks]


def _a_long_album(catalog: Catalog) -> tuple[int, str]:
    row = catalog.execute(
        "SELECT rowid, name FROM albums WHERE total_tracks >= 5 AND album_type = 'album' "
        "AND name NOT LIKE '%(%' LIMIT 1"
    ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_a_lone_file_is_found_through_its_album_without_a_search(demo_catalog: Catalog) -> None:
    rowid, album = _a_long_album(demo_catalog)
    files, ids = _album_files(demo_catalog, rowid, album)
    matcher = _CountingMatcher(demo_catalog)
    [result] = matcher.match_files(files[2:3])
    assert result.track_id == ids[2] and result.method == "album", result.reason
    assert matcher.searched == 0


def test_a_folder_whose_album_tag_finds_nothing_is_probed_then_fitted(
    indexed_catalog_path: Path,
) -> None:
    catalog = open_catalog(indexed_catalog_path)
    rowid, _ = _a_long_album(catalog)
    files, ids = _album_files(catalog, rowid, "Zzyzx Qwvvq Bootleg")
    matcher = _CountingMatcher(catalog)
    results = matcher.match_files(files)
    assert [r.track_id for r in results] == ids
    assert all(r.status == "matched" for r in results), [r.reason for r in results]
    # the first files' searches found the release; the rest took their tracks on it
    assert matcher.searched == PROBE_FILES < len(files)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("प्रेम दिल", "प्रेम दिल"),  # vowel signs are marks, not syntax
        ('a*b (c) "d" 東京-x', "a b c d 東京 x"),
        ("ไทย ภาษา", "ไทย ภาษา"),
        ("  ", ""),
    ],
)
def test_query_words_keep_letters_digits_and_marks(text: str, words: str) -> None:
    assert query_words(text) == words


def test_releases_tied_on_votes_are_tried_past_the_first_few(demo_catalog: Catalog) -> None:
    """The same album name by artists of the same name: each release is found once, so
    only the folder's tracks tell them apart, and the right one is tried among the last
    found too (ALBUMS_TIED_MAX in all)."""
    rowid, album = _a_long_album(demo_catalog)
    files, _ = _album_files(demo_catalog, rowid, album)

    def others(count: int) -> list[int]:
        rows = demo_catalog.execute(
            "SELECT rowid FROM albums WHERE name != ? AND total_tracks >= 1 "
            "ORDER BY rowid DESC LIMIT ?",
            (album, count),
        )
        found = [row[0] for row in rows]
        assert len(found) == count and rowid not in found
        return found

    fit = best_album(files, [*others(ALBUMS_TIED_MAX - 1), rowid], catalog=demo_catalog)
    assert fit is not None and fit.album.rowid == rowid
    # one vote more for it: it is tried first, whatever the others
    fit = best_album(files, [*others(20), rowid, rowid], catalog=demo_catalog)
    assert fit is not None and fit.album.rowid == rowid
    # past the cap, or behind releases with more votes, it is not tried
    assert best_album(files, [*others(ALBUMS_TIED_MAX), rowid], catalog=demo_catalog) is None
    leaders = others(ALBUMS_TRIED) * 2
    assert best_album(files, [*leaders, *others(2), rowid], catalog=demo_catalog) is None


def test_a_common_name_reads_no_release_when_the_exact_name_finds_it(
    demo_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each release read is a random read of the disk (the real catalog does not fit in
    memory): a name shared by many artists is first looked up by the album's exact name,
    and their releases are read only when that finds nothing."""
    from explorer.matching import matcher as matcher_module

    monkeypatch.setattr(matcher_module, "NAMESAKES_READ", 1)
    rowid, album, artist = _an_album(demo_catalog)
    matcher = Matcher(demo_catalog)
    statements: list[str] = []
    demo_catalog.connection().set_trace_callback(statements.append)
    try:
        exact = matcher._albums_by_artist(FileFacts(album=album, album_artist=artist))
        reads_exact = [s for s in statements if "SELECT DISTINCT al.rowid, al.name" in s]
        statements.clear()
        typo = matcher._albums_by_artist(FileFacts(album=album + "x", album_artist=artist))
        reads_typo = [s for s in statements if "SELECT DISTINCT al.rowid, al.name" in s]
    finally:
        demo_catalog.connection().set_trace_callback(None)
    assert rowid in exact and rowid in typo
    assert reads_exact == [] and len(reads_typo) == 1


def test_the_editions_the_folder_did_not_take_are_offered_first(demo_catalog: Catalog) -> None:
    """Files of a plain release (tagged with its year) whose deluxe edition holds the
    same tracks: the releases are fitted, the folder takes the plain one, and each
    file's alternatives begin with its song on the other releases (the deluxe edition
    among them, to pick instead), then the other songs of the folder's release."""
    plain, deluxe = _with_deluxe(demo_catalog, "a1.total_tracks >= 4")
    original = demo_catalog.album_by_rowid(plain)
    edition = demo_catalog.album_by_rowid(deluxe)
    assert original is not None and edition is not None
    files, ids = _album_files(demo_catalog, plain, original.name)
    files = [replace(facts, year=int(original.release_date[:4])) for facts in files]
    results = Matcher(demo_catalog).match_files(files)
    assert [r.track_id for r in results] == ids, [r.reason for r in results]
    on_edition: dict[tuple[str | None, int | None], str] = {
        (t.name, t.duration_ms): t.id for t in edition.tracks
    }
    for facts, result in zip(files, results, strict=True):
        same_song = [c.track.name == facts.title for c in result.alternatives]
        editions = same_song.index(False)  # the other releases' copies come first
        assert editions >= 1 and not any(same_song[editions:]), result.alternatives
        offered = {c.track.id for c in result.alternatives[:editions]}
        assert on_edition[(facts.title, facts.duration_ms)] in offered
        assert result.track_id not in offered
