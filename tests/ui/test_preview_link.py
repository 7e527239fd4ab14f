"""The track's preview clip is a link the browser opens; the window plays nothing."""

from __future__ import annotations

import dataclasses
import sqlite3
import webbrowser
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from explorer.catalog import Catalog
from explorer.ui.detail_pane import track_html
from explorer.ui.main_window import MainWindow


def _track_with_preview(path: Path) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT id FROM tracks WHERE preview_url IS NOT NULL LIMIT 1").fetchone()
    finally:
        con.close()
    return str(row[0])


def test_the_preview_is_a_link_and_only_a_web_address_becomes_one(
    demo_catalog: Catalog, demo_catalog_path: Path
) -> None:
    track = demo_catalog.track(_track_with_preview(demo_catalog_path))
    assert track is not None and track.preview_url
    html = track_html(track, None, [])
    assert f"<a href='{track.preview_url}'>" in html and "opens in your browser" in html
    hostile = dataclasses.replace(track, preview_url="javascript:alert('x')")
    html = track_html(hostile, None, [])
    assert "javascript:" in html and "href='javascript" not in html


def test_following_the_preview_link_opens_the_browser(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def browser(url: str, *args: object, **kwargs: object) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", browser)
    url = "https://p.scdn.co/mp3-preview/0123abcd"
    window.details.on_link(QUrl(url))
    assert opened == [url]
