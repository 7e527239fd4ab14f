"""The detail pane: every field of the selected artist, album or track, as readable HTML."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QTextBrowser, QWidget

from explorer.catalog.records import (
    AlbumGroups,
    AlbumRow,
    ArtistRow,
    AudioFeaturesRow,
    TrackRow,
    format_duration,
)

# Features shown as bars (0..1), with the names people read.
BARS = (
    ("danceability", "Danceability"),
    ("energy", "Energy"),
    ("valence", "Valence (mood)"),
    ("acousticness", "Acousticness"),
    ("instrumentalness", "Instrumentalness"),
    ("liveness", "Liveness"),
    ("speechiness", "Speechiness"),
)
WEB = "https://open.spotify.com"


def link(kind: str, entity_id: str, text: str) -> str:
    return f'<a href="explorer://{kind}/{escape(entity_id)}">{escape(text or "(no name)")}</a>'


def _row(label: str, value: str) -> str:
    return (
        f"<tr><td style='color:#666;padding-right:12px'>{escape(label)}</td><td>{value}</td></tr>"
    )


BAR_CELLS = 20  # the blocks of a feature's bar (0 to 1): one per 0.05


def _bar(share: float) -> str:
    """A bar of `share` (0 to 1) drawn with blocks, its value after it, on one line."""
    filled = round(max(0.0, min(1.0, share)) * BAR_CELLS)
    return (
        f"<span style='color:#3b82f6'>{'█' * filled}</span>"
        f"<span style='color:#d1d5db'>{'█' * (BAR_CELLS - filled)}</span>"
        f"&nbsp;&nbsp;{share:.2f}"
    )


def features_html(features: AudioFeaturesRow | None) -> str:
    if features is None:
        return "<p style='color:#666'>No audio features for this track.</p>"
    if features.null_response:
        return "<p style='color:#666'>The dump has no audio analysis for this track.</p>"
    rows = [
        _row("Tempo", f"{features.tempo:.0f} BPM" if features.tempo else "-"),
        _row("Key", escape(features.key_name or "-")),
        _row("Time signature", f"{features.time_signature}/4" if features.time_signature else "-"),
        _row("Loudness", f"{features.loudness:.1f} dB" if features.loudness is not None else "-"),
    ]
    for name, label in BARS:
        value = getattr(features, name)
        if value is not None:
            rows.append(_row(label, _bar(value)))
    return "<h3>Audio features</h3><table>" + "".join(rows) + "</table>"


def _preview(url: str | None) -> str:
    """The preview clip's address as a link the browser opens (the window plays nothing);
    only a web address becomes a link: the catalog's text is not trusted."""
    if not url:
        return "none"
    if url.lower().startswith(("https://", "http://")):
        return f"<a href='{escape(url)}'>{escape(url)}</a> (opens in your browser)"
    return escape(url)


def _markets(codes: tuple[str, ...]) -> str:
    return f"{len(codes)}: {escape(', '.join(codes))}" if codes else "none"


def _ids(kind: str, entity_id: str) -> str:
    return (
        f"<code>{escape(entity_id)}</code> &nbsp; <code>spotify:{kind}:{escape(entity_id)}</code>"
        f" &nbsp; <a href='{WEB}/{kind}/{escape(entity_id)}'>web page</a>"
    )


def track_html(track: TrackRow, features: AudioFeaturesRow | None, others: list[TrackRow]) -> str:
    album = track.album
    artists = ", ".join(link("artist", a.id, a.name) for a in track.artists)
    rows = [
        _row("Artists", artists),
        _row("Album", link("album", album.id, album.name) if album else "-"),
        _row("Released", escape(album.release_text) if album else "-"),
        _row("Disc / track", f"{track.disc_number} / {track.track_number}"),
        _row("Duration", format_duration(track.duration_ms)),
        _row("ISRC", f"<code>{escape(track.isrc or '-')}</code>"),
        _row("EAN / UPC", escape(f"{track.ean or '-'} / {track.upc or '-'}")),
        _row("Explicit", "yes" if track.explicit else "no"),
        _row("Popularity", f"{track.popularity} / 100"),
        _row("Preview", _preview(track.preview_url)),
        _row("Markets", _markets(track.markets)),
        _row("ID", _ids("track", track.id)),
    ]
    html = f"<h2>{escape(track.name)}</h2><table>{''.join(rows)}</table>"
    if album is not None:
        html += f"<p><a href='explorer://tree/album/{escape(album.id)}'>Show the album in the tree</a></p>"
    if others:
        items = "".join(
            f"<li>{link('album', o.album.id, o.album.name) if o.album else '?'}"
            f" ({escape(o.album.album_type if o.album else '')}, "
            f"{escape(o.album.release_text if o.album else '')}) "
            f"— {link('track', o.id, o.name)}</li>"
            for o in others[:50]
        )
        html += f"<h3>This recording is also on {len(others)} other release(s)</h3><ul>{items}</ul>"
    return html + features_html(features)


