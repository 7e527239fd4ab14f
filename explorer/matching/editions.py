"""Which edition of a song a file is: its evidence weighed per edition, then preference (pure).

The matcher first asks which *song* a file is (title, artists, duration); the candidates
of that song are its editions: the original album, its remaster, a deluxe edition, a
re-release, a live version, a single, compilations. This module answers the second
question. Each edition gets points for the file's evidence that fits it (the ISRC tag,
version marks of the title, the album tag's name and edition marks, the year, the track
number, the length, the release the folder's other files are on); the edition with the
most points wins. When no evidence tells the best editions apart, the preference decides
(the original album, unmarked, earliest, most popular): that is a choice, not a doubt.
Only evidence that points at two recordings equally is a doubt ("edition unclear").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from explorer.catalog.records import TrackRow, release_year
from explorer.matching.facts import FileFacts
from explorer.matching.score import album_base, text_similarity, versions_said
from explorer.matching.titles import parse_title

if TYPE_CHECKING:
    from explorer.matching.decide import Candidate

# -- evidence weights: points an edition gets for each piece of the file's evidence ------
IDENTIFIER_POINTS = 6.0  # the file's ISRC or Spotify id tag names this recording
FOLDER_POINTS = 4.0  # the folder's other files fit this release (see album.py)
MARKED_VERSION_POINTS = 3.0  # the title's version marks ("- 2011 Remaster", "- Live") agree
# an unmarked title fits an unmarked recording: little, as rips of a remaster lose the
# marks (at 0.5, with the album tag's, it outweighed a folder's lengths fitting the remaster)
UNMARKED_VERSION_POINTS = 0.25
MARKED_ALBUM_POINTS = 2.0  # the album tag's edition marks ("(Deluxe Edition)") agree
UNMARKED_ALBUM_POINTS = 0.25  # an album tag without marks fits a release without them
ALBUM_NAME_POINTS = 2.0  # the album tag names this release (times the names' similarity)
YEAR_POINTS = 1.5  # the year tag is this release's year (half a year off by one)
NUMBER_POINTS = 0.5  # the track number is this track's
DURATION_POINTS = 1.0  # the length: full when equal, nothing from DURATION_SPREAD_MS off
DURATION_SPREAD_MS = 3_000
# A folder's lengths count this much more, over a narrower spread: every file of a folder
# within a few hundredths of a second of one edition and half a second off another is
# strong evidence, where one file's length is not (a rip's length varies by a second).
# Over 1.5 s, a remaster's folder whose every length fits it and is 0.5 s off the original
# went to the original; a length a second off tells nothing (a damaged rip's noise).
FOLDER_DURATION_FACTOR = 2.0
FOLDER_DURATION_SPREAD_MS = 1_000
# Editions whose points lie within this of the best are tied: the preference picks among
# them, unless they are different recordings each with strong evidence of its own (then
# the edition is unclear and the file goes to review).
EVIDENCE_TIE = 0.3
# Evidence items this heavy are strong: an edition that wins one of them by at least
# half its weight has evidence of its own.
STRONG_POINTS = 1.5
# Words of an album name that mark an edition of it, and what they mean.
ALBUM_MARKS = {
    "remaster": "remaster",
    "remastered": "remaster",
    "deluxe": "deluxe",
    "expanded": "deluxe",
    "anniversary": "deluxe",
    "bonus": "deluxe",
    "live": "live",
    "mono": "mono",
}
ALBUM_TYPE_RANK = {"album": 0, "single": 1, "compilation": 2}
_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=65_536)
def album_marks(name: str) -> frozenset[str]:
    """The edition marks of an album name: `X (2011 Remaster)` -> {"remaster"}."""
    return frozenset(ALBUM_MARKS[w] for w in _WORDS.findall(name.lower()) if w in ALBUM_MARKS)


def edition_rank(track: TrackRow, facts: FileFacts) -> tuple[int, int, int, int, int]:
    """Lower is preferred: no version the file did not ask for, the album before singles
    and compilations, no edition marks in the album name, the earliest, the most popular."""
    album = track.album
    album_type = album.album_type if album else "album"
    wanted = parse_title(facts.title or "").versions
    unasked = parse_title(track.name).versions - wanted
    marks = len(album_marks(album.name)) if album else 0
    year = (release_year(album.release_date) if album else None) or 9999
    return (len(unasked), ALBUM_TYPE_RANK.get(album_type, 3), marks, year, -track.popularity)


@dataclass(frozen=True)
class Evidence:
    """The points one edition gets, item by item (item -> (points, words for a reason))."""

    items: dict[str, tuple[float, str]]

    @property
    def points(self) -> float:
        return sum(points for points, _ in self.items.values())


def evidence(
    facts: FileFacts, track: TrackRow, *, identified: bool = False, folder_release: bool = False
) -> Evidence:
    """What of the file's evidence fits this edition, with the words that say so."""
    items: dict[str, tuple[float, str]] = {}
    if identified:
        items["identifier"] = (IDENTIFIER_POINTS, "the ISRC or id tag names it")
    if folder_release:
        items["folder"] = (FOLDER_POINTS, "the folder's other files are on it")
    album = track.album
    if facts.title:
        ours = parse_title(facts.title, strip_number=True)
        theirs = parse_title(track.name)
        said = versions_said(facts.title, ours, theirs)
        if said:
            fits = said == theirs.versions
            items["version"] = (
                MARKED_VERSION_POINTS if fits else 0.0,
                f"the title says {ours.version_text or theirs.version_text}",
            )
        else:
            items["version"] = (
                UNMARKED_VERSION_POINTS if not theirs.versions else 0.0,
                "the title has no version mark",
            )
    if facts.album and album is not None:
        ours_marks = album_marks(facts.album)
        theirs_marks = album_marks(album.name)
        if ours_marks:
            items["album marks"] = (
                MARKED_ALBUM_POINTS if ours_marks == theirs_marks else 0.0,
                f"your album tag says {', '.join(sorted(ours_marks))}",
            )
        else:
            items["album marks"] = (
                UNMARKED_ALBUM_POINTS if not theirs_marks else 0.0,
                "your album tag has no edition mark",
            )
        similarity = text_similarity(album_base(facts.album), album_base(album.name))
        items["album"] = (ALBUM_NAME_POINTS * similarity, f"your album tag is {facts.album!r}")
    year = release_year(album.release_date) if album is not None else None
    if facts.year and year:
        off = abs(facts.year - year)
        items["year"] = (
            YEAR_POINTS if off == 0 else YEAR_POINTS / 2 if off == 1 else 0.0,
            f"the year is {facts.year}",
        )
    number = facts.track_number
    if number:
        items["track number"] = (
            NUMBER_POINTS if number == track.track_number else 0.0,
            f"the track number is {number}",
        )
    if facts.duration_ms:
        off_ms = abs(facts.duration_ms - track.duration_ms)
        items["duration"] = (
            DURATION_POINTS * max(0.0, 1.0 - off_ms / DURATION_SPREAD_MS),
            f"the length is {facts.duration_ms / 1000:.1f} s",
        )
    return Evidence(items)


