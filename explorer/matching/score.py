"""How alike a file and a catalog track are: weighted per-field similarities (pure).

Every field's similarity is in [0, 1]; the total is the weighted mean over the fields the
file has, so a file without an album tag is not punished for it. The result keeps each
field's contribution so the GUI and `--json` can explain the match.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from explorer.catalog.records import TrackRow, release_year
from explorer.matching.facts import FileFacts
from explorer.matching.titles import parse_title, split_artists
from explorer.text import normalize as norm

# -- weights: how much each field counts in the total (relative to each other) ----------
TITLE_WEIGHT = 3.0  # the song's name without version marks; the strongest evidence
ARTIST_WEIGHT = 2.5  # the credited artists as a set; raising it punishes cover versions more
DURATION_WEIGHT = 1.5  # the stream length; tells edits, live takes and wrong songs apart
VERSION_WEIGHT = 1.0  # remaster / live / remix marks of the title agreeing
ALBUM_WEIGHT = 1.0  # the album name; picks the release among those of one recording
TRACK_NUMBER_WEIGHT = 0.4  # position on the album; helps within an album
DISC_WEIGHT = 0.1  # disc number; rarely decisive
YEAR_WEIGHT = 0.3  # release year; reissues make it weak evidence

# -- cut-offs ---------------------------------------------------------------------------
DURATION_FULL_S = 2.0  # within this many seconds the duration scores fully
DURATION_ZERO_S = 30.0  # from this many seconds off it scores nothing (linear between)
# Below these similarities the title or the artists say "another recording", whatever the
# other fields say: the total is scaled down by similarity / gate (lowering a gate lets
# more of the album, duration and number evidence carry a poor title or artist).
TITLE_GATE = 0.7
ARTIST_GATE = 0.6
PRIMARY_ARTIST_MIN = 0.8  # the catalog's first artist must be this similar to some file artist
PRIMARY_ARTIST_MISS_FACTOR = 0.6  # ... or the artist similarity is multiplied by this
# similarity of version marks that differ: (file says, catalog says) -> score
VERSION_MISMATCH = {
    "remaster": 0.6,  # a remaster is the same performance, lightly changed
    "mono": 0.6,
    "extended": 0.3,
    "edit": 0.4,
    "live": 0.0,  # a live take is another performance
    "remix": 0.1,
    "acoustic": 0.1,
    "instrumental": 0.1,
    "demo": 0.1,
    "rerecorded": 0.2,
    "version": 0.5,
}
ALBUM_EDITION_WORDS = (
    "deluxe",
    "edition",
    "expanded",
    "anniversary",
    "bonus",
    "special",
    "remastered",
    "remaster",
)


@dataclass(frozen=True)
class FieldScore:
    """One field's part of a score: both values, their similarity and its contribution."""

    field: str
    file_value: str
    catalog_value: str
    similarity: float  # 0..1
    weight: float
    contribution: float  # similarity * weight / total weight: the parts add up to the score


@dataclass(frozen=True)
class Score:
    """The total similarity of one file to one catalog track, with its parts."""

    total: float  # 0..1
    fields: tuple[FieldScore, ...]

    def field(self, name: str) -> FieldScore | None:
        for item in self.fields:
            if item.field == name:
                return item
        return None


@lru_cache(maxsize=262_144)
def text_similarity(left: str, right: str) -> float:
    """Normalised edit similarity, tolerant of word order ("Love Song" vs "Song Love")."""
    a, b = norm(left), norm(right)
    if not a or not b:
        return 1.0 if a == b else 0.0
    if a == b:
        return 1.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b) * 0.95) / 100.0


@lru_cache(maxsize=65_536)  # a folder's files meet the same credits track after track
def artist_similarity(file_artists: tuple[str, ...], catalog_artists: tuple[str, ...]) -> float:
    """Artists as sets: each file artist's best match, the catalog's first artist required."""
    ours = [name for credit in file_artists for name in split_artists(credit)]
    theirs = [name for credit in catalog_artists for name in split_artists(credit)]
    if not ours or not theirs:
        return 0.0
    best = [max(text_similarity(a, b) for b in theirs) for a in ours]
    score = sum(best) / len(best)
    primary = max(text_similarity(theirs[0], a) for a in ours)
    if primary < PRIMARY_ARTIST_MIN:
        score *= PRIMARY_ARTIST_MISS_FACTOR
    return score


def version_similarity(ours: frozenset[str], theirs: frozenset[str]) -> float:
    """1 when the version marks agree; otherwise the worst mismatch's score."""
    if ours == theirs:
        return 1.0
    differing = ours ^ theirs
    return min(VERSION_MISMATCH.get(mark, 0.3) for mark in differing)


def duration_similarity(ours_ms: int, theirs_ms: int) -> float:
    """Full within DURATION_FULL_S, nothing from DURATION_ZERO_S, linear between."""
    off = abs(ours_ms - theirs_ms) / 1000.0
    if off <= DURATION_FULL_S:
        return 1.0
    if off >= DURATION_ZERO_S:
        return 0.0
    return 1.0 - (off - DURATION_FULL_S) / (DURATION_ZERO_S - DURATION_FULL_S)


