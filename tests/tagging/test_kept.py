"""ReplayGain, lyrics, pictures and tags nobody knows survive a write of every field."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import mutagen
import pytest
from mutagen import id3
from mutagen.apev2 import APEValue
from mutagen.asf import ASFValue
from mutagen.flac import Picture
from mutagen.mp4 import MP4FreeForm

from explorer.library.scan import scan
from explorer.tagging.fields import ALL_FIELDS
from explorer.tagging.plan import plan_files
from explorer.tagging.writer import write_plans
from tests.tagging.conftest import WRITABLE, Library

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYAAAAAMAASsJTYQAAAAASUVORK5CYII="
)


def _add_id3(tags: Any) -> list[str]:
    tags.add(id3.TXXX(encoding=3, desc="REPLAYGAIN_TRACK_GAIN", text=["-6.50 dB"]))
    tags.add(id3.USLT(encoding=3, lang="eng", desc="", text="la la la"))
    tags.add(id3.PRIV(owner="example.com", data=b"\x00\x01secret"))
    tags.add(id3.APIC(encoding=3, mime="image/png", type=3, desc="front", data=PNG))
    return [
        "TXXX:REPLAYGAIN_TRACK_GAIN",
        "USLT::eng",
        "PRIV:example.com:\x00\x01secret",
        "APIC:front",
    ]


def _add(audio: Any) -> list[str]:
    """Add ReplayGain, lyrics, an unknown tag and a picture the tag system's own way."""
    tags = audio.tags
    kind = type(tags).__name__
    if "ID3" in kind:
        return _add_id3(tags)
    if kind == "MP4Tags":
        tags["©lyr"] = ["la la la"]
        tags["----:com.apple.iTunes:replaygain_track_gain"] = [MP4FreeForm(b"-6.50 dB")]
        tags["----:org.example:UNKNOWN"] = [MP4FreeForm(b"\x00\x01", dataformat=0)]
        return ["©lyr", "----:com.apple.iTunes:replaygain_track_gain", "----:org.example:UNKNOWN"]
    if kind == "APEv2":
        tags["REPLAYGAIN_TRACK_GAIN"] = "-6.50 dB"
        tags["Lyrics"] = "la la la"
        tags["Cover Art (Front)"] = APEValue(b"front.png\x00" + PNG, 1)
        return ["REPLAYGAIN_TRACK_GAIN", "Lyrics", "Cover Art (Front)"]
    if kind == "ASFTags":
        tags["REPLAYGAIN_TRACK_GAIN"] = [ASFValue("-6.50 dB", 0)]
        tags["WM/Lyrics"] = [ASFValue("la la la", 0)]
        tags["Unknown/Binary"] = [ASFValue(b"\x00\x01", 1)]
        return ["REPLAYGAIN_TRACK_GAIN", "WM/Lyrics", "Unknown/Binary"]
    tags["REPLAYGAIN_TRACK_GAIN"] = ["-6.50 dB"]
    tags["LYRICS"] = ["la la la"]
    tags["X_UNKNOWN_TAG"] = ["kept"]
    if hasattr(audio, "add_picture"):
        picture = Picture()
        picture.data, picture.mime, picture.type = PNG, "image/png", 3
        audio.add_picture(picture)
    return ["REPLAYGAIN_TRACK_GAIN", "LYRICS", "X_UNKNOWN_TAG"]


def _values(path: Path, keys: list[str]) -> dict[str, str]:
    audio: Any = mutagen.File(path)
    found = {key: repr(audio.tags[key]) for key in keys}
    found["pictures"] = repr([p.data for p in getattr(audio, "pictures", [])])
    return found


@pytest.mark.parametrize("name", [n for n in WRITABLE if n != "id3v1.mp3"])
def test_other_tags_survive_a_write_of_every_field(library: Library, name: str) -> None:
    path = library.path(name)
    audio: Any = mutagen.File(path)
    keys = _add(audio)
    version = getattr(audio.tags, "version", (2, 4))
    audio.save(**({"v2_version": version[1]} if "ID3" in type(audio.tags).__name__ else {}))
    before = _values(path, keys)
    scan(library.store, [library.root], workers=1)  # the store sees the tags just added
    preview = plan_files(library.store, library.catalog, [library.row(name).id], fields=ALL_FIELDS)
    summary = write_plans(library.store, preview.plans, fields=ALL_FIELDS)
    assert (summary.written, summary.failed) == (1, 0), summary.outcomes
    assert _values(path, keys) == before
