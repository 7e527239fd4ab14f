"""A hash of a file's audio alone, outside its tags: equal before and after a tag write.

Each container is cut where its tags live: FLAC's metadata blocks, Ogg's comment
packet, MP4's atoms other than `mdat`, ASF's header object, the ID3 chunk of RIFF / IFF /
DSDIFF files and DSF's trailing ID3, and the ID3v2 / APEv2 / ID3v1 blocks at either end
of every other file (MP3, WavPack, Musepack, TrueAudio, ...). What is left, in the order
of the file, is hashed: from a file, from a file object (the tag writer hashes the copy it
holds in memory), or while a file is being copied (`copy_hashing`: read once).
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

# Bytes read at a time while hashing or copying.
READ_CHUNK = 1 << 20

_ASF_HEADER = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_APE_FOOTER = b"APETAGEX"

Ranges = list[tuple[int, int]]


def audio_hash(path: str | bytes | os.PathLike[str], format_name: str) -> str:
    """The hex SHA-1 of the audio part of one file (`format_name` as tags.FORMAT_NAMES)."""
    with open(path, "rb") as handle:
        return hash_ranges(handle, audio_ranges(handle, format_name))


def audio_ranges(handle: BinaryIO, format_name: str) -> Ranges:
    """Where a file's audio lies: sorted, merged (start, end) byte ranges."""
    size = handle.seek(0, os.SEEK_END)
    ranges = sorted(
        (max(start, 0), min(end, size))
        for start, end in _audio_ranges(handle, size, format_name)
        if min(end, size) > max(start, 0)
    )
    merged: Ranges = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def hash_ranges(handle: BinaryIO, ranges: Ranges) -> str:
    """The hex SHA-1 of these byte ranges of a file object."""
    digest = hashlib.sha1()
    for start, end in ranges:
        handle.seek(start)
        left = end - start
        while left > 0:
            block = handle.read(min(READ_CHUNK, left))
            if not block:
                break
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def copy_hashing(source: BinaryIO, target: BinaryIO, ranges: Ranges) -> str:
    """Copy all of `source` into `target` (both from their start), hashing on the way the
    bytes in `ranges` (as `audio_ranges` gives them): what `hash_ranges` of the source
    gives, with the source read once."""
    digest = hashlib.sha1()
    source.seek(0)
    target.seek(0)
    at = 0
    pending = iter(ranges)
    current = next(pending, None)
    while block := source.read(READ_CHUNK):
        target.write(block)
        view = memoryview(block)
        end = at + len(block)
        while current is not None and current[0] < end:
            start, stop = max(current[0], at), min(current[1], end)
            digest.update(view[start - at : stop - at])
            if current[1] > end:
                break
            current = next(pending, None)
        at = end
    target.truncate()
    return digest.hexdigest()


def _audio_ranges(handle: BinaryIO, size: int, format_name: str) -> list[tuple[int, int]]:
    if format_name == "flac":
        return [(_flac_audio_start(handle), size)]
    if format_name in ("ogg-vorbis", "opus", "speex", "ogg-flac", "ogg-theora"):
        return list(_ogg_ranges(handle, size))
    if format_name == "m4a":
        return [
            (s, e) for kind, s, e in _atoms(handle, 0, size, big=True, wide=4) if kind == b"mdat"
        ]
    if format_name == "wma":
        return [(s - 24, e) for guid, s, e in _asf_objects(handle, size) if guid != _ASF_HEADER]
    if format_name in ("wav", "aiff", "dsdiff"):
        return _iff_ranges(handle, size, format_name)
    if format_name == "dsf":
        return [(28, _dsf_audio_end(handle, size))]
    return [_trimmed(handle, size)]


def _id3v2_size(handle: BinaryIO, at: int) -> int:
    handle.seek(at)
    header = handle.read(10)
    if len(header) < 10 or header[:3] != b"ID3":
        return 0
    body = (header[6] << 21) | (header[7] << 14) | (header[8] << 7) | header[9]
    footer = 10 if header[5] & 0x10 else 0
    return 10 + body + footer


