"""Peewee models of every published table, bound per catalog (never to a global database)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from peewee import (
    AutoField,
    Database,
    FloatField,
    IntegerField,
    Model,
    TextField,
)


class _Base(Model):
    class Meta:
        database = None
        legacy_table_names = False


class _RowidTable(_Base):
    """Tables declared `rowid integer PRIMARY KEY NOT NULL`."""

    rowid = AutoField(column_name="rowid")


class _JunctionTable(_Base):
    """Tables with no declared primary key (plain rowid tables)."""

    class Meta:
        primary_key = False


class Artist(_RowidTable):
    id = TextField()
    fetched_at = IntegerField()
    name = TextField()
    followers_total = IntegerField()
    popularity = IntegerField()

    class Meta:
        table_name = "artists"


class ArtistGenre(_JunctionTable):
    artist_rowid = IntegerField()
    genre = TextField()

    class Meta:
        table_name = "artist_genres"


class ArtistImage(_JunctionTable):
    artist_rowid = IntegerField()
    width = IntegerField()
    height = IntegerField()
    url = TextField()

    class Meta:
        table_name = "artist_images"


class ArtistAlbum(_JunctionTable):
    artist_rowid = IntegerField()
    album_rowid = IntegerField()
    is_appears_on = IntegerField()
    is_implicit_appears_on = IntegerField()
    index_in_album = IntegerField(null=True)

    class Meta:
        table_name = "artist_albums"


class AvailableMarkets(_RowidTable):
    available_markets = TextField()

    class Meta:
        table_name = "available_markets"


class Album(_RowidTable):
    id = TextField()
    fetched_at = IntegerField()
    name = TextField()
    album_type = TextField()
    available_markets_rowid = IntegerField()
    external_id_upc = TextField(null=True)
    external_id_amgid = TextField(null=True)
    copyright_c = TextField(null=True)
    copyright_p = TextField(null=True)
    label = TextField()
    popularity = IntegerField()
    release_date = TextField()
    release_date_precision = TextField()
    total_tracks = IntegerField()

    class Meta:
        table_name = "albums"


class AlbumImage(_JunctionTable):
    album_rowid = IntegerField()
    width = IntegerField()
    height = IntegerField()
    url = TextField()

    class Meta:
        table_name = "album_images"


class Track(_RowidTable):
    id = TextField()
    fetched_at = IntegerField()
    name = TextField()
    preview_url = TextField(null=True)
    album_rowid = IntegerField()
    track_number = IntegerField()
    external_id_isrc = TextField(null=True)
    external_id_ean = TextField(null=True)
    external_id_upc = TextField(null=True)
    popularity = IntegerField()
    available_markets_rowid = IntegerField()
    disc_number = IntegerField()
    duration_ms = IntegerField()
    explicit = IntegerField()

    class Meta:
        table_name = "tracks"


class TrackArtist(_JunctionTable):
    track_rowid = IntegerField()
    artist_rowid = IntegerField()

    class Meta:
        table_name = "track_artists"


class TrackAudioFeatures(_RowidTable):
    track_id = TextField()
    fetched_at = IntegerField()
    null_response = IntegerField()
    duration_ms = IntegerField(null=True)
    time_signature = IntegerField(null=True)
    # declared integer in the dump, but holds REAL values such as 118.211
    tempo = FloatField(null=True)
    key = IntegerField(null=True)
    mode = IntegerField(null=True)
    danceability = FloatField(null=True)
    energy = FloatField(null=True)
    loudness = FloatField(null=True)
    speechiness = FloatField(null=True)
    acousticness = FloatField(null=True)
    instrumentalness = FloatField(null=True)
    liveness = FloatField(null=True)
    valence = FloatField(null=True)

    class Meta:
        table_name = "track_audio_features"


CATALOG_MODELS: tuple[type[_Base], ...] = (
    Artist,
    ArtistGenre,
    ArtistImage,
    ArtistAlbum,
    AvailableMarkets,
    Album,
    AlbumImage,
    Track,
    TrackArtist,
)
FEATURES_MODELS: tuple[type[_Base], ...] = (TrackAudioFeatures,)


def bind_models(database: Database, *, features_schema: str | None = None) -> SimpleNamespace:
    """Subclasses of every model bound to this catalog's database, by class name.

    Binding copies instead of the module's classes keeps two open catalogs apart. The
    audio-features model is bound to the attached schema when there is one.
    """
    bound: dict[str, Any] = {}
    for model in CATALOG_MODELS:
        meta = type("Meta", (), {"database": database, "table_name": model._meta.table_name})
        bound[model.__name__] = type(model.__name__, (model,), {"Meta": meta})
    if features_schema is not None:
        for model in FEATURES_MODELS:
            meta = type(
                "Meta",
                (),
                {
                    "database": database,
                    "table_name": model._meta.table_name,
                    "schema": features_schema,
                },
            )
            bound[model.__name__] = type(model.__name__, (model,), {"Meta": meta})
    return SimpleNamespace(**bound)
