"""A labelled demo music library: silent FLAC files tagged from a catalog, damaged the way
real libraries are, with the truth kept aside (for tests, benchmarks and trying `match`)."""

from __future__ import annotations

import os
import random
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from anyascii import anyascii
from mutagen.flac import FLAC

from explorer.catalog import Catalog
from explorer.catalog.records import AlbumRow, TrackRow, release_year
from explorer.demo.silence import write_silent_flac

# The damage types, each with its share of albums in the library. "clean" files keep the
# catalog's tags; every other type changes them as real libraries do.
DAMAGE_SHARES: dict[str, float] = {
    "clean": 0.16,
    "typo": 0.10,  # one letter wrong in the title and the artist
    "no_album": 0.08,  # album tag missing
    "no_artist": 0.06,  # artist tag missing
    "feat_moved": 0.06,  # "(feat. X)" moved from the title to the artist tag or back
    "ascii": 0.08,  # accents dropped, non-Latin names transliterated
    "noise": 0.08,  # case and punctuation noise
    "number_in_title": 0.08,  # "03 - Title"
    "duration": 0.08,  # the file is up to 2 s longer or shorter
    "compilation": 0.06,  # a compilation's copy (the recording is also on its original album)
    "untagged": 0.08,  # no tags at all: only the path tells
    "isrc": 0.08,  # tags carry the ISRC (with case noise elsewhere)
}
MAX_TRACKS_PER_ALBUM = 14  # files per album folder at most (keeps libraries small)
# Rips of a remaster lose marks as real ones do: the share of remaster folders whose
# titles lose their " - 2011 Remaster" suffix, and whose album tag loses its mark.
P_SUFFIX_LOST = 0.5
P_ALBUM_MARK_LOST = 0.3
# The editions a file can come from (see `edition_of`): the benchmark's confusion table
# by edition has a row for each.
EDITIONS = (
    "original",
    "single",
    "remaster",
    "deluxe",
    "reissue",
    "live",
    "cover",
    "compilation",
)
_SONG_MARK = re.compile(r" - (?:\d{4} Remaster|Remastered(?: \d{4})?)$")
_ALBUM_MARK = re.compile(r" \((?:\d{4} Remaster|Remastered(?: \d{4})?)\)$")

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class LibraryFile:
    """One file of the demo library and the truth about it."""

    path: Path
    damage: str
    track_id: str  # the catalog track the file was made from
    album_id: str
    isrc: str | None
    edition: str = "original"  # which edition of the song the file was made from (EDITIONS)


@dataclass(frozen=True)
class _Tags:
    title: str | None
    artists: tuple[str, ...]
    album: str | None
    album_artist: str | None
    track_number: int | None
    disc_number: int | None
    year: int | None
    isrc: str | None


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_name(text: str, *, fallback: str = "Unknown") -> str:
    """A file-name-safe form of a tag value."""
    cleaned = _UNSAFE.sub("_", text).strip(" .")
    return cleaned[:120] or fallback


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    if rng.random() < 0.5:
        return text[:i] + text[i + 1 :]  # a letter dropped
    return text[:i] + rng.choice("aeiourstln") + text[i + 1 :]  # a letter replaced


