"""The user store: round trips, stable ids, missing files kept, migrations with a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from explorer.errors import KnownError
from explorer.library.migrations import MIGRATIONS, Migration
from explorer.library.records import STATUS_ERROR, STATUS_OK, FileRead, StreamInfo, TrackTags
from explorer.library.store import LibraryStore, default_store_path, open_store
from explorer.paths import data_dir


def _read(path: bytes, *, title: str = "T", status: str = STATUS_OK) -> FileRead:
    return FileRead(
        path, 10, 1, status, None if status == STATUS_OK else "broken",
        stream=StreamInfo("flac", duration_s=1.5, bitrate=900, sample_rate=44100, channels=2),
        tags=TrackTags(title=title, artists=("A", "B"), isrc="USX", guessed=frozenset({"album"})),
    )  # fmt: skip


def test_default_store_is_in_the_data_dir() -> None:
    assert default_store_path().parent == data_dir()


def test_store_uses_wal_and_a_schema_version(store: LibraryStore) -> None:
    assert store.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.schema_version() == MIGRATIONS[-1].version
    assert store.integrity_check() == "ok"


def test_reads_round_trip_and_keep_their_id(store: LibraryStore, tmp_path: Path) -> None:
    root = store.add_root(tmp_path)
    assert store.add_root(tmp_path) == root
    path = bytes(tmp_path) + b"/Caf\xe9.flac"  # not UTF-8: kept as bytes
    store.save_reads(root.id, [_read(path)])
    first = store.file_by_path(path)
    assert first is not None
    assert first.path == path
    assert first.display.endswith("Caf\\xe9.flac")
    assert first.tags == _read(path).tags
    assert first.stream == _read(path).stream
    store.save_reads(root.id, [_read(path, title="New", status=STATUS_ERROR)])
    second = store.file_by_path(path)
    assert second is not None
    assert (second.id, second.tags.title, second.status) == (first.id, "New", STATUS_ERROR)


def test_missing_files_keep_their_row(store: LibraryStore, tmp_path: Path) -> None:
    root = store.add_root(tmp_path)
    store.save_reads(root.id, [_read(b"/x/a.flac"), _read(b"/x/b.flac")])
    store.mark_missing([b"/x/a.flac"])
    assert store.counts() == {"ok": 1, "error": 0, "missing": 1}
    row = store.file_by_path(b"/x/a.flac")
    assert row is not None and row.missing_since is not None and row.tags.title == "T"
    store.save_reads(root.id, [_read(b"/x/a.flac")])  # it came back
    again = store.file_by_path(b"/x/a.flac")
    assert again is not None and again.id == row.id and again.missing_since is None


def test_files_are_paged_by_id(store: LibraryStore, tmp_path: Path) -> None:
    root = store.add_root(tmp_path)
    store.save_reads(root.id, [_read(f"/x/{i}.flac".encode()) for i in range(7)])
    first = store.files(limit=4)
    rest = store.files(after_id=first[-1].id, limit=4)
    assert len(first) == 4 and len(rest) == 3
    assert len(store.files(status=STATUS_ERROR)) == 0


def _links_v2(db: object) -> None:
    db.execute_sql(  # type: ignore[attr-defined]
        "CREATE TABLE links (file_id INTEGER NOT NULL REFERENCES files(id), track_id TEXT)"
    )


# The first schema alone, so these tests do not depend on what later issues added.
FIRST = MIGRATIONS[:1]


def test_a_migration_backs_the_store_up_first(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    with open_store(path, migrations=FIRST) as store:
        root = store.add_root(tmp_path)
        store.save_reads(root.id, [_read(b"/x/a.flac")])
    later = (*FIRST, Migration(2, "links", _links_v2))
    with open_store(path, migrations=later) as store:
        assert store.schema_version() == 2
        assert store.db.execute_sql("SELECT count(*) FROM links").fetchone()[0] == 0
    backups = list(tmp_path.glob("library.sqlite3.v1-*.bak"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    assert copy.execute("SELECT count(*) FROM files").fetchone()[0] == 1
    copy.close()
    with pytest.raises(KnownError, match="newer version"):
        open_store(path, migrations=FIRST)  # a version that knows schema 1 only


def test_a_failed_migration_leaves_the_old_schema(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    open_store(path, migrations=FIRST).close()

    def broken(db: object) -> None:
        _links_v2(db)
        raise RuntimeError("bug in a migration")

    with pytest.raises(RuntimeError):
        open_store(path, migrations=(*FIRST, Migration(2, "broken", broken)))
    with open_store(path, migrations=FIRST) as store:
        assert store.schema_version() == 1
        assert (
            store.db.execute_sql(
                "SELECT count(*) FROM sqlite_master WHERE name = 'links'"
            ).fetchone()[0]
            == 0
        )


def test_a_damaged_store_is_a_known_error(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(KnownError, match="cannot be opened"):
        open_store(path)


def test_iter_files_and_folders(store: LibraryStore, tmp_path: Path, monkeypatch) -> None:
    from explorer.library import store as store_module

    monkeypatch.setattr(store_module, "FILE_PAGE", 3)
    root = store.add_root(tmp_path)
    paths = [f"/x/album/{i}.flac".encode() for i in range(7)] + [b"/x/other/a.flac"]
    store.save_reads(root.id, [_read(p) for p in paths])
    assert [row.path for row in store.iter_files()] == paths
    assert len(store.files_in_folder("/x/album")) == 7


def test_ctrl_c_just_after_begin_is_not_hidden_and_frees_the_lock(
    store: LibraryStore, tmp_path: Path
) -> None:
    """A Ctrl+C that lands between an `atomic()` block's BEGIN and its body leaves the
    transaction open (the block's `__exit__` never runs): `bulk` rolls it back on its way
    out, so the KeyboardInterrupt reaches the command, not "Safety level may not be
    changed inside a transaction", and the write lock is free for the next writer."""
    root = store.add_root(tmp_path)
    with pytest.raises(KeyboardInterrupt), store.bulk():
        store.db.execute_sql("BEGIN IMMEDIATE")  # what atomic().__enter__ had run
        store.db.execute_sql(
            "INSERT INTO files (root_id, path, display, folder, size, mtime_ns, status,"
            " first_seen_at, scanned_at) VALUES (?, x'2f61', '/a', '/', 1, 1, ?, 0, 0)",
            (root.id, STATUS_OK),
        )
        raise KeyboardInterrupt
    assert not store.db.connection().in_transaction
    assert store.files(limit=10) == []  # the half-made batch is gone
    other = sqlite3.connect(store.path, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")  # the lock is free: no wait needed
        other.rollback()
    finally:
        other.close()
