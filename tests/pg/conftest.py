"""The session's throwaway PostgreSQL 15 cluster and a new database per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.pg.cluster import NoServer, throwaway_cluster

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of the maintenance database of a fresh cluster on 127.0.0.1."""
    try:
        cluster = throwaway_cluster()
        url = cluster.__enter__()
    except NoServer as exc:
        pytest.skip(str(exc))
    try:
        yield url
    finally:
        cluster.__exit__(None, None, None)


def new_database(server_url: str) -> str:
    """A new empty database on the session's server; its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_names)}"
    with psycopg.connect(server_url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def pg_database(pg_server: str) -> str:
    """The URL of a new empty database for one test."""
    return new_database(pg_server)
