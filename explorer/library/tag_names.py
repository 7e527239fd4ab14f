"""The one table from tag names as formats write them (TPE1, ©ART, ARTIST, WM/...) to fields.

Names are compared case-insensitively after `bare_name` strips the free-form prefixes
(`TXXX:`, `----:com.apple.iTunes:`), so `ISRC` covers Vorbis, APE, TXXX and iTunes
free-form atoms at once. For each field the names are in order of preference: the
first one present in a file gives the value (`ARTISTS`, the multi-value list Picard
writes, wins over a joined `ARTIST` string).
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

# Prefixes of free-form names: what follows is the tagger's own name for the field.
FREEFORM_PREFIXES = ("txxx:", "----:com.apple.itunes:", "----:")

TAG_NAMES: dict[str, tuple[str, ...]] = {
    # field                 ID3v2 frame / MP4 atom / Vorbis, APE, TXXX, iTunes / ASF
    "title": ("TIT2", "©nam", "TITLE"),  # TITLE is also ASF's "Title" (case-insensitive)
    "artists": ("ARTISTS", "TPE1", "©ART", "ARTIST", "Author", "WM/ARTISTS"),
    "album": ("TALB", "©alb", "ALBUM", "WM/AlbumTitle"),
    "album_artists": ("TPE2", "aART", "ALBUMARTIST", "ALBUM ARTIST", "WM/AlbumArtist"),
    "track_number": ("TRCK", "trkn", "TRACKNUMBER", "TRACK", "WM/TrackNumber"),
    "track_total": ("TRACKTOTAL", "TOTALTRACKS"),
    "disc_number": ("TPOS", "disk", "DISCNUMBER", "DISC", "WM/PartOfSet"),
    "disc_total": ("DISCTOTAL", "TOTALDISCS"),
    "date": ("TDRC", "TYER", "©day", "DATE", "YEAR", "WM/Year"),
    "original_date": ("TDOR", "TORY", "ORIGINALDATE", "ORIGINALYEAR", "WM/OriginalReleaseYear"),
    "genres": ("TCON", "©gen", "gnre", "GENRE", "WM/Genre"),
    "isrc": ("TSRC", "ISRC", "WM/ISRC"),
    "label": ("TPUB", "LABEL", "ORGANIZATION", "PUBLISHER", "WM/Publisher"),
    "catalog_number": ("CATALOGNUMBER", "CATALOG NUMBER", "CATALOG", "WM/CatalogNo"),
    "barcode": ("BARCODE", "UPC", "EAN", "WM/Barcode"),
    "musicbrainz_recording_id": (
        "UFID:http://musicbrainz.org",
        "MUSICBRAINZ_TRACKID",
        "MusicBrainz Track Id",
        "MusicBrainz/Track Id",
    ),
    "musicbrainz_release_id": (
        "MUSICBRAINZ_ALBUMID",
        "MusicBrainz Album Id",
        "MusicBrainz/Album Id",
    ),
    "musicbrainz_artist_ids": (
        "MUSICBRAINZ_ARTISTID",
        "MusicBrainz Artist Id",
        "MusicBrainz/Artist Id",
    ),
    "musicbrainz_release_group_id": (
        "MUSICBRAINZ_RELEASEGROUPID",
        "MusicBrainz Release Group Id",
        "MusicBrainz/Release Group Id",
    ),
    "spotify_track_id": ("SPOTIFY_TRACK_ID", "SPOTIFY_ID", "SPOTIFYID", "SPOTIFY TRACK ID"),
    "spotify_album_id": ("SPOTIFY_ALBUM_ID", "SPOTIFY ALBUM ID"),
    "compilation": ("TCMP", "cpil", "COMPILATION", "WM/IsCompilation"),
}

# Fields that keep every value (multi-value tags kept apart); the others take the first.
MULTI_VALUE_FIELDS = frozenset({"artists", "album_artists", "genres", "musicbrainz_artist_ids"})


@lru_cache(maxsize=4096)  # names repeat from file to file; junk names cannot grow it
def bare_name(raw: str) -> str:
    """The comparable form of a tag name: case-folded, free-form prefix removed."""
    name = raw.casefold()
    for prefix in FREEFORM_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _lookup() -> MappingProxyType[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for field_name, names in TAG_NAMES.items():
        for rank, raw in enumerate(names):
            key = bare_name(raw)
            if key in table:
                raise ValueError(f"tag name {raw!r} is mapped twice")
            table[key] = (field_name, rank)
    return MappingProxyType(table)


# bare tag name -> (field, rank among that field's names; lower wins)
FIELD_OF_NAME = _lookup()


@lru_cache(maxsize=4096)
def field_of(raw: str) -> tuple[str, int] | None:
    """The field a tag name (as a file writes it) fills, and its rank; None if unknown."""
    return FIELD_OF_NAME.get(bare_name(raw))
