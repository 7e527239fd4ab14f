"""Editions as a table: which song first, then which edition the file's evidence names."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.catalog import Catalog
from explorer.catalog.records import AlbumRow, AlbumSummary, TrackRow
from explorer.matching import matcher as matcher_module
from explorer.matching.decide import Candidate, decide
from explorer.matching.facts import FileFacts
from explorer.matching.matcher import Matcher
from explorer.matching.score import score_track
from tests.matching.test_score import ALBUM, CLEAN, TRACK


def _album(rowid: int, name: str, date: str, kind: str = "album", total: int = 10) -> AlbumSummary:
    return replace(
        ALBUM,
        rowid=rowid,
        id=f"album{rowid:017d}",
        name=name,
        release_date=date,
        album_type=kind,
        total_tracks=total,
    )


def _on(
    album: AlbumSummary, *, isrc: str | None, name: str = TRACK.name, **changes: object
) -> TrackRow:
    return replace(
        TRACK,
        rowid=album.rowid * 10,
        id=f"track{album.rowid:017d}",
        album=album,
        album_rowid=album.rowid,
        isrc=isrc,
        name=name,
        **changes,  # type: ignore[arg-type]
    )


ORIGINAL = TRACK  # "Golden Hours" (2011), ISRC ...001, 215.0 s
REMASTER = _on(
    _album(11, "Golden Hours (2021 Remaster)", "2021"),
    isrc="QZAAA2100001",
    name=f"{TRACK.name} - 2021 Remaster",
    duration_ms=216_200,
)
DELUXE = _on(_album(12, "Golden Hours (Deluxe Edition)", "2012", total=14), isrc=TRACK.isrc)
REISSUE = _on(_album(13, "Golden Hours", "2016"), isrc="QZAAA1600001")
LIVE = _on(
    _album(14, "Live at Velmora", "2015"),
    isrc="QZAAA1500001",
    name=f"{TRACK.name} - Live",
    duration_ms=241_000,
)
COMPILATION = _on(
    _album(15, "Greatest Hits", "2018", kind="compilation", total=18),
    isrc=TRACK.isrc,
    track_number=1,
    popularity=80,
)
EDITIONS = (ORIGINAL, REMASTER, DELUXE, REISSUE, LIVE, COMPILATION)
NO_ALBUM = replace(CLEAN, album=None)
NO_ALBUM_NO_YEAR = replace(CLEAN, album=None, year=None, track_number=None)
REMASTER_FILE = replace(
    CLEAN, title=REMASTER.name, album="Golden Hours (2021 Remaster)", year=2021, duration_ms=216_200
)
MARK_LOST = replace(REMASTER_FILE, title=CLEAN.title)  # a rip that lost "- 2021 Remaster"

# (case, the file's facts, the edition it must be linked to, status, words of the reason)
CASES = [
    ("original", CLEAN, ORIGINAL, "matched", "the original album"),
    ("original, no album tag", NO_ALBUM, ORIGINAL, "matched", "the year is 2011"),
    ("original, no album tag or year", NO_ALBUM_NO_YEAR, ORIGINAL, "matched", "preferred"),
    ("remaster, marked", REMASTER_FILE, REMASTER, "matched", "the title says 2021 Remaster"),
    ("remaster, title mark lost", MARK_LOST, REMASTER, "matched", "album tag says remaster"),
    (
        "remaster, marked, no album tag",
        replace(REMASTER_FILE, album=None),
        REMASTER,
        "matched",
        "the title says",
    ),
    (
        "remaster, no mark, no album tag: its year and length",
        replace(MARK_LOST, album=None),
        REMASTER,
        "matched",
        "the year is 2021",
    ),
    (
        "remaster, nothing tells: the preference",
        replace(MARK_LOST, album=None, year=None),
        ORIGINAL,
        "matched",
        "preferred",
    ),
    (
        "deluxe",
        replace(CLEAN, album="Golden Hours (Deluxe Edition)", year=2012),
        DELUXE,
        "matched",
        "deluxe",
    ),
    ("deluxe, no album tag or year: the same recording", NO_ALBUM_NO_YEAR, ORIGINAL, "matched", ""),
    ("re-release, its year", replace(CLEAN, year=2016), REISSUE, "matched", "the year is 2016"),
    (
        "live, marked",
        replace(CLEAN, title=LIVE.name, album="Live at Velmora", year=2015, duration_ms=241_000),
        LIVE,
        "matched",
        "the title says Live",
    ),
    (
        "live, marked, no album tag",
        replace(NO_ALBUM_NO_YEAR, title=LIVE.name, duration_ms=241_000),
        LIVE,
        "matched",
        "the live recording",
    ),
    (
        "compilation",
        replace(CLEAN, album="Greatest Hits", year=2018, track_number=1),
        COMPILATION,
        "matched",
        "the compilation",
    ),
    (
        "compilation, no album tag or year: its track number",
        replace(NO_ALBUM_NO_YEAR, track_number=1),
        COMPILATION,
        "matched",
        "the track number is 1",
    ),
    (
        "remaster album tag, the original's year, a length between: unclear",
        replace(MARK_LOST, year=2011, duration_ms=215_600),
        ORIGINAL,
        "review",
        "edition unclear: the tags fit 'Golden Hours' (2011) and "
        "'Golden Hours (2021 Remaster)' (2021) equally",
    ),
]


@pytest.mark.parametrize(
    ("facts", "expected", "status", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_edition_is_chosen(
    facts: FileFacts, expected: TrackRow, status: str, words: str
) -> None:
    candidates = [Candidate(track, score_track(facts, track), "text") for track in EDITIONS]
    result = decide(facts, candidates)
    assert (result.status, result.track_id) == (status, expected.id), result.reason
    assert words in result.reason
    assert result.runner_up is None  # every candidate is an edition of the one song
    if status == "matched":
        assert "also on:" in result.reason


def test_editions_do_not_hide_another_song() -> None:
    """The margin is measured to another song: a close one still sends the file to review."""
    other = replace(ORIGINAL, rowid=99, id="track0000000000000099", isrc="QZAAA1100099")
    candidates = [
        Candidate(track, score_track(CLEAN, track), "text") for track in (*EDITIONS, other)
    ]
    result = decide(CLEAN, candidates)  # `other` is on the same album: another song
    assert result.status == "review" and "too close" in result.reason


def _remaster_album(path: Path) -> tuple[int, int]:
    """(original album rowid, its remaster's rowid) of the demo catalog."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    row = con.execute(
        "SELECT o.rowid, r.rowid FROM albums r JOIN albums o ON o.rowid < r.rowid "
        "AND r.name = o.name || ' (Remastered ' || substr(r.release_date, 1, 4) || ')' "
        "WHERE r.name LIKE '% (Remastered ____)' AND o.album_type = 'album' LIMIT 1"
    ).fetchone()
    con.close()
    assert row is not None
    return row


