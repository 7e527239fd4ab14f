"""Every committed sample reads back the tags make_audio_samples.py wrote, format by format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from explorer.library.records import STATUS_OK
from explorer.library.tag_names import FIELD_OF_NAME, TAG_NAMES, bare_name
from explorer.library.tags import MAX_TAG_CHARS, clean_text, read_file, tags_from_items

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"

TITLE = "Silent Track – Ünïcode"
BOTH = ("Artist One", "Artist Two")
FULL: dict[str, Any] = {
    "title": TITLE,
    "artists": BOTH,
    "album": "Quiet Album",
    "album_artists": ("Various Quiet",),
    "track_number": 3,
    "track_total": 12,
    "disc_number": 1,
    "disc_total": 2,
    "date": "2001-05-06",
    "year": 2001,
    "genres": ("Ambient",),
    "isrc": "USQX91300001",
    "label": "Hush Records",
    "catalog_number": "HUSH-001",
    "barcode": "0123456789012",
    "musicbrainz_recording_id": "1d4f4c3c-8f4e-4b57-9d2b-3b7a4f1f0a01",
    "musicbrainz_release_id": "2e5a5d4d-9a5f-4c68-8e3c-4c8b5a2a1b02",
    "spotify_track_id": "4uLU6hMCjMI75M1A2tKUQC",
    "compilation": True,
    "guessed": frozenset(),
}
V1 = {"title": "Silent Track v1", "artists": ("Artist One",), "album": "Quiet Album",
      "track_number": 3, "year": 2001, "genres": ("Ambient",), "isrc": None}  # fmt: skip
V22 = {"title": TITLE, "artists": ("Artist One",), "album": "Quiet Album", "track_number": 3,
       "track_total": 12, "year": 2001, "isrc": None}  # fmt: skip
WMA = {**FULL, "track_total": None, "date": "2001"}

# sample, format, tag system, duration (s), expected tags, has cover
SAMPLES = [
    ("id3v1.mp3", "mp3", ("id3v1",), 0.78, V1, False),
    ("id3v22.mp3", "mp3", ("id3v2.2",), 0.65, V22, False),
    ("id3v23.mp3", "mp3", ("id3v2.3",), 0.65, FULL, False),
    ("id3v24.mp3", "mp3", ("id3v2.4",), 0.65, FULL, True),
    ("sample.flac", "flac", ("vorbis",), 0.5, FULL, True),
    ("sample.oga", "ogg-flac", ("vorbis",), 0.5, FULL, False),
    ("sample.ogg", "ogg-vorbis", ("vorbis",), 0.5, FULL, False),
    ("sample.opus", "opus", ("vorbis",), 0.2, FULL, False),
    ("sample.spx", "speex", ("vorbis",), 0.5, FULL, False),
    ("aac.m4a", "m4a", ("mp4",), 0.63, FULL, False),
    ("alac.m4a", "m4a", ("mp4",), 0.5, FULL, False),
    ("sample.wma", "wma", ("asf",), 0.51, WMA, False),
    ("sample.aiff", "aiff", ("id3v2.4",), 0.5, FULL, False),
    ("sample.wav", "wav", ("id3v2.4",), 0.5, FULL, False),
    ("sample.tta", "tta", ("id3v2.4",), 0.5, FULL, False),
    ("sample.dsf", "dsf", ("id3v2.4",), 0.012, FULL, False),
    ("sample.dff", "dsdiff", ("id3v2.4",), 0.012, FULL, False),
    ("sample.wv", "wavpack", ("ape",), 0.5, FULL, False),
    ("sample.mpc", "musepack", ("ape",), 0.2, FULL, False),
    ("untagged.aac", "aac", (), 0.63, {"isrc": None}, False),
    ("untagged.ac3", "ac3", (), 0.22, {"isrc": None}, False),
    ("untagged.mid", "midi", (), 0.5, {"isrc": None}, False),
]


@pytest.mark.parametrize(("name", "fmt", "systems", "duration", "expected", "cover"), SAMPLES)
def test_sample_reads_back_its_tags(name, fmt, systems, duration, expected, cover) -> None:
    read = read_file(AUDIO / name)
    assert read.status == STATUS_OK, read.error
    assert read.stream is not None
    assert read.stream.format == fmt
    assert read.stream.tag_types == systems
    assert read.stream.duration_s == pytest.approx(duration, abs=0.01)
    assert read.stream.has_cover is cover
    got = {key: getattr(read.tags, key) for key in expected}
    assert got == expected


def test_every_sample_is_in_the_table() -> None:
    assert sorted(p.name for p in AUDIO.iterdir()) == sorted(row[0] for row in SAMPLES)


def test_each_tag_name_maps_to_one_field() -> None:
    names = [bare_name(raw) for raw_names in TAG_NAMES.values() for raw in raw_names]
    assert len(names) == len(set(names)) == len(FIELD_OF_NAME)


@pytest.mark.parametrize(
    ("items", "field", "value"),
    [
        ([("TPE1", ["A", "B"])], "artists", ("A", "B")),
        ([("ARTIST", ["A"]), ("ARTIST", ["B"])], "artists", ("A", "B")),
        ([("ARTIST", ["A feat. B"]), ("ARTISTS", ["A", "B"])], "artists", ("A", "B")),
        ([("©ART", ["A"])], "artists", ("A",)),
        ([("WM/AlbumArtist", ["X"])], "album_artists", ("X",)),
        ([("----:com.apple.iTunes:ISRC", ["usqx9-13-00001"])], "isrc", "USQX91300001"),
        ([("TXXX:CATALOGNUMBER", ["C-1"])], "catalog_number", "C-1"),
        ([("trkn", ["4/10"])], "track_total", 10),
        ([("TRACKNUMBER", ["07"]), ("TOTALTRACKS", ["9"])], "track_total", 9),
        ([("COMMENT", ["see spotify:album:1DFixLWuPkv3KT3TnV35m3"])], "spotify_album_id",
         "1DFixLWuPkv3KT3TnV35m3"),
        ([("WXXX:", ["https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC?si=x"])],
         "spotify_track_id", "4uLU6hMCjMI75M1A2tKUQC"),
        ([("SPOTIFY_TRACK_ID", ["4uLU6hMCjMI75M1A2tKUQC"])], "spotify_track_id",
         "4uLU6hMCjMI75M1A2tKUQC"),
        ([("SPOTIFY_TRACK_ID", ["not-an-id"])], "spotify_track_id", None),
        ([("TCMP", ["0"])], "compilation", False),
        ([("DATE", ["1999"])], "year", 1999),
        ([("TIT2", ["a\x00\x01b\udcff "])], "title", "a b"),
        ([("TIT2", ["x" * 1_000_000])], "title", "x" * MAX_TAG_CHARS),
        ([("TIT2", ["", "  "])], "title", None),
    ],
)  # fmt: skip
def test_tag_items_fold_into_fields(items, field, value) -> None:
    assert getattr(tags_from_items(items), field) == value


def test_clean_text_drops_control_characters() -> None:
    assert clean_text("\x00\x1f Hello\x7f") == "Hello"
