"""How alike a file and a catalog track are: weighted per-field similarities (pure).

Every field's similarity is in [0, 1]; the total is the weighted mean over the fields the
file has, so a file without an album tag is not punished for it. The result keeps each
field's contribution so the GUI and `--json` can explain the match.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from explorer.catalog.records import TrackRow, release_year
from explorer.matching.facts import FileFacts
from explorer.matching.titles import TitleParts, parse_title, split_artists
from explorer.text import normalize as norm

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

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
# A title's last words this similar to a catalog title's version words say that version
# (a typo such as "Remasterd" or "Lve", which the title parser does not recognise).
VERSION_WORDS_MIN = 0.75
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


class DeferredScore(Score):
    """A score whose total is known already (a folder's score matrix, equal to
    `score_track`'s number for number), its parts computed by `score_track` the first
    time they are asked for: a matching run asks for them only to decide a few files (an
    identifier's title, a title's version marks), and the review computes the linked
    track's breakdown when it shows it."""

    def __init__(self, total: float, facts: FileFacts, track: TrackRow) -> None:
        object.__setattr__(self, "total", total)
        object.__setattr__(self, "_source", (facts, track))

    def __getattr__(self, name: str) -> tuple[FieldScore, ...]:
        # reached only while `fields` was never set: computed once, then kept
        if name != "fields":
            raise AttributeError(name)
        facts, track = self.__dict__["_source"]
        fields = score_track(facts, track).fields
        object.__setattr__(self, "fields", fields)
        return fields


@lru_cache(maxsize=262_144)
def text_similarity(left: str, right: str) -> float:
    """Normalised edit similarity, tolerant of word order ("Love Song" vs "Song Love").

    When either side is not plain ASCII (its Latin form is a transliteration) the forms
    are also compared without spaces: tags write "WangDeWoHongGuang" for 忘的我红光, whose
    Latin form is "wang de wo hong guang".
    """
    a, b = norm(left), norm(right)
    if not a or not b:
        return 1.0 if a == b else 0.0
    if a == b:
        return 1.0
    score = max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b) * 0.95) / 100.0
    if not (left.isascii() and right.isascii()):
        score = max(score, fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")) / 100.0)
    return score


@lru_cache(maxsize=65_536)  # a folder's files meet the same credits track after track
def artist_similarity(file_artists: tuple[str, ...], catalog_artists: tuple[str, ...]) -> float:
    """Artists as sets: each file artist's best match, the catalog's first artist required."""
    ours = [name for credit in file_artists for name in split_artists(credit)]
    theirs = [name for credit in catalog_artists for name in split_artists(credit)]
    if not ours or not theirs:
        return 0.0
    best = [max(text_similarity(a, b) for b in theirs) for a in ours]
    score = sum(best) / len(best)
    primary = max(text_similarity(a, theirs[0]) for a in ours)  # the order of `best`: cached
    if primary < PRIMARY_ARTIST_MIN:
        score *= PRIMARY_ARTIST_MISS_FACTOR
    # the whole credit as one string: "Feaklim  Stelol" (its "&" lost) is "Feaklim & Stelol"
    return max(score, text_similarity(" ".join(ours), " ".join(theirs)))


def versions_said(title: str, ours: TitleParts, theirs: TitleParts) -> frozenset[str]:
    """The file's version marks against one catalog title. A title whose version words
    were not recognised still says the catalog's version when it ends with words like
    them: punctuation lost ("Song  Live", "SONG  REMASTERED 2004") or a typo ("Song -
    Remasterd 2004", "Song - Lve")."""
    if ours.versions or not theirs.versions:
        return ours.versions
    tail = norm(theirs.version_text).split()
    words = norm(title).split()
    if not tail or len(words) <= len(tail):
        return ours.versions
    end = " ".join(words[-len(tail) :])
    alike = fuzz.ratio(end, " ".join(tail)) / 100.0
    return theirs.versions if alike >= VERSION_WORDS_MIN else ours.versions


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


# (field, the file's value, the catalog's value, similarity, weight)
_Part = tuple[str, str, str, float, float]


def _parts(facts: FileFacts, track: TrackRow) -> list[_Part]:
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
                version_similarity(
                    versions_said(facts.title, file_title, cat_title), cat_title.versions
                ),
                VERSION_WEIGHT,
            )
        )
    file_artists = tuple(facts.artists) + file_title.featured
    if facts.artists:
        parts.append(
            (
                "artists",
                ", ".join(file_artists),
                ", ".join(catalog_artists),
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
                f"{facts.duration_ms / 1000:.1f} s",
                f"{track.duration_ms / 1000:.1f} s",
                duration_similarity(facts.duration_ms, track.duration_ms),
                DURATION_WEIGHT,
            )
        )
    number = facts.track_number or file_title.number
    if number:
        parts.append(
            (
                "track_number",
                str(number),
                str(track.track_number),
                1.0 if number == track.track_number else 0.0,
                TRACK_NUMBER_WEIGHT,
            )
        )
    if facts.disc_number:
        parts.append(
            (
                "disc_number",
                str(facts.disc_number),
                str(track.disc_number),
                1.0 if facts.disc_number == track.disc_number else 0.0,
                DISC_WEIGHT,
            )
        )
    year = release_year(album.release_date) if album is not None else None
    if facts.year and year:
        parts.append(
            (
                "year",
                str(facts.year),
                str(year),
                _year_similarity(facts.year, year),
                YEAR_WEIGHT,
            )
        )
    return parts


