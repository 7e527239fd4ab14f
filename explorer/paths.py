"""Where state lives: data, cache and config folders (platformdirs; EXPLORER_HOME overrides)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "catalog-explorer"
HOME_ENV = "EXPLORER_HOME"
# The catalog the commands open when no --catalog names one (a file or a PostgreSQL URL).
CATALOG_ENV = "EXPLORER_CATALOG"


def _dirs() -> PlatformDirs:
    return PlatformDirs(APP_NAME, appauthor=False)


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def catalog_from_env() -> str | None:
    """The catalog EXPLORER_CATALOG names, if it is set (a path or a URL, as given)."""
    value = os.environ.get(CATALOG_ENV, "").strip()
    return value or None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """The user's precious state: the user store, demo catalogs."""
    home = _home()
    return _ensure(home / "data" if home else Path(_dirs().user_data_dir))


def cache_dir() -> Path:
    """Rebuildable state: search indexes, cover art."""
    home = _home()
    return _ensure(home / "cache" if home else Path(_dirs().user_cache_dir))


def config_dir() -> Path:
    """Settings: window geometry, recent catalogs, preferences."""
    home = _home()
    return _ensure(home / "config" if home else Path(_dirs().user_config_dir))


def default_demo_catalog() -> Path:
    """Where `explorer demo` and `make run` put the demo catalog by default."""
    return data_dir() / "demo" / "demo.sqlite3"


def cover_cache_dir() -> Path:
    """Covers downloaded (when allowed) and the demo's covers: the window looks here."""
    return cache_dir() / "covers"


def cover_name(url: str) -> str:
    """The file name a cover is kept under: the last part of its URL."""
    name = url.rstrip("/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isalnum() or c in "-_.") or "cover"
