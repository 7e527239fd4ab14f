"""The index build under Ctrl+C and on damaged files: a KeyboardInterrupt that SQLite's
callbacks would lose is raised again, and a damaged file is named (catalog or index)."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.errors import DamagedCatalogError, DamagedIndexError
from explorer.index import build as build_module
from explorer.index import build_index, drop_index, index_path_for, index_status, writer
from explorer.index.store import build_path
from tests.damage import damage_every_7th_page


@pytest.fixture
def catalog_copy(demo_catalog_path: Path, tmp_path: Path) -> Path:
    """A private copy (its own identity, so its own index)."""
    target = tmp_path / "copy.sqlite3"
    shutil.copy(demo_catalog_path, target)
    return target


def _ctrl_c() -> None:
    """What a terminal's Ctrl+C does to this process: SIGINT (Python's handler raises
    KeyboardInterrupt in the code that runs at that moment)."""
    signal.raise_signal(signal.SIGINT)


class CtrlCAtLook(threading.Event):
    """A cancel that is never set, and the build's `at`-th look at it brings Ctrl+C."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at = at
        self.looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        if self.looks == self.at:
            _ctrl_c()
        return super().is_set()


def _ctrl_c_once(function: Callable[[str], str]) -> Callable[[str], str]:
    calls = []

    def call(text: str) -> str:
        calls.append(1)
        if len(calls) == 1:
            _ctrl_c()
        return function(text)

    return call


@pytest.mark.parametrize("where", ["progress handler", "index_text"])
def test_ctrl_c_while_sqlite_calls_python_interrupts_the_build_and_keeps_its_progress(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Python's sqlite3 drops an exception raised in a callback (the progress handler
    that looks at a cancel, or `index_text`) and fails the statement: "interrupted",
    "user-defined function raised exception". The build raises KeyboardInterrupt."""
    monkeypatch.setattr(writer, "CHUNK_ROWS", 10**9)  # the whole part in one chunk
    monkeypatch.setattr(writer, "CANCEL_CHECK_STEPS", 1_000)
    cancel: threading.Event | None = None
    if where == "progress handler":
        cancel = CtrlCAtLook(2)  # the first look is before the chunk, the next ones in it
    else:
        monkeypatch.setattr(writer, "index_text", _ctrl_c_once(writer.index_text))
    handler = signal.getsignal(signal.SIGINT)
    with open_catalog(catalog_copy) as catalog:
        with pytest.raises(KeyboardInterrupt):
            build_index(catalog, cancel=cancel)
        assert signal.getsignal(signal.SIGINT) is handler
        assert not writer.ctrl_c_noted.is_set()  # a later build (another thread's) is not
        con = sqlite3.connect(index_path_for(catalog))
        try:  # the chunk being written was rolled back
            assert con.execute(
                "SELECT next_rowid FROM progress WHERE part = 'texts'"
            ).fetchone() == (1,)
        finally:
            con.close()
        monkeypatch.undo()
        assert build_index(catalog).complete


def test_a_build_that_meets_a_damaged_catalog_names_the_catalog(catalog_copy: Path) -> None:
    damage_every_7th_page(catalog_copy)
    # opening reads too little to see it; the build reads every row
    with open_catalog(catalog_copy) as catalog, pytest.raises(DamagedCatalogError) as caught:
        build_index(catalog)
    assert str(caught.value) == (
        f"The catalog '{catalog_copy}' is damaged (database disk image is malformed); "
        "download it again or restore a copy."
    )


def test_a_writer_that_meets_a_damaged_index_file_names_the_index(catalog_copy: Path) -> None:
    """A writer reads the catalog and index files through one connection; SQLite does not
    say which file is damaged. Here it is the build's file, which the track shards read."""
    with open_catalog(catalog_copy) as catalog:
        con = build_module.open_index_for_writing(catalog)
        try:
            first, second = build_module._stages(catalog)
            texts, years = first[0]
            for job in (texts, years):
                writer.write(job, lambda part, rows: None, lambda: False)
            build = build_path(index_path_for(catalog))
            with build.open("r+b") as handle:  # every page after the schema's
                for page in range(1, build.stat().st_size // 4096):
                    handle.seek(page * 4096)
                    handle.write(b"\x00")
            (shard,) = second[1]
            with pytest.raises(DamagedIndexError) as caught:
                writer.write(shard, lambda part, rows: None, lambda: False)
        finally:
            con.close()
        named = str(catalog_copy)
        assert str(caught.value) == (
            f"The search index of the catalog '{named}' is damaged (database disk image is "
            f"malformed); rebuild it: explorer index drop --catalog {named}, then "
            f"explorer index build --catalog {named}."
        )
        # what the sentence says to do
        assert drop_index(catalog)
        assert build_index(catalog).complete
        assert index_status(catalog).complete
