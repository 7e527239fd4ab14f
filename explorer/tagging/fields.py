"""The fields a file can be given from its catalog recording, and their values (pure).

A field's value is a tuple of texts (one text for most fields, several for artists and
genres); track and disc are ("number", "total"), the total empty when unknown. Which tag
names each format uses is `formats.py`'s business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from explorer.catalog.records import AlbumRow, AudioFeaturesRow, TrackRow
from explorer.errors import KnownError
from explorer.library.tags import clean_text

# Written to every file: what lets a later scan match it by id at once.
ID_FIELDS = ("isrc", "track_id", "album_id", "artist_id", "link")
# Written only when the user asks for them.
OPTIONAL_FIELDS = (
    "title",
    "artists",
    "album",
    "album_artist",
    "track",
    "disc",
    "date",
    "label",
    "genres",
    "bpm",
    "key",
)
ALL_FIELDS = ID_FIELDS + OPTIONAL_FIELDS
# How fields are named to people (preview tables, the window's check boxes).
LABELS = {
    "isrc": "ISRC",
    "track_id": "track id",
    "album_id": "album id",
    "artist_id": "artist id",
    "link": "web link",
    "title": "title",
    "artists": "artists",
    "album": "album",
    "album_artist": "album artist",
    "track": "track number",
    "disc": "disc number",
    "date": "date",
    "label": "label",
    "genres": "genres",
    "bpm": "BPM",
    "key": "initial key",
}
# Fields that need the album's full row (its label, its discs) or the artist's genres:
# read once per album / artist, and only when asked for.
NEEDS_ALBUM = frozenset({"label", "disc"})
NEEDS_GENRES = frozenset({"genres"})
NEEDS_FEATURES = frozenset({"bpm", "key"})

TRACK_LINK = "https://open.spotify.com/track/{}"
# ID3 TKEY's notation: the note, "b" or "#", "m" for minor ("C#m", "A").
_KEY_NOTES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

Values = dict[str, tuple[str, ...]]


def parse_fields(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """`ids` (the default), `all`, or a comma list of optional fields: the fields to
    write, identifiers always included, in ALL_FIELDS order."""
    if text is None:
        return ID_FIELDS
    words = (
        [w.strip().lower() for w in text.split(",")]
        if isinstance(text, str)
        else [w.strip().lower() for w in text]
    )
    words = [w.replace("-", "_") for w in words if w]
    if not words or words == ["ids"]:
        return ID_FIELDS
    if "all" in words:
        return ALL_FIELDS
    unknown = [w for w in words if w not in ALL_FIELDS and w != "ids"]
    if unknown:
        raise KnownError(
            f"Unknown field {unknown[0]!r} for --fields; use ids, all, or a comma list of "
            f"{', '.join(OPTIONAL_FIELDS)}."
        )
    chosen = set(words) | set(ID_FIELDS)
    return tuple(name for name in ALL_FIELDS if name in chosen)


@dataclass(frozen=True)
class CatalogFacts:
    """What the catalog says about one linked recording (read by `plan.py`)."""

    track: TrackRow
    album: AlbumRow | None = None  # only when a field in NEEDS_ALBUM is asked for
    genres: tuple[str, ...] = ()
    features: AudioFeaturesRow | None = None


def key_notation(features: AudioFeaturesRow | None) -> str:
    """The initial key as ID3 writes it (`C#m`, `A`); empty when unknown."""
    if features is None or features.key is None or not 0 <= features.key <= 11:
        return ""
    return _KEY_NOTES[features.key] + ("m" if features.mode == 0 else "")


def _date(track: TrackRow, album: AlbumRow | None) -> str:
    summary = album.summary() if album is not None else track.album
    if summary is None or not summary.release_date or summary.release_date.startswith("0000"):
        return ""
    parts = summary.release_date.split("-")
    keep = {"year": 1, "month": 2}.get(summary.release_date_precision, 3)
    return "-".join(parts[:keep])


def catalog_values(facts: CatalogFacts, fields: Iterable[str]) -> Values:
    """The value of each asked field (fields the catalog has no value for are left out)."""
    track, album = facts.track, facts.album
    summary = track.album
    values: Values = {}
    total_tracks = (
        album.total_tracks if album is not None else summary.total_tracks if summary else 0
    )
    candidates: dict[str, tuple[str, ...]] = {
        "isrc": (track.isrc or "",),
        "track_id": (track.id,),
        "album_id": (summary.id if summary else album.id if album else "",),
        "artist_id": tuple(a.id for a in track.artists),
        "link": (TRACK_LINK.format(track.id),),
        "title": (track.name,),
        "artists": tuple(a.name for a in track.artists),
        "album": (summary.name if summary else album.name if album else "",),
        "album_artist": tuple(
            a.name for a in (summary.artists if summary else album.artists if album else ())
        ),
        "track": (str(track.track_number) if track.track_number else "", _total(total_tracks)),
        "disc": (
            str(track.disc_number) if track.disc_number else "",
            _total(album.disc_count if album is not None else 0),
        ),
        "date": (_date(track, album),),
        "label": (album.label if album is not None else "",),
        "genres": facts.genres,
        "bpm": (_bpm(facts.features),),
        "key": (key_notation(facts.features),),
    }
    for name in fields:
        # the catalog is input like any other: no control characters (a NUL would split
        # an ID3 text in two), no outer spaces, no absurd lengths
        value = tuple(clean_text(text) for text in candidates.get(name, ()))
        if value and value[0]:  # a field without its first text (a number, a name) is unknown
            values[name] = value
    return values


def _total(count: int) -> str:
    return str(count) if count and count > 0 else ""


def _bpm(features: AudioFeaturesRow | None) -> str:
    if features is None or features.tempo is None or features.tempo <= 0:
        return ""
    return str(round(features.tempo))
