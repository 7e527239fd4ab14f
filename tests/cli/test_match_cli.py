"""`explorer match DIR --catalog PATH` on a small demo library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main
from explorer.demo.library import write_demo_library


def test_match_json_and_summary(
    indexed_catalog_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_catalog(indexed_catalog_path) as catalog:
        truth = write_demo_library(catalog, tmp_path / "music", albums=4, seed=2)
    store = str(tmp_path / "store.sqlite3")
    args = [
        "match",
        str(tmp_path / "music"),
        "--catalog",
        str(indexed_catalog_path),
        "--store",
        store,
    ]
    assert main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert len(rows) == len(truth)
    for row in rows:
        assert {
            "path",
            "status",
            "track_id",
            "album_id",
            "confidence",
            "margin",
            "method",
            "reason",
        } <= set(row)
        assert row["status"] in ("matched", "review", "unmatched")
    # a matched file names its track and album, and what each field added to its score
    matched = [row for row in rows if row["status"] == "matched"]
    assert matched
    for row in matched:
        assert row["track_id"] and row["album_id"] and row["method"]
        assert {"title", "artists", "duration"} <= set(row["fields"])
        assert all(0 < part <= 1 for part in row["fields"].values())
    assert "matched" in captured.err and "files/s" in captured.err
    assert main(args) == 0
    assert "files:" in capsys.readouterr().out
    # worker processes give the same verdicts, in the same order
    parallel_store = str(tmp_path / "parallel.sqlite3")
    assert main([*args[:-1], parallel_store, "--workers", "2", "--json"]) == 0
    parallel = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert parallel == rows


@pytest.mark.parametrize("value", ["-1", "many", "65"])
def test_bad_workers_is_a_usage_error(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["match", str(tmp_path), "--catalog", "x", "--workers", value])
    assert stop.value.code == 2
    assert "--workers" in capsys.readouterr().err


def test_bad_thresholds_are_a_user_error(
    indexed_catalog_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "match",
            str(tmp_path),
            "--catalog",
            str(indexed_catalog_path),
            "--matched",
            "0.2",
            "--review",
            "0.5",
        ]
    )
    assert code == 1
    assert "--review" in capsys.readouterr().err


def test_a_kept_decision_names_its_link(
    indexed_catalog_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from explorer.library.store import open_store
    from explorer.matching.links import Links

    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, tmp_path / "music", albums=3, seed=2)
    store = tmp_path / "store.sqlite3"
    args = ["match", str(tmp_path / "music"), "--catalog", str(indexed_catalog_path)]
    assert main([*args, "--store", str(store), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    first = next(line for line in lines if line["status"] == "matched")
    with open_store(store) as opened:
        row = opened.file_by_path(first["path"])
        assert row is not None
        Links(opened).decide(row.id, "accepted")
    assert main([*args, "--store", str(store), "--json"]) == 0
    again = {line["path"]: line for line in map(json.loads, capsys.readouterr().out.splitlines())}
    kept = again[first["path"]]
    assert kept["status"] == "kept" and kept["reason"].startswith("accepted by you")
    assert (kept["track_id"], kept["album_id"]) == (first["track_id"], first["album_id"])


def test_json_says_what_a_rejection_and_a_file_gone_are(
    indexed_catalog_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    from explorer.library.store import open_store
    from explorer.matching.links import Links

    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, tmp_path / "music", albums=3, seed=2)
    broken = tmp_path / "music" / "broken.flac"
    broken.write_bytes(b"not audio at all" * 64)  # an error row, then gone
    store = tmp_path / "store.sqlite3"
    args = ["match", str(tmp_path / "music"), "--catalog", str(indexed_catalog_path)]
    assert main([*args, "--store", str(store), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["status"] for line in lines if line["path"] == str(broken)] == ["error"]
    broken.unlink()
    rejected, gone = [line["path"] for line in lines if line["status"] == "matched"][:2]
    with open_store(store) as opened:
        row = opened.file_by_path(rejected)
        assert row is not None
        Links(opened).decide(row.id, "rejected")
    os.remove(gone)
    assert main([*args, "--store", str(store), "--json"]) == 0
    again = {line["path"]: line for line in map(json.loads, capsys.readouterr().out.splitlines())}
    assert again[rejected]["status"] == "kept" and again[rejected]["decision"] == "rejected"
    assert again[rejected]["track_id"] is None and again[rejected]["confidence"] is None
    for path in (gone, str(broken)):  # the damaged one too: gone, whatever it said before
        assert again[path]["status"] == "error"
        assert again[path]["reason"] == "the file is gone since the last scan"
