"""`explorer demo --force` replaces a catalog written before, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.cli.main import main


def _catalog(path: Path) -> None:
    assert main(["demo", str(path), "--tracks", "10"]) == 0


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (lambda p: p.write_text("my notes"), "was not written by `explorer demo`"),
        (lambda p: p.mkdir(), "is not a regular file"),
        (lambda p: os.symlink("/dev/null", p), "is not a regular file"),
        (
            lambda p: (
                __import__("explorer.library.store", fromlist=["open_store"]).open_store(p).close()
            ),
            "was not written by `explorer demo`",
        ),  # a user store
    ],
    ids=["text", "folder", "device link", "store"],
)
def test_force_refuses_what_is_not_a_catalog(
    tmp_path: Path, make: object, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "target.sqlite3"
    make(target)  # type: ignore[operator]
    before = (
        target.is_dir(),
        target.is_symlink(),
        target.read_bytes() if target.is_file() else b"",
    )
    assert main(["demo", str(target), "--force", "--tracks", "10"]) == 1
    assert said in capsys.readouterr().err
    after = (target.is_dir(), target.is_symlink(), target.read_bytes() if target.is_file() else b"")
    assert after == before
    assert not (tmp_path / "target_audio_features.sqlite3").exists()


def test_force_replaces_a_catalog_and_its_features(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    _catalog(target)
    assert (tmp_path / "demo_audio_features.sqlite3").is_file()
    assert main(["demo", str(target), "--force", "--tracks", "20", "--seed", "2"]) == 0


def test_a_file_in_the_way_of_the_features_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "new_audio_features.sqlite3").write_text("mine")
    assert main(["demo", str(tmp_path / "new.sqlite3"), "--tracks", "10"]) == 1
    assert "was not written by `explorer demo`" in capsys.readouterr().err
    assert (tmp_path / "new_audio_features.sqlite3").read_text() == "mine"


def test_an_unwritable_place_is_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "/proc/x.sqlite3", "--tracks", "10"]) == 1
    assert "Cannot write '/proc/x.sqlite3'" in capsys.readouterr().err


def test_force_never_replaces_a_catalog_the_demo_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real catalog (the dump's files carry no demo mark): a user's download is safe."""
    import sqlite3

    real = tmp_path / "spotify_clean.sqlite3"
    _catalog(real)
    for path in (real, tmp_path / "spotify_clean_audio_features.sqlite3"):
        with sqlite3.connect(path) as con:
            con.execute("PRAGMA application_id = 0")  # as the published files
        con.close()
    before = real.read_bytes()
    assert main(["demo", str(real), "--force", "--tracks", "10"]) == 1
    assert "never a real catalog" in capsys.readouterr().err
    assert real.read_bytes() == before