def _trimmed(handle: BinaryIO, size: int) -> tuple[int, int]:
    """The file without an ID3v2 tag at its start and APEv2 / ID3v1 tags at its end."""
    start = 0
    while start < size and (tag := _id3v2_size(handle, start)):
        start += tag
    end = size
    for _ in range(3):  # ID3v1, APEv2 (with or without header), in either order
        if end - start >= 128:
            handle.seek(end - 128)
            if handle.read(3) == b"TAG":
                end -= 128
                continue
        if end - start >= 32:
            handle.seek(end - 32)
            footer = handle.read(32)
            if footer[:8] == _APE_FOOTER:
                tag_size, _items, flags = struct.unpack("<III", footer[12:24])
                end -= tag_size + (32 if flags & 0x80000000 else 0)
                continue
        break
    return start, max(start, end)


def _flac_audio_start(handle: BinaryIO) -> int:
    at = _id3v2_size(handle, 0)
    handle.seek(at)
    if handle.read(4) != b"fLaC":
        return at
    at += 4
    while True:
        handle.seek(at)
        header = handle.read(4)
        if len(header) < 4:
            return at
        at += 4 + int.from_bytes(header[1:4], "big")
        if header[0] & 0x80:
            return at


def _ogg_ranges(handle: BinaryIO, size: int) -> Iterator[tuple[int, int]]:
    """Every page's packet data except the comment packet's (the stream's second packet)
    and the page headers (their sequence numbers and CRCs change when it grows)."""
    at = 0
    packet = 0  # index of the packet the next segment belongs to (first stream)
    serial: int | None = None
    while at + 27 <= size:
        handle.seek(at)
        header = handle.read(27)
        if header[:4] != b"OggS":
            return
        page_serial = struct.unpack("<I", header[14:18])[0]
        count = header[26]
        lacing = handle.read(count)
        body = at + 27 + count
        if serial is None:
            serial = page_serial
        offset = body
        for value in lacing:
            if page_serial != serial or packet != 1:
                yield offset, offset + value
            offset += value
            if value < 255 and page_serial == serial:
                packet += 1
        if page_serial == serial and packet >= 2 and header[6:14] != bytes(8):
            yield at + 6, at + 14  # an audio page's granule position: where it ends in time
        at = offset


def _atoms(
    handle: BinaryIO, start: int, end: int, *, big: bool, wide: int
) -> Iterator[tuple[bytes, int, int]]:
    """(kind, data start, data end) of the boxes between start and end."""
    at = start
    while at + 8 <= end:
        handle.seek(at)
        head = handle.read(8)
        length, kind = struct.unpack(">I4s" if big else "<I4s", head)
        data = at + 8
        if length == 1:
            length = struct.unpack(">Q", handle.read(8))[0]
            data += 8
        elif length == 0:
            length = end - at
        if length < data - at:
            return
        yield kind, data, min(at + length, end)
        at += length


def _asf_objects(handle: BinaryIO, size: int) -> Iterator[tuple[bytes, int, int]]:
    at = 0
    while at + 24 <= size:
        handle.seek(at)
        head = handle.read(24)
        guid, length = head[:16], struct.unpack("<Q", head[16:24])[0]
        if length < 24:
            return
        yield guid, at + 24, min(at + length, size)
        at += length


def _iff_ranges(handle: BinaryIO, size: int, format_name: str) -> list[tuple[int, int]]:
    """Every chunk of a RIFF (WAV), FORM (AIFF) or FRM8 (DSDIFF) file but the ID3 one."""
    if format_name == "dsdiff":
        head_size, wide, big = 16, 8, True
    else:
        head_size, wide, big = 12, 4, format_name == "aiff"
    ranges = [(head_size - 4, head_size)]  # the form type: "WAVE", "AIFF", "DSD "
    at = head_size
    while at + 4 + wide <= size:
        handle.seek(at)
        kind = handle.read(4)
        raw = handle.read(wide)
        if wide == 8:
            length = struct.unpack(">Q", raw)[0]
        else:
            length = struct.unpack(">I" if big else "<I", raw)[0]
        end = min(at + 4 + wide + length + (length & 1 if wide == 4 else 0), size)
        if kind.strip().upper() != b"ID3":
            ranges.append((at, end))
        if end <= at:
            break
        at = end
    return ranges


def _dsf_audio_end(handle: BinaryIO, size: int) -> int:
    """DSF: the header, fmt and data chunks; the ID3 tag sits after them."""
    handle.seek(20)
    metadata = struct.unpack("<Q", handle.read(8))[0]
    return metadata if 28 < metadata <= size else size
