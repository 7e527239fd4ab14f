"""Query helpers of an open catalog; every one is an index lookup, never a table scan."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from explorer.catalog.records import (
    AlbumGroups,
    AlbumRow,
    AlbumSummary,
    ArtistRef,
    ArtistRow,
    AudioFeaturesRow,
    ImageRow,
    TrackRow,
)

# The most releases listed under one artist (an artist such as "Various Artists" can have
# millions of links in the real dump); raising it costs memory and time in the browser.
MAX_ALBUMS_PER_ARTIST = 20_000
# Artists of one genre looked at (a genre of the real dump can hold 100,000 artists; the
# most followed among this many are shown).
GENRE_ARTISTS = 5_000
# Rows per `IN (...)` list; SQLite's default limit of host parameters is 32,766.
IN_CHUNK = 500
# Market sets remembered per catalog (each a tuple of up to ~185 codes); past this many the
# memory is emptied and filled again.
MARKET_SETS_CACHED = 4_096

_TRACK_COLUMNS = (
    "t.rowid, t.id, t.fetched_at, t.name, t.preview_url, t.album_rowid, t.track_number, "
    "t.disc_number, t.duration_ms, t.explicit, t.popularity, t.external_id_isrc, "
    "t.external_id_ean, t.external_id_upc, t.available_markets_rowid"
)
_ALBUM_SUMMARY_COLUMNS = (
    "al.rowid, al.id, al.name, al.album_type, al.release_date, al.release_date_precision, "
    "al.total_tracks, al.popularity"
)


def _chunks(values: Sequence[int], size: int = IN_CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _summary(row: Sequence[Any], artists: tuple[ArtistRef, ...]) -> AlbumSummary:
    """An AlbumSummary from the columns of `_ALBUM_SUMMARY_COLUMNS`."""
    return AlbumSummary(
        rowid=row[0],
        id=row[1],
        name=row[2],
        album_type=row[3],
        release_date=row[4],
        release_date_precision=row[5],
        total_tracks=row[6],
        popularity=row[7],
        artists=artists,
    )


def _artist_row(
    row: Sequence[Any],
    *,
    genres: tuple[str, ...] = (),
    images: tuple[ImageRow, ...] = (),
) -> ArtistRow:
    """An ArtistRow from `rowid, id, name, followers_total, popularity, fetched_at`."""
    return ArtistRow(
        rowid=row[0],
        id=row[1],
        name=row[2],
        followers=row[3],
        popularity=row[4],
        fetched_at=row[5],
        genres=genres,
        images=images,
    )


def _placeholders(count: int) -> str:
    return ",".join("?" * count)


class CatalogQueries:
    """Mixed into `Catalog`: turns catalog rows into frozen records."""

    _markets_cache: dict[int, tuple[str, ...]]

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        raise NotImplementedError

    @property
    def has_features(self) -> bool:
        raise NotImplementedError

    # -- small building blocks ------------------------------------------------------

    def markets(self, markets_rowid: int) -> tuple[str, ...]:
        """The market codes of one market set (remembered: a catalog stores each distinct
        set once and tracks share a few of them; a page of hits asked for dozens)."""
        cache = self._markets_cache
        found = cache.get(markets_rowid)
        if found is not None:
            return found
        row = self.execute(
            "SELECT available_markets FROM available_markets WHERE rowid = ?", (markets_rowid,)
        ).fetchone()
        if row is None or not row[0]:
            return ()
        found = tuple(code.strip() for code in row[0].split(",") if code.strip())
        if len(cache) >= MARKET_SETS_CACHED:
            cache.clear()
        cache[markets_rowid] = found
        return found

    def track_artists(self, track_rowids: Sequence[int]) -> dict[int, tuple[ArtistRef, ...]]:
        """Credited artists of many tracks, in credit order (the junction's row order)."""
        found: dict[int, list[ArtistRef]] = defaultdict(list)
        unique = sorted(set(track_rowids))
        for chunk in _chunks(unique):
            rows = self.execute(
                "SELECT ta.track_rowid, a.rowid, a.id, a.name FROM track_artists ta "
                "JOIN artists a ON a.rowid = ta.artist_rowid "
                f"WHERE ta.track_rowid IN ({_placeholders(len(chunk))}) "
                "ORDER BY ta.track_rowid, ta.rowid",
                tuple(chunk),
            )
            for track_rowid, rowid, artist_id, name in rows:
                found[track_rowid].append(ArtistRef(rowid, artist_id, name))
        return {key: tuple(value) for key, value in found.items()}

    def album_artists(self, album_rowids: Sequence[int]) -> dict[int, tuple[ArtistRef, ...]]:
        """Main artists of many albums, in credit order (`index_in_album`)."""
        found: dict[int, list[ArtistRef]] = defaultdict(list)
        unique = sorted(set(album_rowids))
        for chunk in _chunks(unique):
            rows = self.execute(
                "SELECT aa.album_rowid, a.rowid, a.id, a.name FROM artist_albums aa "
                "JOIN artists a ON a.rowid = aa.artist_rowid "
                f"WHERE aa.album_rowid IN ({_placeholders(len(chunk))}) "
                "AND aa.index_in_album IS NOT NULL "
                "ORDER BY aa.album_rowid, aa.index_in_album",
                tuple(chunk),
            )
            for album_rowid, rowid, artist_id, name in rows:
                found[album_rowid].append(ArtistRef(rowid, artist_id, name))
        return {key: tuple(value) for key, value in found.items()}

    def album_summaries(
        self, album_rowids: Sequence[int], *, with_artists: bool = True
    ) -> dict[int, AlbumSummary]:
        """Albums by rowid, with their main artists (none without `with_artists`)."""
        artists = self.album_artists(album_rowids) if with_artists else {}
        result: dict[int, AlbumSummary] = {}
        unique = sorted(set(album_rowids))
        for chunk in _chunks(unique):
            rows = self.execute(
                f"SELECT {_ALBUM_SUMMARY_COLUMNS} FROM albums al "
                f"WHERE al.rowid IN ({_placeholders(len(chunk))})",
                tuple(chunk),
            )
            for row in rows:
                result[row[0]] = _summary(row, artists.get(row[0], ()))
        return result

    def _track_rows(
        self,
        rows: list[Any],
        *,
        with_album: bool,
        album_artists: bool = True,
        album: AlbumSummary | None = None,
    ) -> list[TrackRow]:
        """TrackRows of `_TRACK_COLUMNS` rows, with their artists, and their albums
        (`with_album`: read here; else `album`, the one album all the rows are on, or none)."""
        rowids = [row[0] for row in rows]
        artists = self.track_artists(rowids)
        albums = (
            self.album_summaries([row[5] for row in rows], with_artists=album_artists)
            if with_album
            else {}
        )
        market_cache: dict[int, tuple[str, ...]] = {}
        result = []
        for row in rows:
            markets_rowid = row[14]
            if markets_rowid not in market_cache:
                market_cache[markets_rowid] = self.markets(markets_rowid)
            result.append(
                TrackRow(
                    rowid=row[0],
                    id=row[1],
                    fetched_at=row[2],
                    name=row[3],
                    preview_url=row[4],
                    album_rowid=row[5],
                    track_number=row[6],
                    disc_number=row[7],
                    duration_ms=row[8],
                    explicit=bool(row[9]),
                    popularity=row[10],
                    isrc=row[11],
                    ean=row[12],
                    upc=row[13],
                    markets=market_cache[markets_rowid],
                    artists=artists.get(row[0], ()),
                    album=albums.get(row[5]) if with_album else album,
                )
            )
        return result

    # -- tracks ---------------------------------------------------------------------

    def tracks_by_rowids(
        self, rowids: Sequence[int], *, with_album: bool = True, album_artists: bool = True
    ) -> list[TrackRow]:
        """Tracks by rowid, in the order asked (missing rowids are left out); without
        `album_artists` their albums come without artists (two index lookups a track
        fewer, for a list that shows the track's own artists)."""
        rows: list[Any] = []
        for chunk in _chunks(list(dict.fromkeys(rowids))):
            rows.extend(
                self.execute(
                    f"SELECT {_TRACK_COLUMNS} FROM tracks t "
                    f"WHERE t.rowid IN ({_placeholders(len(chunk))})",
                    tuple(chunk),
                ).fetchall()
            )
        by_rowid = {
            track.rowid: track
            for track in self._track_rows(rows, with_album=with_album, album_artists=album_artists)
        }
        return [by_rowid[rowid] for rowid in dict.fromkeys(rowids) if rowid in by_rowid]

    def track(self, track_id: str) -> TrackRow | None:
        """One track by its 22-character id, with artists (credit order) and album."""
        rows = self.execute(
            f"SELECT {_TRACK_COLUMNS} FROM tracks t WHERE t.id = ?", (track_id,)
        ).fetchall()
        found = self._track_rows(rows, with_album=True)
        return found[0] if found else None

    def tracks_with_isrc(self, isrc: str) -> list[TrackRow]:
        """Every release of one recording (same ISRC), most popular first."""
        if not isrc:
            return []
        rows = self.execute(
            f"SELECT {_TRACK_COLUMNS} FROM tracks t WHERE t.external_id_isrc = ? "
            "ORDER BY t.popularity DESC, t.rowid",
            (isrc,),
        ).fetchall()
        return self._track_rows(rows, with_album=True)

    # -- albums ---------------------------------------------------------------------

    def _album(
        self, where: str, params: tuple[object, ...], *, extras: bool = True
    ) -> AlbumRow | None:
        row = self.execute(
            "SELECT rowid, id, name, fetched_at, album_type, label, popularity, release_date, "
            "release_date_precision, total_tracks, external_id_upc, external_id_amgid, "
            f"copyright_c, copyright_p, available_markets_rowid FROM albums WHERE {where}",
            params,
        ).fetchone()
        if row is None:
            return None
        rowid = row[0]
        track_rows = self.execute(
            f"SELECT {_TRACK_COLUMNS} FROM tracks t WHERE t.album_rowid = ? "
            "ORDER BY t.disc_number, t.track_number, t.rowid",
            (rowid,),
        ).fetchall()
        artists = self.album_artists([rowid]).get(rowid, ()) if extras else ()
        summary = AlbumSummary(
            rowid=rowid,
            id=row[1],
            name=row[2],
            album_type=row[4],
            release_date=row[7],
            release_date_precision=row[8],
            total_tracks=row[9],
            popularity=row[6],
            artists=artists,
        )
        # each track carries the album's summary (once for the album, not once per track)
        tracks = self._track_rows(track_rows, with_album=False, album=summary)
        return AlbumRow(
            rowid=rowid,
            id=row[1],
            name=row[2],
            fetched_at=row[3],
            album_type=row[4],
            label=row[5],
            popularity=row[6],
            release_date=row[7],
            release_date_precision=row[8],
            total_tracks=row[9],
            upc=row[10],
            amgid=row[11],
            copyright_c=row[12],
            copyright_p=row[13],
            markets=self.markets(row[14]),
            artists=artists,
            images=self.album_images(rowid) if extras else (),
            tracks=tuple(tracks),
        )

    def album_images(self, album_rowid: int) -> tuple[ImageRow, ...]:
        """The cover images of one album, largest first."""
        return tuple(
            ImageRow(*image)
            for image in self.execute(
                "SELECT width, height, url FROM album_images WHERE album_rowid = ? "
                "ORDER BY width DESC",
                (album_rowid,),
            )
        )

    def album(self, album_id: str) -> AlbumRow | None:
        """One album by id, with its tracks in disc and track order."""
        return self._album("id = ?", (album_id,))

    def album_by_rowid(self, rowid: int, *, extras: bool = True) -> AlbumRow | None:
        """One album by rowid, with its tracks in disc and track order; without `extras`
        its artists and images are left empty (what the matcher needs: a third of the
        load's time at 10 M tracks, most of it the images' random reads)."""
        return self._album("rowid = ?", (rowid,), extras=extras)

    # -- artists --------------------------------------------------------------------

    def _artist(self, where: str, params: tuple[object, ...]) -> ArtistRow | None:
        row = self.execute(
            "SELECT rowid, id, name, followers_total, popularity, fetched_at FROM artists "
            f"WHERE {where}",
            params,
        ).fetchone()
        if row is None:
            return None
        genres = tuple(
            genre
            for (genre,) in self.execute(
                "SELECT genre FROM artist_genres WHERE artist_rowid = ? ORDER BY rowid", (row[0],)
            )
        )
        images = tuple(
            ImageRow(*image)
            for image in self.execute(
                "SELECT width, height, url FROM artist_images WHERE artist_rowid = ? "
                "ORDER BY width DESC",
                (row[0],),
            )
        )
        return _artist_row(row, genres=genres, images=images)

    def artists_by_rowids(self, rowids: Sequence[int]) -> dict[int, ArtistRow]:
        """Artists by rowid (without genres and images), for result lists."""
        result: dict[int, ArtistRow] = {}
        for chunk in _chunks(sorted(set(rowids))):
            rows = self.execute(
                "SELECT rowid, id, name, followers_total, popularity, fetched_at FROM artists "
                f"WHERE rowid IN ({_placeholders(len(chunk))})",
                tuple(chunk),
            )
            for row in rows:
                result[row[0]] = _artist_row(row)
        return result

    def artist(self, artist_id: str) -> ArtistRow | None:
        """One artist by id, with genres and images."""
        return self._artist("id = ?", (artist_id,))

    def artist_by_rowid(self, rowid: int) -> ArtistRow | None:
        """One artist by rowid, with genres and images."""
        return self._artist("rowid = ?", (rowid,))

    def artists_named(self, names: Sequence[str], *, limit: int = 20) -> list[int]:
        """Rowids of artists named exactly one of `names` (the name index, no scan)."""
        names = [name for name in dict.fromkeys(names) if name]
        if not names:
            return []
        rows = self.execute(
            f"SELECT rowid FROM artists WHERE name IN ({_placeholders(len(names))}) LIMIT ?",
            (*names, limit),
        ).fetchall()
        return [row[0] for row in rows]

    def albums_named_by(
        self,
        names: Sequence[str],
        artist_names: Sequence[str],
        *,
        limit: int = 50,
        read: int = 5_000,
    ) -> list[int]:
        """Rowids of releases named exactly one of `names` that credit an artist named
        exactly one of `artist_names`: the album-name and artist-name indexes, then the
        credits of whichever side has fewer (see `_credited`); no scan of a table, however
        many artists share the name. At most `read` releases of those names and `read`
        artists of those names are looked at ("Greatest Hits" names hundreds of thousands
        in the full catalog)."""
        names = [name for name in dict.fromkeys(names) if name]
        artist_names = [name for name in dict.fromkeys(artist_names) if name]
        if not names or not artist_names:
            return []
        artists = self.artists_named(artist_names, limit=read + 1)
        if len(artists) > read:
            # more namesakes than releases looked at: each named release's credits, by name
            rows = self.execute(
                # CROSS JOIN keeps the named albums outside: the name index first, not the
                # artists' releases
                "SELECT DISTINCT named.rowid FROM ("
                f"  SELECT rowid FROM albums WHERE name IN ({_placeholders(len(names))}) LIMIT ?"
                ") named CROSS JOIN artist_albums aa ON aa.album_rowid = named.rowid "
                "CROSS JOIN artists a ON a.rowid = aa.artist_rowid "
                f"WHERE a.name IN ({_placeholders(len(artist_names))}) LIMIT ?",
                (*names, read, *artist_names, limit),
            ).fetchall()
            return [row[0] for row in rows]
        return self._credited(self._albums_named(names, read), artists, limit)

    def albums_named_for(
        self,
        names: Sequence[str],
        artist_rowids: Sequence[int],
        *,
        limit: int = 50,
        read: int = 200,
    ) -> list[int] | None:
        """Rowids of releases named exactly one of `names` that credit one of the artists
        `artist_rowids`: the album-name index, then the credits of whichever side has
        fewer (see `_credited`; no album or artist row is read). None when more than
        `read` albums carry these names (a name such as "Greatest Hits": the answer would
        be cut short)."""
        names = [name for name in dict.fromkeys(names) if name]
        if not names or not artist_rowids:
            return []
        named = self._albums_named(names, read + 1)
        if len(named) > read:
            return None
        return self._credited(named, artist_rowids, limit)

    def _albums_named(self, names: Sequence[str], limit: int) -> list[int]:
        """Rowids of albums named exactly one of `names` (`limit` at most)."""
        return [
            row[0]
            for row in self.execute(
                f"SELECT rowid FROM albums WHERE name IN ({_placeholders(len(names))}) LIMIT ?",
                (*names, limit),
            )
        ]

    def _credited(
        self, album_rowids: Sequence[int], artist_rowids: Sequence[int], limit: int
    ) -> list[int]:
        """Of `album_rowids`, the `limit` lowest that credit one of `artist_rowids`, read
        from the side with fewer credit rows: each album's credits (a credit row read per
        album, stopping at `limit` found), or the artists' credits when they have fewer.
        The artists' credits are first counted in their index (no row read), up to as
        many as the albums: a common album name ("Sun": 2,500 albums at 10 M tracks)
        against an artist of a few releases reads those few, not thousands."""
        if not album_rowids or not artist_rowids:
            return []
        artists = _placeholders(len(artist_rowids))
        (credits,) = self.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM artist_albums WHERE artist_rowid IN ({artists}) "
            "LIMIT ?) AS credit_rows",  # PostgreSQL 15 wants the subquery named
            (*artist_rowids, len(album_rowids)),
        ).fetchone()
        if credits < len(album_rowids):
            wanted = set(album_rowids)
            theirs = self.execute(
                f"SELECT album_rowid FROM artist_albums WHERE artist_rowid IN ({artists})",
                tuple(artist_rowids),
            )
            return sorted({row[0] for row in theirs if row[0] in wanted})[:limit]
        rows = self.execute(
            # `+` keeps the plan on the album index (an artist can have thousands of rows),
            # which SQLite walks in rowid order
            "SELECT DISTINCT album_rowid FROM artist_albums "
            f"WHERE album_rowid IN ({_placeholders(len(album_rowids))}) "
            f"AND +artist_rowid IN ({artists}) LIMIT ?",
            (*album_rowids, *artist_rowids, limit),
        )
        return sorted(row[0] for row in rows)

    def album_names_of_artists(
        self, artist_rowids: Sequence[int], *, limit: int = 2_000
    ) -> list[tuple[int, str]]:
        """(album rowid, name) of the artists' releases, `limit` at most (index lookups)."""
        if not artist_rowids:
            return []
        rows = self.execute(
            "SELECT DISTINCT al.rowid, al.name FROM artist_albums aa "
            "JOIN albums al ON al.rowid = aa.album_rowid "
            f"WHERE aa.artist_rowid IN ({_placeholders(len(artist_rowids))}) LIMIT ?",
            (*artist_rowids, limit),
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def artist_albums(self, artist_rowid: int) -> AlbumGroups:
        """An artist's releases: albums, singles & EPs, compilations, appears on; newest first."""
        rows = self.execute(
            f"SELECT {_ALBUM_SUMMARY_COLUMNS}, aa.is_appears_on, aa.index_in_album "
            "FROM artist_albums aa JOIN albums al ON al.rowid = aa.album_rowid "
            "WHERE aa.artist_rowid = ? LIMIT ?",
            (artist_rowid, MAX_ALBUMS_PER_ARTIST),
        ).fetchall()
        artists = self.album_artists([row[0] for row in rows])
        groups: dict[str, list[AlbumSummary]] = {
            "album": [],
            "single": [],
            "compilation": [],
            "appears_on": [],
        }
        seen: set[int] = set()
        for row in rows:
            if row[0] in seen:
                continue
            seen.add(row[0])
            summary = _summary(row, artists.get(row[0], ()))
            appears_on = bool(row[8]) or row[9] is None
            key = "appears_on" if appears_on else row[3]
            groups.get(key, groups["album"]).append(summary)
        for items in groups.values():
            items.sort(key=lambda album: (album.release_date, album.rowid), reverse=True)
        return AlbumGroups(
            albums=tuple(groups["album"]),
            singles=tuple(groups["single"]),
            compilations=tuple(groups["compilation"]),
            appears_on=tuple(groups["appears_on"]),
        )

    def top_artists(
        self, *, limit: int = 100, below: tuple[int, int] | None = None
    ) -> list[ArtistRow]:
        """Most-followed artists, paged by keyset: pass the (followers, rowid) of the last row."""
        if below is None:
            rows = self.execute(
                "SELECT rowid, id, name, followers_total, popularity, fetched_at FROM artists "
                "ORDER BY followers_total DESC, rowid DESC LIMIT ?",
                (limit,),
            ).fetchall()
        else:
            rows = self.execute(
                "SELECT rowid, id, name, followers_total, popularity, fetched_at FROM artists "
                "WHERE (followers_total, rowid) < (?, ?) "
                "ORDER BY followers_total DESC, rowid DESC LIMIT ?",
                (below[0], below[1], limit),
            ).fetchall()
        return [_artist_row(row) for row in rows]

    def genres(self, *, limit: int = 5_000) -> list[str]:
        """Distinct genres in name order: one index seek per genre (a skip scan), never a
        scan of the artist_genres table."""
        found: list[str] = []
        last = ""
        while len(found) < limit:
            row = self.execute(
                "SELECT genre FROM artist_genres WHERE genre > ? ORDER BY genre LIMIT 1", (last,)
            ).fetchone()
            if row is None:
                break
            last = row[0]
            found.append(last)
        return found

    def artists_of_genre(self, genre: str, *, limit: int = 500) -> list[ArtistRow]:
        """Artists of a genre, most followed first, among the first GENRE_ARTISTS links."""
        rowids = [
            row[0]
            for row in self.execute(
                "SELECT artist_rowid FROM artist_genres WHERE genre = ? LIMIT ?",
                (genre, GENRE_ARTISTS),
            )
        ]
        artists = list(self.artists_by_rowids(rowids).values())
        artists.sort(key=lambda a: (-a.followers, a.rowid))
        return artists[:limit]

    # -- audio features -------------------------------------------------------------

    def audio_features(self, track_id: str) -> AudioFeaturesRow | None:
        """The audio analysis of one track, None without the features file or a row."""
        if not self.has_features:
            return None
        row = self.execute(
            "SELECT track_id, fetched_at, null_response, duration_ms, time_signature, tempo, "
            "key, mode, danceability, energy, loudness, speechiness, acousticness, "
            "instrumentalness, liveness, valence FROM features.track_audio_features "
            "WHERE track_id = ?",
            (track_id,),
        ).fetchone()
        if row is None:
            return None
        values = list(row)
        values[2] = bool(values[2])
        values[5] = float(values[5]) if values[5] is not None else None
        return AudioFeaturesRow(*values)
