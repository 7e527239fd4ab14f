"""Opening catalogs: every helper works, nothing is ever written, bad files are refused clearly."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.catalog.connection import features_path_for
from explorer.errors import NotACatalogError


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(folder: Path) -> dict[str, tuple[int, int, str]]:
    return {
        item.name: (item.stat().st_size, item.stat().st_mtime_ns, _digest(item))
        for item in sorted(folder.iterdir())
    }


def test_every_helper_leaves_the_files_untouched(demo_catalog_path: Path) -> None:
    folder = demo_catalog_path.parent
    before = _snapshot(folder)
    with open_catalog(demo_catalog_path) as catalog:
        assert catalog.has_features
        sizes = {item.table: item.rows for item in catalog.estimates()}
        first = catalog.tracks_by_rowids([1, 2, 3])
        track = catalog.track(first[0].id)
        assert track is not None and track.album is not None
        album = catalog.album(track.album.id)
        assert album is not None and album.tracks
        assert catalog.album_by_rowid(album.rowid) == album
        artist = catalog.artist(track.artists[0].id)
        assert artist is not None
        assert catalog.artist_by_rowid(artist.rowid) == artist
        groups = catalog.artist_albums(artist.rowid)
        assert any(items for _, items in groups.items())
        assert track.isrc is not None
        assert track.id in {t.id for t in catalog.tracks_with_isrc(track.isrc)}
        assert catalog.audio_features(track.id) is not None
        top = catalog.top_artists(limit=5)
        more = catalog.top_artists(limit=5, below=(top[-1].followers, top[-1].rowid))
        assert not {a.rowid for a in top} & {a.rowid for a in more}
        assert list(catalog.models.Track.select().limit(3).dicts())
        assert list(catalog.models.TrackAudioFeatures.select().limit(1).dicts())
        with pytest.raises(sqlite3.OperationalError):
            catalog.execute("CREATE TABLE x (a)")
        with pytest.raises(sqlite3.OperationalError):
            catalog.execute("DELETE FROM tracks WHERE rowid = 1")
        assert sizes["tracks"] > 0
    assert _snapshot(folder) == before


def test_estimates_equal_real_counts(demo_catalog_path: Path) -> None:
    with open_catalog(demo_catalog_path) as catalog:
        for item in catalog.estimates():
            schema = "features." if item.table == "track_audio_features" else ""
            (real,) = catalog.execute(f"SELECT count(*) FROM {schema}{item.table}").fetchone()
            assert item.rows == real, item.table


def test_album_tracks_come_in_disc_and_track_order(demo_catalog_path: Path) -> None:
    with open_catalog(demo_catalog_path) as catalog:
        (rowid,) = catalog.execute(
            "SELECT album_rowid FROM tracks WHERE disc_number = 2 LIMIT 1"
        ).fetchone()
        album = catalog.album_by_rowid(rowid)
        assert album is not None and album.disc_count == 2
        order = [(t.disc_number, t.track_number) for t in album.tracks]
        assert order == sorted(order)


def test_track_artists_keep_credit_order(demo_catalog_path: Path) -> None:
    with open_catalog(demo_catalog_path) as catalog:
        (rowid,) = catalog.execute(
            "SELECT rowid FROM tracks WHERE name LIKE '%(feat. %' LIMIT 1"
        ).fetchone()
        (track,) = catalog.tracks_by_rowids([rowid])
        assert len(track.artists) == 2
        assert track.name.endswith(f"(feat. {track.artists[1].name})")


def test_works_without_audio_features(demo_catalog_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "alone.sqlite3"
    shutil.copy(demo_catalog_path, copy)
    with open_catalog(copy) as catalog:
        assert not catalog.has_features
        (track,) = catalog.tracks_by_rowids([1])
        assert catalog.audio_features(track.id) is None
        assert "track_audio_features" not in {item.table for item in catalog.estimates()}


def test_features_can_be_named(demo_catalog_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere.sqlite3"
    shutil.copy(demo_catalog_path, copy)
    with open_catalog(copy, features=features_path_for(demo_catalog_path)) as catalog:
        assert catalog.has_features


def _truncated(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes()[: 64 * 1024])


def _corrupt(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page after the header
    target.write_bytes(bytes(data))


def _other_sqlite(_: Path, target: Path) -> None:
    con = sqlite3.connect(target)
    con.execute("CREATE TABLE notes (body text)")
    con.commit()
    con.close()


def _missing_column(source: Path, target: Path) -> None:
    con = sqlite3.connect(target)
    src = sqlite3.connect(source)
    for (sql,) in src.execute("SELECT sql FROM sqlite_master WHERE type = 'table'"):
        con.execute(sql.replace("explicit integer NOT NULL", "is_explicit integer NOT NULL"))
    con.commit()
    con.close()
    src.close()


BAD_FILES = [
    ("empty", lambda s, t: t.write_bytes(b""), "is empty"),
    ("text", lambda s, t: t.write_text("artist,title\nfoo,bar\n" * 50), "not a SQLite database"),
    ("short", lambda s, t: t.write_bytes(b"SQLite format 3\x00"), "not a SQLite database"),
    ("other", _other_sqlite, "has no table 'album_images'"),
    ("column", _missing_column, "table 'tracks' has no column 'explicit'"),
    ("truncated", _truncated, "is truncated"),
    ("corrupt", _corrupt, "is damaged ("),
]


@pytest.mark.parametrize(("kind", "make", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_with_one_sentence(
    kind: str, make: object, message: str, demo_catalog_path: Path, tmp_path: Path
) -> None:
    bad = tmp_path / f"{kind}.sqlite3"
    make(demo_catalog_path, bad)  # type: ignore[operator]
    before = _snapshot(tmp_path)
    with pytest.raises(NotACatalogError) as caught:
        open_catalog(bad)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text and text.endswith(".")
    assert _snapshot(tmp_path) == before


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(NotACatalogError, match="does not exist"):
        open_catalog(tmp_path / "nope.sqlite3")
    with pytest.raises(NotACatalogError, match="is not a file"):
        open_catalog(tmp_path)


def test_reading_runs_many_statements_in_one_read_transaction(demo_catalog_path: Path) -> None:
    with open_catalog(demo_catalog_path) as catalog:
        connection = catalog.connection()
        statements: list[str] = []
        connection.set_trace_callback(statements.append)
        with catalog.reading():
            assert connection.in_transaction
            first = catalog.album_by_rowid(1)
            with catalog.reading():  # nested: joins the one open
                assert catalog.album_by_rowid(1) == first
            assert connection.in_transaction
        assert not connection.in_transaction
        assert [s for s in statements if s in ("BEGIN", "COMMIT")] == ["BEGIN", "COMMIT"]
        assert len(statements) > 4
        # an error inside ends the transaction too, and the connection goes on
        with pytest.raises(sqlite3.OperationalError), catalog.reading():
            catalog.execute("SELECT no_such_column FROM albums")
        assert not connection.in_transaction
        assert catalog.album_by_rowid(1) == first
        # the file is never written
        with catalog.reading(), pytest.raises(sqlite3.OperationalError):
            catalog.execute("CREATE TABLE x (y)")
