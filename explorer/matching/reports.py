"""What a matched library is worth: missing tracks, duplicates, unmatched files, exports.

The same functions serve `explorer report` / `explorer export` and the window. Each
report is a list of frozen rows; CSV and JSON writers are in `explorer/cli/report_cmd.py`.

A file is "yours" (OWNED) when its link counts (matched by the matcher, or accepted or
made by you) and the file is still there and readable (status `ok`): a file that a
rescan found gone (`missing`) or unreadable (`error`) keeps its link, for when it comes
back, but counts nowhere: not in the missing tracks, the duplicates, the playlists or
the marks of what you own.

Paths: reports show a file's readable path (`FileRow.display`; bytes that are not UTF-8
as \\xNN, so a rare name shows differently from what it is). Playlists hold each path's
real bytes (`m3u`), and `export links` adds `uri`, the exact path as a `file:` URI.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_from_bytes

from explorer.catalog import Catalog
from explorer.catalog.queries import CatalogQueries
from explorer.catalog.records import AlbumRow
from explorer.library.store import FileRow, LibraryStore
from explorer.matching.library_filter import SHOWN_STATUS_SQL
from explorer.matching.links import LinkRow, Links
from explorer.matching.review import find_candidate

# Links that count as "the user has this track": the matcher's confident links and the
# user's own; rejected links and review/unmatched verdicts do not.
OWNED_LINK = (
    "(l.status IN ('accepted', 'manual') OR (l.status = 'auto' AND l.decision = 'matched'))"
)
# ... and only while the file is there and readable: a rescan marks a vanished file
# `missing` and an unreadable one `error`, and keeps their links (one primary-key lookup
# per link; the user store is small).
FILE_PRESENT = "EXISTS (SELECT 1 FROM files f WHERE f.id = l.file_id AND f.status = 'ok')"
# Every query of "what the user has" uses this (links aliased `l`).
OWNED = f"({OWNED_LINK} AND {FILE_PRESENT})"

# A playlist file's name: its UTF-8 bytes at most (".m3u8" included; file systems allow
# 255), and the characters that no file system (or no Windows one) takes in a name.
PLAYLIST_NAME_BYTES = 200
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Characters that would end an M3U line (bytes.splitlines / str.splitlines split on them).
_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class MissingTrack:
    """A track of an album the user owns part of, that no file of theirs is linked to."""

    album_id: str
    album: str
    album_artists: str
    owned: int  # tracks of this album the user has
    total: int
    disc_number: int
    track_number: int
    track_id: str
    title: str
    isrc: str | None


@dataclass(frozen=True)
class MissingReport:
    """The missing tracks, with how many of the user's albums the catalog knows."""

    tracks: tuple[MissingTrack, ...]
    albums_linked: int  # albums the user has files of (by their links)
    albums_found: int  # of those, the ones this catalog has


@dataclass(frozen=True)
class DuplicateFile:
    """One of several files linked to the same recording."""

    key: str  # isrc:… or track:…
    path: str
    format: str | None
    bitrate: int | None
    duration_s: float | None
    track_id: str | None
    status: str


@dataclass(frozen=True)
class UnmatchedFile:
    """A file without a usable link, and why."""

    path: str
    status: str  # error | unmatched | review | rejected | not matched yet
    reason: str


@dataclass(frozen=True)
class LinkExport:
    """One link with everything a script needs."""

    path: str  # exact: bytes that are not UTF-8 as surrogate escapes (os.fsdecode)
    uri: str  # the exact path as a file: URI (its bytes percent-encoded); "" without a file
    status: (
        str  # as the window shows it: matched | review | unmatched | accepted | rejected | manual
    )
    file_title: str  # the file's tags
    file_artists: str  # "; " between names
    track_title: str  # the linked catalog track ("" when none, or unknown without the catalog)
    track_artists: str
    track_id: str | None
    album_id: str | None
    isrc: str | None
    decision: str  # the matcher's: matched | review | unmatched
    confidence: float
    margin: float
    method: str | None
    reason: str


