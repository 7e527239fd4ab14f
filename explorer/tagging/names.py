"""Each tag system's names for our fields, and the texts a field's value gets there.

`formats.py` reads and writes the tags; this module only says which ones, and how a
value is spelt in them (a track number as "3/12" in one tag or "3" and "12" in two).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from explorer.tagging.formats import TagFile

# ID3v2.3 holds one text per frame: several values we write are joined with this
# (mutagen's and Picard's default), so a plan for a v2.3 file expects them joined. Values
# a file already held apart (a null separator, off the v2.3 spec) are put back apart.
ID3V23_SEPARATOR = "/"

_ITUNES = "----:com.apple.iTunes:"
# field -> tag name, per tag system; a field with two names (number, total) has a pair.
NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "id3": {
        "isrc": ("TSRC",), "track_id": ("TXXX:SPOTIFY_TRACK_ID",),
        "album_id": ("TXXX:SPOTIFY_ALBUM_ID",), "artist_id": ("TXXX:SPOTIFY_ARTIST_ID",),
        "link": ("WOAS",), "title": ("TIT2",), "artists": ("TPE1",), "album": ("TALB",),
        "album_artist": ("TPE2",), "track": ("TRCK",), "disc": ("TPOS",), "date": ("TDRC",),
        "label": ("TPUB",), "genres": ("TCON",), "bpm": ("TBPM",), "key": ("TKEY",),
    },
    "vorbis": {
        "isrc": ("ISRC",), "track_id": ("SPOTIFY_TRACK_ID",), "album_id": ("SPOTIFY_ALBUM_ID",),
        "artist_id": ("SPOTIFY_ARTIST_ID",), "title": ("TITLE",), "artists": ("ARTIST",),
        "album": ("ALBUM",), "album_artist": ("ALBUMARTIST",),
        "track": ("TRACKNUMBER", "TRACKTOTAL"), "disc": ("DISCNUMBER", "DISCTOTAL"),
        "date": ("DATE",), "label": ("LABEL",), "genres": ("GENRE",), "bpm": ("BPM",),
        "key": ("INITIALKEY",),
    },
    "ape": {
        "isrc": ("ISRC",), "track_id": ("SPOTIFY_TRACK_ID",), "album_id": ("SPOTIFY_ALBUM_ID",),
        "artist_id": ("SPOTIFY_ARTIST_ID",), "title": ("Title",), "artists": ("Artist",),
        "album": ("Album",), "album_artist": ("Album Artist",), "track": ("Track",),
        "disc": ("Disc",), "date": ("Year",), "label": ("Label",), "genres": ("Genre",),
        "bpm": ("BPM",), "key": ("INITIALKEY",),
    },
    "mp4": {
        "isrc": (_ITUNES + "ISRC",), "track_id": (_ITUNES + "SPOTIFY_TRACK_ID",),
        "album_id": (_ITUNES + "SPOTIFY_ALBUM_ID",), "artist_id": (_ITUNES + "SPOTIFY_ARTIST_ID",),
        "title": ("©nam",), "artists": ("©ART",), "album": ("©alb",), "album_artist": ("aART",),
        "track": ("trkn",), "disc": ("disk",), "date": ("©day",), "label": (_ITUNES + "LABEL",),
        "genres": ("©gen",), "bpm": ("tmpo",), "key": (_ITUNES + "initialkey",),
    },
    "asf": {
        "isrc": ("WM/ISRC",), "track_id": ("SPOTIFY_TRACK_ID",), "album_id": ("SPOTIFY_ALBUM_ID",),
        "artist_id": ("SPOTIFY_ARTIST_ID",), "title": ("Title",), "artists": ("Author",),
        "album": ("WM/AlbumTitle",), "album_artist": ("WM/AlbumArtist",),
        "track": ("WM/TrackNumber",), "disc": ("WM/PartOfSet",), "date": ("WM/Year",),
        "label": ("WM/Publisher",), "genres": ("WM/Genre",), "bpm": ("WM/BeatsPerMinute",),
        "key": ("WM/InitialKey",),
    },
}  # fmt: skip
# Fields whose number and total share one tag ("3/12") in systems with one name for them.
_PAIRED = frozenset({"track", "disc"})


def names_of(tag_file: TagFile, field: str) -> tuple[str, ...]:
    """The tag names of one field in this file's tag system (none: not written there)."""
    return NAMES[tag_file.system].get(field, ())


def plain_slots(
    tag_file: TagFile, field: str, value: tuple[str, ...]
) -> list[tuple[str, list[str]]]:
    """(tag name, texts) to write for one field's value in this file's tag system."""
    names = names_of(tag_file, field)
    if not names:
        return []
    if field in _PAIRED:
        number, total = value[0], value[1] if len(value) > 1 else ""
        if len(names) == 2:  # Vorbis: the total in a tag of its own
            return [(names[0], [number])] + ([(names[1], [total])] if total else [])
        if tag_file.system == "asf" and field == "track":
            return [(names[0], [number])]
        return [(names[0], [f"{number}/{total}" if total else number])]
    texts = list(value)
    if tag_file.system == "id3" and tag_file.id3_version == 3 and len(texts) > 1:
        texts = [ID3V23_SEPARATOR.join(texts)]
    if tag_file.system == "mp4" and field == "bpm":
        texts = texts[:1]
    return [(names[0], texts)]


def raw_texts(raw: Any) -> list[str]:
    """The texts of a raw value as `read_raw` made it, any tag system ([] when absent)."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        if "url" in raw:
            return [raw["url"]]
        if "b64" in raw:
            return ["<binary>"]
        return [str(text) for text in raw.get("text", [])]
    texts: list[str] = []
    for item in raw:
        if isinstance(item, dict):
            if "pair" in item:
                number, total = item["pair"]
                texts.append(f"{number}/{total}" if total else str(number))
            elif "b64" in item:
                data = base64.b64decode(item["b64"])
                texts.append(
                    data.decode("utf-8", "replace") if item.get("format", 1) == 1 else "<binary>"
                )
            else:
                texts.extend(
                    str(value) for key, value in item.items() if key not in ("type", "format")
                )
        else:
            texts.append(str(item))
    return texts
