"""Ctrl+C stops the `explorer` command with one line and status 130, at any moment: while
its modules load, and while an index build (alone or inside `match`) writes its chunks."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import EXIT_INTERRUPTED, main
from explorer.demo import write_demo_catalog
from explorer.index import index_path_for
from explorer.index.store import shard_paths

INTERRUPTED = "explorer: interrupted.\n"
# How long after a track shard's file appears its writer is inside its first chunk.
CHUNK_STARTED_S = 0.1
# The command with the build's worker processes from any size on (a catalog written in a
# test's time builds in this process only).
PARALLEL = (
    "from explorer.index import build; build.PARALLEL_FROM = 0\n"
    "from explorer.__main__ import run; raise SystemExit(run())"
)


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog whose index build lasts over a second (200,000 tracks; 5 s to write)."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    write_demo_catalog(path, tracks=200_000, seed=11)
    return path


def _ctrl_c_once(command: list[str], started: Callable[[], bool]) -> tuple[int, str, str]:
    """Run `command` in a process group of its own and, once `started()`, send SIGINT to
    the whole group, as a terminal's Ctrl+C does (the build's workers get it too)."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while not started():
            assert process.poll() is None, "the command ended before it was interrupted"
            assert time.monotonic() < deadline, "the build never started"
            time.sleep(0.002)
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:  # the test failed: end the command and its workers
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    # nothing of it is left running (the workers were ended with it)
    for _ in range(200):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    else:
        pytest.fail("a process of the interrupted command is still running")
    return process.returncode, out, err


def _seen_for(path: Path, seconds: float) -> Callable[[], bool]:
    """Whether `path` has been there for `seconds` (from when this first sees it)."""
    seen: list[float] = []

    def long_enough() -> bool:
        if not seen and path.exists():
            seen.append(time.monotonic())
        return bool(seen) and time.monotonic() - seen[0] >= seconds

    return long_enough


def _status(catalog: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["index", "status", "--catalog", str(catalog), "--json"]) == 0
    status: dict[str, object] = json.loads(capsys.readouterr().out)
    return status


def test_ctrl_c_during_an_index_build_is_exit_130_and_keeps_the_progress(
    big_catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_catalog(big_catalog) as catalog:
        first_shard, second_shard = shard_paths(index_path_for(catalog))
    catalog_args = ["--catalog", str(big_catalog)]
    assert main(["index", "drop", *catalog_args]) == 0
    # in this process (the artists and albums are done): Ctrl+C while the first track
    # shard's chunk (a third of a second) is written, so while SQLite runs and calls back
    # into Python; the second shard is not started yet
    code, out, err = _ctrl_c_once(
        [sys.executable, "-m", "explorer", "index", "build", *catalog_args],
        _seen_for(first_shard, CHUNK_STARTED_S),
    )
    assert (code, err, out) == (EXIT_INTERRUPTED, INTERRUPTED, "")
    status = _status(big_catalog, capsys)
    assert status["exists"] and not status["complete"] and not second_shard.exists()
    kept = int(str(status["rows_done"]))
    assert kept > 0
    # with worker processes (one per shard), inside `match`, which builds the index first
    match = ["match", str(tmp_path), *catalog_args, "--store", str(tmp_path / "s.sqlite3")]
    code, out, err = _ctrl_c_once([sys.executable, "-c", PARALLEL, *match], second_shard.exists)
    assert (code, err, out) == (EXIT_INTERRUPTED, INTERRUPTED, "")
    status = _status(big_catalog, capsys)
    assert not status["complete"] and int(str(status["rows_done"])) >= kept
    # the next build goes on from what was kept
    assert main(["index", "build", *catalog_args]) == 0
    assert _status(big_catalog, capsys)["complete"]


# The command, with Ctrl+C at the moment the module named first starts loading (its first
# tenth of a second is mostly loading modules): run as `python -m explorer`, or as the
# `explorer` script that installing the project writes (which imports `main` itself).
CTRL_C_ON_IMPORT = """
import runpy, signal, sys

how, module = sys.argv[1:3]

class CtrlCOnImport:
    def find_spec(self, name, path=None, target=None):
        if name == module:
            sys.meta_path.remove(self)
            signal.raise_signal(signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlCOnImport())
sys.argv = ["explorer", *sys.argv[3:]]
if how == "-m":
    runpy.run_module("explorer", run_name="__main__", alter_sys=True)
else:
    from explorer.cli.main import main
    sys.exit(main())
"""


@pytest.mark.parametrize(
    ("how", "module"),
    [
        ("-m", "explorer.cli.main"),  # loaded by `explorer/__main__.py`
        ("-m", "explorer.log"),  # loaded by the command's module
        ("-m", "explorer.cli.info_cmd"),  # the subcommand's, loaded by `main`
        ("-m", "peewee"),  # loaded by the subcommand's
        ("script", "explorer.cli.info_cmd"),
        ("script", "peewee"),
    ],
)
def test_ctrl_c_while_the_modules_load_is_exit_130(
    how: str, module: str, demo_catalog_path: Path
) -> None:
    info = ["info", "--catalog", str(demo_catalog_path)]
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_ON_IMPORT, how, module, *info],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr, done.stdout) == (EXIT_INTERRUPTED, INTERRUPTED, "")


def test_an_error_while_stopping_after_ctrl_c_still_says_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clean-up cut short by the Ctrl+C (here: the store still locked by another writer
    when the scan's `finally` writes) must not turn the interruption into "the library
    store is busy" with exit 1, as it did once on CI."""
    import sqlite3

    from explorer.cli import scan_cmd

    def interrupted_scan(store: object, *args: object, **kwargs: object) -> None:
        locker = sqlite3.connect(tmp_path / "store.sqlite3", timeout=0)
        locker.execute("BEGIN IMMEDIATE")
        try:
            raise KeyboardInterrupt
        finally:
            try:
                cleanup = sqlite3.connect(tmp_path / "store.sqlite3", timeout=0)
                cleanup.execute("BEGIN IMMEDIATE")  # raises "database is locked"
            finally:
                locker.close()

    monkeypatch.setattr(scan_cmd, "scan", interrupted_scan)
    (tmp_path / "music").mkdir()
    code = main(["scan", str(tmp_path / "music"), "--store", str(tmp_path / "store.sqlite3")])
    assert (code, capsys.readouterr().err) == (EXIT_INTERRUPTED, INTERRUPTED)
