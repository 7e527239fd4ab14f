"""Write valid, tiny FLAC files of silence of any length (no encoder needed).

Each frame holds one CONSTANT subframe (all samples zero), so three minutes of 44.1 kHz
mono take about 6 KB. Used for the demo library, the tests and the benchmarks: real
files that any FLAC reader (mutagen, flac -t, players) accepts, with exact durations.
"""

from __future__ import annotations

import os
from functools import cache

SAMPLE_RATE = 44_100
BLOCK_SIZE = 16_384  # samples per frame; the largest "streamable subset" size at 44.1 kHz
_BLOCK_SIZE_CODE = 0b1110  # 2 ** (14) = 16384
_RATE_CODE = 0b1001  # 44.1 kHz
_MONO = 0b0000
_BITS_16 = 0b100


@cache
def _crc8_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
        table.append(crc)
    return tuple(table)


@cache
def _crc16_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x8005) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
        table.append(crc)
    return tuple(table)


def _crc8(data: bytes) -> int:
    table = _crc8_table()
    crc = 0
    for byte in data:
        crc = table[crc ^ byte]
    return crc


def _crc16(data: bytes) -> int:
    table = _crc16_table()
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFF) ^ table[(crc >> 8) ^ byte]
    return crc


def _utf8_number(value: int) -> bytes:
    """FLAC's UTF-8-like coding of the frame number."""
    if value < 0x80:
        return bytes([value])
    if value < 0x800:
        return bytes([0xC0 | (value >> 6), 0x80 | (value & 0x3F)])
    if value < 0x10000:
        return bytes([0xE0 | (value >> 12), 0x80 | ((value >> 6) & 0x3F), 0x80 | (value & 0x3F)])
    return bytes(
        [
            0xF0 | (value >> 18),
            0x80 | ((value >> 12) & 0x3F),
            0x80 | ((value >> 6) & 0x3F),
            0x80 | (value & 0x3F),
        ]
    )


def _frame(number: int, samples: int) -> bytes:
    if samples == BLOCK_SIZE:
        size_code, size_extra = _BLOCK_SIZE_CODE, b""
    else:  # the last, shorter frame: 16-bit (blocksize - 1) after the frame number
        size_code, size_extra = 0b0111, (samples - 1).to_bytes(2, "big")
    header = bytes(
        [
            0xFF,
            0xF8,  # sync code, reserved bit, fixed block size
            (size_code << 4) | _RATE_CODE,
            (_MONO << 4) | (_BITS_16 << 1),
        ]
    )
    header += _utf8_number(number) + size_extra
    header += bytes([_crc8(header)])
    body = header + b"\x00" + b"\x00\x00"  # CONSTANT subframe, value 0 (16 bits)
    return body + _crc16(body).to_bytes(2, "big")


def silent_flac_bytes(duration_ms: int) -> bytes:
    """The bytes of a mono 16-bit 44.1 kHz FLAC file of silence lasting `duration_ms`."""
    total = max(1, round(duration_ms * SAMPLE_RATE / 1000))
    info = bytearray()
    info += BLOCK_SIZE.to_bytes(2, "big") * 2  # min and max block size
    info += (0).to_bytes(3, "big") * 2  # min and max frame size: unknown
    packed = (SAMPLE_RATE << 44) | (0 << 41) | (15 << 36) | total  # rate, channels-1, bits-1
    info += packed.to_bytes(8, "big")
    info += bytes(16)  # MD5 of the audio: unknown
    out = bytearray(b"fLaC")
    out += bytes([0x80 | 0]) + len(info).to_bytes(3, "big") + info  # last block: STREAMINFO
    full, rest = divmod(total, BLOCK_SIZE)
    for number in range(full):
        out += _frame(number, BLOCK_SIZE)
    if rest:
        out += _frame(full, rest)
    return bytes(out)


def write_silent_flac(path: str | os.PathLike[str], duration_ms: int) -> None:
    """Write a FLAC file of silence; tag it afterwards with mutagen."""
    with open(path, "wb") as handle:
        handle.write(silent_flac_bytes(duration_ms))
