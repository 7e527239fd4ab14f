"""Frozen records handed from the catalog layer to search, matching, the CLI and the GUI."""

from __future__ import annotations

from dataclasses import dataclass, field

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_release_date(date: str, precision: str) -> str:
    """`1997-03-14` at its precision: `1997`, `March 1997`, `14 March 1997`, or `unknown`."""
    if not date or date.startswith("0000"):
        return "unknown"
    parts = date.split("-")
    try:
        year = int(parts[0])
        if precision == "year" or len(parts) < 2:
            return str(year)
        month = int(parts[1])
        if not 1 <= month <= 12:
            return str(year)
        if precision == "month" or len(parts) < 3:
            return f"{MONTHS[month - 1]} {year}"
        return f"{int(parts[2])} {MONTHS[month - 1]} {year}"
    except ValueError:
        return date


def release_year(date: str) -> int | None:
    """The year of a release date, None when unknown (`0000...`) or unreadable."""
    head = date[:4]
    if not head.isdigit() or head == "0000":
        return None
    return int(head)


def format_duration(duration_ms: int | None) -> str:
    """`3:25`, `1:02:03`, or an empty string for no duration."""
    if duration_ms is None or duration_ms < 0:
        return ""
    seconds = round(duration_ms / 1000)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class ImageRow:
    """One cover or portrait image as the catalog lists it."""

    width: int
    height: int
    url: str


@dataclass(frozen=True)
class ArtistRef:
    """An artist as credited on a track or album."""

    rowid: int
    id: str
    name: str


@dataclass(frozen=True)
class ArtistRow:
    """Every field of one artist."""

    rowid: int
    id: str
    name: str
    followers: int
    popularity: int
    fetched_at: int
    genres: tuple[str, ...] = ()
    images: tuple[ImageRow, ...] = ()

    @property
    def uri(self) -> str:
        return f"spotify:artist:{self.id}"


@dataclass(frozen=True)
class AlbumSummary:
    """An album as listed under an artist or beside a track."""

    rowid: int
    id: str
    name: str
    album_type: str
    release_date: str
    release_date_precision: str
    total_tracks: int
    popularity: int
    artists: tuple[ArtistRef, ...] = ()

    @property
    def year(self) -> int | None:
        return release_year(self.release_date)

    @property
    def release_text(self) -> str:
        return format_release_date(self.release_date, self.release_date_precision)

    @property
    def uri(self) -> str:
        return f"spotify:album:{self.id}"


@dataclass(frozen=True)
class TrackRow:
    """Every field of one track, with its credited artists and (when asked) its album."""

    rowid: int
    id: str
    name: str
    fetched_at: int
    preview_url: str | None
    album_rowid: int
    track_number: int
    disc_number: int
    duration_ms: int
    explicit: bool
    popularity: int
    isrc: str | None
    ean: str | None
    upc: str | None
    markets: tuple[str, ...]
    artists: tuple[ArtistRef, ...]
    album: AlbumSummary | None = None

    @property
    def uri(self) -> str:
        return f"spotify:track:{self.id}"

    @property
    def artist_names(self) -> str:
        return ", ".join(artist.name for artist in self.artists)


@dataclass(frozen=True)
class AlbumRow:
    """Every field of one album, with its tracks in disc and track order."""

    rowid: int
    id: str
    name: str
    fetched_at: int
    album_type: str
    label: str
    popularity: int
    release_date: str
    release_date_precision: str
    total_tracks: int
    upc: str | None
    amgid: str | None
    copyright_c: str | None
    copyright_p: str | None
    markets: tuple[str, ...]
    artists: tuple[ArtistRef, ...]
    images: tuple[ImageRow, ...]
    tracks: tuple[TrackRow, ...] = field(default=())

    @property
    def year(self) -> int | None:
        return release_year(self.release_date)

    @property
    def release_text(self) -> str:
        return format_release_date(self.release_date, self.release_date_precision)

    @property
    def uri(self) -> str:
        return f"spotify:album:{self.id}"

    @property
    def disc_count(self) -> int:
        return max((track.disc_number for track in self.tracks), default=0)

    def summary(self) -> AlbumSummary:
        """The album as lists show it (without its tracks)."""
        return AlbumSummary(
            rowid=self.rowid,
            id=self.id,
            name=self.name,
            album_type=self.album_type,
            release_date=self.release_date,
            release_date_precision=self.release_date_precision,
            total_tracks=self.total_tracks,
            popularity=self.popularity,
            artists=self.artists,
        )


@dataclass(frozen=True)
class AlbumGroups:
    """An artist's releases as people browse them, newest first in each group."""

    albums: tuple[AlbumSummary, ...]
    singles: tuple[AlbumSummary, ...]
    compilations: tuple[AlbumSummary, ...]
    appears_on: tuple[AlbumSummary, ...]

    def items(self) -> tuple[tuple[str, tuple[AlbumSummary, ...]], ...]:
        """(label, albums) in the order the browser shows them."""
        return (
            ("Albums", self.albums),
            ("Singles & EPs", self.singles),
            ("Compilations", self.compilations),
            ("Appears on", self.appears_on),
        )


KEY_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


@dataclass(frozen=True)
class AudioFeaturesRow:
    """The audio analysis of one track (every feature None when the dump had no analysis)."""

    track_id: str
    fetched_at: int
    null_response: bool
    duration_ms: int | None
    time_signature: int | None
    tempo: float | None
    key: int | None
    mode: int | None
    danceability: float | None
    energy: float | None
    loudness: float | None
    speechiness: float | None
    acousticness: float | None
    instrumentalness: float | None
    liveness: float | None
    valence: float | None

    @property
    def key_name(self) -> str:
        """`C# minor`, `A major`, or an empty string when the key is unknown."""
        if self.key is None or not 0 <= self.key <= 11:
            return ""
        mode = {1: " major", 0: " minor"}.get(self.mode if self.mode is not None else -1, "")
        return KEY_NAMES[self.key] + mode


@dataclass(frozen=True)
class TableEstimate:
    """Estimated rows of one table (max(rowid): exact unless rows were deleted)."""

    table: str
    rows: int
