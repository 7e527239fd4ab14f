"""Preferences: edited as a user does, saved under the keys the window and the matcher
read (the cover keys main_window has used), and read back with defaults for nonsense."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from explorer.matching.decide import Thresholds
from explorer.paths import cache_dir, data_dir
from explorer.ui.covers import FOLDER_KEY, NETWORK_KEY, CoverLoader
from explorer.ui.preferences import (
    MATCHED_KEY,
    REVIEW_KEY,
    WORKERS_KEY,
    MatchSettings,
    match_settings,
    read_preferences,
)
from explorer.ui.preferences_dialog import PreferencesDialog
from tests.ui.waits import WAIT_MS


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "explorer.ini"), QSettings.Format.IniFormat)


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type into a field as a user: focus it, replace its text, Tab on to the next one."""
    window = widget.window()
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)  # the value is taken when the field is left


def test_edited_preferences_are_saved_on_ok(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    dialog = PreferencesDialog(settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.matched, "0.93")
    _type(qtbot, dialog.review, "0.61")
    _type(qtbot, dialog.workers, "3")
    _type(qtbot, dialog.cover_folder, str(tmp_path))
    qtbot.mouseClick(dialog.cover_downloads, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert saved.args[0] == read_preferences(settings)
    assert match_settings(settings) == MatchSettings(
        Thresholds(matched_confidence=0.93, review_confidence=0.61), 3
    )
    covers = CoverLoader(settings)  # the window's cover loader reads the same keys
    assert covers.folder == tmp_path and covers.network_allowed


def test_cancel_saves_nothing(qtbot: QtBot, settings: QSettings) -> None:
    dialog = PreferencesDialog(settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.matched, "0.99")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert settings.value(MATCHED_KEY) is None
    assert match_settings(settings) == MatchSettings(Thresholds(), None)


def test_existing_cover_settings_are_shown(
    qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    settings.setValue(FOLDER_KEY, str(tmp_path))  # as View > Cover folder saved it
    settings.setValue(NETWORK_KEY, "true")
    dialog = PreferencesDialog(settings=settings)
    qtbot.addWidget(dialog)
    assert dialog.cover_folder.text() == str(tmp_path)
    assert dialog.cover_downloads.isChecked()
    qtbot.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)  # thresholds only
    assert dialog.chosen().cover_folder == tmp_path


def test_review_stays_below_matched(qtbot: QtBot, settings: QSettings) -> None:
    dialog = PreferencesDialog(settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.matched, "0.5")
    assert dialog.review.value() == pytest.approx(0.5)
    _type(qtbot, dialog.review, "0.7")
    assert dialog.matched.value() == pytest.approx(0.7)


def test_folders_are_shown_and_opened(qtbot: QtBot, settings: QSettings) -> None:
    opened: list[Path] = []
    dialog = PreferencesDialog(settings=settings, open_folder=opened.append)
    qtbot.addWidget(dialog)
    assert dialog.data_folder.text() == str(data_dir())
    assert dialog.cache_folder.text() == str(cache_dir())
    buttons = [b for b in dialog.findChildren(type(dialog.ok_button)) if b.text() == "Open folder"]
    for button in buttons:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [data_dir(), cache_dir()]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, MatchSettings(Thresholds(), None)),
        (
            {MATCHED_KEY: "0.9", REVIEW_KEY: "0.4", WORKERS_KEY: "2"},
            MatchSettings(Thresholds(matched_confidence=0.9, review_confidence=0.4), 2),
        ),
        ({MATCHED_KEY: "lots", WORKERS_KEY: "-3"}, MatchSettings(Thresholds(), None)),
        ({MATCHED_KEY: "0.3", REVIEW_KEY: "0.8"}, MatchSettings(Thresholds(), None)),
        ({MATCHED_KEY: "1.5", WORKERS_KEY: "0"}, MatchSettings(Thresholds(), None)),
    ],
)
def test_match_settings_read_back(
    settings: QSettings, values: dict[str, str], expected: MatchSettings
) -> None:
    for key, value in values.items():
        settings.setValue(key, value)
    assert match_settings(settings) == expected
