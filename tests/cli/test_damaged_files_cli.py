"""A damaged SQLite file is a problem the user can fix (exit 1, one sentence naming the
file and what to do), whichever command meets it: the catalog, the index, the store."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from explorer.index import index_path_for
from explorer.index.store import shard_paths
from tests.damage import damage_every_7th_page, zero_page_types

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"
MALFORMED = "database disk image is malformed"


def _one_sentence(err: str) -> str:
    assert err.startswith("explorer: ") and err.endswith(".\n") and err.count("\n") == 1, err
    return err.removeprefix("explorer: ").rstrip("\n")


@pytest.fixture
def damaged_catalog(demo_catalog_path: Path, tmp_path: Path) -> Path:
    path = tmp_path / "corrupt.sqlite3"
    shutil.copy(demo_catalog_path, path)
    damage_every_7th_page(path)
    return path


def test_a_damaged_catalog_is_a_user_error_in_every_command(
    damaged_catalog: Path,
    demo_catalog_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sentence = (
        f"The catalog '{damaged_catalog}' is damaged ({MALFORMED}); "
        "download it again or restore a copy."
    )
    catalog = ["--catalog", str(damaged_catalog)]
    # opening reads a few pages only (no check of a whole 125 GB file)
    assert main(["info", *catalog]) == EXIT_OK
    capsys.readouterr()
    music = tmp_path / "music"
    music.mkdir()
    for command in (
        ["search", *catalog, "love"],
        ["index", "build", *catalog],
        ["match", str(music), *catalog, "--store", str(tmp_path / "store.sqlite3")],
    ):
        assert main(command) == EXIT_USER_ERROR, command
        assert _one_sentence(capsys.readouterr().err) == sentence
    # `show`: the entities whose rows lie on a damaged page say so; the others show
    con = sqlite3.connect(demo_catalog_path)
    ids = [row[0] for row in con.execute("SELECT id FROM tracks WHERE rowid % 1000 = 1")]
    con.close()
    codes = []
    for track_id in ids:
        codes.append(main(["show", *catalog, f"spotify:track:{track_id}"]))
        err = capsys.readouterr().err
        if codes[-1] != EXIT_OK:
            assert _one_sentence(err) == sentence
    assert EXIT_USER_ERROR in codes and set(codes) <= {EXIT_OK, EXIT_USER_ERROR}


def test_a_damaged_index_says_to_rebuild_it(
    demo_catalog_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "c.sqlite3"
    shutil.copy(demo_catalog_path, copy)
    catalog = ["--catalog", str(copy)]
    assert main(["index", "build", *catalog]) == EXIT_OK
    with open_catalog(copy) as opened:
        main_file = index_path_for(opened)
    for shard in shard_paths(main_file):  # every page of the tracks' shards but the schema
        zero_page_types(shard, list(range(2, shard.stat().st_size // 4096 + 1)))
    capsys.readouterr()
    assert main(["search", *catalog, "love", "--type", "track"]) == EXIT_USER_ERROR
    assert _one_sentence(capsys.readouterr().err) == (
        f"The search index of the catalog '{copy}' is damaged ({MALFORMED}); rebuild it: "
        f"explorer index drop --catalog {copy}, then explorer index build --catalog {copy}."
    )
    # which works
    assert main(["index", "drop", *catalog]) == EXIT_OK
    assert main(["index", "build", *catalog]) == EXIT_OK
    assert main(["search", *catalog, "love", "--type", "track"]) == EXIT_OK


def test_a_damaged_store_says_to_restore_its_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    music = tmp_path / "music"
    shutil.copytree(AUDIO, music / "Album")
    store = tmp_path / "store.sqlite3"
    assert main(["scan", str(music), "--store", str(store)]) == EXIT_OK
    con = sqlite3.connect(store)
    (files_root,) = con.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'files'"
    ).fetchone()
    con.close()
    zero_page_types(store, [files_root])
    capsys.readouterr()
    sentence = (
        f"The library store {store} is damaged ({MALFORMED}); restore the backup next to it "
        "(store.sqlite3.v*.bak) or move it away to start a new one."
    )
    for command in (
        ["library", "--store", str(store)],
        ["scan", str(music), "--store", str(store)],
    ):
        assert main(command) == EXIT_USER_ERROR, command
        assert _one_sentence(capsys.readouterr().err) == sentence
