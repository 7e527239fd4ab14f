"""The read-only catalog: open, validate, peewee models, frozen-record queries."""

from explorer.catalog.connection import Catalog, CatalogIdentity, open_catalog
from explorer.catalog.records import (
    AlbumGroups,
    AlbumRow,
    AlbumSummary,
    ArtistRef,
    ArtistRow,
    AudioFeaturesRow,
    TrackRow,
)

__all__ = [
    "AlbumGroups",
    "AlbumRow",
    "AlbumSummary",
    "ArtistRef",
    "ArtistRow",
    "AudioFeaturesRow",
    "Catalog",
    "CatalogIdentity",
    "TrackRow",
    "open_catalog",
]
