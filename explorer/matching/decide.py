"""From scored candidates to a decision: matched, review or unmatched, with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from explorer.catalog.records import TrackRow
from explorer.matching.facts import FileFacts
from explorer.matching.score import Score
from explorer.matching.titles import parse_title
from explorer.text import normalize as norm

Status = Literal["matched", "review", "unmatched"]
Method = Literal["isrc", "id-tag", "text", "album", "manual"]
IDENTIFIERS = ("isrc", "id-tag")  # methods that name the recording itself

# Candidates of one recording whose scores lie within this of the best one are "the same
# fit": the edition preference picks among them (raising it lets preference override
# more of the evidence, such as the album tag).
EDITION_TIE = 0.03
# How many alternatives a result keeps for the review (other releases first).
KEEP_ALTERNATIVES = 8
ALBUM_TYPE_RANK = {"album": 0, "single": 1, "compilation": 2}


@dataclass(frozen=True)
class Thresholds:
    """Where the decisions fall; one place, configurable (`explorer match --matched 0.9`)."""

    matched_confidence: float = 0.86  # at least this confident to apply without asking
    matched_margin: float = 0.08  # ... and this far ahead of another recording
    review_confidence: float = 0.55  # below this, the best candidate is too far: unmatched
    identifier_confidence: float = 0.97  # an ISRC or id tag whose title agrees
    identifier_title_min: float = 0.6  # title similarity an identifier needs to be trusted
    # how far ahead of another recording a trusted identifier must be: none, as it tells
    # apart the recordings the tags cannot (an album's two "Intro"s, a remaster and its
    # original); a wrong one never leads, as the tags then fit another recording better
    identifier_margin: float = 0.0


@dataclass(frozen=True)
class Candidate:
    """One catalog track considered for a file, with how it was found and how it scored."""

    track: TrackRow
    score: Score
    method: Method


@dataclass(frozen=True)
class MatchResult:
    """The matcher's verdict on one file."""

    status: Status
    confidence: float
    margin: float
    reason: str
    method: Method | None = None
    best: Candidate | None = None
    runner_up: Candidate | None = None  # the best candidate of another recording
    alternatives: tuple[Candidate, ...] = field(default=())

    @property
    def track_id(self) -> str | None:
        return self.best.track.id if self.best else None

    @property
    def album_id(self) -> str | None:
        return self.best.track.album.id if self.best and self.best.track.album else None


def recording_key(track: TrackRow) -> str:
    """Releases of one recording share it: the ISRC, else the title and first artist."""
    if track.isrc:
        return f"isrc:{track.isrc}"
    return _text_key(track.name, track.artists[0].name if track.artists else "")


@lru_cache(maxsize=65_536)  # a decision asks again for the keys its album fit asked for
def _text_key(name: str, artist: str) -> str:
    return f"text:{norm(parse_title(name).base)}|{norm(artist)}"


def edition_rank(track: TrackRow, facts: FileFacts) -> tuple[int, int, int]:
    """Lower is preferred: the original album, no unasked live/remaster, then popularity."""
    album_type = track.album.album_type if track.album else "album"
    wanted = parse_title(facts.title or "").versions
    unasked = parse_title(track.name).versions - wanted
    return (len(unasked), ALBUM_TYPE_RANK.get(album_type, 3), -track.popularity)


def _pick_edition(group: list[Candidate], facts: FileFacts) -> Candidate:
    if len(group) == 1:  # most groups: a runner-up's recording on one release
        return group[0]
    named = [c for c in group if c.method == "id-tag"]
    if named:  # the file's id tag names this very release of the recording
        return named[0]
    top = max(candidate.score.total for candidate in group)
    close = [c for c in group if c.score.total >= top - EDITION_TIE]
    return min(close, key=lambda c: (edition_rank(c.track, facts), -c.score.total))


def decide(
    facts: FileFacts,
    candidates: Sequence[Candidate],
    *,
    thresholds: Thresholds | None = None,
) -> MatchResult:
    """Choose among scored candidates; the margin is measured to another recording."""
    limits = thresholds or Thresholds()
    if not candidates:
        return MatchResult("unmatched", 0.0, 0.0, "no candidate in the catalog")
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(recording_key(candidate.track), []).append(candidate)
    picks = sorted(
        (_pick_edition(group, facts) for group in groups.values()),
        # at a tie, the recording an identifier names first
        key=lambda c: (c.score.total, c.method in IDENTIFIERS),
        reverse=True,
    )
    best = picks[0]
    runner = picks[1] if len(picks) > 1 else None
    best_group = groups[recording_key(best.track)]
    others = [c for c in best_group if c is not best]
    others.sort(key=lambda c: c.score.total, reverse=True)
    alternatives = tuple((others + picks[1:])[:KEEP_ALTERNATIVES])
    confidence = best.score.total
    title = best.score.field("title")
    identified = best.method in IDENTIFIERS and (
        title is None or title.similarity >= limits.identifier_title_min
    )
    if identified:
        confidence = max(confidence, limits.identifier_confidence)
    margin = confidence - runner.score.total if runner else confidence
    margin = max(0.0, margin)

    def result(status: Status, reason: str) -> MatchResult:
        return MatchResult(
            status,
            confidence=round(confidence, 4),
            margin=round(margin, 4),
            reason=reason,
            method=best.method,
            best=best,
            runner_up=runner,
            alternatives=alternatives,
        )

    if identified and margin >= limits.identifier_margin:
        return result("matched", f"{best.method} identifies the recording")
    if confidence >= limits.matched_confidence and margin >= limits.matched_margin:
        return result("matched", "confident and clearly ahead")
    if confidence >= limits.review_confidence:
        if confidence >= limits.matched_confidence:
            return result("review", f"two recordings too close to call (margin {margin:.2f})")
        return result("review", f"plausible but not certain (confidence {confidence:.2f})")
    return result("unmatched", _far_reason(best))


def _far_reason(best: Candidate) -> str:
    duration = best.score.field("duration")
    if duration is not None and duration.similarity == 0.0:
        return f"the nearest candidate's duration is off ({duration.file_value} vs {duration.catalog_value})"
    title = best.score.field("title")
    if title is not None and title.similarity < 0.5:
        return "no candidate has a similar title"
    artists = best.score.field("artists")
    if artists is not None and artists.similarity < 0.5:
        return "no candidate by a similar artist"
    return f"all candidates too far (best {best.score.total:.2f})"
