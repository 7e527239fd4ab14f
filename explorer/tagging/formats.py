"""Reading and writing the tags of one file with mutagen, whatever its tag system.

Five tag systems cover every format mutagen writes: ID3 (MP3, AIFF, WAV, DSF, DSDIFF,
TrueAudio), Vorbis comments (FLAC, Ogg Vorbis, Opus, Speex, Ogg FLAC), MP4 atoms (M4A),
APEv2 (WavPack, Musepack, Monkey's Audio, OptimFROG, TAK) and ASF (WMA).

A tag is read two ways: *plain* (a list of texts, what the plan compares and the preview
shows) and *raw* (a JSON value that rebuilds the tag exactly: its ID3 text encoding, an
MP4 atom's data type, an ASF attribute's type; what the journal keeps for undo). Only
the names a plan touches are ever set or deleted; everything else in the file is left
as mutagen read it, and ID3 tags are saved in the version they had.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import os
import warnings
from dataclasses import dataclass
from typing import Any, BinaryIO

import mutagen
from mutagen import MutagenError, id3
from mutagen.apev2 import APEValue
from mutagen.asf import ASFValue
from mutagen.mp4 import AtomDataType, MP4FreeForm

from explorer.library.tags import FORMAT_NAMES

# ID3v2.4 frames mutagen's update_to_v23 would drop that real v2.3 files carry (iTunes
# writes the sort orders): kept through a v2.3 save as they were.
_V24_ONLY_KEPT = ("TSOA", "TSOP", "TSOT", "TSST", "TMOO", "TPRO", "TDRL", "TDEN", "TDTG")


class UnwritableError(Exception):
    """A file this module cannot write; the message is a sentence for the user."""


@dataclass
class TagFile:
    """One audio file opened by mutagen for writing, and its tag system."""

    path: str
    audio: Any
    system: str  # id3 | vorbis | ape | mp4 | asf
    id3_version: int = 4  # 3 or 4, for ID3

    @property
    def format(self) -> str:
        name = type(self.audio).__name__
        return FORMAT_NAMES.get(name, name.lower())

    @property
    def tags(self) -> Any:
        return self.audio.tags


def _system(tags: Any) -> str:
    kind = type(tags).__name__
    if "ID3" in kind:
        return "id3"
    if kind == "MP4Tags":
        return "mp4"
    if kind == "APEv2":
        return "ape"
    if kind == "ASFTags":
        return "asf"
    return "vorbis"


# The mutagen class (module.Class) of each format whose tags are written.
_KIND_CLASSES = (
    "mp3.MP3", "flac.FLAC", "oggvorbis.OggVorbis", "oggopus.OggOpus", "oggspeex.OggSpeex",
    "oggflac.OggFLAC", "mp4.MP4", "asf.ASF", "aiff.AIFF", "wave.WAVE", "wavpack.WavPack",
    "musepack.Musepack", "dsf.DSF", "dsdiff.DSDIFF", "trueaudio.TrueAudio",
    "monkeysaudio.MonkeysAudio", "tak.TAK", "optimfrog.OptimFROG",
)  # fmt: skip


def _kinds() -> dict[str, type[Any]]:
    """The mutagen class of each format name (as FORMAT_NAMES) that names one kind."""
    found: dict[str, type[Any]] = {}
    for dotted in _KIND_CLASSES:
        module, name = dotted.split(".")
        found[FORMAT_NAMES[name]] = getattr(importlib.import_module(f"mutagen.{module}"), name)
    return found


_KINDS = _kinds()


def open_tags(
    path: str | os.PathLike[str] | BinaryIO,
    *,
    like: TagFile | None = None,
    format_name: str = "",
) -> TagFile:
    """Open a file for writing its tags (adding an empty tag when it has none): by its
    path, or a file object (read from its start; its `name`, a str, tells its kind);
    `like`: a copy of that file, opened as the same type whatever its name;
    `format_name`: the format it had when it was read (as FORMAT_NAMES), which spares
    mutagen guessing it (when the file is unchanged since)."""
    if isinstance(path, str | os.PathLike):
        name: str | BinaryIO = os.fspath(path)
        label = str(name)
    else:
        name, label = path, str(getattr(path, "name", ""))
        path.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if like is not None:
                audio = type(like.audio)(name)
            elif format_name in _KINDS:
                audio = _KINDS[format_name](name)
            else:
                audio = mutagen.File(name)
    except FileNotFoundError as exc:
        raise UnwritableError("the file is gone") from exc
    except PermissionError as exc:
        raise UnwritableError("no permission to read the file") from exc
    except (MutagenError, OSError) as exc:
        raise UnwritableError(f"the file cannot be read ({exc})") from exc
    if audio is None:
        raise UnwritableError("not an audio format whose tags can be written")
    if audio.tags is None:
        try:
            audio.add_tags()
        except (MutagenError, NotImplementedError, AttributeError) as exc:
            raise UnwritableError(f"{type(audio).__name__} files cannot hold tags") from exc
    system = _system(audio.tags)
    version = 4
    if system == "id3":
        major = tuple(getattr(audio.tags, "version", (2, 4, 0)))
        if major[:2] == (2, 2):
            raise UnwritableError(
                "its ID3v2.2 tag is a version mutagen cannot write; convert the file's tags "
                "to ID3v2.3 or 2.4 with another tagger first"
            )
        version = 3 if major[:2] == (2, 3) else 4
    return TagFile(label, audio, system, version)


# -- reading -------------------------------------------------------------------------


def read_plain(tag_file: TagFile, name: str) -> list[str] | None:
    """The texts of one tag (None: absent)."""
    tags, system = tag_file.tags, tag_file.system
    if system == "id3":
        frame = tags.get(name)
        if frame is None:
            return None
        if hasattr(frame, "url"):
            return [str(frame.url)]
        return [str(text) for text in frame.text]
    if system == "vorbis":
        return list(tags[name]) if name in tags else None
    if system == "ape":
        if name not in tags:
            return None
        value = tags[name]
        return list(value) if value.kind == 0 else [repr(value)]
    if system == "mp4":
        if name not in tags:
            return None
        return [_mp4_text(item) for item in tags[name]]
    if name not in tags:
        return None
    return [str(attribute.value) for attribute in tags[name]]


def _mp4_text(item: Any) -> str:
    if isinstance(item, MP4FreeForm):
        return bytes(item).decode("utf-8", "replace")
    if isinstance(item, tuple):
        number, total = item
        return f"{number}/{total}" if total else str(number)
    return str(item)


def read_raw(tag_file: TagFile, name: str) -> Any:
    """One tag as a JSON value that `write_raw` turns back into the same tag (None: absent)."""
    tags, system = tag_file.tags, tag_file.system
    if system == "id3":
        frame = tags.get(name)
        if frame is None:
            return None
        if hasattr(frame, "url"):
            return {"url": str(frame.url)}
        raw = {
            "encoding": _id3_encoding_read(tag_file, frame),
            "text": [str(t) for t in frame.text],
        }
        if hasattr(frame, "desc"):
            raw["desc"] = frame.desc
        return raw
    if system == "vorbis":
        return list(tags[name]) if name in tags else None
    if system == "ape":
        if name not in tags:
            return None
        value = tags[name]
        if value.kind == 0:
            return {"kind": 0, "text": list(value)}
        return {"kind": int(value.kind), "b64": base64.b64encode(bytes(value.value)).decode()}
    if system == "mp4":
        if name not in tags:
            return None
        return [_mp4_raw(item) for item in tags[name]]
    if name not in tags:
        return None
    return [_asf_raw(attribute) for attribute in tags[name]]


# ID3v2.3 dates are TYER / TDAT frames, read by mutagen as a v2.4 TDRC whose encoding it
# does not keep (0 after a v2.3 save): compared without it.
_V23_DATES = frozenset({"TDRC", "TDOR"})


def _id3_encoding_read(tag_file: TagFile, frame: Any) -> int:
    if tag_file.id3_version == 3 and frame.FrameID in _V23_DATES:
        return 0
    return int(frame.encoding)


def _id3_digest_text(tag_file: TagFile, frame: Any) -> str:
    if tag_file.id3_version == 3 and frame.FrameID in _V23_DATES:
        return frame.FrameID + "|".join(map(str, frame.text))
    return repr(frame)


def _mp4_raw(item: Any) -> dict[str, Any]:
    if isinstance(item, MP4FreeForm):
        return {"b64": base64.b64encode(bytes(item)).decode(), "format": int(item.dataformat)}
    if isinstance(item, tuple):
        return {"pair": list(item)}
    if isinstance(item, bool):
        return {"bool": item}
    if isinstance(item, int):
        return {"int": item}
    return {"text": str(item)}


def _asf_raw(attribute: Any) -> dict[str, Any]:
    value = attribute.value
    if isinstance(value, bytes | bytearray):
        return {"type": attribute.TYPE, "b64": base64.b64encode(bytes(value)).decode()}
    return {"type": attribute.TYPE, "value": value}


# -- writing -------------------------------------------------------------------------


def write_plain(tag_file: TagFile, name: str, texts: list[str]) -> None:
    """Set one tag to these texts, keeping its encoding or data type when it exists."""
    tags, system = tag_file.tags, tag_file.system
    if system == "id3":
        _write_id3(tag_file, name, texts)
    elif system == "vorbis" or system == "ape":
        tags[name] = list(texts)
    elif system == "mp4":
        tags[name] = _mp4_values(tags.get(name), name, texts)
    else:
        old = tags[name][0] if tags.get(name) else None
        kind = old.TYPE if old is not None else 0
        if kind in (2, 3, 4, 5) and all(text.isdigit() for text in texts):
            tags[name] = [ASFValue(int(text), kind) for text in texts]
        else:
            tags[name] = [ASFValue(text, 0) for text in texts]


def _id3_encoding(tag_file: TagFile, name: str, texts: list[str]) -> int:
    """The frame's own encoding, unless Latin-1 cannot hold the texts; else UTF-16 in
    v2.3 (which has no UTF-8), UTF-8 in v2.4."""
    frame = tag_file.tags.get(name)
    if frame is not None and hasattr(frame, "encoding"):
        encoding = int(frame.encoding)
        if encoding != 0 or all(_latin1(text) for text in texts):
            return encoding
    return 1 if tag_file.id3_version == 3 else 3


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _write_id3(tag_file: TagFile, name: str, texts: list[str]) -> None:
    tags = tag_file.tags
    frame_id, _, desc = name.partition(":")
    encoding = _id3_encoding(tag_file, name, texts)
    tags.delall(name)
    if frame_id == "WOAS":
        tags.add(id3.WOAS(url=texts[0]))
    elif frame_id == "TXXX":
        tags.add(id3.TXXX(encoding=encoding, desc=desc, text=texts))
    else:
        tags.add(getattr(id3, frame_id)(encoding=encoding, text=texts))


def _mp4_values(old: Any, name: str, texts: list[str]) -> list[Any]:
    if name.startswith("----:"):
        kind = old[0].dataformat if old and isinstance(old[0], MP4FreeForm) else AtomDataType.UTF8
        return [MP4FreeForm(text.encode("utf-8"), dataformat=kind) for text in texts]
    if name in ("trkn", "disk"):
        number, _, total = texts[0].partition("/")
        return [(int(number), int(total or 0))]
    if name == "tmpo":
        return [int(text) for text in texts]
    return list(texts)


def write_raw(tag_file: TagFile, name: str, raw: Any) -> None:
    """Put one tag back as `read_raw` saw it; None removes it."""
    tags, system = tag_file.tags, tag_file.system
    if raw is None:
        delete(tag_file, name)
        return
    if system == "id3":
        frame_id = name.split(":", 1)[0]
        tags.delall(name)
        if "url" in raw:
            tags.add(getattr(id3, frame_id)(url=raw["url"]))
        elif "desc" in raw:
            tags.add(
                getattr(id3, frame_id)(encoding=raw["encoding"], desc=raw["desc"], text=raw["text"])
            )
        else:
            tags.add(getattr(id3, frame_id)(encoding=raw["encoding"], text=raw["text"]))
    elif system == "vorbis":
        tags[name] = list(raw)
    elif system == "ape":
        if raw["kind"] == 0:
            tags[name] = list(raw["text"])
        else:
            tags[name] = APEValue(base64.b64decode(raw["b64"]), raw["kind"])
    elif system == "mp4":
        tags[name] = [_mp4_item(item) for item in raw]
    else:
        tags[name] = [
            ASFValue(
                base64.b64decode(item["b64"]) if "b64" in item else item["value"], item["type"]
            )
            for item in raw
        ]


def _mp4_item(item: dict[str, Any]) -> Any:
    if "b64" in item:
        return MP4FreeForm(base64.b64decode(item["b64"]), dataformat=item["format"])
    if "pair" in item:
        return tuple(item["pair"])
    if "bool" in item:
        return item["bool"]
    if "int" in item:
        return item["int"]
    return item["text"]


def delete(tag_file: TagFile, name: str) -> None:
    """Remove one tag (nothing happens when it is absent)."""
    tags = tag_file.tags
    if tag_file.system == "id3":
        tags.delall(name)
    elif name in tags:
        del tags[name]


def save(tag_file: TagFile, into: str | BinaryIO | None = None) -> None:
    """Write the tags into the file, ID3 in the version it had; `into`: into an exact
    copy of the file instead (a path or a file object; the file itself is left as it is)."""
    audio = tag_file.audio
    if into is not None and not isinstance(into, str):
        into.seek(0)
    where = () if into is None else (into,)
    if tag_file.system != "id3":
        audio.save(*where)
        return
    if tag_file.id3_version == 3:
        tags = tag_file.tags
        kept = [frame for key in _V24_ONLY_KEPT for frame in tags.getall(key)]
        for key in _V24_ONLY_KEPT:
            tags.delall(key)
        tags.update_to_v23()
        for frame in kept:
            tags.add(frame)
        audio.save(*where, v2_version=3, v23_sep=None)  # values read apart stay apart
    else:
        audio.save(*where, v2_version=4)


def other_tags(tag_file: TagFile, skip: set[str]) -> dict[str, str]:
    """A digest of every tag (and picture) not named in `skip`: equal before and after a
    write when nothing else in the file changed."""
    tags = tag_file.tags
    skip_folded = {name.casefold() for name in skip}
    found: dict[str, list[str]] = {}
    if tags is not None:
        if tag_file.system == "vorbis":
            items: list[tuple[str, Any]] = [(k.casefold(), v) for k, v in list(tags)]
        elif tag_file.system == "id3":
            items = [(k, _id3_digest_text(tag_file, frame)) for k, frame in tags.items()]
        else:
            items = [(str(k), repr(v)) for k, v in tags.items()]
        for key, value in items:
            if key.casefold() not in skip_folded:
                found.setdefault(key, []).append(str(value))
    for index, picture in enumerate(getattr(tag_file.audio, "pictures", None) or ()):
        found[f"picture {index}"] = [hashlib.sha1(picture.write()).hexdigest()]
    return {
        key: hashlib.sha1("\x00".join(values).encode("utf-8", "surrogatepass")).hexdigest()
        for key, values in found.items()
    }


def length_of(tag_file: TagFile) -> float | None:
    length = getattr(tag_file.audio.info, "length", None)
    return float(length) if length is not None else None
