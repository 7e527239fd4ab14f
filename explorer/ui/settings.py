"""The window's settings file and its list of recent catalogs."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings

from explorer.catalog.source import CatalogSource
from explorer.paths import config_dir

MAX_RECENT = 8  # catalogs kept in File > Recent catalogs


def settings() -> QSettings:
    return QSettings(str(config_dir() / "explorer.ini"), QSettings.Format.IniFormat)


def forget_recent(catalog: CatalogSource | str | os.PathLike[str]) -> None:
    """Take a catalog that cannot be opened (moved, deleted) off the recent list."""
    source = CatalogSource.of(catalog)
    store = settings()
    gone = {source.location, source.remembered()}
    store.setValue("recent", [p for p in recent_catalogs(store) if p not in gone])


def remember_recent(source: CatalogSource) -> None:
    """Put the catalog opened first on the recent list: its file's path, or its URL
    without the password (passwords come from ~/.pgpass or PGPASSWORD, never from here)."""
    store = settings()
    opened = source.remembered()
    recent = [opened] + [p for p in recent_catalogs(store) if p != opened]
    store.setValue("recent", recent[:MAX_RECENT])


def recent_catalogs(store: QSettings) -> list[str]:
    """The recent catalogs' paths and URLs (an INI file gives a list of one back as its
    string)."""
    value = store.value("recent")
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str) and item]
    return []


def last_catalog() -> CatalogSource | None:
    """The catalog file opened last that is still there, if any (a server catalog is
    not reopened at start: a server down would leave the launcher with nothing)."""
    for item in recent_catalogs(settings()):
        source = CatalogSource.of(item)
        if not source.is_server and source.path.is_file():
            return source
    return None