@pytest.mark.parametrize(
    ("keep_title_mark", "keep_album_mark"),
    [(True, True), (False, True), (True, False), (False, False)],
)
def test_a_folder_of_a_remaster_takes_the_remaster(
    indexed_catalog_path: Path, demo_catalog: Catalog, keep_title_mark: bool, keep_album_mark: bool
) -> None:
    """A folder ripped from a remaster, its marks kept or lost: its year and lengths say
    which edition, and every file of it is matched to the remaster."""
    original_rowid, remaster_rowid = _remaster_album(indexed_catalog_path)
    original = demo_catalog.album_by_rowid(original_rowid)
    remaster = demo_catalog.album_by_rowid(remaster_rowid)
    assert original is not None and remaster is not None
    files = [
        FileFacts(
            title=track.name if keep_title_mark else track.name.split(" - Remastered")[0],
            artists=tuple(a.name for a in track.artists),
            album=remaster.name if keep_album_mark else original.name,
            album_artist=remaster.artists[0].name,
            track_number=track.track_number,
            disc_number=track.disc_number,
            year=remaster.year,
            duration_ms=track.duration_ms,
        )
        for track in remaster.tracks
    ]
    results = Matcher(demo_catalog).match_files(files)
    assert [r.status for r in results] == ["matched"] * len(files)
    assert [r.track_id for r in results] == [t.id for t in remaster.tracks]


