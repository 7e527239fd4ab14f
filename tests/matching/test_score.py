"""The scorer as a table: each damage real libraries have, and how much it costs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from explorer.catalog.records import AlbumSummary, ArtistRef, TrackRow
from explorer.matching.facts import FileFacts
from explorer.matching.score import (
    DURATION_FULL_S,
    DURATION_ZERO_S,
    artist_similarity,
    duration_similarity,
    score_total,
    score_track,
    version_similarity,
)

ALBUM = AlbumSummary(
    rowid=7,
    id="album0000000000000000a",
    name="Golden Hours",
    album_type="album",
    release_date="2011-05-02",
    release_date_precision="day",
    total_tracks=10,
    popularity=40,
)
TRACK = TrackRow(
    rowid=70,
    id="track0000000000000000a",
    name="Crème Brûlée (feat. Zoë Ådal)",
    fetched_at=0,
    preview_url=None,
    album_rowid=7,
    track_number=3,
    disc_number=1,
    duration_ms=215_000,
    explicit=False,
    popularity=30,
    isrc="QZAAA1100001",
    ean=None,
    upc=None,
    markets=(),
    artists=(
        ArtistRef(1, "artist00000000000000a", "The Velvet Foxes"),
        ArtistRef(2, "artist00000000000000b", "Zoë Ådal"),
    ),
    album=ALBUM,
)
CLEAN = FileFacts(
    title="Crème Brûlée (feat. Zoë Ådal)",
    artists=("The Velvet Foxes", "Zoë Ådal"),
    album="Golden Hours",
    track_number=3,
    disc_number=1,
    year=2011,
    duration_ms=215_000,
)

# (damage, the file's facts, the least total score it should keep)
DAMAGES = [
    ("clean", CLEAN, 0.99),
    (
        "accents dropped",
        replace(
            CLEAN, title="Creme Brulee (feat. Zoe Adal)", artists=("The Velvet Foxes", "Zoe Adal")
        ),
        0.97,
    ),
    (
        "feat. moved to artist",
        replace(CLEAN, title="Crème Brûlée", artists=("The Velvet Foxes feat. Zoë Ådal",)),
        0.95,
    ),
    ("inverted article", replace(CLEAN, artists=("Velvet Foxes, The",)), 0.9),
    (
        "case and punctuation",
        replace(CLEAN, title="CREME BRULEE", artists=("the velvet foxes",)),
        0.9,
    ),
    ("typo", replace(CLEAN, title="Crème Brülée", artists=("The Velvet Foxs",)), 0.9),
    ("number in title", replace(CLEAN, title="03 - Crème Brûlée", track_number=None), 0.95),
    ("no album", replace(CLEAN, album=None, year=None), 0.98),
    ("no artist", replace(CLEAN, artists=()), 0.98),
    ("duration 2 s off", replace(CLEAN, duration_ms=217_000), 0.99),
    ("duration 10 s off", replace(CLEAN, duration_ms=225_000), 0.85),
    ("compilation album name", replace(CLEAN, album="Essential Summer 2014"), 0.85),
    ("deluxe edition", replace(CLEAN, album="Golden Hours (Deluxe Edition)"), 0.98),
]


@pytest.mark.parametrize(("damage", "facts", "least"), DAMAGES, ids=[d[0] for d in DAMAGES])
def test_damage_keeps_a_high_score(damage: str, facts: FileFacts, least: float) -> None:
    score = score_track(facts, TRACK)
    assert score.total >= least, score
    assert abs(sum(f.contribution for f in score.fields) - score.total) < 0.01


# (what differs, the file's facts, the most the total may be)
WRONG = [
    ("another song", replace(CLEAN, title="Midnight Radio"), 0.75),
    ("another artist", replace(CLEAN, artists=("Lumière Nights",)), 0.8),
    ("live file, studio track", replace(CLEAN, title="Crème Brûlée - Live"), 0.93),
    (
        "another song and artist",
        replace(CLEAN, title="Midnight Radio", artists=("Lumière Nights",)),
        0.5,
    ),
    ("a minute longer", replace(CLEAN, duration_ms=275_000), 0.9),
]


@pytest.mark.parametrize(("what", "facts", "most"), WRONG, ids=[w[0] for w in WRONG])
def test_differences_cost(what: str, facts: FileFacts, most: float) -> None:
    assert score_track(facts, TRACK).total <= most


@pytest.mark.parametrize(
    "facts", [d[1] for d in DAMAGES] + [w[1] for w in WRONG], ids=[d[0] for d in DAMAGES + WRONG]
)
def test_the_total_alone_equals_the_breakdowns_total(facts: FileFacts) -> None:
    """Whole albums are scored by `score_total`; decisions show `score_track`."""
    assert score_total(facts, TRACK) == score_track(facts, TRACK).total


def test_a_remaster_file_prefers_the_remaster() -> None:
    remaster = replace(TRACK, name="Crème Brûlée (feat. Zoë Ådal) - Remastered 2021", rowid=71)
    facts = replace(CLEAN, title="Crème Brûlée (feat. Zoë Ådal) - Remastered 2021")
    assert score_track(facts, remaster).total > score_track(facts, TRACK).total
    assert score_track(CLEAN, TRACK).total > score_track(CLEAN, remaster).total


@pytest.mark.parametrize(
    ("off_s", "expected"),
    [(0, 1.0), (DURATION_FULL_S, 1.0), (16, 0.5), (DURATION_ZERO_S, 0.0), (120, 0.0)],
)
def test_duration_is_graded(off_s: float, expected: float) -> None:
    assert duration_similarity(200_000, int(200_000 + off_s * 1000)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        (frozenset(), frozenset(), 1.0),
        (frozenset({"live"}), frozenset({"live"}), 1.0),
        (frozenset(), frozenset({"live"}), 0.0),
        (frozenset(), frozenset({"remaster"}), 0.6),
        (frozenset({"remix"}), frozenset(), 0.1),
    ],
)
def test_versions(ours: frozenset[str], theirs: frozenset[str], expected: float) -> None:
    assert version_similarity(ours, theirs) == expected


@pytest.mark.parametrize(
    ("ours", "theirs", "least", "most"),
    [
        (("A & B",), ("A", "B"), 1.0, 1.0),
        (("Beatles, The",), ("The Beatles",), 1.0, 1.0),
        (("B",), ("A", "B"), 0.55, 0.65),  # the first credited artist is missing
        (("Beyonce",), ("Beyoncé",), 1.0, 1.0),
        (("Someone Else",), ("A", "B"), 0.0, 0.3),
    ],
)
def test_artists_as_sets(
    ours: tuple[str, ...], theirs: tuple[str, ...], least: float, most: float
) -> None:
    assert least <= artist_similarity(ours, theirs) <= most
