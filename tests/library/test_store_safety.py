"""The user store refuses what is not a store without writing it, and concurrent openers
of a new or outdated store both succeed (one migrates, the other waits and finds it done)."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
import threading
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest

from explorer.cli.main import EXIT_USER_ERROR, main
from explorer.errors import KnownError
from explorer.library import store as store_module
from explorer.library.migrations import LATEST_VERSION, MIGRATIONS
from explorer.library.store import open_store

# Rounds of concurrent opening: unserialised migrations failed in most of them.
ROUNDS = 100
OPENERS = 2


def _tables(path: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}
    finally:
        connection.close()


def _state(path: Path) -> tuple[bytes, int, list[str]]:
    """A file's bytes, its mtime and the names next to it (a -wal, -shm, journal or backup)."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


@pytest.fixture
def catalog_copy(small_catalog_path: Path, tmp_path: Path) -> Path:
    """A copy of a real demo catalog (never the session's own file: it must stay intact)."""
    folder = tmp_path / "copy"
    folder.mkdir()
    return Path(shutil.copy(small_catalog_path, folder / "catalog.sqlite3"))


def test_a_catalog_is_refused_and_left_untouched(catalog_copy: Path) -> None:
    before = _state(catalog_copy)
    with pytest.raises(KnownError, match="is a SQLite database but not a library store") as info:
        open_store(catalog_copy)
    message = str(info.value)
    assert "tables artists, " in message and "…" in message
    assert message.count(";") == 1 and message.endswith("an existing store.")
    assert _state(catalog_copy) == before
    assert "schema_version" not in _tables(catalog_copy)


def test_the_cli_refuses_a_catalog_as_store(
    catalog_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(catalog_copy)
    assert main(["library", "--store", str(catalog_copy)]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "not a library store" in err and len(err.strip().splitlines()) == 1
    assert _state(catalog_copy) == before


def test_a_database_in_wal_mode_is_not_written_either(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    other = sqlite3.connect(path)
    other.execute("PRAGMA journal_mode = wal")
    other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    other.execute("CREATE VIEW recent AS SELECT * FROM notes")
    other.commit()
    other.close()
    before = _state(path)
    with pytest.raises(KnownError, match=r"\(it has tables and views notes, recent\)"):
        open_store(path)
    assert _state(path) == before


def test_another_programs_schema_version_table_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "flyway.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE schema_version (installed_rank INTEGER, version TEXT)")
    other.commit()
    other.close()
    before = _state(path)
    with pytest.raises(KnownError, match=r"not a library store \(it has tables schema_version\)"):
        open_store(path)
    assert _state(path) == before


def test_a_new_or_empty_file_becomes_a_store(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    for path in (empty, tmp_path / "new" / "store.sqlite3"):
        with open_store(path) as store:
            assert store.schema_version() == LATEST_VERSION
        with open_store(path) as store:  # and opens again as one
            assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize(
    ("where", "says"),
    [("dir", "is a directory"), ("/dev/null", "is not a regular file")],
)
def test_a_directory_or_device_says_what_it_is(tmp_path: Path, where: str, says: str) -> None:
    path = tmp_path if where == "dir" else Path(where)
    with pytest.raises(KnownError) as info:
        open_store(path)
    assert says in str(info.value)
    assert "restore a backup" not in str(info.value)


def test_a_file_in_the_way_of_the_folder_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(KnownError, match=f"cannot be created \\({blocker} is not a directory\\)"):
        open_store(blocker / "sub" / "store.sqlite3")


def test_a_store_held_too_long_is_busy_not_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = wal")
    holder.execute("BEGIN IMMEDIATE")  # another process's write lock, held on
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    try:
        with pytest.raises(KnownError, match="is busy") as info:
            open_store(path)
        assert "restore a backup" not in str(info.value)
    finally:
        holder.rollback()
        holder.close()
    with open_store(path) as store:
        assert store.schema_version() == LATEST_VERSION


def _opener(paths: list[str], barrier: Barrier, results: Any) -> None:
    """Open each path right as the other openers do; report each outcome."""
    for path in paths:
        barrier.wait()
        try:
            with open_store(path) as store:
                store.add_root(path + ".music")
                results.put((path, "ok", store.schema_version()))
        except Exception as exc:  # the outcome is the test's to judge
            results.put((path, f"{type(exc).__name__}: {exc}", 0))


def _open_together(paths: list[Path]) -> list[tuple[str, str, int]]:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(OPENERS)
    results = context.Queue()
    names = [str(p) for p in paths]
    workers = [
        context.Process(target=_opener, args=(names, barrier, results)) for _ in range(OPENERS)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=60) for _ in range(OPENERS * len(paths))]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return outcomes


def test_two_processes_creating_the_same_new_store_both_succeed(tmp_path: Path) -> None:
    paths = [tmp_path / f"new{i}.sqlite3" for i in range(ROUNDS)]
    outcomes = _open_together(paths)
    failures = [(path, what) for path, what, _ in outcomes if what != "ok"]
    assert failures == []
    assert {version for _, _, version in outcomes} == {LATEST_VERSION}
    for path in paths:
        with open_store(path) as store:
            assert store.integrity_check() == "ok"
            assert len(store.roots()) == 1  # both added the same root
        assert not list(tmp_path.glob(f"{path.name}.v*.bak"))  # nothing to back up


def test_two_processes_migrating_the_same_store_both_succeed_with_one_backup(
    tmp_path: Path,
) -> None:
    paths = []
    for i in range(ROUNDS // 4):
        path = tmp_path / f"old{i}.sqlite3"
        open_store(path, migrations=MIGRATIONS[:1]).close()
        paths.append(path)
    outcomes = _open_together(paths)
    failures = [(path, what) for path, what, _ in outcomes if what != "ok"]
    assert failures == []
    for path in paths:
        assert len(list(tmp_path.glob(f"{path.name}.v1-*.bak"))) == 1
        with open_store(path) as store:
            assert store.schema_version() == LATEST_VERSION


def test_a_new_store_waits_for_another_opener_to_switch_it_to_wal(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the write lock, before the file is in WAL mode
    release = threading.Timer(0.3, other.execute, ("COMMIT",))
    release.start()  # SQLite fails the switch at once (a deadlock), not after the timeout
    try:
        with open_store(path) as store:
            assert store.schema_version() == LATEST_VERSION
            assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        release.join()
        other.close()
