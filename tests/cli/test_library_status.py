"""`explorer library --status` takes the statuses of links as the window shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main
from explorer.demo.library import write_demo_library
from explorer.library.store import open_store
from explorer.matching.links import Links
from explorer.matching.review import shown_status


@pytest.fixture(scope="module")
def store(indexed_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A matched demo library, one file accepted, one rejected, one linked by hand."""
    root = tmp_path_factory.mktemp("status")
    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, root / "music", albums=6, seed=11)
    path = root / "store.sqlite3"
    args = ["match", str(root / "music"), "--catalog", str(indexed_catalog_path)]
    assert main([*args, "--store", str(path)]) == 0
    with open_store(path) as opened:
        links = Links(opened)
        ids = [row.id for row in opened.iter_files()]
        links.decide(ids[0], "accepted")
        links.decide(ids[1], "rejected")
        other = links.get(ids[3])
        assert other is not None
        links.decide(ids[2], "manual", track_id=other.track_id, album_id=other.album_id)
    return path


def _expected(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    with open_store(path) as opened:
        links = Links(opened)
        for row in opened.iter_files():
            found.setdefault(shown_status(row, links.get(row.id)), set()).add(row.display)
    return found


@pytest.mark.parametrize(
    "status", ["matched", "review", "unmatched", "accepted", "rejected", "manual", "ok"]
)
def test_library_lists_the_files_of_a_link_status(
    store: Path, status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["library", "--store", str(store), "--status", status, "--json"]) == 0
    listed = {json.loads(line)["path"] for line in capsys.readouterr().out.splitlines()}
    expected = _expected(store)
    if status == "ok":
        assert len(listed) == sum(len(v) for k, v in expected.items() if k != "error")
    else:
        assert listed == expected.get(status, set())
    if status in ("matched", "accepted", "rejected", "manual"):
        assert listed
