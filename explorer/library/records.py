"""The frozen records the library layer hands out: tags, stream facts, one read of a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUS_OK = "ok"
STATUS_ERROR = "error"
STATUS_MISSING = "missing"  # the file was seen once and is gone now; its row (and links) stay


@dataclass(frozen=True)
class TrackTags:
    """What a file's tags say, the same shape for every format (empty when a tag is absent).

    `guessed` names the fields that came from the file's path instead of its tags.
    """

    title: str | None = None
    artists: tuple[str, ...] = ()
    album: str | None = None
    album_artists: tuple[str, ...] = ()
    track_number: int | None = None
    track_total: int | None = None
    disc_number: int | None = None
    disc_total: int | None = None
    date: str | None = None
    year: int | None = None
    original_date: str | None = None
    genres: tuple[str, ...] = ()
    isrc: str | None = None
    label: str | None = None
    catalog_number: str | None = None
    barcode: str | None = None
    musicbrainz_recording_id: str | None = None
    musicbrainz_release_id: str | None = None
    musicbrainz_artist_ids: tuple[str, ...] = ()
    musicbrainz_release_group_id: str | None = None
    spotify_track_id: str | None = None
    spotify_album_id: str | None = None
    compilation: bool | None = None
    guessed: frozenset[str] = field(default_factory=frozenset)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples as lists, `guessed` sorted)."""
        data: dict[str, Any] = {}
        for name in _TAG_FIELDS:  # not dataclasses.asdict: it deep-copies (4x slower)
            value = getattr(self, name)
            data[name] = list(value) if isinstance(value, tuple) else value
        data["guessed"] = sorted(self.guessed)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrackTags:
        """The inverse of `to_json` (unknown keys from newer versions are ignored)."""
        known = {name: value for name, value in data.items() if name in cls.__dataclass_fields__}
        for name, value in known.items():
            if isinstance(value, list):
                known[name] = frozenset(value) if name == "guessed" else tuple(value)
        return cls(**known)


_TAG_FIELDS = tuple(TrackTags.__dataclass_fields__)


@dataclass(frozen=True)
class StreamInfo:
    """What the audio stream itself says (never the tags)."""

    format: str  # "mp3", "flac", "ogg-vorbis", "m4a", ...
    duration_s: float | None = None
    bitrate: int | None = None  # bits per second
    sample_rate: int | None = None
    channels: int | None = None
    has_cover: bool = False
    tag_types: tuple[str, ...] = ()  # "id3v2.4", "vorbis", "mp4", "ape", "asf", "id3v1" ...


@dataclass(frozen=True)
class FileRead:
    """One reading of one file: its stream and tags, or the reason it could not be read.

    `path` is the file system path as bytes (`os.fsencode`), so names that are not valid
    UTF-8 survive the round trip through the store.
    """

    path: bytes
    size: int
    mtime_ns: int
    status: str  # STATUS_OK or STATUS_ERROR
    error: str | None = None
    stream: StreamInfo | None = None
    tags: TrackTags = field(default_factory=TrackTags)
