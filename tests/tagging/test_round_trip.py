"""Write, read back, audio unchanged, undo and redo: for every format mutagen writes."""

from __future__ import annotations

import dataclasses
import os

import mutagen
import pytest

from explorer.library.scan import scan
from explorer.library.tags import read_file
from explorer.tagging import writer
from explorer.tagging.audio_hash import audio_hash
from explorer.tagging.fields import ALL_FIELDS, ID_FIELDS
from explorer.tagging.formats import open_tags, read_raw
from explorer.tagging.plan import plan_files
from explorer.tagging.undo import undo
from explorer.tagging.writer import write_plans
from tests.tagging.conftest import WRITABLE, Library

# Fields of the samples' tags that no field we write touches: kept through every write.
UNTOUCHED = ("catalog_number", "barcode", "musicbrainz_recording_id", "musicbrainz_release_id",
             "compilation", "original_date")  # fmt: skip


def _tags(path: os.PathLike[str]) -> dict[str, object]:
    read = read_file(path)
    assert read.status == "ok", read.error
    assert read.stream is not None
    data = dataclasses.asdict(read.tags)
    data["has_cover"] = read.stream.has_cover
    data["duration_s"] = read.stream.duration_s
    return data


def _md5(path: os.PathLike[str]) -> object:
    audio = mutagen.File(path)
    return getattr(audio.info, "md5_signature", None)


@pytest.mark.parametrize("name", WRITABLE)
def test_write_read_back_undo_redo(library: Library, name: str) -> None:
    path = library.path(name)
    track = library.tracks[name]
    before = _tags(path)
    tag_file = open_tags(path)
    digest, md5 = audio_hash(path, tag_file.format), _md5(path)
    preview = plan_files(library.store, library.catalog, [library.row(name).id], fields=ALL_FIELDS)
    (plan,) = preview.plans
    assert plan.status == "write", plan.problem
    summary = write_plans(library.store, preview.plans, fields=ALL_FIELDS)
    assert (summary.written, summary.failed) == (1, 0), summary.outcomes
    after = _tags(path)
    assert after["spotify_track_id"] == track.id
    assert after["isrc"] == track.isrc
    assert after["title"] == track.name
    assert track.album is not None and after["spotify_album_id"] == track.album.id
    assert after["track_number"] == track.track_number
    for kept in (*UNTOUCHED, "has_cover", "duration_s"):
        assert after[kept] == before[kept], kept
    assert audio_hash(path, tag_file.format) == digest
    assert _md5(path) == md5
    assert open_tags(path).id3_version == tag_file.id3_version  # v2.3 stays v2.3
    # the scan record was updated: a rescan finds nothing changed
    assert scan(library.store, [library.root], workers=1).files_read == 0
    assert library.row(name).tags.spotify_track_id == track.id

    undone = undo(library.store, batch_id=summary.batch_id)
    assert (undone.written, undone.failed) == (1, 0), undone.outcomes
    assert _tags(path) == before
    assert audio_hash(path, tag_file.format) == digest
    redone = undo(library.store)  # undoing the undo
    assert (redone.written, redone.failed) == (1, 0), redone.outcomes
    assert _tags(path) == after


@pytest.mark.parametrize("name", WRITABLE)
def test_undo_gives_back_the_raw_tags(library: Library, name: str) -> None:
    """Each touched tag comes back as it was read: its encoding or data type too."""
    path = library.path(name)
    preview = plan_files(library.store, library.catalog, [library.row(name).id], fields=ALL_FIELDS)
    names = [change.name for change in preview.plans[0].changes]
    raw_before = {tag: read_raw(open_tags(path), tag) for tag in names}
    summary = write_plans(library.store, preview.plans, fields=ALL_FIELDS)
    assert summary.written == 1
    assert undo(library.store, batch_id=summary.batch_id).written == 1
    reopened = open_tags(path)
    assert {tag: read_raw(reopened, tag) for tag in names} == raw_before


def test_identifiers_only_by_default(library: Library) -> None:
    name = "sample.flac"
    preview = plan_files(library.store, library.catalog, [library.row(name).id])
    assert {change.field for change in preview.plans[0].changes} <= set(ID_FIELDS)
    title = _tags(library.path(name))["title"]
    write_plans(library.store, preview.plans, fields=ID_FIELDS)
    assert _tags(library.path(name))["title"] == title
    again = plan_files(library.store, library.catalog, [library.row(name).id])
    assert again.plans[0].status == "unchanged"


def test_worker_processes_write_every_format(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long run makes its copies in worker processes; the files, the journal and undo
    come out as when written here."""
    monkeypatch.setattr(writer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(writer, "WRITE_CHUNK", 7)  # chunks of several files, the last short
    paths = {name: library.path(name) for name in WRITABLE}
    before = {name: _tags(path) for name, path in paths.items()}
    digests = {name: audio_hash(path, open_tags(path).format) for name, path in paths.items()}
    ids = [library.row(name).id for name in WRITABLE]
    preview = plan_files(library.store, library.catalog, ids, fields=ALL_FIELDS)
    summary = write_plans(library.store, preview.plans, fields=ALL_FIELDS, workers=2)
    assert (summary.written, summary.failed) == (len(WRITABLE), 0), summary.outcomes
    for name, path in paths.items():
        assert _tags(path)["spotify_track_id"] == library.tracks[name].id
        assert audio_hash(path, open_tags(path).format) == digests[name]
    assert scan(library.store, [library.root], workers=1).files_read == 0
    undone = undo(library.store, batch_id=summary.batch_id)
    assert undone.written == len(WRITABLE)
    assert {name: _tags(path) for name, path in paths.items()} == before
