"""Start and stop a throwaway PostgreSQL 15 cluster (as `postgres` when run as root)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Where the machine image keeps PostgreSQL 15 (Debian layout); EXPLORER_PG_BIN overrides.
PG_BIN = Path(os.environ.get("EXPLORER_PG_BIN", "/usr/lib/postgresql/15/bin"))
# Seconds pg_ctl waits for the server to start or stop.
PG_WAIT_S = 60


class NoServer(Exception):
    """No cluster can be started here (no binaries, or root without a `postgres` user)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(args: list[str]) -> list[str]:
    """The command as the cluster's owner: `postgres` when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    """A running throwaway cluster: its URL, and stop/start for tests of a lost server."""

    def __init__(self, url: str, data: Path, log: Path, options: str) -> None:
        self.url, self.data, self.log, self.options = url, data, log, options

    def stop(self, mode: str = "fast") -> None:
        """`pg_ctl stop -m MODE`: sessions are ended, new connections refused."""
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        subprocess.run(
            _as_owner(
                [
                    *(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log)),
                    *("-o", self.options, "-w", "-t", str(PG_WAIT_S), "start"),
                ]
            ),
            check=True,
            capture_output=True,
        )


@contextmanager
def throwaway_cluster(*, durable: bool = False) -> Iterator[str]:
    """The URL of the maintenance database of a fresh cluster on 127.0.0.1, removed after;
    without `durable`, fsync and synchronous commit are off (tests)."""
    with throwaway_server(durable=durable) as cluster:
        yield cluster.url


@contextmanager
def throwaway_server(*, durable: bool = False) -> Iterator[Cluster]:
    """A fresh cluster on 127.0.0.1 (see throwaway_cluster), to stop and start again."""
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        raise NoServer(f"no PostgreSQL binaries in {PG_BIN} (set EXPLORER_PG_BIN)")
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise NoServer(
                "running as root and there is no 'postgres' user to run initdb as"
            ) from None
    # Not pytest's tmp_path: its folders are private to the user; /tmp is world-traversable.
    root = Path(tempfile.mkdtemp(prefix="explorer-pg-", dir="/tmp"))
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    data, log = root / "data", root / "server.log"
    port = free_port()
    fast = "" if durable else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
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
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root}{fast}"
        url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        cluster = Cluster(url, data, log, options)
        cluster.start()
    except subprocess.CalledProcessError as exc:
        text = log.read_text() if log.exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr!r} {text}") from exc
    try:
        yield cluster
    finally:
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
