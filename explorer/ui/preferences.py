"""The user's preferences as QSettings keys, and the readers the window and its jobs use.

API:
    app_settings() -> QSettings: the settings file (config_dir()/explorer.ini), the same
        file and keys as main_window.settings() (recent catalogs, splitters, covers).
    MatchSettings(thresholds: Thresholds, workers: int | None): frozen.
    match_settings(store=None) -> MatchSettings: what Preferences saved, defaults for
        what it did not (or for a value that is not a number, or out of its range).
    save_match_settings(value, store=None): write them back.
    Preferences(match: MatchSettings, cover_folder: Path | None, cover_downloads: bool):
        frozen; read_preferences(store=None) / save_preferences(value, store=None).
    COVER_FOLDER_KEY, COVER_NETWORK_KEY: ui.covers' FOLDER_KEY and NETWORK_KEY.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from explorer.matching.decide import Thresholds
from explorer.paths import config_dir
from explorer.ui.covers import FOLDER_KEY, NETWORK_KEY

SETTINGS_FILE = "explorer.ini"
MATCHED_KEY = "match/matched"  # confidence to link a file without asking
REVIEW_KEY = "match/review"  # confidence below which a file stays unmatched
WORKERS_KEY = "match/workers"  # matching processes; 0 (or absent): automatic
COVER_FOLDER_KEY = FOLDER_KEY
COVER_NETWORK_KEY = NETWORK_KEY
# Most matching processes Preferences offers (more than the cores only helps a catalog
# read from disk; see explorer.matching.run.WORKERS_MAX_COLD).
MAX_WORKERS = 16


def app_settings() -> QSettings:
    """The application's settings file (an INI file in the config folder)."""
    return QSettings(str(config_dir() / SETTINGS_FILE), QSettings.Format.IniFormat)


@dataclass(frozen=True)
class MatchSettings:
    """How matching runs: where its decisions fall, and its processes (None: automatic)."""

    thresholds: Thresholds
    workers: int | None


def _number(store: QSettings, key: str, default: float, low: float, high: float) -> float:
    try:
        value = float(str(store.value(key, default)))
    except ValueError:
        return default
    return value if low <= value <= high else default


def match_settings(store: QSettings | None = None) -> MatchSettings:
    """The saved match settings, defaults where there are none (or nonsense)."""
    store = store or app_settings()
    defaults = Thresholds()
    matched = _number(store, MATCHED_KEY, defaults.matched_confidence, 0.0, 1.0)
    review = _number(store, REVIEW_KEY, defaults.review_confidence, 0.0, 1.0)
    if review > matched:  # a hand-edited file: the defaults keep review <= matched
        matched, review = defaults.matched_confidence, defaults.review_confidence
    workers = int(_number(store, WORKERS_KEY, 0, 0, MAX_WORKERS))
    return MatchSettings(
        Thresholds(matched_confidence=matched, review_confidence=review), workers or None
    )


def save_match_settings(value: MatchSettings, store: QSettings | None = None) -> None:
    """Write the match settings (workers None: automatic, saved as 0)."""
    store = store or app_settings()
    store.setValue(MATCHED_KEY, value.thresholds.matched_confidence)
    store.setValue(REVIEW_KEY, value.thresholds.review_confidence)
    store.setValue(WORKERS_KEY, value.workers or 0)
    store.sync()


@dataclass(frozen=True)
class Preferences:
    """Everything the Preferences dialog edits."""

    match: MatchSettings
    cover_folder: Path | None  # a folder of cover images named like their URLs
    cover_downloads: bool  # covers not in it may be downloaded (into the cache)


def read_preferences(store: QSettings | None = None) -> Preferences:
    store = store or app_settings()
    folder = store.value(COVER_FOLDER_KEY)
    return Preferences(
        match_settings(store),
        Path(str(folder)) if folder else None,
        str(store.value(COVER_NETWORK_KEY, "false")).lower() == "true",
    )


def save_preferences(value: Preferences, store: QSettings | None = None) -> None:
    """Write them as ui.covers reads them (the folder as text, downloads "true"/"false")."""
    store = store or app_settings()
    if value.cover_folder is None:
        store.remove(COVER_FOLDER_KEY)
    else:
        store.setValue(COVER_FOLDER_KEY, str(value.cover_folder))
    store.setValue(COVER_NETWORK_KEY, "true" if value.cover_downloads else "false")
    save_match_settings(value.match, store)
