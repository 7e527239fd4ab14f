"""A scan killed with SIGKILL loses at most the batch in flight and never damages the store."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from explorer.library.records import STATUS_OK
from explorer.library.scan import scan
from explorer.library.store import open_store

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"
FILES = 3_000
CHUNK = 10  # files per batch in the killed scan
KILL_AFTER_ROWS = 300

_SCAN = """
import sys
from explorer.library import scan as scan_module
scan_module.CHUNK_FILES = int(sys.argv[3])
from explorer.library.store import open_store
with open_store(sys.argv[2]) as store:
    scan_module.scan(store, [sys.argv[1]], workers=int(sys.argv[4]))
"""


def _rows(store_path: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT count(*) FROM files").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0  # not created yet


def _library(tmp_path: Path) -> Path:
    root = tmp_path / "music"
    samples = [p for p in sorted(AUDIO.iterdir()) if p.suffix in (".flac", ".ogg", ".mp3", ".opus")]
    for i in range(FILES):
        folder = root / f"album{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        sample = samples[i % len(samples)]
        os.link(sample, folder / f"{i:05d}{sample.suffix}")
    return root


def _kill_mid_scan(root: Path, store_path: Path, *, workers: int) -> int:
    process = subprocess.Popen(
        [sys.executable, "-c", _SCAN, str(root), str(store_path), str(CHUNK), str(workers)],
        start_new_session=True,  # its own process group: the kill takes the workers too
    )
    deadline = time.monotonic() + 60
    try:
        while _rows(store_path) < KILL_AFTER_ROWS:
            assert process.poll() is None, "the scan ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.005)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return process.returncode


def test_sigkill_mid_scan_loses_at_most_the_batch_in_flight(tmp_path: Path) -> None:
    root = _library(tmp_path)
    for workers in (1, 2):
        store_path = tmp_path / f"store{workers}" / "library.sqlite3"
        assert _kill_mid_scan(root, store_path, workers=workers) == -signal.SIGKILL
        with open_store(store_path) as store:
            assert store.integrity_check() == "ok"
            saved = store.files(limit=FILES)
            assert KILL_AFTER_ROWS <= len(saved) < FILES
            assert len(saved) % CHUNK == 0  # whole batches only: each one is a transaction
            assert {row.status for row in saved} == {STATUS_OK}
            summary = scan(store, [root])  # the next scan picks up where the kill left off
            assert summary.files_read == FILES - len(saved)
            assert store.counts()[STATUS_OK] == FILES


def test_ctrl_c_stops_the_command_cleanly(tmp_path: Path) -> None:
    root = _library(tmp_path)
    store_path = tmp_path / "store" / "library.sqlite3"
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "scan", str(root), "--store", str(store_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "EXPLORER_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while _rows(store_path) < KILL_AFTER_ROWS:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    with open_store(store_path) as store:
        assert store.integrity_check() == "ok"
        assert KILL_AFTER_ROWS <= len(store.files(limit=FILES)) < FILES
