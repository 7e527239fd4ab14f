"""Where a catalog is: a SQLite file (with its audio features) or a PostgreSQL URL; one
notion the command line (`--catalog`) and the window share."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from explorer.catalog.connection import Catalog, open_catalog
from explorer.catalog.publish import is_postgres_url
from explorer.catalog.server import ServerCatalog, display_url, open_server_catalog
from explorer.errors import KnownError


@dataclass(frozen=True)
class CatalogSource:
    """A catalog file (`features`: its audio-features file, else found beside it) or a
    catalog published into PostgreSQL (`location` is its URL as given: a password in it
    is used to connect, never shown or remembered, see `remembered`)."""

    location: str
    features: str | None = None

    @classmethod
    def of(cls, value: str | os.PathLike[str] | CatalogSource) -> CatalogSource:
        """A source from a `--catalog` value, a path, a URL or a source."""
        if isinstance(value, CatalogSource):
            return value
        text = os.fspath(value)
        if is_postgres_url(text):
            return cls(text.strip())
        return cls(str(Path(text).expanduser()))

    @classmethod
    def from_arguments(cls, catalog: str, features: str | None) -> CatalogSource:
        """The source `--catalog` and `--features` name (a server holds its features)."""
        source = cls.of(catalog)
        if features:
            if source.is_server:
                raise KnownError(
                    "A PostgreSQL catalog holds its audio features: leave out --features."
                )
            return CatalogSource(source.location, str(Path(features).expanduser()))
        return source

    @property
    def is_server(self) -> bool:
        return is_postgres_url(self.location)

    @property
    def path(self) -> Path:
        """The catalog file (KnownError for a server catalog: ask `is_server` first)."""
        if self.is_server:
            raise KnownError(f"The catalog '{self.label}' is on a server, not in a file.")
        return Path(self.location)

    @property
    def label(self) -> str:
        """What the window's title and messages call it: the file's path, the URL without
        its password."""
        return display_url(self.location) if self.is_server else self.location

    @property
    def short_name(self) -> str:
        """The file's name, or the database's name and its server."""
        if not self.is_server:
            return Path(self.location).name
        label = self.label
        host_db = label.split("://", 1)[1].rsplit("@", 1)[-1]
        host, _, database = host_db.partition("/")
        return f"{database.split('?', 1)[0] or host} on {host}"

    def remembered(self) -> str:
        """What the recent-catalogs list keeps: the file's absolute path, or the URL
        without its password (passwords come from ~/.pgpass or PGPASSWORD)."""
        if self.is_server:
            return self.label
        return str(Path(self.location).resolve())

    def open(self) -> Catalog | ServerCatalog:
        """Open the catalog read-only after checking it is one (NotACatalogError if not; a
        KnownError when the server cannot be reached)."""
        if self.is_server:
            return open_server_catalog(self.location)
        return open_catalog(self.location, features=self.features)


# What the window's parts take to name their catalog: a source, a path or a URL.
CatalogLike = CatalogSource | str | os.PathLike[str]
