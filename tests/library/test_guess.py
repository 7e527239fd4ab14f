"""The filename fallback, as a table: path -> fields guessed, marked as guessed."""

from __future__ import annotations

import os

import pytest

from explorer.library.guess import guess_fields, guess_from_path
from explorer.library.records import TrackTags

ROOT = "/music"

CASES = [
    ("/music/Artist/Album/01 - Title.flac",
     {"artist": "Artist", "album": "Album", "track_number": 1, "title": "Title"}),
    ("/music/01. Artist - Title.mp3", {"artist": "Artist", "track_number": 1, "title": "Title"}),
    ("/music/Artist - Album - 03 - Title.ogg",
     {"artist": "Artist", "album": "Album", "track_number": 3, "title": "Title"}),
    ("/music/Artist - Title.mp3", {"artist": "Artist", "title": "Title"}),
    ("/music/Title.mp3", {"title": "Title"}),
    ("/music/Album/07 Title With Spaces.m4a",
     {"album": "Album", "track_number": 7, "title": "Title With Spaces"}),
    ("/music/Band/2001 - Record (2001) [FLAC]/1-02 - Song.flac",
     {"artist": "Band", "album": "Record", "disc_number": 1, "track_number": 2, "title": "Song"}),
    ("/music/Band/Record/04_Some_Song.flac",
     {"artist": "Band", "album": "Record", "track_number": 4, "title": "Some Song"}),
    ("/music/Unknown Artist/Unknown Album/Track.mp3", {"title": "Track"}),
    ("/music/Band/Record/03 - Song - Live.flac",
     {"artist": "Band", "album": "Record", "track_number": 3, "title": "Song - Live"}),
    ("/music/Band/Record/03 - Band - Song.flac",
     {"artist": "Band", "album": "Record", "track_number": 3, "title": "Song"}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "expected"), CASES)
def test_guess_fields(path: str, expected: dict[str, object]) -> None:
    assert guess_fields(path, root=ROOT) == expected


def test_folders_above_the_root_are_not_used() -> None:
    assert guess_fields("/home/me/Music/Song.mp3", root="/home/me/Music") == {"title": "Song"}


def test_tags_win_and_guesses_are_marked() -> None:
    tags = TrackTags(title="Real Title")
    result = guess_from_path(tags, b"/music/Artist/Album/01 - Other.flac", root=b"/music")
    assert result.title == "Real Title"
    assert result.artists == ("Artist",)
    assert result.album == "Album"
    assert result.track_number == 1
    assert result.guessed == {"artists", "album", "track_number"}


def test_non_utf8_names_are_guessed_readably() -> None:
    path = os.fsencode("/music/Artist/Album/") + b"01 - Caf\xe9.flac"
    result = guess_from_path(TrackTags(), path, root=b"/music")
    assert result.title is not None and result.title.startswith("Caf")
    assert result.title.encode("utf-8")  # storable and printable