def _gates(parts: list[_Part]) -> list[tuple[str, float]]:
    """(gated field, factor) for the title and artists when they fall below their gate."""
    similarities = {name: sim for name, _, _, sim, _ in parts}
    found = []
    for gated, gate in (("title", TITLE_GATE), ("artists", ARTIST_GATE)):
        similarity = similarities.get(gated, 1.0)
        if similarity < gate:
            found.append((gated, similarity / gate))
    return found


def _factor(gates: list[tuple[str, float]]) -> float:
    factor = 1.0
    for _, ratio in gates:
        factor *= ratio
    return factor


def _total(parts: list[_Part], total_weight: float, factor: float) -> float:
    return _round4(sum([sim * weight for _, _, _, sim, weight in parts]) / total_weight * factor)


def _round4(value: float) -> float:
    """A total to 4 places, half up: the same arithmetic as `_rounded` (numpy's and
    Python's `round` differ in the last place now and then; these two never do)."""
    return math.floor(value * 10_000 + 0.5) / 10_000


def _rounded(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """`_round4` of every value, as one array operation (a round() per pair was a tenth
    of the matrix's time)."""
    import numpy as np

    return np.floor(values * 10_000 + 0.5) / 10_000


def score_track(facts: FileFacts, track: TrackRow) -> Score:
    """How alike `facts` and `track` are, field by field."""
    parts = _parts(facts, track)
    total_weight = sum([weight for *_, weight in parts])
    if not total_weight:
        return Score(0.0, ())
    gates = _gates(parts)
    factor = _factor(gates)
    fields = [
        FieldScore(
            name,
            ours,
            theirs,
            round(sim, 4),
            weight,
            round(sim * weight / total_weight * factor, 4),
        )
        for name, ours, theirs, sim, weight in parts
    ]
    fields += [
        FieldScore(f"{gated} gate", "", "", round(ratio, 4), 0.0, 0.0) for gated, ratio in gates
    ]
    return Score(_total(parts, total_weight, factor), tuple(fields))


def score_matrix(files: Sequence[FileFacts], tracks: Sequence[TrackRow]) -> list[list[float]]:
    """`score_track(...).total` of every file against every track, equal number for number.

    A folder against an album is a few hundred pairs: the title similarities are computed a
    matrix at a time (rapidfuzz's `cdist` runs the same code as `fuzz.ratio`), the other
    fields through the same cached functions `_parts` calls, once per file and distinct
    value of the tracks' side (`_by_distinct`), and the weighted mean with array
    operations in the order `_total` adds the parts (so the floats come out the same). It restates `_parts` field by field: a hypothesis test holds the two
    equal, so a change to one that the other lacks fails.
    """
    import numpy as np

    if not files or not tracks:
        return [[] for _ in files]
    shape = (len(files), len(tracks))
    file_titles = [parse_title(facts.title or "", strip_number=True) for facts in files]
    cat_titles = [parse_title(track.name) for track in tracks]
    sums = np.zeros(shape)
    weights = np.zeros(shape)

    def add(
        similarity: npt.NDArray[np.float64], present: npt.NDArray[np.bool_], weight: float
    ) -> None:
        # where present: + similarity * weight; elsewhere + 0.0 (a similarity is finite),
        # which leaves the sum as it is: the floats of `_total`'s sum over the parts
        nonlocal sums, weights
        weighted = present * weight
        sums += similarity * weighted
        weights += weighted

    def by_file(values: list[bool]) -> npt.NDArray[np.bool_]:
        return np.array(values, dtype=bool)[:, None]

    has_title = by_file([bool(facts.title) for facts in files])
    title = _similarities([t.base for t in file_titles], [t.base for t in cat_titles])
    whole_files = [facts.title or "" for facts in files]
    whole_tracks = [track.name for track in tracks]
    if whole_files != [t.base for t in file_titles] or whole_tracks != [t.base for t in cat_titles]:
        # the whole titles too, where some title has a version mark, number or spacing
        title = np.maximum(title, _similarities(whole_files, whole_tracks))
    add(title, has_title, TITLE_WEIGHT)
    rows = len(files)
    add(
        _by_distinct(
            [(parts.versions, parts.version_text) for parts in cat_titles],
            rows,
            lambda i, j: version_similarity(
                versions_said(files[i].title or "", file_titles[i], cat_titles[j]),
                cat_titles[j].versions,
            ),
        ),
        has_title,
        VERSION_WEIGHT,
    )
    has_artists = by_file([bool(facts.artists) for facts in files])
    file_artists = [
        tuple(facts.artists) + parts.featured
        for facts, parts in zip(files, file_titles, strict=True)
    ]
    credits = [
        tuple(artist.name for artist in track.artists) + parts.featured
        for track, parts in zip(tracks, cat_titles, strict=True)
    ]
    artists = _by_distinct(
        credits,
        rows,
        lambda i, j: artist_similarity(file_artists[i], credits[j]) if files[i].artists else 0.0,
    )
    add(artists, has_artists, ARTIST_WEIGHT)
    albums = [track.album for track in tracks]
    album_names = [album.name if album is not None else None for album in albums]

    def album_similarity(i: int, j: int) -> float:
        ours, theirs = files[i].album, album_names[j]
        if not ours or theirs is None:
            return 0.0
        return text_similarity(album_base(ours), album_base(theirs))

    add(
        _by_distinct(album_names, rows, album_similarity),
        by_file([bool(facts.album) for facts in files])
        & np.array([album is not None for album in albums], dtype=bool)[None, :],
        ALBUM_WEIGHT,
    )
    # clamped into int64 (a damaged file can claim any length; beyond 30 s off it scores 0)
    ours_ms = np.array([_clamp(facts.duration_ms or 0) for facts in files], dtype=np.int64)
    theirs_ms = np.array([_clamp(track.duration_ms) for track in tracks], dtype=np.int64)
    off = np.abs(ours_ms[:, None] - theirs_ms[None, :]) / 1000.0
    # duration_similarity's line, clipped: 1 within DURATION_FULL_S, 0 from DURATION_ZERO_S
    duration = np.clip(1.0 - (off - DURATION_FULL_S) / (DURATION_ZERO_S - DURATION_FULL_S), 0, 1)
    add(duration, by_file([bool(facts.duration_ms) for facts in files]), DURATION_WEIGHT)
    numbers = [
        facts.track_number or parts.number for facts, parts in zip(files, file_titles, strict=True)
    ]
    add(
        _equal(numbers, [track.track_number for track in tracks]),
        by_file([bool(n) for n in numbers]),
        TRACK_NUMBER_WEIGHT,
    )
    add(
        _equal([facts.disc_number for facts in files], [track.disc_number for track in tracks]),
        by_file([bool(facts.disc_number) for facts in files]),
        DISC_WEIGHT,
    )
    years = [release_year(album.release_date) if album is not None else None for album in albums]
    add(
        _by_distinct(years, rows, lambda i, j: _year_similarity(files[i].year, years[j])),
        by_file([bool(facts.year) for facts in files])
        & np.array([bool(year) for year in years], dtype=bool)[None, :],
        YEAR_WEIGHT,
    )
    factor = np.where(has_title & (title < TITLE_GATE), title / TITLE_GATE, 1.0)
    factor = factor * np.where(has_artists & (artists < ARTIST_GATE), artists / ARTIST_GATE, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        totals = np.where(weights > 0, sums / weights * factor, 0.0)
    rounded: list[list[float]] = _rounded(totals).tolist()
    return rounded


def _by_distinct(
    keys: Sequence[Hashable], rows: int, value: Callable[[int, int], float]
) -> npt.NDArray[np.float64]:
    """A rows x len(keys) matrix of `value(row, column)` (rows x 1 when the keys are all
    one), computed for the first column of each distinct key and copied to the others: an
    album's tracks share their album, its year, and mostly their credits and version
    marks, so a folder against an album costs a value per file and distinct key instead
    of one per pair."""
    import numpy as np

    slots: dict[Hashable, int] = {}
    firsts: list[int] = []  # the first column of each distinct key
    index = []
    for column, key in enumerate(keys):
        slot = slots.get(key)
        if slot is None:
            slot = slots[key] = len(firsts)
            firsts.append(column)
        index.append(slot)
    computed = np.array(
        [[value(row, column) for column in firsts] for row in range(rows)], dtype=np.float64
    ).reshape(rows, len(firsts))
    # one distinct key (an album's name and year, mostly its credits): a column that
    # numpy broadcasts over the tracks
    return computed if len(firsts) == 1 else computed[:, index]


def _equal(left: Sequence[int | None], right: Sequence[int]) -> npt.NDArray[np.float64]:
    """1.0 where left[row] == right[column], else 0.0 (Python's equality: a tag's number
    can be any size); each value coded once, then one comparison of the codes."""
    import numpy as np

    codes: dict[int, int] = {}
    theirs = np.array([codes.setdefault(number, len(codes)) for number in right])
    ours = np.array([-1 if value is None else codes.get(value, -1) for value in left])
    return (ours[:, None] == theirs[None, :]).astype(np.float64)


def _similarities(left: list[str], right: list[str]) -> npt.NDArray[np.float64]:
    """`text_similarity` of every left string against every right one."""
    import numpy as np
    from rapidfuzz import process

    a = [norm(text) for text in left]
    b = [norm(text) for text in right]
    plain = process.cdist(a, b, scorer=fuzz.ratio, dtype=np.float64)
    sorted_words = process.cdist(a, b, scorer=fuzz.token_sort_ratio, dtype=np.float64)
    # as text_similarity: equal (or both empty) -> 100 -> 1.0; one empty -> 0
    score = np.maximum(plain, sorted_words * 0.95) / 100.0
    ascii_left = np.array([text.isascii() for text in left], dtype=bool)
    ascii_right = np.array([text.isascii() for text in right], dtype=bool)
    transliterated = ~(ascii_left[:, None] & ascii_right[None, :])
    if transliterated.any():
        joined = process.cdist(
            [text.replace(" ", "") for text in a],
            [text.replace(" ", "") for text in b],
            scorer=fuzz.ratio,
            dtype=np.float64,
        )
        # (an empty side scores 0 either way, equal sides 1, as text_similarity's returns)
        score = np.where(transliterated, np.maximum(score, joined / 100.0), score)
    return score


def _year_similarity(ours: int | None, theirs: int | None) -> float:
    if not ours or not theirs:
        return 0.0
    off = abs(ours - theirs)
    return 1.0 if off == 0 else 0.5 if off == 1 else 0.0


def _clamp(milliseconds: int) -> int:
    return max(-(2**53), min(2**53, milliseconds))
