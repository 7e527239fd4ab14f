"""Write a deterministic fictional catalog (and its audio features) in the published schema."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from explorer.catalog import schema
from explorer.catalog.connection import features_path_for
from explorer.demo.names import NameMaker

# Rows buffered per table before an executemany; raising it uses more memory, not less time.
FLUSH_TRACKS = 20_000
# Shares of the data that make the real dump hard; each is the probability per item.
P_FEATURED = 0.10  # a track credits a second artist, "(feat. X)" in its name
P_SINGLE_ON_ALBUM = 0.6  # a single's recording reappears on the next album (same ISRC)
P_REMASTER = 0.12  # an album gets a remastered edition (new ISRCs, "- Remastered YYYY")
P_LIVE = 0.06  # an album gets a live edition (new ISRCs, "- Live")
P_DELUXE = 0.05  # an album gets a deluxe edition (same ISRCs plus bonus tracks)
P_TWO_DISCS = 0.08  # an album has two discs
P_EMPTY_ALBUM_NAME = 0.002  # album name emptied by a takedown
P_UNKNOWN_DATE = 0.005  # release date `0000`
P_ZERO_POPULARITY = 0.70  # most tracks have popularity 0
P_PREVIEW = 0.25  # track has a preview URL
P_NULL_FEATURES = 0.03  # audio features row with null_response = 1
ARTISTS_PER_COMPILATION = 40  # a "Various Artists" compilation after every N artists
PROLIFIC_EVERY = 50_000  # one artist with hundreds of releases per this many tracks
PROLIFIC_FROM = 1_000  # ... in catalogs of at least this many tracks (one holds ~900)
# More editions, as the real dump has them for most popular recordings. They are drawn
# from a random stream of their own (and ISRCs of their own registrant), so the rest of a
# seed's catalog keeps its names and identifiers; each is the probability per album.
P_REMASTER_MORE = 0.16  # an album without a remaster gets one ("- 2011 Remaster" style)
P_REISSUE = 0.07  # a regional or later re-release: same names, new ISRCs, same lengths
P_COVERS = 0.04  # another artist covers some of the album's songs on an album of theirs
P_BEST_OF = 0.25  # an artist with two albums or more: a "Greatest Hits" (same ISRCs)
REMASTER_OFF_MS = 2_000  # a remaster's length is within this of the original's
EDITION_SEED = 0x5EED  # mixed into the seed for the editions' stream

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
COUNTRIES = [
    "AD",
    "AE",
    "AR",
    "AT",
    "AU",
    "BE",
    "BG",
    "BO",
    "BR",
    "CA",
    "CH",
    "CL",
    "CO",
    "CR",
    "CY",
    "CZ",
    "DE",
    "DK",
    "DO",
    "EC",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GR",
    "GT",
    "HK",
    "HN",
    "HU",
    "ID",
    "IE",
    "IL",
    "IN",
    "IS",
    "IT",
    "JP",
    "KR",
    "LT",
    "LU",
    "LV",
    "MA",
    "MT",
    "MX",
    "MY",
    "NI",
    "NL",
    "NO",
    "NZ",
    "PA",
    "PE",
    "PH",
    "PL",
    "PT",
    "PY",
    "RO",
    "SE",
    "SG",
    "SK",
    "SV",
    "TH",
    "TR",
    "TW",
    "US",
    "UY",
    "VN",
    "ZA",
]
CITIES = ("Velmora", "Ostrava Hall", "the Lanterne", "Kessingland", "Port Aurel", "Sundby Arena")
FETCHED_AT_BASE = 1_735_689_600_000  # 2025-01-01 in epoch milliseconds

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoStats:
    """What `write_demo_catalog` wrote and how fast."""

    path: Path
    features_path: Path
    tracks: int
    albums: int
    artists: int
    seconds: float

    @property
    def tracks_per_second(self) -> float:
        return self.tracks / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Recording:
    name: str
    isrc: str
    duration_ms: int
    explicit: int
    artist_rowids: tuple[int, ...]


@dataclass
class _Buffers:
    artists: list[tuple[object, ...]] = field(default_factory=list)
    artist_genres: list[tuple[object, ...]] = field(default_factory=list)
    artist_images: list[tuple[object, ...]] = field(default_factory=list)
    artist_albums: list[tuple[object, ...]] = field(default_factory=list)
    albums: list[tuple[object, ...]] = field(default_factory=list)
    album_images: list[tuple[object, ...]] = field(default_factory=list)
    tracks: list[tuple[object, ...]] = field(default_factory=list)
    track_artists: list[tuple[object, ...]] = field(default_factory=list)
    features: list[tuple[object, ...]] = field(default_factory=list)


def _isrc(country: str, number: int, year: int) -> str:
    registrant, seq = divmod(number, 100_000)
    code = ""
    for _ in range(3):
        registrant, digit = divmod(registrant, 36)
        code += B36[digit]
    return f"{country}{code}{year % 100:02d}{seq:05d}"


class _Generator:
    def __init__(
        self,
        con: sqlite3.Connection,
        fcon: sqlite3.Connection,
        *,
        tracks: int,
        seed: int,
        progress: ProgressCallback | None,
    ) -> None:
        self.con = con
        self.fcon = fcon
        self.target = tracks
        self.rng = random.Random(seed)
        self.names = NameMaker(self.rng)
        self.progress = progress
        self.buf = _Buffers()
        self.track_rowid = 0
        self.album_rowid = 0
        self.artist_rowid = 0
        self.isrc_seq = 0
        self.artist_names: list[str] = [""]  # index = rowid
        self.pool: list[_Recording] = []  # recent recordings for compilations
        self.markets = self._market_sets()
        self.various_artists = 0
        self.erng = random.Random(seed ^ EDITION_SEED)  # the editions' own stream
        self.edition_isrc_seq = 0

    # -- identifiers ------------------------------------------------------------------

    def new_id(self) -> str:
        return "".join(self.rng.choices(B62, k=22))

    def new_isrc(self, year: int) -> str:
        if self.rng is self.erng:  # an edition's: its own registrant ("QY")
            self.edition_isrc_seq += 1
            return _isrc("QY", self.edition_isrc_seq, year)
        self.isrc_seq += 1
        return _isrc("QZ", self.isrc_seq, year)

    def fetched_at(self) -> int:
        return FETCHED_AT_BASE + self.rng.randrange(300 * 86_400_000)

    def image_url(self, prefix: str) -> str:
        return f"https://i.scdn.co/image/{prefix}{self.rng.getrandbits(96):024x}"

    def _market_sets(self) -> list[int]:
        sets = [",".join(COUNTRIES)]
        seen = set(sets)
        while len(sets) < 40:
            picked = sorted(self.rng.sample(COUNTRIES, self.rng.randint(1, len(COUNTRIES) - 1)))
            text = ",".join(picked)
            if text not in seen:
                seen.add(text)
                sets.append(text)
        self.con.executemany(
            "INSERT INTO available_markets (rowid, available_markets) VALUES (?, ?)",
            list(enumerate(sets, start=1)),
        )
        # most releases are available everywhere
        return [1] * 30 + list(range(2, len(sets) + 1))

    # -- artists ----------------------------------------------------------------------

    def new_artist(self, *, name: str | None = None, script: str = "latin") -> int:
        rng = self.rng
        self.artist_rowid += 1
        rowid = self.artist_rowid
        if name is None:
            name = self.names.artist(script)
        followers = int(10 ** rng.uniform(0, 7.2))
        popularity = min(100, int(followers**0.28) + rng.randint(0, 8))
        self.buf.artists.append(
            (rowid, self.new_id(), self.fetched_at(), name, followers, popularity)
        )
        self.artist_names.append(name)
        for genre in self.names.genres():
            self.buf.artist_genres.append((rowid, genre))
        if rng.random() < 0.7:
            for size, prefix in (
                (640, "ab6761610000e5eb"),
                (320, "ab67616100005174"),
                (160, "ab6761610000f178"),
            ):
                self.buf.artist_images.append((rowid, size, size, self.image_url(prefix)))
        return rowid

    # -- albums and tracks ------------------------------------------------------------

    def release_date(self, year: int) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < P_UNKNOWN_DATE:
            return "0000", "year"
        roll = rng.random()
        if roll < 0.2:
            return f"{year}", "year"
        if roll < 0.3:
            return f"{year}-{rng.randint(1, 12):02d}", "month"
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "day"

    def popularity(self, boost: int = 0) -> int:
        if self.rng.random() < P_ZERO_POPULARITY:
            return 0
        return min(100, 1 + int(self.rng.random() ** 2 * 70) + boost)

    def recording(self, artist: int, script: str, year: int) -> _Recording:
        rng = self.rng
        name = self.names.title(script)
        artists: tuple[int, ...] = (artist,)
        if rng.random() < P_FEATURED and self.artist_rowid > 2:
            other = rng.randint(2, self.artist_rowid)
            if other != artist:
                artists = (artist, other)
                name = f"{name} (feat. {self.artist_names[other]})"
        duration = max(30_000, int(rng.gauss(215_000, 55_000)))
        explicit = 1 if rng.random() < 0.1 else 0
        return _Recording(name, self.new_isrc(year), duration, explicit, artists)

    def album(
        self,
        *,
        main_artists: tuple[int, ...],
        name: str,
        album_type: str,
        year: int,
        recordings: list[_Recording],
        label: str,
        discs: int = 1,
    ) -> None:
        rng = self.rng
        self.album_rowid += 1
        album_rowid = self.album_rowid
        date, precision = self.release_date(year)
        if rng.random() < P_EMPTY_ALBUM_NAME:
            name = ""
        markets = rng.choice(self.markets)
        shown_year = year if date != "0000" else 2000
        upc = f"{rng.randrange(10**11, 10**12)}{rng.randint(0, 9)}" if rng.random() < 0.9 else None
        album_popularity = self.popularity()
        self.buf.albums.append(
            (
                album_rowid,
                self.new_id(),
                self.fetched_at(),
                name,
                album_type,
                markets,
                upc,
                None,
                f"© {shown_year} {label}",
                f"℗ {shown_year} {label}",
                label,
                album_popularity,
                date,
                precision,
                len(recordings),
            )
        )
        for size, prefix in (
            (640, "ab67616d0000b273"),
            (300, "ab67616d00001e02"),
            (64, "ab67616d00004851"),
        ):
            self.buf.album_images.append((album_rowid, size, size, self.image_url(prefix)))
        for index, artist in enumerate(main_artists):
            self.buf.artist_albums.append((artist, album_rowid, 0, 0, index))
        appears: list[int] = []
        per_disc = max(1, -(-len(recordings) // discs))
        for position, rec in enumerate(recordings):
            self.track_rowid += 1
            rowid = self.track_rowid
            disc, number = divmod(position, per_disc)
            track_id = self.new_id()
            preview = (
                f"https://p.scdn.co/mp3-preview/{rng.getrandbits(160):040x}"
                if rng.random() < P_PREVIEW
                else None
            )
            popularity = self.popularity(boost=album_popularity // 10)
            self.buf.tracks.append(
                (
                    rowid,
                    track_id,
                    self.fetched_at(),
                    rec.name,
                    preview,
                    album_rowid,
                    number + 1,
                    rec.isrc,
                    None,
                    None,
                    popularity,
                    markets,
                    disc + 1,
                    rec.duration_ms,
                    rec.explicit,
                )
            )
            for artist in rec.artist_rowids:
                self.buf.track_artists.append((rowid, artist))
                if artist not in main_artists and artist not in appears:
                    appears.append(artist)
            self.features(rowid, track_id, rec.duration_ms)
        for artist in appears:
            self.buf.artist_albums.append((artist, album_rowid, 1, 0, None))
        if len(self.buf.tracks) >= FLUSH_TRACKS:
            self.flush()

    def features(self, rowid: int, track_id: str, duration_ms: int) -> None:
        rng = self.rng
        fetched = self.fetched_at()
        if rng.random() < P_NULL_FEATURES:
            self.buf.features.append((rowid, track_id, fetched, 1) + (None,) * 13)
            return
        r = rng.random
        self.buf.features.append(
            (
                rowid,
                track_id,
                fetched,
                0,
                duration_ms,
                rng.choice((3, 4, 4, 4, 4, 5)),
                round(60 + r() * 120, 3),
                rng.randint(-1, 11),
                rng.randint(0, 1),
                round(r(), 3),
                round(r(), 3),
                round(-30 + r() * 28, 3),
                round(r() * 0.4, 4),
                round(r(), 4),
                round(r() ** 3, 4),
                round(r() * 0.6, 4),
                round(r(), 3),
            )
        )

    def discography(self, artist: int, script: str, *, prolific: bool) -> None:
        rng = self.rng
        label = self.names.label()
        year = rng.randint(1965, 2022)
        singles: list[_Recording] = []
        n_singles = rng.randint(150, 300) if prolific else rng.choice((0, 1, 1, 2, 3))
        n_albums = rng.randint(20, 40) if prolific else rng.choice((0, 1, 1, 1, 2, 3))
        for _ in range(n_singles):
            if self.track_rowid >= self.target:
                return
            recordings = [
                self.recording(artist, script, year)
                for _ in range(min(rng.choice((1, 1, 2, 3)), self.target - self.track_rowid))
            ]
            single_type = "single"
            self.album(
                main_artists=(artist,),
                name=recordings[0].name,
                album_type=single_type,
                year=year,
                recordings=recordings,
                label=label,
            )
            singles.extend(recordings)
            year = min(2025, year + rng.choice((0, 0, 1)))
        made: list[tuple[str, list[_Recording], int]] = []
        for _ in range(n_albums):
            if self.track_rowid >= self.target:
                break
            count = rng.randint(6, 16)
            # a small catalog's last album: no more tracks than asked for (at least one)
            count = min(count, max(1, self.target - self.track_rowid))
            recordings = [self.recording(artist, script, year) for _ in range(count)]
            if singles and rng.random() < P_SINGLE_ON_ALBUM:
                recordings[rng.randrange(count)] = singles.pop(rng.randrange(len(singles)))
            name = self.names.title(script)
            discs = 2 if rng.random() < P_TWO_DISCS and count >= 8 else 1

            self.album(
                main_artists=(artist,),
                name=name,
                album_type="album",
                year=year,
                recordings=recordings,
                label=label,
                discs=discs,
            )
            self.pool.extend(rng.sample(recordings, k=min(3, len(recordings))))
            later = min(2025, year + rng.randint(5, 30))
            has_remaster = rng.random() < P_REMASTER
            if has_remaster:
                remastered = [
                    _Recording(
                        f"{rec.name} - Remastered {later}",
                        self.new_isrc(later),
                        rec.duration_ms + rng.randint(-1000, 1000),
                        rec.explicit,
                        rec.artist_rowids,
                    )
                    for rec in recordings
                ]
                self.album(
                    main_artists=(artist,),
                    name=f"{name} (Remastered {later})",
                    album_type="album",
                    year=later,
                    recordings=remastered,
                    label=label,
                    discs=discs,
                )
            if rng.random() < P_LIVE:
                live = [
                    _Recording(
                        f"{rec.name} - Live",
                        self.new_isrc(later),
                        rec.duration_ms + rng.randint(5_000, 40_000),
                        rec.explicit,
                        rec.artist_rowids,
                    )
                    for rec in recordings[: rng.randint(min(4, len(recordings)), len(recordings))]
                ]
                self.album(
                    main_artists=(artist,),
                    name=f"Live at {rng.choice(CITIES)}",
                    album_type="album",
                    year=later,
                    recordings=live,
                    label=label,
                )
            if rng.random() < P_DELUXE:
                bonus = [self.recording(artist, script, year) for _ in range(rng.randint(2, 4))]
                self.album(
                    main_artists=(artist,),
                    name=f"{name} (Deluxe Edition)",
                    album_type="album",
                    year=min(2025, year + 1),
                    recordings=recordings + bonus,
                    label=label,
                    discs=discs,
                )
            self.more_editions(
                artist,
                name,
                recordings,
                year=year,
                label=label,
                discs=discs,
                remastered=has_remaster,
            )
            made.append((name, recordings, year))
            year = min(2025, year + rng.randint(1, 4))
        if len(made) >= 2:
            self.best_of(artist, made, label=label)
        if len(self.pool) > 5_000:
            del self.pool[:2_500]

    def more_editions(
        self,
        artist: int,
        name: str,
        recordings: list[_Recording],
        *,
        year: int,
        label: str,
        discs: int,
        remastered: bool,
    ) -> None:
        """The editions drawn from their own stream: another remaster style, a re-release,
        covers by another artist."""
        rng, self.rng = self.rng, self.erng
        try:
            later = min(2025, year + self.rng.randint(5, 30))
            # (an edition comes later than its original: none for an album of 2025)
            if not remastered and self.rng.random() < P_REMASTER_MORE and later > year:
                self.remaster(artist, name, recordings, later=later, label=label, discs=discs)
            again = min(2025, year + self.rng.randint(1, 12))
            if self.rng.random() < P_REISSUE and again > year:
                self.album(
                    main_artists=(artist,),
                    name=name,
                    album_type="album",
                    year=again,
                    recordings=[
                        _Recording(
                            r.name, self.new_isrc(year), r.duration_ms, r.explicit, r.artist_rowids
                        )
                        for r in recordings
                    ],
                    label=label,
                    discs=discs,
                )
            if self.rng.random() < P_COVERS and self.artist_rowid > 2:
                self.covers(artist, recordings, year=later, label=label)
        finally:
            self.rng = rng

    def remaster(
        self,
        artist: int,
        name: str,
        recordings: list[_Recording],
        *,
        later: int,
        label: str,
        discs: int,
    ) -> None:
        """A remaster in the styles the dump has: "Song - 2011 Remaster" on "Album (2011
        Remaster)", or "Song - Remastered" on "Album (Remastered)"."""
        rng = self.rng
        style = rng.randrange(3)
        song_mark = ("{} Remaster", "Remastered {}", "Remastered")[style].format(later)
        album_mark = ("{} Remaster", "Remastered {}", "Remastered")[rng.randrange(3)].format(later)
        remastered = [
            _Recording(
                f"{rec.name} - {song_mark}",
                self.new_isrc(later),
                max(30_000, rec.duration_ms + rng.randint(-REMASTER_OFF_MS, REMASTER_OFF_MS)),
                rec.explicit,
                rec.artist_rowids,
            )
            for rec in recordings
        ]
        self.album(
            main_artists=(artist,),
            name=f"{name} ({album_mark})",
            album_type="album",
            year=later,
            recordings=remastered,
            label=label,
            discs=discs,
        )

    def covers(self, artist: int, recordings: list[_Recording], *, year: int, label: str) -> None:
        """Another artist's album of some of these songs: same titles, another performance."""
        rng = self.rng
        other = rng.randint(2, self.artist_rowid)
        if other == artist:
            return
        chosen = rng.sample(recordings, k=min(len(recordings), rng.randint(3, 8)))
        covered = [
            _Recording(
                rec.name.split(" (feat. ")[0],
                self.new_isrc(year),
                max(30_000, rec.duration_ms + rng.randint(-40_000, 40_000)),
                rec.explicit,
                (other,),
            )
            for rec in chosen
        ]
        self.album(
            main_artists=(other,),
            name=f"Songs of {self.artist_names[artist]}",
            album_type="album",
            year=year,
            recordings=covered,
            label=label,
        )

    def best_of(
        self, artist: int, made: list[tuple[str, list[_Recording], int]], *, label: str
    ) -> None:
        """The artist's own compilation of songs from their albums (same ISRCs)."""
        rng, self.rng = self.rng, self.erng
        try:
            if self.rng.random() >= P_BEST_OF:
                return
            songs = [
                rec
                for _, recordings, _ in made
                for rec in self.rng.sample(recordings, k=min(4, len(recordings)))
            ]
            year = min(2025, made[-1][2] + self.rng.randint(1, 10))
            self.album(
                main_artists=(artist,),
                name=self.rng.choice(("Greatest Hits", "The Best Of", "Essentials", "Gold")),
                album_type="compilation",
                year=year,
                recordings=songs[:20],
                label=label,
            )
        finally:
            self.rng = rng

    def compilation(self) -> None:
        rng = self.rng
        if len(self.pool) < 10:
            return
        recordings = rng.sample(self.pool, k=min(len(self.pool), rng.randint(10, 20)))
        year = rng.randint(1990, 2025)
        adjective = rng.choice(("Greatest", "Essential", "Ultimate", "Best Of"))
        self.album(
            main_artists=(self.various_artists,),
            name=f"{adjective} {self.names.title('latin')} {year}",
            album_type="compilation",
            year=year,
            recordings=recordings,
            label=self.names.label(),
        )

    # -- driver -----------------------------------------------------------------------

    def run(self) -> None:
        self.various_artists = self.new_artist(name="Various Artists")
        prolific_left = max(1, self.target // PROLIFIC_EVERY) if self.target >= PROLIFIC_FROM else 0
        made = 0
        while self.track_rowid < self.target:
            script = self.names.script()
            artist = self.new_artist(script=script)
            prolific = prolific_left > 0 and made % 7 == 3
            if prolific:
                prolific_left -= 1
            self.discography(artist, script, prolific=prolific)
            made += 1
            if made % ARTISTS_PER_COMPILATION == 0:
                self.compilation()
        self.flush()

    def flush(self) -> None:
        buf = self.buf
        inserts = (
            ("artists", buf.artists),
            ("artist_genres", buf.artist_genres),
            ("artist_images", buf.artist_images),
            ("artist_albums", buf.artist_albums),
            ("albums", buf.albums),
            ("album_images", buf.album_images),
            ("tracks", buf.tracks),
            ("track_artists", buf.track_artists),
        )
        for table, rows in inserts:
            if rows:
                width = len(rows[0])
                columns = ", ".join(schema.catalog_tables()[table])
                self.con.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({','.join('?' * width)})", rows
                )
                rows.clear()
        if buf.features:
            self.fcon.executemany(
                f"INSERT INTO track_audio_features VALUES ({','.join('?' * 17)})", buf.features
            )
            buf.features.clear()
        if self.progress is not None:
            self.progress(min(self.track_rowid, self.target), self.target)


