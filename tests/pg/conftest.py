"""A throwaway PostgreSQL 15 cluster for the session: started as `postgres` when run as root."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Where the machine image keeps PostgreSQL 15 (Debian layout); EXPLORER_PG_BIN overrides.
PG_BIN = Path(os.environ.get("EXPLORER_PG_BIN", "/usr/lib/postgresql/15/bin"))
# Seconds pg_ctl waits for the server to start or stop.
PG_WAIT_S = 60
_names = itertools.count(1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(args: list[str]) -> list[str]:
    """The command as the cluster's owner: `postgres` when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of the maintenance database of a fresh cluster on 127.0.0.1."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        pytest.skip(f"no PostgreSQL binaries in {PG_BIN} (set EXPLORER_PG_BIN)")
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run initdb as")
    # Not pytest's tmp_path: its folders are private to the user; /tmp is world-traversable.
    root = Path(tempfile.mkdtemp(prefix="explorer-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data, log = root / "data", root / "server.log"
    port = _free_port()
    try:
        subprocess.run(
            _as_owner(
                [
                    *(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
                    *("-E", "UTF8", "--locale=C", "--no-sync"),
                ]
            ),
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_owner(
                [
                    *(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options),
                    *("-w", "-t", str(PG_WAIT_S), "start"),
                ]
            ),
            check=True,
            capture_output=True,
        )
    except subprocess.CalledProcessError as exc:
        text = log.read_text() if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r} {text}") from exc
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


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
