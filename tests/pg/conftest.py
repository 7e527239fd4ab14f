"""The session's throwaway PostgreSQL 15 cluster and a new database per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import pytest

from explorer.catalog import open_catalog
from explorer.catalog.publish import publish
from explorer.catalog.server import ServerCatalog, open_server_catalog
from tests.pg.cluster import NoServer, throwaway_cluster

T = TypeVar("T")

_names = itertools.count(1)


def serve(cluster: AbstractContextManager[T]) -> Iterator[T]:
    """A fixture's body for a throwaway cluster: what it yields, the test skipped with
    the reason when no cluster can be started here."""
    try:
        value = cluster.__enter__()
    except NoServer as exc:
        pytest.skip(str(exc))
    try:
        yield value
    finally:
        cluster.__exit__(None, None, None)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of the maintenance database of a fresh cluster on 127.0.0.1."""
    yield from serve(throwaway_cluster())


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


def published_copy(catalog_path: Path, server_url: str) -> str:
    """The URL of a new database on the server holding the catalog, published."""
    url = new_database(server_url)
    with open_catalog(catalog_path) as catalog:
        publish(catalog, url)
    return url


@pytest.fixture
def server_catalog(published: str) -> Iterator[ServerCatalog]:
    """The module's `published` catalog, opened on the server for one test."""
    with open_server_catalog(published) as catalog:
        yield catalog
