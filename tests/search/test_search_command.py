"""The search bugs QA found, as `explorer search` shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main


def _search(path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main(["search", "--catalog", str(path), *args, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_and_finds_an_artist_written_with_an_ampersand(
    indexed_catalog_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_catalog(indexed_catalog_path) as catalog:
        (name,) = catalog.execute(
            "SELECT name FROM artists WHERE name GLOB '[A-Z]* & [A-Z]*' LIMIT 1"
        ).fetchone()
    for typed in (name, name.replace(" & ", " and "), name.replace(" & ", " ")):
        hits = _search(indexed_catalog_path, capsys, typed, "--type", "artist")
        assert name in [hit["name"] for hit in hits], typed


@pytest.mark.parametrize("limit", [1, 3])
def test_limit_holds_for_every_kind(
    indexed_catalog_path: Path, capsys: pytest.CaptureFixture[str], limit: int
) -> None:
    hits = _search(indexed_catalog_path, capsys, "love", "--limit", str(limit))
    kinds = [hit["type"] for hit in hits]
    assert kinds.count("album") == limit  # nine albums are named "Love"
    assert all(kinds.count(kind) <= limit for kind in ("artist", "album", "track"))


@pytest.mark.parametrize("years", ["1950..2025", "1900..2025", "1000..2999"])
def test_a_wide_year_range_reaches_the_newest_releases(
    indexed_catalog_path: Path, capsys: pytest.CaptureFixture[str], years: str
) -> None:
    hits = _search(
        indexed_catalog_path, capsys, f"year:{years}", "--type", "album", "--limit", "200"
    )
    assert len(hits) == 200
    found = [int(hit["year"]) for hit in hits]  # type: ignore[call-overload]
    assert min(found) < 1990 and max(found) == 2025