def _close_remaster(path: Path) -> tuple[int, int]:
    """(original, remaster) album rowids of the demo catalog of one year whose lengths lie
    close: every track within a second of the original's, half a second off on average."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    pairs = con.execute(
        "SELECT o.rowid, r.rowid FROM albums r JOIN albums o ON o.rowid = r.rowid - 1 "
        "AND r.name = o.name || ' (Remastered ' || substr(r.release_date, 1, 4) || ')' "
        "WHERE r.name LIKE '% (Remastered ____)' AND o.album_type = 'album' "
        "AND substr(o.release_date, 1, 4) = substr(r.release_date, 1, 4) ORDER BY r.rowid"
    ).fetchall()
    for original, remaster in pairs:
        offs = [
            abs(a - b)
            for (a,), (b,) in zip(
                *(
                    con.execute(
                        "SELECT duration_ms FROM tracks WHERE album_rowid = ? "
                        "ORDER BY disc_number, track_number",
                        (rowid,),
                    ).fetchall()
                    for rowid in (original, remaster)
                ),
                strict=False,
            )
        ]
        if offs and max(offs) <= 1_000 and 450 <= sum(offs) / len(offs) <= 550:
            con.close()
            return original, remaster
    con.close()
    raise AssertionError("no such remaster in the demo catalog")


def _unmarked_rip(album: AlbumRow, name: str, *, year: int | None) -> list[FileFacts]:
    """A folder ripped from `album` whose titles and album tag lost the remaster marks."""
    return [
        FileFacts(
            title=track.name.split(" - Remastered")[0],
            artists=tuple(a.name for a in track.artists),
            album=name,
            album_artist=album.artists[0].name,
            track_number=track.track_number,
            disc_number=track.disc_number,
            year=year,
            duration_ms=track.duration_ms,
        )
        for track in album.tracks
    ]


@pytest.mark.parametrize("ripped", ["remaster", "original"])
def test_a_folders_lengths_tell_a_remaster_whose_marks_are_lost(
    indexed_catalog_path: Path, demo_catalog: Catalog, ripped: str
) -> None:
    """A folder without marks, of a year both editions share, every length that of one
    edition and half a second off the other: the lengths decide (the missing marks' points
    outweighed them and the remaster's folder went to the original)."""
    original_rowid, remaster_rowid = _close_remaster(indexed_catalog_path)
    original = demo_catalog.album_by_rowid(original_rowid)
    remaster = demo_catalog.album_by_rowid(remaster_rowid)
    assert original is not None and remaster is not None
    source = remaster if ripped == "remaster" else original
    files = _unmarked_rip(source, original.name, year=source.year)
    results = Matcher(demo_catalog).match_files(files)
    assert [r.status for r in results] == ["matched"] * len(source.tracks)
    assert [r.track_id for r in results] == [t.id for t in source.tracks]


def test_a_common_names_remaster_is_found_by_its_editions_names(
    indexed_catalog_path: Path, demo_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An album artist whose name many artists share is asked for the album's exact names:
    the remaster's ("X (Remastered 2011)") too, else a folder whose album tag lost the
    mark never met it (the year tag and the lengths said remaster)."""
    monkeypatch.setattr(matcher_module, "NAMESAKES_READ", 1)  # every name counts as common
    original_rowid, remaster_rowid = _remaster_album(indexed_catalog_path)
    original = demo_catalog.album_by_rowid(original_rowid)
    remaster = demo_catalog.album_by_rowid(remaster_rowid)
    assert original is not None and remaster is not None
    files = _unmarked_rip(remaster, original.name, year=remaster.year)
    results = Matcher(demo_catalog).match_files(files)
    assert [r.track_id for r in results] == [t.id for t in remaster.tracks]
