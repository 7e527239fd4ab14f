"""The demo is ready to explore: written with its search index and covers, on the command
line and on the way `make run` (`explorer --demo`) takes; `--library` writes audio files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.gui_cmd import ensure_demo_catalog
from explorer.cli.main import main
from explorer.demo import write_demo_catalog
from explorer.demo.covers import cover_png, initials
from explorer.index import index_status
from explorer.paths import HOME_ENV, cover_cache_dir, cover_name, default_demo_catalog


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    return tmp_path / "home"


def _covers_missing(path: Path) -> list[str]:
    with open_catalog(path) as catalog:
        urls = [
            url
            for (url,) in catalog.execute(
                "SELECT url FROM album_images WHERE width = 640 AND album_rowid <= 20"
            )
        ]
    assert urls
    return [url for url in urls if not (cover_cache_dir() / f"{cover_name(url)}.png").is_file()]


def _searchable(path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    with open_catalog(path) as catalog:
        album = catalog.execute("SELECT name FROM albums WHERE rowid = 1").fetchone()[0]
    capsys.readouterr()
    assert main(["search", "--catalog", str(path), album, "--type", "album", "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_explorer_demo_writes_the_index_and_the_covers(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["demo", str(path), "--tracks", "2000", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["covers"] > 0 and Path(result["cover_folder"]) == cover_cache_dir()
    with open_catalog(path) as catalog:
        assert index_status(catalog).complete
    assert _covers_missing(path) == []
    assert _searchable(path, capsys)


def test_the_window_s_demo_gets_its_index_and_covers_even_when_written_before(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = default_demo_catalog()
    write_demo_catalog(path, tracks=2000)  # as an older `make run` left it: no index, no covers
    assert ensure_demo_catalog() == path
    with open_catalog(path) as catalog:
        assert index_status(catalog).complete
    assert _covers_missing(path) == []
    assert _searchable(path, capsys)


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("The Velvet Foxes", "TV"),
        ("Björk", "B"),
        ("東京", "D"),  # transliterated: DongJing
        ("99 Problems", "9P"),
        ("", "#"),
        ("...", "#"),
    ],
)
def test_a_cover_shows_the_initials(name: str, letters: str) -> None:
    assert initials(name) == letters
    png = cover_png(name, "some id")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) < 2000


def test_demo_library_writes_tagged_files_to_match(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "demo.sqlite3"
    assert main(["demo", str(catalog), "--tracks", "3000"]) == 0
    music = tmp_path / "music"
    capsys.readouterr()
    assert main(["demo", str(catalog), "--library", str(music), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["files"] == len(list(music.rglob("*.flac"))) > 10
    assert main(["match", str(music), "--catalog", str(catalog), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sum(line["status"] == "matched" for line in lines) > len(lines) // 2


def test_demo_library_refuses_a_folder_with_files(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "my music"
    music.mkdir()
    (music / "song.mp3").write_bytes(b"mine")
    assert main(["demo", "--library", str(music)]) == 1
    assert "not an empty folder" in capsys.readouterr().err
    assert (music / "song.mp3").read_bytes() == b"mine"
