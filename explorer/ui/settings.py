"""The window's settings file and its list of recent catalogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from explorer.paths import config_dir

MAX_RECENT = 8  # catalogs kept in File > Recent catalogs


def settings() -> QSettings:
    return QSettings(str(config_dir() / "explorer.ini"), QSettings.Format.IniFormat)


def forget_recent(path: str | Path) -> None:
    """Take a catalog that cannot be opened (moved, deleted) off the recent list."""
    store = settings()
    gone = {str(path), str(Path(path).resolve())}
    store.setValue("recent", [p for p in recent_catalogs(store) if p not in gone])


def remember_recent(path: Path) -> None:
    """Put the catalog opened first on the recent list."""
    store = settings()
    opened = str(path.resolve())
    recent = [opened] + [p for p in recent_catalogs(store) if p != opened]
    store.setValue("recent", recent[:MAX_RECENT])


def recent_catalogs(store: QSettings) -> list[str]:
    """The recent catalogs' paths (an INI file gives a list of one back as its string)."""
    value = store.value("recent")
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str) and item]
    return []


def last_catalog() -> Path | None:
    """The catalog file opened last that is still there, if any."""
    for item in recent_catalogs(settings()):
        path = Path(item)
        if path.is_file():
            return path
    return None