def album_html(album: AlbumRow, presence: dict[str, bool] | None = None) -> str:
    """The album; with `presence`, which of its tracks the user has and which are missing."""
    kind = {"single": "Single or EP"}.get(album.album_type, album.album_type.title())
    rows = [
        _row("Artists", ", ".join(link("artist", a.id, a.name) for a in album.artists) or "-"),
        _row("Type", escape(kind)),
        _row("Released", escape(album.release_text)),
        _row("Label", escape(album.label or "-")),
        _row("Tracks", f"{album.total_tracks} on {max(album.disc_count, 1)} disc(s)"),
        _row("UPC", f"<code>{escape(album.upc or '-')}</code>"),
        _row("© / ℗", escape(f"{album.copyright_c or '-'} / {album.copyright_p or '-'}")),
        _row("Popularity", f"{album.popularity} / 100"),
        _row("Markets", _markets(album.markets)),
        _row("Images", ", ".join(f"{i.width}px" for i in album.images) or "none"),
        _row("ID", _ids("album", album.id)),
    ]

    def have(track_id: str) -> str:
        if presence is None:
            return ""
        return (
            "<td>✓ yours</td>"
            if presence.get(track_id)
            else "<td style='color:#b45309'>missing</td>"
        )

    tracks = "".join(
        f"<tr><td>{t.disc_number}-{t.track_number}</td><td>{link('track', t.id, t.name)}</td>"
        f"<td>{format_duration(t.duration_ms)}</td><td><code>{escape(t.isrc or '')}</code></td>"
        f"{have(t.id)}</tr>"
        for t in album.tracks
    )
    owned = sum(presence.values()) if presence else 0
    summary = (
        f"<p>You have {owned} of {len(album.tracks)} tracks of this album.</p>" if owned else ""
    )
    return (
        f"<h2>{escape(album.name or '(no name)')}</h2><table>{''.join(rows)}</table>"
        f"<p><a href='explorer://tree/album/{escape(album.id)}'>Show in the tree</a></p>"
        f"<h3>Tracks</h3>{summary}<table>{tracks}</table>"
    )


def artist_html(artist: ArtistRow, groups: AlbumGroups) -> str:
    rows = [
        _row("Followers", f"{artist.followers:,}"),
        _row("Popularity", f"{artist.popularity} / 100"),
        _row("Genres", escape(", ".join(artist.genres)) or "none"),
        _row("Images", ", ".join(f"{i.width}px" for i in artist.images) or "none"),
        _row("ID", _ids("artist", artist.id)),
    ]
    html = f"<h2>{escape(artist.name)}</h2><table>{''.join(rows)}</table>"
    for label, albums in groups.items():
        if albums:
            items = "".join(
                f"<li>{link('album', a.id, a.name)} ({escape(a.release_text)})</li>"
                for a in albums[:200]
            )
            more = f"<li>… and {len(albums) - 200} more</li>" if len(albums) > 200 else ""
            html += f"<h3>{escape(label)} ({len(albums)})</h3><ul>{items}{more}</ul>"
    return html


class DetailPane(QTextBrowser):
    """Shows one entity; links inside are `explorer://kind/id` (the window navigates)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.current: tuple[str, Any] | None = None
        self.show_message("Type in the search box, or open an artist in the tree.")

    def show_message(self, text: str) -> None:
        self.current = None
        self.setHtml(f"<p style='color:#666'>{escape(text)}</p>")

    def show_entity(self, kind: str, record: Any, html: str) -> None:
        self.current = (kind, record)
        self.setHtml(html)
