"""Demo cover art: a coloured square with the album's (or artist's) initials, written as PNG
without any imaging library into the cover cache, named as the window looks covers up."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from anyascii import anyascii

from explorer.catalog import Catalog
from explorer.paths import cover_cache_dir, cover_name

COVER_PX = 240  # side of a demo cover; the window shows covers 216 pixels high
GLYPH_SCALE = 16  # pixels per dot of the 5x7 font: two letters take 176 of the 240 pixels
# Covers written at most per kind (albums, artists): a demo of millions of tracks keeps a
# cache of a few tens of MB (a cover is about 1 KB) and is written in seconds.
MAX_COVERS = 20_000
IMAGE_WIDTH = 640  # the catalog lists 640, 300 and 64 pixel images; the window shows 640

# A 5x7 dot font for the initials (letters and digits; anything else shows as "#").
_FONT = {
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110",
    "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111",
    "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 11001 10101 10011 10001 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010",
    "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100",
    "Z": "11111 00001 00010 00100 01000 10000 11111",
    "0": "01110 10001 10011 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111",
    "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    "#": "01010 01010 11111 01010 11111 01010 01010",
}

ProgressCallback = Callable[[int, int], None]


def initials(name: str) -> str:
    """Up to two letters or digits: the first of the first two words (transliterated)."""
    words = [w for w in anyascii(name or "").upper().split() if any(c.isalnum() for c in w)]
    letters = [next(c for c in word if c.isalnum()) for word in words[:2]]
    return "".join(c if c in _FONT else "#" for c in letters) or "#"


def colour_of(key: str) -> tuple[int, int, int]:
    """A muted colour chosen by the key (the same key, the same colour)."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=3).digest()
    return tuple(60 + value * 140 // 255 for value in digest)  # type: ignore[return-value]


def cover_png(name: str, key: str, *, size: int = COVER_PX) -> bytes:
    """A PNG: the initials of `name` in white on a square of the colour of `key` (two
    colours, one bit a pixel: about 1 KB, written in a tenth of a millisecond)."""
    text = initials(name)
    scale = max(1, size * GLYPH_SCALE // COVER_PX)
    gap = scale
    width = len(text) * 5 * scale + (len(text) - 1) * gap
    left = (size - width) // 2
    top = (size - 7 * scale) // 2
    row_bytes = (size + 7) // 8
    plain_line = bytes(1 + row_bytes)  # filter byte 0, then every pixel colour 0
    glyph_lines = []
    for dot_row in range(7):
        bits = ["0"] * (row_bytes * 8)
        for index, char in enumerate(text):
            dots = _FONT[char].split()[dot_row]
            x0 = left + index * (5 * scale + gap)
            for column, dot in enumerate(dots):
                if dot == "1":
                    start = x0 + column * scale
                    bits[start : start + scale] = ["1"] * scale
        glyph_lines.append(b"\x00" + int("".join(bits), 2).to_bytes(row_bytes, "big"))
    lines = [
        glyph_lines[(y - top) // scale] if top <= y < top + 7 * scale else plain_line
        for y in range(size)
    ]
    palette = bytes(colour_of(key)) + b"\xff\xff\xff"
    return _png(size, size, palette, b"".join(lines))


def _png(width: int, height: int, palette: bytes, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 3, 0, 0, 0)  # 1 bit, palette
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"PLTE", palette)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def write_demo_covers(
    catalog: Catalog,
    folder: Path | None = None,
    *,
    limit: int = MAX_COVERS,
    progress: ProgressCallback | None = None,
) -> int:
    """Covers for the demo's first `limit` albums and artists (by rowid), in the cover cache
    (or `folder`) under the names the window looks for; returns how many were written."""
    target = folder or cover_cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    queries = (
        "SELECT i.url, a.name, a.id FROM album_images i JOIN albums a ON a.rowid = i.album_rowid "
        "WHERE i.album_rowid <= ? AND i.width = ?",
        "SELECT i.url, a.name, a.id FROM artist_images i JOIN artists a ON a.rowid = i.artist_rowid "
        "WHERE i.artist_rowid <= ? AND i.width = ?",
    )
    total = limit * len(queries)
    written = 0
    for query in queries:
        for url, name, entity_id in catalog.execute(query, (limit, IMAGE_WIDTH)):
            path = target / f"{cover_name(url)}.png"
            partial = path.with_name(path.name + ".part")
            partial.write_bytes(cover_png(name or "", entity_id))
            partial.replace(path)
            written += 1
            if progress is not None and written % 500 == 0:
                progress(written, total)
    return written


def demo_covers_present(catalog: Catalog, folder: Path | None = None) -> bool:
    """Whether the covers were written: the first album's is in the cache (one lookup)."""
    row = catalog.execute(
        "SELECT url FROM album_images WHERE album_rowid = 1 AND width = ? LIMIT 1", (IMAGE_WIDTH,)
    ).fetchone()
    if row is None:
        return True  # nothing to draw
    return ((folder or cover_cache_dir()) / f"{cover_name(row[0])}.png").is_file()
