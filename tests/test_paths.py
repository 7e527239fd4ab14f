"""EXPLORER_HOME puts every folder the program writes under one root."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import paths


def test_all_state_lives_under_explorer_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path))
    for folder in (paths.data_dir(), paths.cache_dir(), paths.config_dir()):
        assert folder.is_dir()
        assert tmp_path in folder.parents
    assert tmp_path in paths.default_demo_catalog().parents


def test_test_session_never_uses_the_real_home(explorer_home: Path) -> None:
    assert explorer_home in paths.data_dir().parents