def _owned(store: LibraryStore) -> Iterator[tuple[int, str, str | None, str | None]]:
    """(file id, track id, album id, isrc) of every owned link."""
    rows = store.db.execute_sql(
        f"SELECT l.file_id, l.track_id, l.album_id, l.isrc FROM links l "
        f"WHERE l.track_id IS NOT NULL AND {OWNED} ORDER BY l.file_id"
    )
    yield from rows


def missing_tracks(store: LibraryStore, catalog: Catalog) -> list[MissingTrack]:
    """For every catalog album the user owns part of, the tracks they do not have."""
    return list(missing_report(store, catalog).tracks)


def missing_report(store: LibraryStore, catalog: CatalogQueries) -> MissingReport:
    """`missing_tracks`, and how many of the user's albums this catalog has (none: the
    library was likely matched against another catalog)."""
    tracks_by_album: dict[str, set[str]] = defaultdict(set)
    isrcs: set[str] = set()
    for _, track_id, album_id, isrc in _owned(store):
        if album_id:
            tracks_by_album[album_id].add(track_id)
        if isrc:
            isrcs.add(isrc)
    found: list[MissingTrack] = []
    albums_found = 0
    for album_id in sorted(tracks_by_album):
        album = catalog.album(album_id)
        if album is None:
            continue
        albums_found += 1
        have = {
            t.id
            for t in album.tracks
            if t.id in tracks_by_album[album_id] or (t.isrc and t.isrc in isrcs)
        }
        found.extend(_missing_of(album, have))
    return MissingReport(tuple(found), len(tracks_by_album), albums_found)


def _missing_of(album: AlbumRow, have: set[str]) -> list[MissingTrack]:
    artists = ", ".join(a.name for a in album.artists)
    return [
        MissingTrack(
            album_id=album.id,
            album=album.name,
            album_artists=artists,
            owned=len(have),
            total=len(album.tracks),
            disc_number=t.disc_number,
            track_number=t.track_number,
            track_id=t.id,
            title=t.name,
            isrc=t.isrc,
        )
        for t in album.tracks
        if t.id not in have
    ]


def album_presence(store: LibraryStore, album: AlbumRow) -> dict[str, bool]:
    """For each track of `album`: does the user have it (same track or same ISRC)?"""
    ids = [t.id for t in album.tracks]
    isrcs = [t.isrc for t in album.tracks if t.isrc]
    have: set[str] = set()
    if ids:
        marks = ",".join("?" * len(ids))
        have |= {
            r[0]
            for r in store.db.execute_sql(
                f"SELECT l.track_id FROM links l WHERE l.track_id IN ({marks}) AND {OWNED}", ids
            )
        }
    if isrcs:
        marks = ",".join("?" * len(isrcs))
        owned_isrcs = {
            r[0]
            for r in store.db.execute_sql(
                f"SELECT l.isrc FROM links l WHERE l.isrc IN ({marks}) AND {OWNED}", isrcs
            )
        }
        have |= {t.id for t in album.tracks if t.isrc in owned_isrcs}
    return {t.id: t.id in have for t in album.tracks}


def duplicates(store: LibraryStore) -> list[DuplicateFile]:
    """Files linked to the same recording (same ISRC, or same track without an ISRC)."""
    groups = store.db.execute_sql(
        f"SELECT coalesce('isrc:' || l.isrc, 'track:' || l.track_id) AS k FROM links l "
        f"WHERE l.track_id IS NOT NULL AND {OWNED} GROUP BY k HAVING count(*) > 1 ORDER BY k"
    ).fetchall()
    found: list[DuplicateFile] = []
    for (key,) in groups:
        kind, _, value = key.partition(":")
        column = "l.isrc" if kind == "isrc" else "l.track_id"
        rows = store.db.execute_sql(
            f"SELECT l.file_id, l.track_id, l.status FROM links l WHERE {column} = ? AND {OWNED} "
            "ORDER BY l.file_id",
            (value,),
        ).fetchall()
        files = {f.id: f for f in _files(store, [r[0] for r in rows])}
        for file_id, track_id, status in rows:
            row = files.get(file_id)
            if row is None:
                continue
            stream = row.stream
            found.append(
                DuplicateFile(
                    key=key,
                    path=row.display,
                    format=stream.format if stream else None,
                    bitrate=stream.bitrate if stream else None,
                    duration_s=stream.duration_s if stream else None,
                    track_id=track_id,
                    status=status,
                )
            )
    return found


