"""Files that cannot be written are refused with a sentence; nothing is written to them."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.catalog import Catalog
from explorer.errors import KnownError
from explorer.library.scan import scan
from explorer.library.tag_journal import TagJournal
from explorer.library.tags import read_file
from explorer.matching.links import Links
from explorer.tagging.fields import (
    ALL_FIELDS,
    ID_FIELDS,
    CatalogFacts,
    catalog_values,
    parse_fields,
)
from explorer.tagging.plan import FieldChange, diff, files_under, plan_files
from explorer.tagging.undo import undo
from explorer.tagging.writer import write_plans
from tests.tagging.conftest import AUDIO, Library, make_library


def _read_only(path: Path) -> None:
    path.chmod(0o444)


def _gone(path: Path) -> None:
    path.unlink()


def _changed(path: Path) -> None:
    with path.open("ab") as handle:
        handle.write(b"\0")


def _touched(path: Path) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))


def _hard_linked(path: Path) -> None:
    os.link(path, path.parent / "another name.flac")


def _hard_linked_twice(path: Path) -> None:
    os.link(path, path.parent / "another name.flac")
    os.link(path, path.parent.parent / "a third name.flac")


@pytest.mark.parametrize(
    ("damage", "sentence"),
    [
        (_read_only, "the file is read-only"),
        (_gone, "the file is gone"),
        (_changed, "the file changed since the last scan"),
        (_touched, "the file changed since the last scan"),
        (_hard_linked, "the file has another name (hard links), which would keep the old tags"),
        (_hard_linked_twice, "the file has 2 other names (hard links)"),
    ],
)
def test_a_file_that_cannot_be_written_is_refused(
    library: Library, damage: Callable[[Path], None], sentence: str
) -> None:
    path = library.path("sample.flac")
    damage(path)
    preview = plan_files(library.store, library.catalog, [library.row("sample.flac").id])
    (plan,) = preview.plans
    assert plan.status == "unwritable"
    assert plan.problem is not None and plan.problem.startswith(sentence)


def test_a_file_changed_between_preview_and_write_is_not_written(library: Library) -> None:
    path = library.path("sample.ogg")
    preview = plan_files(library.store, library.catalog, [library.row("sample.ogg").id])
    _touched(path)
    content = path.read_bytes()
    summary = write_plans(library.store, preview.plans, fields=ID_FIELDS)
    assert (summary.written, summary.failed) == (0, 1)
    assert "changed since the last scan" in (summary.outcomes[0].reason or "")
    assert path.read_bytes() == content


def test_a_file_hard_linked_after_the_preview_is_not_written(library: Library) -> None:
    path = library.path("sample.flac")
    preview = plan_files(library.store, library.catalog, [library.row("sample.flac").id])
    assert preview.plans[0].status == "write"
    other = path.parent / "another name.flac"
    os.link(path, other)
    content = path.read_bytes()
    summary = write_plans(library.store, preview.plans, fields=ID_FIELDS)
    assert (summary.written, summary.failed) == (0, 1)
    assert "hard links" in (summary.outcomes[0].reason or "")
    assert path.read_bytes() == content and os.path.samefile(path, other)
    assert TagJournal(library.store).pending() == []


@pytest.mark.parametrize(
    ("status", "sentence"),
    [("review", "its match waits for your review"), ("rejected", "you rejected its link"),
     ("unlinked", "it is not linked")],
)  # fmt: skip
def test_only_matched_accepted_or_manual_links_are_written(
    library: Library, status: str, sentence: str
) -> None:
    file_id = library.row("sample.flac").id
    links = Links(library.store)
    if status == "rejected":
        links.decide(file_id, "rejected")
    elif status == "unlinked":
        links.unlink(file_id)
    else:
        library.store.db.execute_sql(
            "UPDATE links SET status = 'auto', decision = 'review' WHERE file_id = ?", (file_id,)
        )
    (plan,) = plan_files(library.store, library.catalog, [file_id]).plans
    assert plan.problem is not None and plan.problem.startswith(sentence)


def test_a_format_without_tags_is_refused(tmp_path: Path, small_catalog: Catalog) -> None:
    library = make_library(tmp_path, small_catalog, ("untagged.mid", "id3v22.mp3"))
    try:
        plans = plan_files(
            library.store, library.catalog, [library.row(n).id for n in library.tracks]
        )
        problems = {plan.display.rsplit("/", 1)[-1]: plan.problem for plan in plans.plans}
        assert problems["untagged.mid"] == "SMF files cannot hold tags"
        assert "ID3v2.2" in (problems["id3v22.mp3"] or "")
    finally:
        library.store.close()


def test_undo_refuses_a_file_changed_since_unless_forced(library: Library) -> None:
    name = "sample.wv"
    preview = plan_files(library.store, library.catalog, [library.row(name).id])
    summary = write_plans(library.store, preview.plans, fields=ID_FIELDS)
    assert summary.written == 1
    _touched(library.path(name))
    refused = undo(library.store, batch_id=summary.batch_id)
    assert (refused.written, refused.failed) == (0, 1)
    assert "changed since its tags were written" in (refused.outcomes[0].reason or "")
    forced = undo(library.store, batch_id=summary.batch_id, force=True)
    assert (forced.written, forced.failed) == (1, 0)


def test_keep_mtime_and_mode(library: Library) -> None:
    path = library.path("id3v24.mp3")
    path.chmod(0o640)
    library.store.save_reads(library.row("id3v24.mp3").root_id, [])  # nothing: mode is not scanned
    info = path.stat()
    preview = plan_files(library.store, library.catalog, [library.row("id3v24.mp3").id])
    write_plans(library.store, preview.plans, fields=ID_FIELDS, keep_mtime=True)
    after = path.stat()
    assert after.st_mtime_ns == info.st_mtime_ns
    assert after.st_mode == info.st_mode
    assert after.st_ino != info.st_ino  # replaced by the written copy
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_files_under_a_folder_and_unknown_paths(library: Library, tmp_path: Path) -> None:
    ids = files_under(library.store, [str(library.root)])
    assert len(ids) == len(library.tracks)
    with pytest.raises(KnownError, match="not in the library store"):
        files_under(library.store, [str(tmp_path / "elsewhere.mp3")])


def test_diff_keeps_out_what_is_already_there() -> None:
    current = {"TSRC": ["X"], "TIT2": ["Old"], "TALB": None}
    wanted = [("isrc", "TSRC", ["X"]), ("title", "TIT2", ["New"]), ("album", "TALB", ["A"])]
    assert diff(current, wanted) == (
        FieldChange("title", "TIT2", ("Old",), ("New",)),
        FieldChange("album", "TALB", (), ("A",)),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, ID_FIELDS), ("ids", ID_FIELDS), ("all", ALL_FIELDS),
     ("title,bpm", (*ID_FIELDS, "title", "bpm")), ("album-artist", (*ID_FIELDS, "album_artist"))],
)  # fmt: skip
def test_parse_fields(text: str | None, expected: tuple[str, ...]) -> None:
    assert parse_fields(text) == expected


def test_parse_fields_names_an_unknown_field() -> None:
    with pytest.raises(KnownError, match="Unknown field 'colour'"):
        parse_fields("title,colour")


def test_cancel_stops_between_files(library: Library) -> None:
    ids = [library.row(name).id for name in ("sample.flac", "sample.ogg", "sample.opus")]
    preview = plan_files(library.store, library.catalog, ids)
    cancel = threading.Event()
    seen: list[str] = []

    def on_file(outcome: object) -> None:
        seen.append(outcome.status)  # type: ignore[attr-defined]
        cancel.set()  # the user presses Cancel while the first file is written

    summary = write_plans(
        library.store, preview.plans, fields=ID_FIELDS, cancel=cancel, on_file=on_file
    )
    assert summary.cancelled and summary.written == 1 and seen == ["written"]


def test_catalog_text_is_cleaned_before_it_is_written(library: Library) -> None:
    track = replace(library.tracks["sample.flac"], name="Bad\x00Name\n ")
    values = catalog_values(CatalogFacts(track=track), ALL_FIELDS)
    assert values["title"] == ("Bad Name",)


def test_a_symlink_stays_a_symlink_and_its_target_is_written(
    tmp_path: Path, small_catalog: Catalog
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "real.flac"
    shutil.copy(AUDIO / "sample.flac", target)
    library = make_library(tmp_path, small_catalog, ())
    link = library.path("link.flac")
    link.symlink_to(target)
    try:
        scan(library.store, [library.root], workers=1)
        track = small_catalog.tracks_by_rowids([1])[0]
        Links(library.store).decide(library.row("link.flac").id, "manual", track_id=track.id)
        preview = plan_files(library.store, library.catalog, [library.row("link.flac").id])
        assert write_plans(library.store, preview.plans, fields=ID_FIELDS).written == 1
        assert link.is_symlink() and link.resolve() == target
        assert read_file(target).tags.spotify_track_id == track.id
        assert not [p for p in elsewhere.iterdir() if p.name != "real.flac"]
        assert scan(library.store, [library.root], workers=1).files_read == 0
    finally:
        library.store.close()