@lru_cache(maxsize=65_536)
def album_base(name: str) -> str:
    """An album name without edition marks: `X (Deluxe Edition)` -> `X`."""
    parts = parse_title(name)
    base = parts.base
    lowered = base.lower()
    for word in ALBUM_EDITION_WORDS:
        if f"({word}" in lowered or f"[{word}" in lowered:
            cut = max(lowered.find(f"({word}"), lowered.find(f"[{word}"))
            base = base[:cut]
            break
    return base.strip() or name


# (field, the file's value, the catalog's value, similarity, weight); the two values are
# empty when only the total is wanted (scoring a whole album does not format them).
_Part = tuple[str, str, str, float, float]


def _parts(facts: FileFacts, track: TrackRow, *, describe: bool) -> list[_Part]:
    """Each field both sides have, with its similarity and weight."""
    parts: list[_Part] = []
    file_title = parse_title(facts.title or "", strip_number=True)
    cat_title = parse_title(track.name)
    catalog_artists = tuple(artist.name for artist in track.artists)
    if facts.title:
        parts.append(
            (
                "title",
                facts.title,
                track.name,
                # the whole titles too: a misspelt version mark ("Remastersd") is no mark
                max(
                    text_similarity(file_title.base, cat_title.base),
                    text_similarity(facts.title, track.name),
                ),
                TITLE_WEIGHT,
            )
        )
        parts.append(
            (
                "version",
                file_title.version_text or "-",
                cat_title.version_text or "-",
                version_similarity(file_title.versions, cat_title.versions),
                VERSION_WEIGHT,
            )
        )
    file_artists = tuple(facts.artists) + file_title.featured
    if facts.artists:
        parts.append(
            (
                "artists",
                ", ".join(file_artists) if describe else "",
                ", ".join(catalog_artists) if describe else "",
                artist_similarity(file_artists, catalog_artists + cat_title.featured),
                ARTIST_WEIGHT,
            )
        )
    album = track.album
    if facts.album and album is not None:
        parts.append(
            (
                "album",
                facts.album,
                album.name,
                text_similarity(album_base(facts.album), album_base(album.name)),
                ALBUM_WEIGHT,
            )
        )
    if facts.duration_ms:
        parts.append(
            (
                "duration",
                f"{facts.duration_ms / 1000:.1f} s" if describe else "",
                f"{track.duration_ms / 1000:.1f} s" if describe else "",
                duration_similarity(facts.duration_ms, track.duration_ms),
                DURATION_WEIGHT,
            )
        )
    number = facts.track_number or file_title.number
    if number:
        parts.append(
            (
                "track_number",
                str(number) if describe else "",
                str(track.track_number) if describe else "",
                1.0 if number == track.track_number else 0.0,
                TRACK_NUMBER_WEIGHT,
            )
        )
    if facts.disc_number:
        parts.append(
            (
                "disc_number",
                str(facts.disc_number) if describe else "",
                str(track.disc_number) if describe else "",
                1.0 if facts.disc_number == track.disc_number else 0.0,
                DISC_WEIGHT,
            )
        )
    year = release_year(album.release_date) if album is not None else None
    if facts.year and year:
        off = abs(facts.year - year)
        parts.append(
            (
                "year",
                str(facts.year) if describe else "",
                str(year) if describe else "",
                1.0 if off == 0 else 0.5 if off == 1 else 0.0,
                YEAR_WEIGHT,
            )
        )
    return parts


def _gates(parts: list[_Part]) -> list[tuple[str, float]]:
    """(gated field, factor) for the title and artists when they fall below their gate."""
    found = []
    for gated, gate in (("title", TITLE_GATE), ("artists", ARTIST_GATE)):
        similarity = next((sim for name, _, _, sim, _ in parts if name == gated), 1.0)
        if similarity < gate:
            found.append((gated, similarity / gate))
    return found


def _factor(gates: list[tuple[str, float]]) -> float:
    factor = 1.0
    for _, ratio in gates:
        factor *= ratio
    return factor


def _total(parts: list[_Part], gates: list[tuple[str, float]]) -> float:
    total_weight = sum(weight for *_, weight in parts)
    if not total_weight:
        return 0.0
    return round(
        sum(sim * weight for _, _, _, sim, weight in parts) / total_weight * _factor(gates), 4
    )


def score_total(facts: FileFacts, track: TrackRow) -> float:
    """`score_track(facts, track).total` without the per-field breakdown (for whole albums)."""
    parts = _parts(facts, track, describe=False)
    return _total(parts, _gates(parts))


def score_track(facts: FileFacts, track: TrackRow) -> Score:
    """How alike `facts` and `track` are, field by field."""
    parts = _parts(facts, track, describe=True)
    total_weight = sum(weight for *_, weight in parts)
    if not total_weight:
        return Score(0.0, ())
    gates = _gates(parts)
    factor = _factor(gates)
    fields = tuple(
        FieldScore(
            name,
            ours,
            theirs,
            round(sim, 4),
            weight,
            round(sim * weight / total_weight * factor, 4),
        )
        for name, ours, theirs, sim, weight in parts
    ) + tuple(
        FieldScore(f"{gated} gate", "", "", round(ratio, 4), 0.0, 0.0) for gated, ratio in gates
    )
    return Score(_total(parts, gates), fields)
