"""From scored candidates to a decision: matched, review or unmatched, with its reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from explorer.catalog.records import TrackRow
from explorer.matching.editions import choose_edition
from explorer.matching.facts import FileFacts
from explorer.matching.score import Score
from explorer.matching.titles import parse_title
from explorer.text import normalize as norm

Status = Literal["matched", "review", "unmatched"]
Method = Literal["isrc", "id-tag", "text", "album", "manual"]
IDENTIFIERS = ("isrc", "id-tag")  # methods that name the recording itself

# How many alternatives a result keeps for the review (other editions first).
KEEP_ALTERNATIVES = 8
# Recordings of one title and artist are editions of one song (a remaster, a re-release,
# a live take) when their lengths lie within this of each other, or either has version
# marks; two of one name further apart are two songs (raising it merges more of them).
EDITION_LENGTH_MS = 5_000


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


def song_key(track: TrackRow) -> str:
    """Editions of one song share it: the title without version marks and the first artist."""
    return _text_key(track.name, track.artists[0].name if track.artists else "")


def _same_song(best: list[Candidate], group: list[Candidate]) -> bool:
    """Whether `group` (one recording) is another edition of the song of `best`: the same
    title and artist, on other releases (an album's two "Intro"s are two songs), and of a
    like length unless a version mark says why not."""
    lead, other = best[0].track, group[0].track
    if song_key(lead) != song_key(other):
        return False
    if {c.track.album_rowid for c in best} & {c.track.album_rowid for c in group}:
        return False
    if abs(lead.duration_ms - other.duration_ms) <= EDITION_LENGTH_MS:
        return True
    return bool(parse_title(lead.name).versions or parse_title(other.name).versions)


def decide(
    facts: FileFacts,
    candidates: Sequence[Candidate],
    *,
    thresholds: Thresholds | None = None,
    folder_release: int | None = None,
) -> MatchResult:
    """Choose among scored candidates in two steps: which song (the margin is measured to
    another song), then which edition of it (see `editions.choose_edition`).

    `folder_release`: the album rowid the folder's files were fitted to, if any (evidence
    for that edition)."""
    limits = thresholds or Thresholds()
    if not candidates:
        return MatchResult("unmatched", 0.0, 0.0, "no candidate in the catalog")
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(recording_key(candidate.track), []).append(candidate)
    # each recording by its best candidate; at a tie, the recording an identifier names first
    leads = sorted(
        (
            max(group, key=lambda c: (c.score.total, c.method in IDENTIFIERS))
            for group in groups.values()
        ),
        key=lambda c: (c.score.total, c.method in IDENTIFIERS),
        reverse=True,
    )
    first = groups[recording_key(leads[0].track)]
    song = list(first)
    other_songs = []
    for lead in leads[1:]:
        group = groups[recording_key(lead.track)]
        if _same_song(first, group):
            song.extend(group)
        else:
            other_songs.append(lead)
    # an id tag names one release of the recording (an ISRC names all of them)
    trusted = frozenset(
        c.track.id for c in song if c.method == "id-tag" and _title_agrees(c, limits)
    ) or frozenset(c.track.id for c in song if c.method in IDENTIFIERS and _title_agrees(c, limits))
    choice = choose_edition(
        facts,
        song,
        identified=trusted,
        folder_release=folder_release,
    )
    best = choice.chosen
    runner = other_songs[0] if other_songs else None
    alternatives = tuple([*choice.others, *other_songs][:KEEP_ALTERNATIVES])
    confidence = max(c.score.total for c in song)
    identified = best.track.id in trusted
    if identified:
        confidence = max(confidence, limits.identifier_confidence)
    margin = confidence - runner.score.total if runner else confidence
    margin = max(0.0, margin)

    def result(status: Status, reason: str) -> MatchResult:
        return MatchResult(
            status,
            confidence=round(confidence, 4),
            margin=round(margin, 4),
            reason=f"{reason}; {choice.reason}"
            if choice.reason and status != "unmatched"
            else reason,
            method=best.method,
            best=best,
            runner_up=runner,
            alternatives=alternatives,
        )

    if identified and margin >= limits.identifier_margin:
        return result("matched", f"{best.method} identifies the recording")
    if choice.unclear is not None and confidence >= limits.review_confidence:
        return MatchResult(
            "review",
            confidence=round(confidence, 4),
            margin=round(margin, 4),
            reason=choice.reason,
            method=best.method,
            best=best,
            runner_up=runner,
            alternatives=alternatives,
        )
    if confidence >= limits.matched_confidence and margin >= limits.matched_margin:
        return result("matched", "confident and clearly ahead")
    if confidence >= limits.review_confidence:
        if confidence >= limits.matched_confidence:
            return result("review", f"two songs too close to call (margin {margin:.2f})")
        return result("review", f"plausible but not certain (confidence {confidence:.2f})")
    return result("unmatched", _far_reason(best))


def _title_agrees(candidate: Candidate, limits: Thresholds) -> bool:
    title = candidate.score.field("title")
    return title is None or title.similarity >= limits.identifier_title_min


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
