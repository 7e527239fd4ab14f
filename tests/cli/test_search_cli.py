"""`explorer search`, `explorer show` and `explorer index` on a demo catalog."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def a_track(indexed_catalog_path: Path) -> tuple[str, str, str, str]:
    with open_catalog(indexed_catalog_path) as catalog:
        (track,) = catalog.tracks_by_rowids([123])
        assert track.album is not None
        return track.id, track.name, track.artists[0].name, track.album.id


def test_search_json_has_the_fields(
    indexed_catalog_path: Path,
    a_track: tuple[str, str, str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    track_id, name, artist, _ = a_track
    code = main(
        [
            "search",
            "--catalog",
            str(indexed_catalog_path),
            f"{artist} {name}",
            "--type",
            "track",
            "--json",
        ]
    )
    assert code == 0
    hits = _lines(capsys.readouterr().out)
    assert hits[0]["id"] == track_id
    for hit in hits:
        assert {"type", "id", "name", "artists", "album", "popularity"} <= set(hit)
        assert hit["type"] == "track"


def test_search_all_kinds_for_people(
    indexed_catalog_path: Path,
    a_track: tuple[str, str, str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    artist = a_track[2]
    assert main(["search", "--catalog", str(indexed_catalog_path), artist]) == 0
    out = capsys.readouterr().out
    assert "Artists:" in out and artist in out


def test_empty_result(indexed_catalog_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "--catalog", str(indexed_catalog_path), "qqqqzzzzxxxx"]) == 0
    assert capsys.readouterr().out.strip() == "No results."
    assert main(["search", "--catalog", str(indexed_catalog_path), "qqqqzzzzxxxx", "--json"]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "form", ["{id}", "spotify:{kind}:{id}", "https://open.spotify.com/{kind}/{id}"]
)
def test_show_every_kind(
    indexed_catalog_path: Path,
    a_track: tuple[str, str, str, str],
    capsys: pytest.CaptureFixture[str],
    form: str,
) -> None:
    track_id, name, _, album_id = a_track
    ref = form.format(kind="track", id=track_id)
    assert main(["show", "--catalog", str(indexed_catalog_path), ref, "--json"]) == 0
    data = _lines(capsys.readouterr().out)[0]
    assert data["type"] == "track" and data["name"] == name and data["isrc"]
    assert data["audio_features"] is not None
    assert (
        main(
            ["show", "--catalog", str(indexed_catalog_path), form.format(kind="album", id=album_id)]
        )
        == 0
    )
    assert name in capsys.readouterr().out


def test_show_unknown_id_is_a_user_error(
    indexed_catalog_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "--catalog", str(indexed_catalog_path), "0000000000000000000abc"]) == 1
    assert "No track or album or artist" in capsys.readouterr().err
    assert main(["show", "--catalog", str(indexed_catalog_path), "not an id"]) == 1


def test_index_build_status_drop(
    demo_catalog_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "c.sqlite3"
    shutil.copy(demo_catalog_path, copy)
    assert main(["index", "status", "--catalog", str(copy), "--json"]) == 0
    assert _lines(capsys.readouterr().out)[0]["exists"] is False
    assert main(["search", "--catalog", str(copy), "love", "--type", "track"]) == 0
    captured = capsys.readouterr()
    assert "index" in captured.err
    assert main(["index", "build", "--catalog", str(copy), "--json"]) == 0
    status = _lines(capsys.readouterr().out)[0]
    assert status["complete"] is True and int(str(status["size_bytes"])) > 0
    assert main(["index", "drop", "--catalog", str(copy)]) == 0
    assert "dropped" in capsys.readouterr().out


def test_show_an_id_without_digits(
    indexed_catalog_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """About 2 % of the ids are letters only (22 of 62 characters, none a digit)."""
    with open_catalog(indexed_catalog_path) as catalog:
        row = catalog.execute(
            "SELECT id, name FROM tracks WHERE id NOT GLOB '*[0-9]*' LIMIT 1"
        ).fetchone()
    assert row is not None, "the demo catalog has no id without a digit"
    assert main(["show", "--catalog", str(indexed_catalog_path), row[0], "--json"]) == 0
    assert _lines(capsys.readouterr().out)[0]["name"] == row[1]


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        ("the", 600),  # past one page of the engine (500 at most)
        ("type:single love", 1),  # a filter the index cannot apply: pages may come back empty
        ("type:single love", 10_000),  # all of them
    ],
)
def test_search_gives_as_many_hits_as_asked_while_there_are_more(
    indexed_catalog_path: Path, capsys: pytest.CaptureFixture[str], query: str, limit: int
) -> None:
    from explorer.search.engine import SearchEngine

    with open_catalog(indexed_catalog_path) as catalog:
        engine = SearchEngine(catalog)
        every, cursor = [], None
        while True:  # every hit, through the engine's own paging
            page = engine.search(query, kind="track", limit=500, cursor=cursor)
            every += [hit.id for hit in page.hits]
            cursor = page.cursor
            if cursor is None:
                break
        engine.close()
    assert len(every) > 1
    args = ["search", "--catalog", str(indexed_catalog_path), query, "--type", "track"]
    assert main([*args, "--limit", str(min(limit, 5000)), "--json"]) == 0
    got = [line["id"] for line in _lines(capsys.readouterr().out)]
    assert got == every[: min(limit, 5000)]


def test_explorer_catalog_names_the_catalog_when_no_option_does(
    indexed_catalog_path: Path,
    a_track: tuple[str, str, str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """EXPLORER_CATALOG stands for --catalog; an explicit --catalog wins over it."""
    track_id, name, _, _ = a_track
    monkeypatch.setenv("EXPLORER_CATALOG", str(indexed_catalog_path))
    assert main(["show", track_id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == name
    missing = tmp_path / "nowhere.sqlite3"
    assert main(["show", "--catalog", str(missing), track_id]) == 1
    assert str(missing) in capsys.readouterr().err
    monkeypatch.delenv("EXPLORER_CATALOG")
    assert main(["show", track_id]) == 1
    assert "EXPLORER_CATALOG" in capsys.readouterr().err
