"""`explorer match` against a published catalog: the same links as against its file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mutagen.flac import FLAC

from explorer.catalog import open_catalog
from explorer.catalog.publish import publish
from explorer.cli.main import main
from tests.pg.conftest import new_database

# What a link is compared by (the rest, such as the detail's wording, follows from these).
COMPARED = ("path", "status", "track_id", "album_id", "confidence", "margin", "method", "reason")


@pytest.fixture(scope="module")
def library(
    indexed_catalog_path: Path, pg_server: str, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """A demo library made from the file (some tags damaged by its writer), and the file
    published."""
    from explorer.demo.library import write_demo_library

    root = tmp_path_factory.mktemp("pg-match")
    url = new_database(pg_server)
    with open_catalog(indexed_catalog_path) as catalog:
        truth = write_demo_library(catalog, root / "music", albums=8, seed=47)
        publish(catalog, url)
    loose = root / "music" / "loose"
    loose.mkdir()
    for n, item in enumerate(truth[::3]):  # found by the search: no album, ISRC or id tag
        path = item.path.rename(loose / f"{n:03d}.flac")
        tags = FLAC(path)
        for key in list(tags.keys()):
            if key.lower() not in ("title", "artist"):
                del tags[key]
        tags.save()
    return root / "music", url


def _links(
    folder: Path, catalog: str, store: Path, workers: str, capsys: pytest.CaptureFixture[str]
) -> list[tuple[object, ...]]:
    capsys.readouterr()
    argv = ["match", str(folder), "--catalog", catalog, "--store", str(store), "--json"]
    assert main([*argv, "--workers", workers]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    return sorted(tuple(row.get(key) for key in COMPARED) for row in rows)


@pytest.mark.parametrize("workers", ["0", "2"])
def test_match_links_the_same_on_both_engines(
    library: tuple[Path, str],
    indexed_catalog_path: Path,
    tmp_path: Path,
    workers: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, url = library
    on_file = _links(folder, str(indexed_catalog_path), tmp_path / "a.sqlite3", workers, capsys)
    on_server = _links(folder, url, tmp_path / "b.sqlite3", workers, capsys)
    assert len(on_file) >= 20
    assert sum(row[1] == "matched" for row in on_file) >= len(on_file) // 2
    assert on_server == on_file