@dataclass(frozen=True)
class EditionChoice:
    """The edition chosen for a file among its song's candidates, and why."""

    chosen: Candidate
    unclear: Candidate | None  # another recording the evidence fits as well (-> review)
    reason: str  # "" when the song has one edition among the candidates
    others: tuple[Candidate, ...]  # the other editions, best evidence first


# Words for a folder's evidence item (each file's own words name one file's value).
FOLDER_WORDS = {
    "duration": "the files' lengths",
    "track number": "the track numbers",
    "version": "the titles' version marks",
}


def folder_evidence(pairs: Sequence[tuple[FileFacts, TrackRow]], files: int) -> Evidence:
    """A folder's evidence for one release: each item's points averaged over the folder's
    `files` (a file not on the release adds nothing)."""
    sums: dict[str, float] = {}
    words: dict[str, str] = {}
    for facts, track in pairs:
        for item, (points, said) in evidence(facts, track).items.items():
            if item == "duration" and facts.duration_ms:
                off_ms = abs(facts.duration_ms - track.duration_ms)
                points = FOLDER_DURATION_FACTOR * max(0.0, 1.0 - off_ms / FOLDER_DURATION_SPREAD_MS)
            sums[item] = sums.get(item, 0.0) + points
            words.setdefault(item, FOLDER_WORDS.get(item, said))
    return Evidence({item: (sums[item] / max(1, files), words[item]) for item in sums})


def folder_reason(
    chosen: TrackRow, chosen_evidence: Evidence, runner: TrackRow, runner_evidence: Evidence
) -> str:
    """Why the folder takes this release and not the runner-up edition."""
    if abs(chosen_evidence.points - runner_evidence.points) < EVIDENCE_TIE:
        return (
            f"the folder fits {_kind(chosen)} {describe(chosen)} as well as "
            f"{describe(runner)}; the first is preferred"
        )
    wins = _wins(chosen_evidence, runner_evidence)[:2]
    because = f": {' and '.join(wins)}" if wins else ""
    return f"the folder is {_kind(chosen)} {describe(chosen)}, not {describe(runner)}{because}"


