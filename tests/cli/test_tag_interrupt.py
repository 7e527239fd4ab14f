"""Ctrl+C during `explorer tag write`: exit 130, one sentence, every file old or new, and
the journal agrees with the files once the next command has settled it."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from explorer.catalog import open_catalog
from explorer.library.scan import scan
from explorer.library.store import open_store
from explorer.library.tag_journal import TagJournal
from explorer.library.tags import read_file
from explorer.matching.links import Links
from explorer.tagging.recovery import recover
from explorer.tagging.stage import TEMP_SUFFIX
from tests.tagging.conftest import AUDIO

FILES = 1_000
INTERRUPT_AFTER = 30


def _written(store_path: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=5)
        try:
            query = "SELECT count(*) FROM tag_journal WHERE state = 'written'"
            return int(con.execute(query).fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


def test_ctrl_c_stops_tag_write_cleanly(tmp_path: Path, small_catalog_path: Path) -> None:
    root = tmp_path / "music"
    for i in range(FILES):
        folder = root / f"album{i // 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(AUDIO / "sample.flac", folder / f"{i:04d}.flac")
    store_path = tmp_path / "store" / "library.sqlite3"
    with open_catalog(small_catalog_path) as catalog, open_store(store_path) as store:
        scan(store, [root], workers=1)
        tracks = [t for t in catalog.tracks_by_rowids(list(range(1, 1_000))) if t.album]
        links = Links(store)
        for i, row in enumerate(store.iter_files()):
            track = tracks[i % len(tracks)]
            assert track.album is not None
            links.decide(row.id, "manual", track_id=track.id, album_id=track.album.id)
    process = subprocess.Popen(
        [sys.executable, "-m", "explorer", "tag", "write", "--yes", "--catalog",
         str(small_catalog_path), "--store", str(store_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "EXPLORER_HOME": str(tmp_path / "home")},
        start_new_session=True,  # its own process group, which Ctrl+C reaches whole
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while _written(store_path) < INTERRUPT_AFTER:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.002)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: workers too
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    with open_store(store_path) as store:
        recover(store)
        journal = TagJournal(store)
        assert journal.pending() == []
        written = {entry.path for entry in journal.history(limit=FILES)}
        assert INTERRUPT_AFTER <= len(written) < FILES
        links = Links(store)
        for row in store.iter_files():
            link = links.get(row.id)
            assert link is not None
            is_new = read_file(row.path).tags.spotify_track_id == link.track_id
            assert is_new == (row.path in written)
    assert not [p for p in root.rglob("*") if p.name.encode().endswith(TEMP_SUFFIX)]