# The demo's files carry this SQLite application id ("CEXD"): what `explorer demo --force`
# may replace, never a real catalog (the dump has none) or another file.
DEMO_APPLICATION_ID = 0x43455844


def is_demo_file(path: Path) -> bool:
    """Whether `path` is a file the demo wrote (its application id; read-only)."""
    try:
        con = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return bool(con.execute("PRAGMA application_id").fetchone()[0] == DEMO_APPLICATION_ID)
    except sqlite3.Error:
        return False
    finally:
        con.close()


def _open_for_writing(path: Path) -> sqlite3.Connection:
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute(f"PRAGMA application_id = {DEMO_APPLICATION_ID}")
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -262144")
    return con


def _run_script(con: sqlite3.Connection, script: str) -> None:
    """Run DDL statements one by one (executescript would commit the transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            con.execute(statement)


def write_demo_catalog(
    path: str | os.PathLike[str],
    *,
    tracks: int = 50_000,
    seed: int = 1,
    progress: ProgressCallback | None = None,
) -> DemoStats:
    """Write a fictional catalog with about `tracks` tracks (a few more: whole albums).

    The same seed and size give the same file contents. The catalog and its
    `<stem>_audio_features.sqlite3` are written under temporary names and renamed at
    the end, so an interrupted run never leaves a half catalog behind.
    """
    if tracks < 1:
        raise ValueError("tracks must be at least 1")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    features_target = features_path_for(target)
    tmp = target.with_name(target.name + ".partial")
    ftmp = features_target.with_name(features_target.name + ".partial")
    started = time.perf_counter()
    con = _open_for_writing(tmp)
    fcon = _open_for_writing(ftmp)
    try:
        con.execute("BEGIN")
        fcon.execute("BEGIN")
        _run_script(con, schema.CATALOG_TABLES_DDL)
        _run_script(fcon, schema.FEATURES_TABLES_DDL)
        generator = _Generator(con, fcon, tracks=tracks, seed=seed, progress=progress)
        generator.run()
        _run_script(con, schema.CATALOG_INDEXES_DDL)
        con.execute("COMMIT")
        _run_script(fcon, schema.FEATURES_INDEXES_DDL)
        fcon.execute("COMMIT")
    except BaseException:
        con.close()
        fcon.close()
        tmp.unlink(missing_ok=True)
        ftmp.unlink(missing_ok=True)
        raise
    con.close()
    fcon.close()
    os.replace(ftmp, features_target)
    os.replace(tmp, target)
    return DemoStats(
        path=target,
        features_path=features_target,
        tracks=generator.track_rowid,
        albums=generator.album_rowid,
        artists=generator.artist_rowid,
        seconds=time.perf_counter() - started,
    )
