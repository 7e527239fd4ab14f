"""The catalog layer on PostgreSQL: the same answers as from the file it was published from."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from explorer.catalog import open_catalog
from explorer.catalog.publish import MARKER_TABLE, publish
from explorer.catalog.queries import CatalogQueries
from explorer.catalog.server import ServerCatalog, ServerError, display_url, open_server_catalog
from explorer.cli.main import main
from explorer.cli.show_cmd import lookup
from explorer.errors import NotACatalogError
from tests.pg.conftest import new_database, published_copy

# Entities of each kind compared between the engines.
SAMPLE = 40


@pytest.fixture(scope="module")
def published(small_catalog_path: Path, pg_server: str) -> str:
    return published_copy(small_catalog_path, pg_server)


def _ids(path: Path, table: str) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        step = max(1, con.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] // SAMPLE)
        return [
            r[0] for r in con.execute(f"SELECT id FROM {table} WHERE (rowid - 1) % ? = 0", (step,))
        ]
    finally:
        con.close()


@pytest.mark.parametrize("table", ["tracks", "albums", "artists"])
def test_show_answers_the_same_on_both_engines(
    small_catalog_path: Path, server_catalog: ServerCatalog, table: str
) -> None:
    ids = _ids(small_catalog_path, table)
    assert len(ids) >= min(SAMPLE, 10)
    with open_catalog(small_catalog_path) as catalog:
        for entity_id in ids:
            assert lookup(server_catalog, entity_id) == lookup(catalog, entity_id), entity_id


QUERIES: dict[str, Callable[[CatalogQueries], Any]] = {
    "tracks_by_rowids": lambda c: c.tracks_by_rowids(list(range(1, 300, 7))),
    "album_by_rowid": lambda c: [c.album_by_rowid(r) for r in range(1, 60, 3)],
    "artists_by_rowids": lambda c: c.artists_by_rowids(list(range(1, 200, 5))),
    "artist_albums": lambda c: [c.artist_albums(r) for r in range(1, 40, 3)],
    "top_artists": lambda c: c.top_artists(limit=30),
    "top_artists_next_page": lambda c: c.top_artists(
        limit=10, below=(c.top_artists(limit=10)[-1].followers, c.top_artists(limit=10)[-1].rowid)
    ),
    "genres": lambda c: c.genres(),
    "artists_of_genre": lambda c: [c.artists_of_genre(g) for g in c.genres()[:5]],
    "album_summaries": lambda c: c.album_summaries(list(range(1, 80, 4))),
    "track_artists": lambda c: c.track_artists(list(range(1, 300, 11))),
    "album_names_of_artists": lambda c: sorted(c.album_names_of_artists(list(range(1, 30)))),
    "albums_named_for": lambda c: [
        c.albums_named_for([a.name], [a.artists[0].rowid])
        for a in c.album_summaries([1, 5, 9]).values()
    ],
    "markets": lambda c: c.markets(1),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_catalog_queries_answer_the_same_on_both_engines(
    small_catalog_path: Path, server_catalog: ServerCatalog, name: str
) -> None:
    with open_catalog(small_catalog_path) as catalog:
        want = QUERIES[name](catalog)
    got = QUERIES[name](server_catalog)
    assert want  # a query that answers nothing compares nothing
    assert got == want


def test_estimates_come_from_the_statistics(
    small_catalog_path: Path, server_catalog: ServerCatalog
) -> None:
    with open_catalog(small_catalog_path) as catalog:
        want = {e.table: e.rows for e in catalog.estimates()}
    got = {e.table: e.rows for e in server_catalog.estimates()}
    assert got == want  # ANALYZE saw every row of a small catalog


def test_the_session_is_read_only(server_catalog: ServerCatalog) -> None:
    assert server_catalog.execute("SHOW default_transaction_read_only").fetchone() == ("on",)
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        server_catalog.execute("DELETE FROM tracks")


def test_a_lost_connection_is_a_sentence_and_the_next_call_reconnects(
    server_catalog: ServerCatalog, published: str
) -> None:
    pid = server_catalog.execute("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(published, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(ServerError, match="stopped answering"):
        server_catalog.execute("SELECT 1")
    assert server_catalog.execute("SELECT 1").fetchone() == (1,)


def test_a_database_without_a_catalog_is_refused(pg_server: str) -> None:
    with pytest.raises(NotACatalogError, match="no published catalog"):
        open_server_catalog(new_database(pg_server))


def test_a_half_published_catalog_is_refused(small_catalog_path: Path, pg_server: str) -> None:
    url = new_database(pg_server)
    with open_catalog(small_catalog_path) as catalog:
        publish(catalog, url)
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"DELETE FROM {MARKER_TABLE} WHERE step = 'analyze'")
    with pytest.raises(NotACatalogError, match="not completely published"):
        open_server_catalog(url)


def test_a_catalog_published_without_search_structures_is_refused(
    small_catalog_path: Path, pg_server: str
) -> None:
    url = new_database(pg_server)
    with open_catalog(small_catalog_path) as catalog:
        publish(catalog, url)
    with psycopg.connect(url, autocommit=True) as con:  # as the first version published it
        con.execute("ALTER TABLE tracks DROP COLUMN search_rank")
    with pytest.raises(NotACatalogError, match="older version"):
        open_server_catalog(url)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ann:secret@db.example/music", "postgresql://ann@db.example/music"),
        ("postgresql://ann@db.example:5433/music", "postgresql://ann@db.example:5433/music"),
        (
            "postgresql://db.example/music?user=ann&password=secret&sslmode=require",
            "postgresql://db.example/music?user=ann&sslmode=require",
        ),
        ("postgresql://:secret@db.example/music", "postgresql://db.example/music"),
    ],
)
def test_the_password_is_not_shown(url: str, shown: str) -> None:
    assert display_url(url) == shown


def test_show_and_info_on_the_command_line(
    small_catalog_path: Path, published: str, capsys: pytest.CaptureFixture[str]
) -> None:
    track_id = _ids(small_catalog_path, "tracks")[3]
    answers = []
    for catalog in (str(small_catalog_path), published):
        assert main(["show", "--catalog", catalog, track_id, "--json"]) == 0
        answers.append(json.loads(capsys.readouterr().out))
    assert answers[0] == answers[1]
    assert main(["info", "--catalog", published, "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["tables"]["tracks"] > 0 and info["audio_features"] is not None


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["tag", "write"], "does not open a PostgreSQL catalog yet"),
        (["index", "build"], "search structures live on the server"),
        (["publish", "--to", "postgresql://x/y"], "copies a catalog file"),
    ],
)
def test_commands_not_on_the_server_say_so(
    published: str, argv: list[str], sentence: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--catalog", published]) == 1
    assert sentence in capsys.readouterr().err


@dataclass(frozen=True)
class Matched:
    store: str
    catalog: Path
    url: str


@pytest.fixture(scope="module")
def matched(
    indexed_catalog_path: Path, pg_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Matched:
    """A demo library matched against the file (two files removed), and the file published."""
    from explorer.demo.library import write_demo_library

    root = tmp_path_factory.mktemp("pg-matched")
    url = new_database(pg_server)
    with open_catalog(indexed_catalog_path) as catalog:
        truth = write_demo_library(catalog, root / "music", albums=4, seed=31)
        publish(catalog, url)
    for item in truth[1:3]:  # two files gone: their tracks are missing
        item.path.unlink()
    store = str(root / "store.sqlite3")
    args = ["match", str(root / "music"), "--catalog", str(indexed_catalog_path)]
    assert main([*args, "--store", store]) == 0
    return Matched(store, indexed_catalog_path, url)


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "missing", "--json"],
        ["export", "m3u", "--all-albums", "{tmp}", "--json"],
    ],
    ids=["report-missing", "export-m3u"],
)
def test_reports_answer_the_same_on_both_engines(
    matched: Matched, argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    answers = []
    for n, catalog_arg in enumerate((str(matched.catalog), matched.url)):
        folder = tmp_path / str(n)
        args = [a.replace("{tmp}", str(folder)) for a in argv]
        assert main([*args, "--catalog", catalog_arg, "--store", matched.store]) == 0
        out = capsys.readouterr().out.replace(str(folder), "FOLDER")
        files = (
            sorted((p.name, p.read_bytes()) for p in folder.glob("*")) if folder.exists() else []
        )
        answers.append((out, files))
    assert answers[0][0]  # something was listed
    assert answers[1] == answers[0]


def test_a_role_that_may_only_select_is_enough(
    small_catalog_path: Path, published: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = published.rsplit("/", 1)[1]
    with psycopg.connect(published, autocommit=True) as admin:
        admin.execute("DROP ROLE IF EXISTS reader")
        admin.execute("CREATE ROLE reader LOGIN")
        admin.execute(f"GRANT CONNECT ON DATABASE {database} TO reader")
        admin.execute("GRANT USAGE ON SCHEMA public TO reader")
        admin.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader")
    as_reader = published.replace("postgres@", "reader@", 1)
    album_id = _ids(small_catalog_path, "albums")[2]
    answers = []
    for catalog in (str(small_catalog_path), as_reader):
        assert main(["show", "--catalog", catalog, album_id, "--json"]) == 0
        answers.append(json.loads(capsys.readouterr().out))
    assert answers[1] == answers[0]
