"""`explorer decide`: accept, reject, undo and redo from the command line, on a matched
demo library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main
from explorer.demo.library import write_demo_library
from explorer.library.store import open_store
from explorer.matching.links import Links


@pytest.fixture
def store(indexed_catalog_path: Path, tmp_path: Path) -> str:
    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, tmp_path / "music", albums=2, seed=11)
    path = str(tmp_path / "store.sqlite3")
    args = ["match", str(tmp_path / "music"), "--catalog", str(indexed_catalog_path)]
    assert main([*args, "--store", path]) == 0
    return path


def _linked(store: str) -> tuple[int, str]:
    with open_store(Path(store)) as opened:
        link = next(link for link in Links(opened).page() if link.track_id is not None)
        file = opened.files(after_id=link.file_id - 1, limit=1)[0]
    return link.file_id, file.display


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    answer: dict[str, object] = json.loads(capsys.readouterr().out)
    return answer


@pytest.mark.parametrize(("action", "status"), [("accept", "accepted"), ("reject", "rejected")])
@pytest.mark.parametrize("by", ["path", "id"])
def test_decide_then_undo_and_redo(
    store: str, action: str, status: str, by: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file_id, path = _linked(store)
    name = path if by == "path" else str(file_id)
    done = _json(["decide", action, name, "--store", store], capsys)
    assert done["file_id"] == file_id and done["status"] == status
    undone = _json(["decide", "undo", "--store", store], capsys)
    assert undone["file_id"] == file_id and undone["status"] == "auto"
    redone = _json(["decide", "redo", "--store", store], capsys)
    assert redone["status"] == status
    assert main(["decide", "undo", "--store", store]) == 0
    assert capsys.readouterr().out.startswith("Undone:")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["decide", "accept"], "Name the file to accept"),
        (["decide", "undo", "x.mp3"], "takes no file"),
        (["decide", "accept", "/no/such.mp3"], "is not a file of your library"),
        (["decide", "redo"], "Nothing to redo"),
    ],
)
def test_mistakes_are_sentences_with_exit_1(
    store: str, args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*args, "--store", store]) == 1
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_a_store_that_does_not_exist_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["decide", "undo", "--store", str(tmp_path / "none.sqlite3")]) == 1
    assert "There is no library store" in capsys.readouterr().err