def _noise(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.33:
        text = text.lower()
    elif roll < 0.66:
        text = text.upper()
    return re.sub(r"[^\w\s]", "", text) if rng.random() < 0.5 else text.replace(" ", "  ")


def _damage(rng: random.Random, damage: str, tags: _Tags) -> _Tags:
    if damage == "typo":
        return replace(
            tags,
            title=_typo(rng, tags.title or ""),
            artists=tuple(_typo(rng, a) for a in tags.artists[:1]) + tags.artists[1:],
        )
    if damage == "no_album":
        return replace(tags, album=None, album_artist=None)
    if damage == "no_artist":
        return replace(tags, artists=())
    if damage == "feat_moved":
        title = tags.title or ""
        match = re.search(r"\s*\(feat\. ([^)]*)\)", title)
        if match:
            return replace(
                tags,
                title=title.replace(match.group(0), ""),
                artists=(f"{tags.artists[0]} feat. {match.group(1)}",),
            )
        if len(tags.artists) > 1:
            return replace(
                tags, title=f"{title} (feat. {tags.artists[1]})", artists=tags.artists[:1]
            )
        return replace(tags, title=f"{title} (feat. {tags.artists[0]})")
    if damage == "ascii":
        return replace(
            tags,
            title=anyascii(_strip_accents(tags.title or "")),
            artists=tuple(anyascii(_strip_accents(a)) for a in tags.artists),
            album=anyascii(_strip_accents(tags.album)) if tags.album else None,
        )
    if damage == "noise":
        return replace(
            tags,
            title=_noise(rng, tags.title or ""),
            artists=tuple(_noise(rng, a) for a in tags.artists),
        )
    if damage == "number_in_title":
        return replace(tags, title=f"{tags.track_number or 1:02d} - {tags.title}")
    if damage == "isrc":
        return replace(tags, title=_noise(rng, tags.title or ""))
    return tags


def _tags_of(track: TrackRow, album: AlbumRow) -> _Tags:
    return _Tags(
        title=track.name,
        artists=tuple(a.name for a in track.artists),
        album=album.name,
        album_artist=album.artists[0].name if album.artists else None,
        track_number=track.track_number,
        disc_number=track.disc_number,
        year=release_year(album.release_date),
        isrc=None,
    )


def _write_tags(path: Path, tags: _Tags) -> None:
    audio = FLAC(path)
    values: dict[str, list[str]] = {}
    if tags.title:
        values["title"] = [tags.title]
    if tags.artists:
        values["artist"] = list(tags.artists)
    if tags.album:
        values["album"] = [tags.album]
    if tags.album_artist:
        values["albumartist"] = [tags.album_artist]
    if tags.track_number:
        values["tracknumber"] = [str(tags.track_number)]
    if tags.disc_number:
        values["discnumber"] = [str(tags.disc_number)]
    if tags.year:
        values["date"] = [str(tags.year)]
    if tags.isrc:
        values["isrc"] = [tags.isrc]
    for key, value in values.items():
        audio[key] = value
    audio.save()


def _pick_damage(rng: random.Random) -> str:
    names = list(DAMAGE_SHARES)
    return rng.choices(names, weights=[DAMAGE_SHARES[n] for n in names])[0]


def edition_of(catalog: Catalog, album: AlbumRow) -> str:
    """Which kind of edition `album` is, told as the demo writer names them; a re-release
    is an album named like an earlier album of its main artist (the albums(name) index)."""
    name = album.name
    if album.album_type in ("compilation", "single"):
        return album.album_type
    if name.startswith("Live at "):
        return "live"
    if name.startswith("Songs of "):
        return "cover"
    if name.endswith("(Deluxe Edition)"):
        return "deluxe"
    if "Remaster" in name:
        return "remaster"
    if album.artists:
        earlier = catalog.execute(
            "SELECT 1 FROM albums a JOIN artist_albums aa ON aa.album_rowid = a.rowid "
            "WHERE a.name = ? AND a.rowid < ? AND aa.artist_rowid = ? LIMIT 1",
            (name, album.rowid, album.artists[0].rowid),
        ).fetchone()
        if earlier is not None:
            return "reissue"
    return "original"


def _compilation_rowids(catalog: Catalog) -> list[int]:
    """Compilations of "Various Artists" (through the artists(name) and artist_albums indexes)."""
    row = catalog.execute(
        "SELECT rowid FROM artists WHERE name = 'Various Artists' LIMIT 1"
    ).fetchone()
    if row is None:
        return []
    return [
        album_rowid
        for (album_rowid,) in catalog.execute(
            "SELECT album_rowid FROM artist_albums WHERE artist_rowid = ? LIMIT 10000", (row[0],)
        )
    ]


def write_demo_library(
    catalog: Catalog,
    folder: str | os.PathLike[str],
    *,
    albums: int = 50,
    seed: int = 1,
    progress: ProgressCallback | None = None,
) -> list[LibraryFile]:
    """Write about `albums` album folders of damaged, silent FLAC files; return the truth.

    Albums are drawn at random rowids (no table scan); each album folder gets one damage
    type. Deterministic for a catalog and a seed.
    """
    rng = random.Random(seed)
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    highest = catalog.estimate("albums")
    truth: list[LibraryFile] = []
    compilations = _compilation_rowids(catalog)
    used: set[int] = set()
    attempts = 0
    while len(used) < albums and attempts < albums * 20 and highest:
        attempts += 1
        damage = _pick_damage(rng)
        if damage == "compilation" and compilations:
            rowid = rng.choice(compilations)
        else:
            damage = "clean" if damage == "compilation" else damage
            rowid = rng.randint(1, highest)
        if rowid in used:
            continue
        album = catalog.album_by_rowid(rowid)
        if album is None or not album.tracks or not album.name:
            continue
        if (album.album_type == "compilation") != (damage == "compilation"):
            continue
        used.add(rowid)
        edition = edition_of(catalog, album)
        lose_suffix = edition == "remaster" and rng.random() < P_SUFFIX_LOST
        lose_album_mark = edition == "remaster" and rng.random() < P_ALBUM_MARK_LOST
        tracks = list(album.tracks[:MAX_TRACKS_PER_ALBUM])
        artist = album.artists[0].name if album.artists else "Unknown Artist"
        shown = _ALBUM_MARK.sub("", album.name) if lose_album_mark else album.name
        target_folder = root / safe_name(artist) / safe_name(f"{shown} [{album.id[:6]}]")
        target_folder.mkdir(parents=True, exist_ok=True)
        for track in tracks:
            source_track, source_album = track, album
            tags = _tags_of(source_track, source_album)
            if lose_suffix:
                tags = replace(tags, title=_SONG_MARK.sub("", tags.title or ""))
            if lose_album_mark:
                tags = replace(tags, album=_ALBUM_MARK.sub("", tags.album or ""))
            if damage == "isrc":
                tags = replace(tags, isrc=source_track.isrc)
            tags = _damage(rng, damage, tags)
            duration = source_track.duration_ms
            if damage == "duration":
                duration += rng.choice((-1, 1)) * rng.randint(500, 2000)
            number = (
                f"{track.disc_number}-{track.track_number:02d}"
                if album.disc_count > 1
                else f"{track.track_number:02d}"
            )
            name = _SONG_MARK.sub("", track.name) if lose_suffix else track.name
            path = target_folder / f"{number} - {safe_name(name)}.flac"
            write_silent_flac(path, duration)
            if damage != "untagged":
                _write_tags(path, tags)
            truth.append(
                LibraryFile(
                    path=path,
                    damage=damage,
                    track_id=source_track.id,
                    album_id=source_album.id,
                    isrc=source_track.isrc,
                    edition=edition,
                )
            )
        if progress is not None:
            progress(len(used), albums)
    return truth


# Albums of the demo library File > Open demo library... adds (about 8 files each): enough
# to try the review, small enough to be written and matched in seconds.
DEMO_LIBRARY_ALBUMS = 12
DEMO_LIBRARY_SEED = 1


def ensure_demo_library(catalog: Catalog, folder: str | os.PathLike[str]) -> Path:
    """`folder` holding a demo library of `catalog` (DEMO_LIBRARY_ALBUMS albums): the one
    there already when the folder has files, else written now. It is written beside the
    folder first and renamed into place, so an interrupted write is never taken for one."""
    target = Path(folder)
    if target.is_dir() and any(target.iterdir()):
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)  # left by an interrupted write
    write_demo_library(catalog, partial, albums=DEMO_LIBRARY_ALBUMS, seed=DEMO_LIBRARY_SEED)
    if target.is_dir():
        target.rmdir()  # empty (checked above)
    partial.rename(target)
    return target
