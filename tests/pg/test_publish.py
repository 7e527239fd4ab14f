"""`explorer publish` against a real PostgreSQL 15: a complete copy, refusals, and resuming."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from explorer.catalog import open_catalog, schema
from explorer.catalog.publish import MARKER_TABLE, PublishProgress, publish
from explorer.catalog.search_text import text_array
from explorer.cli.main import main
from explorer.errors import KnownError
from explorer.index.text import index_text
from explorer.text.fts import fts_tokens
from tests.pg.conftest import new_database

# Seconds the kill test waits for the publisher to reach the point where it is killed.
WAIT_S = 120


def _sqlite_rows(path: Path, table: str, columns: tuple[str, ...]) -> list[tuple[object, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cols = ", ".join(f'"{c}"' for c in columns)
        return con.execute(f"SELECT {cols} FROM {table} ORDER BY rowid").fetchall()
    finally:
        con.close()


def _pg_rows(url: str, table: str, columns: tuple[str, ...]) -> list[tuple[object, ...]]:
    order = "rowid" if "rowid" in columns else ", ".join(f'"{c}"' for c in columns)
    cols = ", ".join(f'"{c}"' for c in columns)
    with psycopg.connect(url) as con:
        return con.execute(f"SELECT {cols} FROM {table} ORDER BY {order}").fetchall()


def _features_path(catalog_path: Path) -> Path:
    return catalog_path.with_name(catalog_path.stem + "_audio_features.sqlite3")


def _assert_same(catalog_path: Path, url: str) -> None:
    """Every table of the file and of the features file, row for row, in the database."""
    sources = [(catalog_path, schema.catalog_tables())]
    if _features_path(catalog_path).exists():
        sources.append((_features_path(catalog_path), schema.features_tables()))
    for path, tables in sources:
        for table, columns in tables.items():
            want = _sqlite_rows(path, table, columns)
            got = _pg_rows(url, table, columns)
            if "rowid" not in columns:  # no order of its own: compare as sorted lists
                want, got = sorted(want), sorted(got)
            assert got == want, table


def test_publish_copies_every_table_with_search_text(
    small_catalog_path: Path, pg_database: str
) -> None:
    with open_catalog(small_catalog_path) as catalog:
        assert catalog.has_features
        result = publish(catalog, pg_database)
    assert "tracks" in result.tables_copied and "track_audio_features" in result.tables_copied
    assert not result.tables_skipped
    _assert_same(small_catalog_path, pg_database)
    with psycopg.connect(pg_database) as con:
        rows = con.execute("SELECT name, search_text FROM tracks ORDER BY rowid").fetchall()
        indexes = {r[0] for r in con.execute("SELECT indexname FROM pg_indexes")}
        primary = con.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid = 'tracks'::regclass"
        ).fetchone()
    # the words of the name, then of its artists and its year, as the sidecar index holds them
    assert all(set(fts_tokens(index_text(name))) <= set(words) for name, words in rows)
    assert all(words[-1].startswith("y_") for _, words in rows[:50])
    assert any(not name.isascii() for name, _ in rows)  # the demo has names in other scripts
    assert {"tracks_id_unique", "tracks_search_words", "tracks_search_rank"} <= indexes
    assert primary == (1,)


def test_a_rerun_of_a_finished_publish_copies_nothing(
    small_catalog_path: Path, pg_database: str
) -> None:
    with open_catalog(small_catalog_path) as catalog:
        first = publish(catalog, pg_database)
        second = publish(catalog, pg_database)
    assert second.tables_copied == () and second.rows_copied == 0
    assert set(second.tables_skipped) == set(first.tables_copied)


def test_a_database_with_another_catalog_is_refused(
    small_catalog_path: Path, demo_catalog_path: Path, pg_database: str
) -> None:
    with open_catalog(small_catalog_path) as catalog:
        publish(catalog, pg_database)
    with (
        open_catalog(demo_catalog_path) as other,
        pytest.raises(KnownError, match="another catalog"),
    ):
        publish(other, pg_database)


def test_a_database_with_foreign_tables_is_refused(
    small_catalog_path: Path, pg_database: str
) -> None:
    with psycopg.connect(pg_database, autocommit=True) as con:
        con.execute("CREATE TABLE tracks (x int)")
    with open_catalog(small_catalog_path) as catalog, pytest.raises(KnownError, match="'tracks'"):
        publish(catalog, pg_database)
    with psycopg.connect(pg_database) as con:  # untouched
        assert con.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename = %s", (MARKER_TABLE,)
        ).fetchone() == (0,)


def test_the_cli_refuses_a_url_that_is_not_postgres(
    small_catalog_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["publish", "--catalog", str(small_catalog_path), "--to", "mysql://x/y"])
    assert code == 1
    assert "not a PostgreSQL URL" in capsys.readouterr().err


def test_an_unreachable_server_is_a_sentence(
    small_catalog_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.pg.cluster import free_port

    url = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"
    code = main(["publish", "--catalog", str(small_catalog_path), "--to", url])
    assert code == 1
    assert "Cannot connect to the PostgreSQL server" in capsys.readouterr().err


def _done_steps(url: str) -> set[str]:
    with psycopg.connect(url) as con:
        return {r[0] for r in con.execute(f"SELECT step FROM {MARKER_TABLE}")}


def test_ctrl_c_then_a_kill_midway_then_a_rerun_gives_a_complete_copy(
    demo_catalog_path: Path, pg_server: str
) -> None:
    url = new_database(pg_server)

    # 1. Ctrl+C in the middle of the tracks (their first report comes before they are
    # done): the tables before them stay done, the tracks are not.
    def interrupt(progress: PublishProgress) -> None:
        if progress.step == "tracks":
            raise KeyboardInterrupt

    with open_catalog(demo_catalog_path) as catalog, pytest.raises(KeyboardInterrupt):
        publish(catalog, url, progress=interrupt)
    first_done = _done_steps(url)
    assert {"artists", "albums"} <= first_done and "tracks" not in first_done
    # 2. A real `explorer publish` process, held before it can mark its next table done
    # (the marker table locked), then killed with SIGKILL.
    holder = psycopg.connect(url)
    holder.execute(f"LOCK TABLE {MARKER_TABLE} IN EXCLUSIVE MODE")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "explorer",
            "publish",
            "--catalog",
            str(demo_catalog_path),
            "--to",
            url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    try:
        deadline = time.monotonic() + WAIT_S
        with psycopg.connect(url, autocommit=True) as watcher:
            while time.monotonic() < deadline:
                waiting = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                ).fetchone()
                if (waiting and waiting[0]) or process.poll() is not None:
                    break
                time.sleep(0.05)
        assert process.poll() is None, "the publisher ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        holder.rollback()
        holder.close()
    assert "indexes" not in _done_steps(url)
    # 3. The rerun finishes, with everything as in the file.
    with open_catalog(demo_catalog_path) as catalog:
        result = publish(catalog, url)
    assert {"artists", "albums"} <= set(result.tables_skipped)
    assert "tracks" in result.tables_copied
    assert {"indexes", "search", "analyze"} <= _done_steps(url)
    _assert_same(demo_catalog_path, url)


def test_a_value_postgresql_cannot_hold_is_a_sentence(
    small_catalog_path: Path, pg_database: str, tmp_path: Path
) -> None:
    hostile = tmp_path / "hostile.sqlite3"
    shutil.copy(small_catalog_path, hostile)
    con = sqlite3.connect(hostile)
    con.execute("UPDATE tracks SET popularity = 'lots' WHERE rowid = 5")
    con.commit()
    con.close()
    with (
        open_catalog(hostile) as catalog,
        pytest.raises(KnownError, match="Row 5 of table 'tracks'"),
    ):
        publish(catalog, pg_database)
    assert "tracks" not in _done_steps(pg_database)


def test_the_command_publishes_then_says_what_was_done_before(
    small_catalog_path: Path, pg_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["publish", "--catalog", str(small_catalog_path), "--to", pg_database]
    assert main(argv) == 0
    first = capsys.readouterr().out
    assert main(argv) == 0
    second = capsys.readouterr().out
    assert "Copied      10 tables" in first and "Already" not in first
    assert "Copied      0 tables, 0 rows" in second and "Already     artists" in second


def test_a_changed_file_is_another_catalog(
    small_catalog_path: Path, pg_database: str, tmp_path: Path
) -> None:
    copy = tmp_path / "small.sqlite3"
    shutil.copy(small_catalog_path, copy)
    with open_catalog(copy, find_features=False) as catalog:
        publish(catalog, pg_database)
    os.utime(copy, ns=(0, 0))
    with (
        open_catalog(copy, find_features=False) as catalog,
        pytest.raises(KnownError, match=r"another version of 'small\.sqlite3'"),
    ):
        publish(catalog, pg_database)


@pytest.mark.parametrize("words", [[], ["a"], ["love", "y_1999", "東", "é", ""]])
def test_words_reach_the_server_as_written(pg_database: str, words: list[str]) -> None:
    with psycopg.connect(pg_database) as con:
        con.execute("CREATE TEMP TABLE w (words text[])")
        with con.cursor().copy("COPY w (words) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["bytea"])
            copy.write_row((text_array(words),))
        assert con.execute("SELECT words FROM w").fetchone() == (words,)
