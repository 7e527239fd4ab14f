"""Read one audio file with mutagen into the uniform records (any format mutagen reads).

`read_file` never raises for a bad file: it returns a `FileRead` with status "error" and
a reason a person understands. Each tag system (ID3, Vorbis comments, MP4 atoms, APEv2,
ASF) is flattened to (name, [text values]) pairs; `tag_names.TAG_NAMES` then turns names
into fields, so no format-specific name appears anywhere else.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from functools import cache
from typing import Any

import mutagen
from mutagen import MutagenError

from explorer.library.guess import guess_from_path
from explorer.library.records import STATUS_ERROR, STATUS_OK, FileRead, StreamInfo, TrackTags
from explorer.library.tag_names import MULTI_VALUE_FIELDS, bare_name, field_of
from explorer.log import get_logger

log = get_logger("library")

# Longest tag text kept (characters); longer values (1 MB junk) are cut. Raising it
# stores more of absurd values and makes the store bigger, never a better match.
MAX_TAG_CHARS = 1_000
# Most values kept per tag name (a multi-value tag with 10,000 entries is junk).
MAX_VALUES_PER_TAG = 50

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]+")  # C0, DEL, C1, lone surrogates
_SPOTIFY = re.compile(
    r"(?:open\.spotify\.com/(?:intl-[a-z]{2}/)?|spotify:)(track|album)[/:]([0-9A-Za-z]{22})\b"
)
_BASE62_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_NUMBER = re.compile(r"^\s*(\d{1,4})\s*(?:/\s*(\d{1,4}))?")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# Extensions opened with one mutagen type directly (others, like .ogg, go through
# mutagen.File's scoring, which reads the first bytes). A wrong guess costs one retry.
UNAMBIGUOUS_EXTENSIONS = {
    ".mp3": "MP3", ".flac": "FLAC", ".m4a": "MP4", ".m4b": "MP4", ".wma": "ASF",
    ".opus": "OggOpus", ".spx": "OggSpeex", ".wv": "WavPack", ".mpc": "Musepack",
    ".ape": "MonkeysAudio", ".dsf": "DSF", ".dff": "DSDIFF", ".tak": "TAK", ".tta": "TrueAudio",
    ".aif": "AIFF", ".aiff": "AIFF", ".wav": "WAVE", ".ofr": "OptimFROG", ".ac3": "AC3",
}  # fmt: skip
_COVER_NAMES = ("apic", "pic", "covr", "wm/picture", "metadata_block_picture", "coverart")

# mutagen class name -> our format name (anything else: the class name in lower case).
FORMAT_NAMES = {
    "MP3": "mp3", "EasyMP3": "mp3", "FLAC": "flac", "OggVorbis": "ogg-vorbis",
    "OggOpus": "opus", "OggSpeex": "speex", "OggFLAC": "ogg-flac", "OggTheora": "ogg-theora",
    "MP4": "m4a", "EasyMP4": "m4a", "ASF": "wma", "AIFF": "aiff", "WAVE": "wav",
    "MonkeysAudio": "ape", "WavPack": "wavpack", "Musepack": "musepack", "TAK": "tak",
    "DSF": "dsf", "DSDIFF": "dsdiff", "TrueAudio": "tta", "EasyTrueAudio": "tta",
    "OptimFROG": "optimfrog", "AAC": "aac", "AC3": "ac3", "SMF": "midi",
}  # fmt: skip


def clean_text(value: str) -> str:
    """Text fit for the store and a terminal: no control characters, lone surrogates or
    outer spaces, at most MAX_TAG_CHARS characters."""
    if len(value) <= MAX_TAG_CHARS and value.isprintable() and value.isascii():
        return value.strip()  # the common case, without the regex
    return _CONTROL.sub(" ", value[: MAX_TAG_CHARS * 2]).strip()[:MAX_TAG_CHARS]


def _texts(value: Any) -> list[str]:
    """The text values of one tag value of any tag system (binary values give none)."""
    if isinstance(value, list | tuple) and not _is_pair(value):
        return [text for item in value[:MAX_VALUES_PER_TAG] for text in _texts(item)]
    if _is_pair(value):  # MP4 trkn/disk: (number, total)
        number, total = value
        return [f"{number}/{total}" if total else str(number)]
    if isinstance(value, bool):
        return ["1" if value else "0"]
    if isinstance(value, bytes):  # MP4 free-form atoms, UFID data; covers are skipped earlier
        return [value.decode("utf-8", "replace")]
    if isinstance(value, int | float | str):
        return [str(value)]
    kind = type(value).__name__
    if kind == "APEBinaryValue" or kind == "ASFByteArrayAttribute":
        return []
    if kind == "APETextValue":
        return list(value)[:MAX_VALUES_PER_TAG]
    if hasattr(value, "value") and kind.startswith("ASF"):
        return _texts(value.value)
    return [str(value)]


def _is_pair(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value)


def _id3_items(tags: Any) -> Iterator[tuple[str, list[str]]]:
    for key, frame in tags.items():
        frame_id = key.split(":", 1)[0]
        if frame_id in ("APIC", "PIC", "GEOB", "PRIV", "MCDI", "SYLT", "USLT", "POPM"):
            continue
        if frame_id == "TCON":
            yield key, list(frame.genres)
        elif frame_id == "UFID":
            yield key, _texts(frame.data)
        elif hasattr(frame, "url"):  # WXXX, WOAF ...: links may hold Spotify URLs
            yield key, [str(frame.url)]
        elif frame_id == "COMM":
            yield "COMM", [str(text) for text in frame.text]
        elif hasattr(frame, "text"):
            yield key, [str(text) for text in frame.text][:MAX_VALUES_PER_TAG]


def _mp4_genre(values: Any) -> list[str]:
    from mutagen._constants import GENRES

    return [GENRES[n - 1] for n in values if isinstance(n, int) and 0 < n <= len(GENRES)]


def tag_items(audio: Any) -> Iterator[tuple[str, list[str]]]:
    """Every text tag of a mutagen file as (raw name, values), whatever the tag system."""
    tags = audio.tags
    if tags is None:
        return
    kind = type(tags).__name__
    if "ID3" in kind:
        yield from _id3_items(tags)
    elif kind == "MP4Tags":
        for key, value in tags.items():
            if key == "covr":
                continue
            yield key, _mp4_genre(value) if key == "gnre" else _texts(value)
    elif "VComment" in kind or "VCFLAC" in kind:  # Vorbis comments: a list of pairs
        for key, value in list(tags)[: MAX_VALUES_PER_TAG * 40]:
            if bare_name(key) not in _COVER_NAMES:
                yield key, [value]
    else:  # APEv2 (a mapping), ASF (pairs, a name may repeat)
        for key, value in list(tags.items())[: MAX_VALUES_PER_TAG * 40]:
            yield key, _texts(value)


def _has_cover(audio: Any) -> bool:
    if getattr(audio, "pictures", None):  # FLAC picture blocks
        return True
    tags = audio.tags
    if tags is None:
        return False
    try:
        names = [bare_name(str(key)).split(":", 1)[0] for key in tags.keys()]  # noqa: SIM118 (ASF iterates pairs)
    except (AttributeError, TypeError):
        names = []
    return any(name in _COVER_NAMES or name.startswith("cover art") for name in names)


def _number_pair(text: str | None) -> tuple[int | None, int | None]:
    match = _NUMBER.match(text or "")
    if not match:
        return None, None
    number = int(match.group(1)) or None
    total = int(match.group(2)) if match.group(2) else None
    return number, total or None


def _compilation(text: str | None) -> bool | None:
    if text is None:
        return None
    return text.strip().casefold() in ("1", "true", "yes", "y")


def _spotify_ids(values: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for text in values:
        for kind, spotify_id in _SPOTIFY.findall(text):
            found.setdefault(f"spotify_{kind}_id", spotify_id)
    return found


def tags_from_items(items: list[tuple[str, list[str]]]) -> TrackTags:
    """Fold raw (name, values) pairs into a TrackTags through the one name table."""
    best: dict[str, tuple[int, list[str]]] = {}
    every_text: list[str] = []
    for raw_name, raw_values in items:
        values = [text for text in map(clean_text, raw_values) if text]
        every_text.extend(text for text in values if "potify" in text)
        mapped = field_of(raw_name)
        if mapped is None or not values:
            continue
        field_name, rank = mapped
        held = best.get(field_name)
        if held is None or rank < held[0]:
            best[field_name] = (rank, list(values))
        elif rank == held[0] and field_name in MULTI_VALUE_FIELDS:
            held[1].extend(v for v in values if v not in held[1])

    def first(name: str) -> str | None:
        held = best.get(name)
        return held[1][0] if held else None

    def many(name: str) -> tuple[str, ...]:
        held = best.get(name)
        return tuple(dict.fromkeys(held[1]))[:MAX_VALUES_PER_TAG] if held else ()

    track, track_total = _number_pair(first("track_number"))
    disc, disc_total = _number_pair(first("disc_number"))
    date = first("date")
    year_match = _YEAR.search(date or "")
    spotify = _spotify_ids(every_text)
    track_id = first("spotify_track_id")
    album_id = first("spotify_album_id")
    isrc = first("isrc")
    return TrackTags(
        title=first("title"),
        artists=many("artists"),
        album=first("album"),
        album_artists=many("album_artists"),
        track_number=track,
        track_total=_number_pair(first("track_total"))[0] or track_total,
        disc_number=disc,
        disc_total=_number_pair(first("disc_total"))[0] or disc_total,
        date=date,
        year=int(year_match.group(1)) if year_match else None,
        original_date=first("original_date"),
        genres=many("genres"),
        isrc=isrc.replace("-", "").replace(" ", "").upper() if isrc else None,
        label=first("label"),
        catalog_number=first("catalog_number"),
        barcode=first("barcode"),
        musicbrainz_recording_id=first("musicbrainz_recording_id"),
        musicbrainz_release_id=first("musicbrainz_release_id"),
        musicbrainz_artist_ids=many("musicbrainz_artist_ids"),
        musicbrainz_release_group_id=first("musicbrainz_release_group_id"),
        spotify_track_id=(track_id if track_id and _BASE62_ID.match(track_id) else None)
        or spotify.get("spotify_track_id"),
        spotify_album_id=(album_id if album_id and _BASE62_ID.match(album_id) else None)
        or spotify.get("spotify_album_id"),
        compilation=_compilation(first("compilation")),
    )


def _tag_types(audio: Any) -> tuple[str, ...]:
    tags = audio.tags
    if tags is None:
        return ()
    kind = type(tags).__name__
    if "ID3" in kind:
        version = getattr(tags, "version", (2, 4, 0))
        return (f"id3v{version[0]}.{version[1]}" if version[0] == 2 else "id3v1",)
    return {"MP4Tags": ("mp4",), "APEv2": ("ape",), "ASFTags": ("asf",)}.get(kind, ("vorbis",))


def _stream(audio: Any) -> StreamInfo:
    info = audio.info
    length = getattr(info, "length", None)
    bitrate = getattr(info, "bitrate", None)
    rate = getattr(info, "sample_rate", None)
    channels = getattr(info, "channels", None)
    name = type(audio).__name__
    return StreamInfo(
        format=FORMAT_NAMES.get(name, name.lower()),
        duration_s=round(float(length), 3) if length else None,
        bitrate=int(bitrate) if bitrate else None,
        sample_rate=int(rate) if rate else None,
        channels=int(channels) if channels else None,
        has_cover=_has_cover(audio),
        tag_types=_tag_types(audio),
    )


def _reason(exc: BaseException) -> str:
    """A sentence a person understands for why a file could not be read."""
    if isinstance(exc, FileNotFoundError):
        return "the file vanished during the scan"
    if isinstance(exc, PermissionError):
        return "no permission to read the file"
    if isinstance(exc, IsADirectoryError):
        return "this is a folder, not a file"
    if isinstance(exc, OSError):
        return f"the file could not be read ({exc.strerror or exc})"
    detail = clean_text(str(exc))[:200]
    if detail in ("", "error"):
        return "the file is damaged or cut short"
    return f"the file is damaged or not the audio format its name says ({detail})"


@cache
def _kinds() -> list[Any]:
    """The file types mutagen.File chooses from (its own list, non-easy variants)."""
    from mutagen.aac import AAC
    from mutagen.ac3 import AC3
    from mutagen.aiff import AIFF
    from mutagen.apev2 import APEv2File
    from mutagen.asf import ASF
    from mutagen.dsdiff import DSDIFF
    from mutagen.dsf import DSF
    from mutagen.flac import FLAC
    from mutagen.monkeysaudio import MonkeysAudio
    from mutagen.mp3 import MP3
    from mutagen.mp4 import MP4
    from mutagen.musepack import Musepack
    from mutagen.oggflac import OggFLAC
    from mutagen.oggopus import OggOpus
    from mutagen.oggspeex import OggSpeex
    from mutagen.oggtheora import OggTheora
    from mutagen.oggvorbis import OggVorbis
    from mutagen.optimfrog import OptimFROG
    from mutagen.smf import SMF
    from mutagen.tak import TAK
    from mutagen.trueaudio import TrueAudio
    from mutagen.wave import WAVE
    from mutagen.wavpack import WavPack

    return [MP3, TrueAudio, OggTheora, OggSpeex, OggVorbis, OggFLAC, FLAC, AIFF, APEv2File,
            MP4, WavPack, Musepack, MonkeysAudio, OptimFROG, ASF, OggOpus, AAC, AC3, SMF,
            TAK, DSF, DSDIFF, WAVE]  # fmt: skip


def _by_content(path: bytes) -> Any:
    """Open a file by its first bytes alone, ignoring its extension (a FLAC named .mp3)."""
    with open(path, "rb") as handle:
        header = handle.read(128)
        scored = sorted(
            ((kind.score("", handle, header), kind.__name__, kind) for kind in _kinds()),
            key=lambda item: item[:2],
        )
    score, _name, kind = scored[-1]
    return kind(os.fsdecode(path)) if score > 0 else None


@cache
def _kind_by_extension() -> dict[bytes, Any]:
    """Extensions that name one mutagen type: opened directly, without scoring every type."""
    kinds = {kind.__name__: kind for kind in _kinds()}
    return {ext.encode(): kinds[name] for ext, name in UNAMBIGUOUS_EXTENSIONS.items()}


def _open(path: bytes) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mutagen warns about odd frames; we judge the result
        kind = _kind_by_extension().get(os.path.splitext(path)[1].lower())
        if kind is not None:
            try:
                return kind(os.fsdecode(path))
            except MutagenError:
                pass  # the extension may lie: let mutagen choose, then look at the content
        try:
            return mutagen.File(os.fsdecode(path))
        except MutagenError as first:
            try:
                audio = _by_content(path)  # the extension may lie
            except MutagenError:
                raise first from None
            if audio is None:
                raise
            return audio


def read_file(
    path: bytes | str | os.PathLike[str],
    *,
    size: int | None = None,
    mtime_ns: int | None = None,
    root: bytes | str | None = None,
) -> FileRead:
    """Read one file's stream and tags; a bad file gives a record with status "error".

    `size` and `mtime_ns` come from the walk when known (saves one stat call); `root`, the
    scanned folder, keeps the filename fallback from taking folders above it as artist.
    """
    raw = os.fsencode(path)
    try:
        if size is None or mtime_ns is None:
            stat = os.stat(raw)
            size, mtime_ns = stat.st_size, stat.st_mtime_ns
        if size == 0:
            return FileRead(raw, 0, mtime_ns, STATUS_ERROR, "the file is empty (0 bytes)")
        audio = _open(raw)
        if audio is None:
            return FileRead(
                raw,
                size,
                mtime_ns,
                STATUS_ERROR,
                "not an audio file (its first bytes match no audio format)",
            )
        stream = _stream(audio)
        tags = tags_from_items(list(tag_items(audio)))
    except (MutagenError, OSError) as exc:
        return FileRead(raw, size or 0, mtime_ns or 0, STATUS_ERROR, _reason(exc))
    except Exception as exc:  # a mutagen bug on a strange file: log it, keep scanning
        log.warning("mutagen failed on %r: %r", raw, exc)
        return FileRead(raw, size or 0, mtime_ns or 0, STATUS_ERROR, _reason(exc))
    tags = guess_from_path(tags, raw, root=root)
    return FileRead(raw, size, mtime_ns, STATUS_OK, stream=stream, tags=tags)


def read_opened(
    path: bytes | str | os.PathLike[str],
    audio: Any,
    *,
    root: bytes | str | None = None,
    stat_of: bytes | str | None = None,
) -> FileRead:
    """`read_file` of a file already opened by mutagen as `audio` (the tag writer has just
    read it back): the same record, without opening it again; `stat_of`: the file whose
    size and modification time it gets (the copy about to be renamed to `path`)."""
    raw = os.fsencode(path)
    stat = os.stat(stat_of if stat_of is not None else raw)
    tags = guess_from_path(tags_from_items(list(tag_items(audio))), raw, root=root)
    return FileRead(
        raw, stat.st_size, stat.st_mtime_ns, STATUS_OK, stream=_stream(audio), tags=tags
    )
