"""The audio hash taken while copying equals the file's; a file too big to be copied in
memory is copied on the disk and comes out as when copied in memory."""

from __future__ import annotations

import io
import itertools
import os
from dataclasses import replace

import pytest

from explorer.library.tags import read_file
from explorer.tagging import audio_hash as hashing
from explorer.tagging import stage
from explorer.tagging.audio_hash import audio_hash, audio_ranges, copy_hashing
from explorer.tagging.fields import ALL_FIELDS
from explorer.tagging.plan import plan_files
from explorer.tagging.undo import undo
from explorer.tagging.writer import write_plans
from tests.tagging.conftest import AUDIO, WRITABLE, Library


@pytest.mark.parametrize("block", [7, 64, 1 << 20])
@pytest.mark.parametrize("name", WRITABLE)
def test_copy_hashing_reads_the_file_once_and_hashes_its_audio(
    name: str, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hashing, "READ_CHUNK", block)  # ranges cut across blocks
    path = AUDIO / name
    stream = read_file(path).stream
    assert stream is not None
    with open(path, "rb") as source:
        ranges = audio_ranges(source, stream.format)
        assert ranges and all(a < b <= c for (a, b), (c, _) in itertools.pairwise(ranges))
        target = io.BytesIO(b"left over from before, longer than nothing" * 1000)
        digest = copy_hashing(source, target, ranges)
    assert target.getvalue() == path.read_bytes()
    assert digest == audio_hash(path, stream.format)


def test_files_past_the_memory_limit_are_copied_on_the_disk(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stage, "IN_MEMORY_UP_TO", 0)
    paths = {name: library.path(name) for name in WRITABLE}
    formats = {name: read_file(path).stream.format for name, path in paths.items()}  # type: ignore[union-attr]
    digests = {name: audio_hash(path, formats[name]) for name, path in paths.items()}
    ids = [library.row(name).id for name in WRITABLE]
    preview = plan_files(library.store, library.catalog, ids, fields=ALL_FIELDS)
    summary = write_plans(library.store, preview.plans, fields=ALL_FIELDS, workers=1)
    assert (summary.written, summary.failed) == (len(WRITABLE), 0), summary.outcomes
    for name, path in paths.items():
        assert read_file(path).tags.spotify_track_id == library.tracks[name].id
        assert audio_hash(path, formats[name]) == digests[name]
    assert undo(library.store, batch_id=summary.batch_id).written == len(WRITABLE)


@pytest.mark.parametrize("name", WRITABLE)
def test_the_copy_on_the_disk_equals_the_copy_in_memory(
    library: Library, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (plan,) = plan_files(
        library.store, library.catalog, [library.row(name).id], fields=ALL_FIELDS
    ).plans
    job = stage.Job(plan.file_id, os.fsencode(plan.path), plan.size, plan.mtime_ns,
                    {change.name: change.after for change in plan.changes}, {})  # fmt: skip
    copies = []
    for limit, temp in ((0, b".on-disk"), (1 << 30, b".in-memory")):
        monkeypatch.setattr(stage, "IN_MEMORY_UP_TO", limit)
        made = stage.stage(replace(job, temp=job.path + temp))
        assert isinstance(made, stage.Staged), made
        with open(made.temp, "rb") as copy:
            copies.append(copy.read())
        os.remove(made.temp)
    assert copies[0] == copies[1]
    assert copies[0] != library.path(name).read_bytes()  # the tags were written into both
