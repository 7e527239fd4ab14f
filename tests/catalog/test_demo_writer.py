"""The demo catalog is deterministic and has the structures that make the real data hard."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from explorer.demo import write_demo_catalog


def _content_digest(path: Path) -> str:
    con = sqlite3.connect(path)
    digest = hashlib.sha256()
    for line in con.iterdump():
        digest.update(line.encode())
    con.close()
    return digest.hexdigest()


def test_same_seed_same_catalog(tmp_path: Path) -> None:
    first = write_demo_catalog(tmp_path / "a" / "c.sqlite3", tracks=800, seed=11)
    second = write_demo_catalog(tmp_path / "b" / "c.sqlite3", tracks=800, seed=11)
    other = write_demo_catalog(tmp_path / "c" / "c.sqlite3", tracks=800, seed=12)
    assert _content_digest(first.path) == _content_digest(second.path)
    assert _content_digest(first.features_path) == _content_digest(second.features_path)
    assert _content_digest(first.path) != _content_digest(other.path)
    assert not list(tmp_path.rglob("*.partial"))


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    stats = write_demo_catalog(
        tmp_path / "p.sqlite3", tracks=500, seed=1, progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1] == (500, 500)
    assert stats.tracks >= 500


@pytest.mark.parametrize("tracks", [1, 10, 120, 999, 3_000])
def test_about_as_many_tracks_as_asked(tmp_path: Path, tracks: int) -> None:
    """Small catalogs too: no prolific artist below PROLIFIC_FROM, the last album cut."""
    stats = write_demo_catalog(tmp_path / "n.sqlite3", tracks=tracks, seed=4)
    assert tracks <= stats.tracks <= tracks + 60


# (what, SQL returning one number, the least share or count expected)
HARD_CASES = [
    ("featured artist in name", "SELECT count(*) FROM tracks WHERE name LIKE '%(feat. %'", 500),
    (
        "featured artist credited",
        "SELECT count(*) FROM (SELECT track_rowid FROM track_artists GROUP BY 1 HAVING count(*) > 1)",
        500,
    ),
    ("remastered versions", "SELECT count(*) FROM tracks WHERE name LIKE '% - Remastered %'", 100),
    ("live versions", "SELECT count(*) FROM tracks WHERE name LIKE '% - Live'", 20),
    (
        "'- YYYY Remaster' style",
        "SELECT count(*) FROM tracks WHERE name GLOB '* - [12][0-9][0-9][0-9] Remaster'",
        100,
    ),
    ("remastered albums", "SELECT count(*) FROM albums WHERE name LIKE '%Remaster%'", 30),
    ("deluxe editions", "SELECT count(*) FROM albums WHERE name LIKE '% (Deluxe Edition)'", 5),
    (
        "re-releases: same name, same artist, new ISRCs",
        "SELECT count(*) FROM albums a JOIN artist_albums aa ON aa.album_rowid = a.rowid "
        "JOIN artist_albums ba ON ba.artist_rowid = aa.artist_rowid AND ba.album_rowid < a.rowid "
        "JOIN albums b ON b.rowid = ba.album_rowid AND b.name = a.name AND b.album_type = 'album' "
        "WHERE a.album_type = 'album' AND a.name != '' AND aa.index_in_album = 0 "
        "AND (SELECT external_id_isrc FROM tracks WHERE album_rowid = a.rowid LIMIT 1) "
        "!= (SELECT external_id_isrc FROM tracks WHERE album_rowid = b.rowid LIMIT 1)",
        20,
    ),
    ("covers by other artists", "SELECT count(*) FROM albums WHERE name LIKE 'Songs of %'", 10),
    (
        "an artist's own compilations",
        "SELECT count(*) FROM albums WHERE album_type = 'compilation' AND name IN "
        "('Greatest Hits', 'The Best Of', 'Essentials', 'Gold')",
        10,
    ),
    ("compilations", "SELECT count(*) FROM albums WHERE album_type = 'compilation'", 5),
    ("singles", "SELECT count(*) FROM albums WHERE album_type = 'single'", 100),
    (
        "multi-disc albums",
        "SELECT count(DISTINCT album_rowid) FROM tracks WHERE disc_number = 2",
        10,
    ),
    ("year-only dates", "SELECT count(*) FROM albums WHERE release_date_precision = 'year'", 50),
    ("unknown dates", "SELECT count(*) FROM albums WHERE release_date LIKE '0000%'", 1),
    ("empty album names", "SELECT count(*) FROM albums WHERE name = ''", 1),
    (
        "ISRC on several releases",
        "SELECT count(*) FROM (SELECT external_id_isrc FROM tracks GROUP BY 1 HAVING count(DISTINCT album_rowid) > 1)",
        300,
    ),
    ("appears-on links", "SELECT count(*) FROM artist_albums WHERE is_appears_on = 1", 300),
    ("non-Latin names", "SELECT count(*) FROM artists WHERE name GLOB '*[^ -~]*'", 100),
]


@pytest.mark.parametrize(("what", "sql", "least"), HARD_CASES, ids=[c[0] for c in HARD_CASES])
def test_demo_has_the_hard_structures(
    demo_catalog_path: Path, what: str, sql: str, least: int
) -> None:
    con = sqlite3.connect(f"file:{demo_catalog_path}?mode=ro", uri=True)
    (found,) = con.execute(sql).fetchone()
    con.close()
    assert found >= least, what


def test_most_tracks_have_popularity_zero(demo_catalog_path: Path) -> None:
    con = sqlite3.connect(f"file:{demo_catalog_path}?mode=ro", uri=True)
    (share,) = con.execute("SELECT avg(popularity = 0) FROM tracks").fetchone()
    con.close()
    assert 0.5 < share < 0.9


def test_compilation_reuses_isrc_of_an_original(demo_catalog_path: Path) -> None:
    con = sqlite3.connect(f"file:{demo_catalog_path}?mode=ro", uri=True)
    row = con.execute(
        "SELECT count(*) FROM tracks c JOIN albums ca ON ca.rowid = c.album_rowid "
        "JOIN tracks o ON o.external_id_isrc = c.external_id_isrc AND o.rowid != c.rowid "
        "JOIN albums oa ON oa.rowid = o.album_rowid "
        "WHERE ca.album_type = 'compilation' AND oa.album_type = 'album' AND o.name = c.name"
    ).fetchone()
    con.close()
    assert row[0] > 0