def describe(track: TrackRow) -> str:
    """An edition in words: `"Album (2011 Remaster)" (2011)`, `the single (1991)`."""
    album = track.album
    if album is None:
        return repr(track.name)
    year = release_year(album.release_date)
    when = f" ({year})" if year else ""
    if album.album_type == "single":
        return f"the single{when}"
    return f"{album.name!r}{when}"


def _kind(track: TrackRow) -> str:
    album = track.album
    versions = parse_title(track.name).versions
    if "live" in versions:
        return "the live recording"
    if "remaster" in versions or (album and "remaster" in album_marks(album.name)):
        return "the remaster"
    if album is None:
        return "this release"
    if album.album_type == "compilation":
        return "the compilation"
    if album.album_type == "single":
        return "the single"
    if album_marks(album.name):
        return "this edition"
    return "the original album"


def _strong_wins(ours: Evidence, theirs: Evidence) -> list[str]:
    """The words of the strong items on which `ours` beats `theirs` clearly."""
    found = []
    for item, (points, words) in ours.items.items():
        other = theirs.items.get(item, (0.0, ""))[0]
        heavy = max(points, other)
        if heavy >= STRONG_POINTS and points - other >= heavy / 2:
            found.append(words)
    return found


def _wins(ours: Evidence, theirs: Evidence) -> list[str]:
    """The words of every item on which `ours` has more points, the largest first."""
    gains = []
    for item, (points, words) in ours.items.items():
        other = theirs.items.get(item, (0.0, ""))[0]
        if points - other > 0.05:
            gains.append((points - other, words))
    gains.sort(key=lambda pair: -pair[0])
    return [words for _, words in gains]


def choose_edition(
    facts: FileFacts,
    song: Sequence[Candidate],
    *,
    identified: frozenset[str] = frozenset(),
    folder_release: int | None = None,
) -> EditionChoice:
    """The edition of the song the file's evidence points at, else the preferred one.

    `identified`: ids of the tracks a trusted ISRC or id tag names; `folder_release`: the
    album rowid the folder's files were fitted to, if any.
    """
    if len(song) == 1:
        return EditionChoice(song[0], None, "", ())
    weighed = [
        (
            candidate,
            evidence(
                facts,
                candidate.track,
                identified=candidate.track.id in identified,
                folder_release=candidate.track.album_rowid == folder_release,
            ),
        )
        for candidate in song
    ]
    top = max(item.points for _, item in weighed)
    tied = [pair for pair in weighed if pair[1].points >= top - EVIDENCE_TIE]
    ranked = sorted(
        tied, key=lambda pair: (edition_rank(pair[0].track, facts), -pair[0].score.total)
    )
    chosen, chosen_evidence = ranked[0]
    others = tuple(
        c for c, _ in sorted(weighed, key=lambda pair: -pair[1].points) if c is not chosen
    )
    # a doubt: another recording among the tied with strong evidence of its own
    for candidate, item in ranked[1:]:
        if candidate.track.isrc and candidate.track.isrc == chosen.track.isrc:
            continue  # the same recording on another release: nothing to doubt
        theirs = _strong_wins(item, chosen_evidence)
        if theirs and _strong_wins(chosen_evidence, item):
            ours = _strong_wins(chosen_evidence, item)
            reason = (
                f"edition unclear: the tags fit {describe(chosen.track)} and "
                f"{describe(candidate.track)} equally ({'; '.join(ours)}, but "
                f"{'; '.join(theirs)})"
            )
            return EditionChoice(chosen, candidate, reason, others)
    return EditionChoice(chosen, None, _reason(chosen, chosen_evidence, weighed, len(tied)), others)


def _reason(
    chosen: Candidate,
    chosen_evidence: Evidence,
    weighed: list[tuple[Candidate, Evidence]],
    tied: int,
) -> str:
    """Why this edition: the evidence that beat the runner-up edition, or the preference;
    then the other releases of the song ("also on: ...")."""
    rest = [(c, e) for c, e in weighed if c is not chosen]
    rest.sort(key=lambda pair: -pair[1].points)
    also = []
    for candidate, _ in rest:
        words = describe(candidate.track)
        if words not in also and words != describe(chosen.track):
            also.append(words)
    also_text = f"; also on: {', '.join(also[:3])}" if also else ""
    runner, runner_evidence = rest[0]
    if tied > 1:
        return (
            f"{_kind(chosen.track)} {describe(chosen.track)} is preferred: nothing in the "
            f"tags tells it from {describe(runner.track)}{also_text}"
        )
    wins = _wins(chosen_evidence, runner_evidence)[:2]
    because = f": {' and '.join(wins)}" if wins else ""
    return (
        f"{_kind(chosen.track)} {describe(chosen.track)}, not {describe(runner.track)}"
        f"{because}{also_text}"
    )
