"""Decisions as a table: matched, review and unmatched, each with its reason."""

from __future__ import annotations

from dataclasses import replace

import pytest

from explorer.catalog.records import AlbumSummary
from explorer.matching.decide import Candidate, Thresholds, decide
from explorer.matching.facts import FileFacts
from explorer.matching.score import score_track
from tests.matching.test_score import ALBUM, CLEAN, TRACK

OTHER = replace(
    TRACK, rowid=90, id="track0000000000000000z", name="Midnight Radio", isrc="QZAAA1100099"
)
COMPILATION = AlbumSummary(
    rowid=8,
    id="album0000000000000000c",
    name="Essential Summer 2014",
    album_type="compilation",
    release_date="2014",
    release_date_precision="year",
    total_tracks=20,
    popularity=60,
)
ON_COMPILATION = replace(
    TRACK,
    rowid=80,
    id="track0000000000000000c",
    album=COMPILATION,
    album_rowid=8,
    popularity=60,
    track_number=11,
)


def _candidates(facts: FileFacts, *tracks: object, method: str = "text") -> list[Candidate]:
    return [Candidate(t, score_track(facts, t), method) for t in tracks]  # type: ignore[arg-type]


def test_no_candidate_is_unmatched() -> None:
    result = decide(CLEAN, [])
    assert (result.status, result.reason) == ("unmatched", "no candidate in the catalog")


def test_confident_and_ahead_is_matched() -> None:
    result = decide(CLEAN, _candidates(CLEAN, TRACK, OTHER))
    assert result.status == "matched"
    assert result.track_id == TRACK.id and result.album_id == ALBUM.id
    assert result.runner_up is not None and result.runner_up.track.id == OTHER.id
    assert result.margin > 0.1


def test_other_releases_of_the_recording_do_not_eat_the_margin() -> None:
    result = decide(CLEAN, _candidates(CLEAN, TRACK, ON_COMPILATION))
    assert result.status == "matched"
    assert result.track_id == TRACK.id  # its album tag says the original album
    assert result.runner_up is None
    assert [c.track.id for c in result.alternatives] == [ON_COMPILATION.id]


def test_without_album_tag_the_original_album_is_preferred() -> None:
    facts = replace(CLEAN, album=None, year=None, track_number=None)
    result = decide(facts, _candidates(facts, ON_COMPILATION, TRACK))
    assert result.track_id == TRACK.id


def test_two_recordings_too_close_go_to_review() -> None:
    twin = replace(TRACK, rowid=91, id="track0000000000000000y", isrc="QZAAA1100098")
    result = decide(CLEAN, _candidates(CLEAN, TRACK, twin))
    assert result.status == "review"
    assert "too close" in result.reason


def test_plausible_goes_to_review() -> None:
    facts = replace(
        CLEAN, title="Creme Brulee Reprise", artists=("Velvet Fox",), duration_ms=232_000
    )
    result = decide(facts, _candidates(facts, TRACK))
    assert result.status == "review"
    assert "plausible" in result.reason


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (
            replace(CLEAN, title="Zzz Top Hits", artists=("Nobody",), album=None),
            "no candidate has a similar title",
        ),
        (
            replace(CLEAN, duration_ms=400_000, title="Crème", artists=("Nobody",)),
            "duration is off",
        ),
    ],
)
def test_far_candidates_are_unmatched_with_a_reason(facts: FileFacts, reason: str) -> None:
    result = decide(facts, _candidates(facts, TRACK))
    assert result.status == "unmatched"
    assert reason in result.reason


def test_isrc_identifies_when_the_title_agrees() -> None:
    facts = replace(CLEAN, album=None, artists=(), isrc=TRACK.isrc, title="creme brulee")
    result = decide(facts, _candidates(facts, TRACK, method="isrc"))
    assert (result.status, result.method) == ("matched", "isrc")
    assert result.confidence >= Thresholds().identifier_confidence


def test_an_isrc_tells_apart_recordings_the_tags_cannot() -> None:
    """An album's two tracks of one title and artist (two "Intro"s): the tags fit both,
    the ISRC names one, and the file is matched to it without a review; the margin an
    identifier needs is a threshold too."""
    twin = replace(TRACK, rowid=91, id="track0000000000000000y", isrc="QZAAA1100098")
    facts = replace(CLEAN, isrc=TRACK.isrc)
    candidates = [*_candidates(facts, twin), *_candidates(facts, TRACK, method="isrc")]
    assert candidates[0].score.total == candidates[1].score.total  # a tie: the ISRC leads
    result = decide(facts, candidates)
    assert (result.status, result.method, result.track_id) == ("matched", "isrc", TRACK.id)
    assert "identifies" in result.reason and result.runner_up is not None
    cautious = Thresholds(identifier_margin=Thresholds().matched_margin)
    assert decide(facts, candidates, thresholds=cautious).status == "review"
    # the tags fitting the other recording better: the ISRC does not lead, nor decide
    number = TRACK.track_number + 1
    worse = replace(facts, track_number=number)
    closer = replace(twin, track_number=number)
    candidates = [*_candidates(worse, closer), *_candidates(worse, TRACK, method="isrc")]
    result = decide(worse, candidates)
    assert (result.status, result.track_id) == ("review", closer.id)


def test_isrc_with_a_wrong_title_is_not_trusted() -> None:
    facts = replace(CLEAN, isrc=TRACK.isrc, title="Completely Different Song")
    result = decide(facts, _candidates(facts, TRACK, method="isrc"))
    assert result.status != "matched"


def test_thresholds_are_configurable() -> None:
    strict = Thresholds(matched_confidence=0.999)
    facts = replace(CLEAN, title="Crème Brulé")
    assert decide(facts, _candidates(facts, TRACK, OTHER)).status == "matched"
    assert decide(facts, _candidates(facts, TRACK, OTHER), thresholds=strict).status == "review"


def test_an_id_tag_names_the_release_among_the_recordings_editions() -> None:
    """The file's tags fit the original album better, but its Spotify id tag (as `tag
    write` leaves it) names the compilation copy: that release is the link."""
    candidates = [
        Candidate(TRACK, score_track(CLEAN, TRACK), "isrc"),
        Candidate(ON_COMPILATION, score_track(CLEAN, ON_COMPILATION), "id-tag"),
    ]
    assert candidates[0].score.total > candidates[1].score.total
    result = decide(CLEAN, candidates)
    assert (result.status, result.method, result.track_id) == (
        "matched", "id-tag", ON_COMPILATION.id,
    )  # fmt: skip