def _files(store: LibraryStore, ids: list[int]) -> list[FileRow]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    paths = [
        r[0] for r in store.db.execute_sql(f"SELECT path FROM files WHERE id IN ({marks})", ids)
    ]
    return store.files_by_paths(paths)


def unmatched(store: LibraryStore) -> list[UnmatchedFile]:
    """Files without a usable link: unreadable, never matched, unmatched, in review, rejected."""
    links = Links(store)
    found: list[UnmatchedFile] = []
    for row in store.iter_files():
        link = links.get(row.id)
        if row.status != "ok":
            found.append(UnmatchedFile(row.display, row.status, row.error or "the file is gone"))
        elif link is None:
            found.append(UnmatchedFile(row.display, "not matched yet", "run `explorer match`"))
        elif link.status == "rejected":
            found.append(UnmatchedFile(row.display, "rejected", "you rejected its link"))
        elif link.status == "auto" and link.decision != "matched":
            found.append(UnmatchedFile(row.display, link.decision, link.reason))
    return found


def export_links(store: LibraryStore, catalog: Catalog | None = None) -> Iterator[LinkExport]:
    """Every link with its file's path, in file order (a generator: bounded memory). The
    linked track's title and artists come from the link's own record of the candidates,
    else (a track linked by hand) from `catalog` when given."""
    links = Links(store)
    after = 0
    while True:
        page: list[LinkRow] = links.page(after_file_id=after, limit=1000)
        if not page:
            return
        after = page[-1].file_id
        files = {f.id: f for f in _files(store, [link.file_id for link in page])}
        for link in page:
            file = files.get(link.file_id)
            title, artists = _linked_names(link, catalog)
            yield LinkExport(
                path=os.fsdecode(file.path) if file else "",
                uri=file_uri(file.path) if file else "",
                status=link.status if link.user_decided else link.decision,
                file_title=(file.tags.title or "") if file else "",
                file_artists="; ".join(file.tags.artists) if file else "",
                track_title=title,
                track_artists=artists,
                track_id=link.track_id,
                album_id=link.album_id,
                isrc=link.isrc,
                decision=link.decision,
                confidence=link.confidence,
                margin=link.margin,
                method=link.method,
                reason=link.reason,
            )


def _linked_names(link: LinkRow, catalog: Catalog | None) -> tuple[str, str]:
    """The linked track's title and artists ("; " between them), or two empty strings."""
    if link.track_id is None or link.status == "rejected":
        return "", ""
    candidate = find_candidate(link.detail or {}, link.track_id)
    if candidate is not None:
        names = candidate.get("artists") or []
        return str(candidate.get("name") or ""), "; ".join(str(name) for name in names)
    track = catalog.track(link.track_id) if catalog is not None else None
    if track is None:
        return "", ""
    return track.name, "; ".join(artist.name for artist in track.artists)


def file_uri(path: bytes) -> str:
    """The exact path (as the store keeps it: the file system's bytes) as a file: URI."""
    local = Path(os.fsdecode(path))  # surrogateescape: as_uri() encodes the same bytes back
    return local.as_uri() if local.is_absolute() else quote_from_bytes(path)


@dataclass(frozen=True)
class Playlist:
    """An extended M3U playlist, ready to write as it is (binary)."""

    data: bytes  # UTF-8 text lines, each path as its own bytes (even when not UTF-8)
    entries: int  # files in it
    skipped: tuple[str, ...]  # readable paths left out: a line break in the name


