"""What a file tells about its recording, in the shape the matcher compares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileFacts:
    """The fields of one file that matching uses (from its tags, or guessed from its path)."""

    title: str | None = None
    artists: tuple[str, ...] = ()
    album: str | None = None
    album_artist: str | None = None
    track_number: int | None = None
    disc_number: int | None = None
    year: int | None = None
    duration_ms: int | None = None
    isrc: str | None = None
    spotify_track_id: str | None = None
    spotify_album_id: str | None = None
    barcode: str | None = None
    guessed: bool = False  # True when title/artist/album come from the file's path
