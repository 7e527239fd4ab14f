"""Guess title, artist, album and track number from a file's path when its tags lack them.

The patterns are a table, tried in order on the file name without its extension; the
folders above give album (parent) and artist (grandparent) when the name does not.
Every field filled here is named in `TrackTags.guessed`, so matching can trust it less.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

from explorer.library.records import TrackTags

_TRACK = r"(?:(?P<disc>\d{1,2})[-.])?(?P<track>\d{1,3})"
_SEP = r"\s+-\s+"

# File-name patterns, most specific first. Named groups: artist, album, disc, track, title.
NAME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        # Artist - Album - 03 - Title
        ("artist-album-track-title", rf"^(?P<artist>.+?){_SEP}(?P<album>.+?){_SEP}{_TRACK}{_SEP}(?P<title>.+)$"),
        # 03 - Artist - Title, 03. Artist - Title, 1-03 Artist - Title
        ("track-artist-title", rf"^{_TRACK}(?:\s*[.)_]\s*|{_SEP}|\s+)(?P<artist>.+?){_SEP}(?P<title>.+)$"),
        # 03 - Title, 03. Title, 03_Title, 03 Title
        ("track-title", rf"^{_TRACK}(?:\s*[.)_]\s*|{_SEP}|\s+)(?P<title>.+)$"),
        # Artist - Title
        ("artist-title", rf"^(?P<artist>.+?){_SEP}(?P<title>.+)$"),
        # Title
        ("title", r"^(?P<title>.+)$"),
    )
)  # fmt: skip

# Folder names that say nothing about the artist or album.
GENERIC_FOLDERS = frozenset(
    {"music", "musik", "musique", "mp3", "flac", "audio", "downloads", "various", "unknown",
     "unknown artist", "unknown album", "cd1", "cd2", "disc 1", "disc 2", "new folder"}
)  # fmt: skip

_FOLDER_NOISE = re.compile(r"\s*(\[[^\]]*\]|\((?:19|20)\d\d\))\s*$")  # "Album [FLAC]", "(1999)"
_LEADING_YEAR = re.compile(r"^(?:19|20)\d\d\s*-\s*")  # "1999 - Album"


def _folder_name(name: str) -> str | None:
    previous = None
    while previous != name:
        previous, name = name, _FOLDER_NOISE.sub("", name)
    name = _LEADING_YEAR.sub("", name).strip().replace("_", " ")
    return name if name and name.casefold() not in GENERIC_FOLDERS else None


def guess_fields(path: str, *, root: str | None = None) -> dict[str, str | int]:
    """The fields a path suggests: title, artist, album, track_number, disc_number."""
    stem = os.path.splitext(os.path.basename(path))[0].replace("_", " ").strip()
    folders = os.path.dirname(path)
    if root is not None:
        relative = os.path.relpath(folders, root) if folders.startswith(root) else ""
        parts = [p for p in relative.split(os.sep) if p and p != "."]
    else:
        parts = [p for p in folders.split(os.sep) if p][-2:]
    folder_artist = _folder_name(parts[-2]) if len(parts) >= 2 else None
    found: dict[str, str | int] = {}
    for name, pattern in NAME_PATTERNS:
        match = pattern.match(stem)
        if not match:
            continue
        named = match.groupdict()
        # "Artist/Album/03 - Song - Live": the name's "artist" is part of the title when
        # the folder names another artist
        if (
            name == "track-artist-title"
            and folder_artist
            and (named.get("artist") or "").strip().casefold() != folder_artist.casefold()
        ):
            continue
        for key, value in named.items():
            if value:
                found[key] = int(value) if key in ("track", "disc") else value.strip()
        break
    if "album" not in found and parts:
        album = _folder_name(parts[-1])
        if album:
            found["album"] = album
    if "artist" not in found and len(parts) >= 2:
        artist = _folder_name(parts[-2])
        if artist:
            found["artist"] = artist
    renamed = {"track": "track_number", "disc": "disc_number"}
    return {renamed.get(key, key): value for key, value in found.items()}


def guess_from_path(
    tags: TrackTags, path: bytes | str, *, root: bytes | str | None = None
) -> TrackTags:
    """`tags` with its empty title/artists/album/track/disc filled from the path, marked guessed."""
    if tags.title and tags.artists and tags.album and tags.track_number:
        return tags
    from explorer.library.tags import clean_text

    text = clean_text(os.fsdecode(path))
    root_text = clean_text(os.fsdecode(root)) if root is not None else None
    guessed = guess_fields(text, root=root_text)
    changes: dict[str, object] = {}
    if not tags.title and "title" in guessed:
        changes["title"] = guessed["title"]
    if not tags.artists and "artist" in guessed:
        changes["artists"] = (guessed["artist"],)
    if not tags.album and "album" in guessed:
        changes["album"] = guessed["album"]
    if tags.track_number is None and "track_number" in guessed:
        changes["track_number"] = guessed["track_number"]
    if tags.disc_number is None and "disc_number" in guessed and "track_number" in changes:
        changes["disc_number"] = guessed["disc_number"]
    if not changes:
        return tags
    return replace(tags, guessed=tags.guessed | frozenset(changes), **changes)  # type: ignore[arg-type]