def m3u(store: LibraryStore, album: AlbumRow) -> Playlist:
    """An extended M3U playlist of the user's files of `album`, in catalog track order.

    Each path is written as its bytes, so a name that is not UTF-8 still opens; a path
    holding a line feed or carriage return cannot be one M3U line and is left out (and
    listed in `skipped`). Line breaks in the catalog's names become spaces.
    """
    ids = [t.id for t in album.tracks]
    marks = ",".join("?" * len(ids)) or "''"
    rows = store.db.execute_sql(
        f"SELECT l.track_id, l.file_id FROM links l WHERE l.track_id IN ({marks}) AND {OWNED} "
        "ORDER BY l.file_id",
        ids,
    ).fetchall()
    file_of: dict[str, int] = {}
    for track_id, file_id in rows:
        file_of.setdefault(track_id, file_id)
    files = {f.id: f for f in _files(store, list(file_of.values()))}
    lines = [b"#EXTM3U", text_line(f"#PLAYLIST:{album.name}")]
    skipped: list[str] = []
    entries = 0
    for track in album.tracks:
        file = files.get(file_of.get(track.id, -1))
        if file is None:
            continue
        if b"\n" in file.path or b"\r" in file.path:
            skipped.append(file.display)
            continue
        artists = ", ".join(a.name for a in track.artists)
        seconds = round(track.duration_ms / 1000)
        lines.append(text_line(f"#EXTINF:{seconds},{artists} - {track.name}"))
        lines.append(file.path)
        entries += 1
    return Playlist(b"\n".join(lines) + b"\n", entries, tuple(skipped))


def text_line(text: str) -> bytes:
    return _LINE_BREAKS.sub(" ", text).encode("utf-8", "replace")


def playlist_file_name(album: AlbumRow, *, copy: int = 1) -> str:
    """`Artists - Album [album id].m3u8`, safe on any file system and at most
    PLAYLIST_NAME_BYTES long: a long name is shortened, the id is always kept (so two
    albums never share a name); `copy` > 1 adds ` (copy)` after the id, for names that
    differ only in case (ids are case-sensitive, some file systems are not)."""
    artists = ", ".join(a.name for a in album.artists)
    title = f"{artists} - {album.name}" if artists else album.name
    suffix = f" [{_safe_part(album.id)}]" + (f" ({copy})" if copy > 1 else "") + ".m3u8"
    room = max(0, PLAYLIST_NAME_BYTES - len(suffix.encode()))
    shortened = _safe_part(title).encode()[:room].decode("utf-8", "ignore")
    return (shortened.rstrip(" .") or "Unknown") + suffix


def _safe_part(text: str) -> str:
    return _UNSAFE_IN_NAME.sub("_", text).strip(" .")


def owned_ids(store: LibraryStore, kind: str, ids: list[str]) -> set[str]:
    """Which of these track (or album) ids the user has a file of."""
    if not ids or kind not in ("track", "album"):
        return set()
    column = "track_id" if kind == "track" else "album_id"
    marks = ",".join("?" * len(ids))
    rows = store.db.execute_sql(
        f"SELECT DISTINCT l.{column} FROM links l WHERE l.{column} IN ({marks}) AND {OWNED}", ids
    )
    return {r[0] for r in rows}


def owned_album_ids(store: LibraryStore) -> list[str]:
    """Albums the user has at least one track of."""
    rows = store.db.execute_sql(
        f"SELECT DISTINCT l.album_id FROM links l WHERE l.album_id IS NOT NULL AND {OWNED} ORDER BY l.album_id"
    )
    return [r[0] for r in rows]


def files_with_status(
    store: LibraryStore, status: str, *, after_id: int = 0, limit: int = 1000
) -> list[FileRow]:
    """One page (in id order) of the files shown with `status` (`library_filter.STATUSES`: a link's
    status in words, matched, review, unmatched, accepted, rejected, manual; or error, not
    matched), as the window's `status:` filter finds them."""
    ids = [
        r[0]
        for r in store.db.execute_sql(
            f"SELECT f.id FROM files f LEFT JOIN links l ON l.file_id = f.id "
            f"WHERE ({SHOWN_STATUS_SQL}) = ? AND f.id > ? ORDER BY f.id LIMIT ?",
            (status, after_id, limit),
        )
    ]
    files = {file.id: file for file in _files(store, ids)}
    return [files[file_id] for file_id in ids if file_id in files]
