"""The search columns a publish adds to the server's artists, albums and tracks: the words
the sidecar index holds for each row (the same Python normalisation, so both engines find
the same rows) and the row's rank (the index's rowid: most popular first)."""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from typing import Any

from explorer.index.ranking import encode, followers_bucket, popularity_bucket
from explorer.index.text import index_text
from explorer.text.fts import fts_tokens

# The columns added (besides the catalog's own): the row's distinct words (a text[]), and
# its rank.
SEARCH_TEXT_COLUMN = "search_text"
SEARCH_RANK_COLUMN = "search_rank"
SEARCH_TEXT_TABLES = ("tracks", "albums", "artists")
# What separates the names gathered by one subquery (a character no name holds).
_SEP = "\x1f"

# What each table's rows read besides their own columns, from the SQLite catalog (one
# subquery per row, on the credit tables' indexes): the credited artists' names (albums:
# the main artists, as the index holds them), the album's release date, the genres.
EXTRA_SQL: dict[str, tuple[str, ...]] = {
    "tracks": (
        "(SELECT group_concat(a.name, char(31)) FROM {schema}.track_artists c "
        "JOIN {schema}.artists a ON a.rowid = c.artist_rowid WHERE c.track_rowid = t.rowid)",
        "(SELECT release_date FROM {schema}.albums WHERE rowid = t.album_rowid)",
    ),
    "albums": (
        "(SELECT group_concat(a.name, char(31)) FROM {schema}.artist_albums c "
        "JOIN {schema}.artists a ON a.rowid = c.artist_rowid "
        "WHERE c.album_rowid = t.rowid AND c.index_in_album IS NOT NULL)",
    ),
    "artists": (
        "(SELECT group_concat(genre, char(31)) FROM {schema}.artist_genres "
        "WHERE artist_rowid = t.rowid)",
    ),
}


def _name_text(name: str | None) -> str:
    """A row's own name as the index holds it (plain ASCII as it is)."""
    if not name:
        return ""
    return name if name.isascii() else index_text(name)


def _credit_text(name: str) -> str:
    """An artist's credit as the index holds it (see `explorer.index.build.ARTIST_TEXT_SQL`)."""
    return name if name.isascii() else (index_text(name) or name)


def _credits(names: str | None) -> str:
    return " ".join(_credit_text(n) for n in names.split(_SEP)) if names else ""


def _year_token(date: str | None) -> str:
    """' y_YYYY' for a date that starts with a year other than 0000, else ''."""
    if date and len(date) >= 4 and date[:4].isdigit() and date[:4] != "0000":
        return f" y_{date[:4]}"
    return ""


# PostgreSQL's binary form of a one-dimensional text[] without NULLs: dimensions, has
# NULLs, the element type (text's oid 25), then the length and lower bound of the
# dimension, then each element's length and bytes. Written here, with COPY told the column
# is bytea (whose binary form is its bytes as they are): psycopg's own array dumper cost
# 13 us a row, more than the rest of the row.
_ARRAY_HEAD = struct.Struct("!iiiii")
TEXT_OID = 25


def text_array(words: Sequence[str]) -> bytes:
    """`words` as PostgreSQL's binary text[]."""
    if not words:  # no dimension
        return _ARRAY_HEAD.pack(0, 0, TEXT_OID, 0, 0)[:12]
    parts = [_ARRAY_HEAD.pack(1, 0, TEXT_OID, len(words), 1)]
    for word in words:
        data = word.encode()
        parts.append(len(data).to_bytes(4, "big") + data)
    return b"".join(parts)


def _words(text: str) -> bytes:
    """The distinct words of a text as the index's tokenizer makes them (as a binary
    text[], see `text_array`)."""
    return text_array(list(dict.fromkeys(fts_tokens(text))))


def _track(row: dict[str, Any], extra: Sequence[Any]) -> tuple[bytes, int]:
    credits, date = extra
    text = f"{_name_text(row['name'])} {_credits(credits)}{_year_token(date)}"
    return _words(text), encode(popularity_bucket(row["popularity"]), row["rowid"])


def _album(row: dict[str, Any], extra: Sequence[Any]) -> tuple[bytes, int]:
    (credits,) = extra
    parts = [_name_text(row["name"]), _credits(credits)]
    if row["album_type"]:
        parts.append(f"t_{row['album_type']}")
    if row["external_id_upc"]:
        parts.append(f"u_{row['external_id_upc']}")
    label = row["label"].strip(" ").lower().replace(" ", " l_")
    parts.append(f"l_{label}")
    text = " ".join(parts) + _year_token(row["release_date"])
    return _words(text), encode(popularity_bucket(row["popularity"]), row["rowid"])


def _artist(row: dict[str, Any], extra: Sequence[Any]) -> tuple[bytes, int]:
    (genres,) = extra
    text = _credit_text(row["name"] or "")
    if genres:
        text += " " + " ".join(
            "g_" + g.lower().replace(" ", "_").replace("-", "_") for g in genres.split(_SEP)
        )
    return _words(text), encode(followers_bucket(row["followers_total"]), row["rowid"])


SEARCH_ROW: dict[str, Callable[[dict[str, Any], Sequence[Any]], tuple[bytes, int]]] = {
    "tracks": _track,
    "albums": _album,
    "artists": _artist,
}
