"""A tag writer killed with SIGKILL leaves every file old or new, never half, and the
journal agrees with the files once `recover` has settled what was pending."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import mutagen
import pytest

from explorer.catalog import Catalog
from explorer.library.scan import scan
from explorer.library.store import open_store
from explorer.library.tag_journal import TagJournal
from explorer.library.tags import read_file
from explorer.matching.links import Links
from explorer.tagging import writer
from explorer.tagging.audio_hash import audio_hash
from explorer.tagging.fields import ID_FIELDS
from explorer.tagging.plan import plan_files
from explorer.tagging.recovery import recover
from explorer.tagging.stage import TEMP_SUFFIX, stage_many
from explorer.tagging.writer import write_plans
from tests.tagging.conftest import AUDIO, WRITABLE, Library

FILES = 300
KILL_AFTER_WRITTEN = 40

_WRITER = """
import sys
from explorer.catalog import open_catalog
from explorer.library.store import open_store
from explorer.tagging.fields import ALL_FIELDS
from explorer.tagging.plan import files_under, plan_files
from explorer.tagging.writer import write_plans
with open_store(sys.argv[1]) as store, open_catalog(sys.argv[2]) as catalog:
    preview = plan_files(store, catalog, files_under(store, [sys.argv[3]]), fields=ALL_FIELDS)
    write_plans(store, preview.plans, fields=ALL_FIELDS)
"""


def _written(store_path: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=5)
        try:
            row = con.execute("SELECT count(*) FROM tag_journal WHERE state = 'written'").fetchone()
            return int(row[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


def test_sigkill_mid_batch_leaves_no_half_file(tmp_path: Path, small_catalog: Catalog) -> None:
    root = tmp_path / "music"
    samples = [AUDIO / name for name in ("sample.flac", "id3v23.mp3", "sample.ogg", "aac.m4a")]
    digests = {}
    for i in range(FILES):
        folder = root / f"album{i // 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        sample = samples[i % len(samples)]
        shutil.copy(sample, folder / f"{i:04d}{sample.suffix}")
        digests[sample.suffix] = audio_hash(sample, read_file(sample).stream.format)  # type: ignore[union-attr]
    store_path = tmp_path / "store" / "library.sqlite3"
    tracks = [t for t in small_catalog.tracks_by_rowids(list(range(1, 1_000))) if t.album]
    with open_store(store_path) as store:
        scan(store, [root], workers=1)
        links = Links(store)
        for i, row in enumerate(store.iter_files()):
            track = tracks[i % len(tracks)]
            assert track.album is not None
            links.decide(row.id, "manual", track_id=track.id, album_id=track.album.id)
    process = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(store_path), str(small_catalog.path), str(root)],
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    try:
        while _written(store_path) < KILL_AFTER_WRITTEN:
            assert process.poll() is None, "the writer ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.002)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL

    with open_store(store_path) as store:
        assert store.integrity_check() == "ok"
        recover(store)
        journal = TagJournal(store)
        assert journal.pending() == []
        written = {entry.path for entry in journal.history(limit=FILES)}
        assert KILL_AFTER_WRITTEN <= len(written) < FILES
        links = Links(store)
        for row in store.iter_files():
            path = row.path
            assert mutagen.File(os.fsdecode(path)) is not None  # every file still opens
            read = read_file(path)
            assert read.stream is not None
            assert (
                audio_hash(path, read.stream.format) == digests[os.path.splitext(path)[1].decode()]
            )
            link = links.get(row.id)
            assert link is not None
            is_new = read.tags.spotify_track_id == link.track_id
            assert is_new == (path in written), row.display
            if is_new:  # the scan record agrees with the file
                info = os.stat(path)
                assert (row.size, row.mtime_ns) == (info.st_size, info.st_mtime_ns)
        leftovers = [p for p in root.rglob("*") if p.name.encode().endswith(TEMP_SUFFIX)]
        assert leftovers == []


def _dying_stage_many(jobs: list[Any], keep_mtime: bool) -> list[Any]:
    if any(job.path.endswith(b"sample.ogg") for job in jobs):
        os._exit(3)  # a worker killed (or mutagen crashing) while it makes its copies
    return stage_many(jobs, keep_mtime)


def test_a_worker_that_dies_fails_its_files_only(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(writer, "pool_context", lambda: get_context("fork"))
    monkeypatch.setattr(writer, "stage_many", _dying_stage_many)
    ids = [library.row(name).id for name in WRITABLE]
    preview = plan_files(library.store, library.catalog, ids, fields=ID_FIELDS)
    summary = write_plans(library.store, preview.plans, fields=ID_FIELDS, workers=2)
    lost = {o.display.rsplit("/", 1)[-1] for o in summary.outcomes if o.reason == writer.LOST}
    assert "sample.ogg" in lost
    assert summary.written == len(WRITABLE) - len(lost) and summary.failed == len(lost)
    assert TagJournal(library.store).pending() == []
    assert not [p for p in library.root.rglob("*") if p.name.encode().endswith(TEMP_SUFFIX)]
    for name in WRITABLE:
        read = read_file(library.path(name))
        assert (read.tags.spotify_track_id == library.tracks[name].id) == (name not in lost)
