"""The scanner on real files: first scan, incremental rescan, missing files, links, cancel."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from explorer.errors import KnownError
from explorer.library import scan as scan_module
from explorer.library.records import STATUS_MISSING, STATUS_OK
from explorer.library.scan import ScanProgress, scan
from explorer.library.store import FileRow, LibraryStore
from explorer.library.walk import AUDIO_EXTENSIONS
from explorer.processes import pool_context

SAMPLES = 22


def test_first_scan_reads_every_audio_file(store: LibraryStore, music: Path) -> None:
    summary = scan(store, [music])
    assert (summary.files_seen, summary.files_read, summary.errors) == (SAMPLES, SAMPLES, 0)
    rows = store.files()
    assert {row.status for row in rows} == {STATUS_OK}
    flac = store.file_by_path(music / "Artist" / "Album" / "sample.flac")
    assert flac is not None and flac.tags.isrc == "USQX91300001"
    untagged = store.file_by_path(music / "Artist" / "Album" / "untagged.ac3")
    assert untagged is not None
    assert (untagged.tags.title, untagged.tags.artists, untagged.tags.album) == (
        "untagged", ("Artist",), "Album")  # fmt: skip
    assert untagged.tags.guessed == {"title", "artists", "album"}


def test_rescan_reads_only_what_changed(store: LibraryStore, music: Path) -> None:
    scan(store, [music])
    before = {row.path: row for row in store.files()}
    assert scan(store, [music]).files_read == 0
    album = music / "Artist" / "Album"
    changed = album / "sample.ogg"
    os.utime(changed, ns=(1_000_000_000, 2_000_000_000))
    summary = scan(store, [music])
    assert (summary.files_read, summary.files_unchanged) == (1, SAMPLES - 1)
    after = {row.path: row for row in store.files()}
    assert after[bytes(changed)].scanned_at > before[bytes(changed)].scanned_at
    assert (
        after[bytes(album / "sample.wv")].scanned_at
        == before[bytes(album / "sample.wv")].scanned_at
    )
    assert {row.id for row in after.values()} == {row.id for row in before.values()}


def test_vanished_files_are_marked_missing_not_deleted(store: LibraryStore, music: Path) -> None:
    scan(store, [music])
    gone = music / "Artist" / "Album" / "sample.flac"
    kept = gone.read_bytes()
    gone.unlink()
    summary = scan(store, [music])
    assert summary.missing == 1
    row = store.file_by_path(gone)
    assert row is not None and row.status == STATUS_MISSING and row.tags.title
    gone.write_bytes(kept)
    scan(store, [music])
    back = store.file_by_path(gone)
    assert back is not None and back.status == STATUS_OK and back.id == row.id


def test_symlinks_are_followed_once_and_loops_end(
    store: LibraryStore, music: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(music / "Artist" / "Album" / "sample.opus", elsewhere / "linked.opus")
    os.symlink(elsewhere, music / "link-to-elsewhere")
    os.symlink(music, music / "Artist" / "loop")  # a loop back to the root
    os.symlink(tmp_path / "nothing.mp3", music / "dangling.mp3")
    summary = scan(store, [music])
    assert summary.files_read == SAMPLES + 2
    assert summary.errors == 1
    dangling = store.file_by_path(music / "dangling.mp3")
    assert dangling is not None and dangling.error == "the link points to nothing"
    assert store.file_by_path(music / "link-to-elsewhere" / "linked.opus") is not None


def test_progress_and_files_are_reported(store: LibraryStore, music: Path) -> None:
    seen: list[ScanProgress] = []
    files: list[FileRow] = []
    scan(store, [music], progress=seen.append, on_file=files.append)
    assert seen[-1].files_done == seen[-1].files_total == SAMPLES
    assert seen[-1].files_per_s > 0
    assert any(p.current_folder.endswith("Album") for p in seen)
    assert len(files) == SAMPLES
    files.clear()
    scan(store, [music], on_file=files.append)
    assert len(files) == SAMPLES  # unchanged files are reported too


def test_worker_processes_read_the_same_as_one_process(
    store: LibraryStore, music: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_module, "INLINE_BELOW", 1)
    monkeypatch.setattr(scan_module, "CHUNK_FILES", 7)
    summary = scan(store, [music], workers=2)
    assert summary.files_read == SAMPLES
    pooled = {row.path: (row.tags, row.stream) for row in store.files()}
    from explorer.library.store import open_store

    with open_store(tmp_path / "inline.sqlite3") as inline:
        scan(inline, [music], workers=1)
        assert {row.path: (row.tags, row.stream) for row in inline.files()} == pooled


def test_cancel_stops_and_keeps_what_was_saved(
    store: LibraryStore, music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scan_module, "CHUNK_FILES", 5)
    cancel = threading.Event()

    def stop_after_first_batch(row: FileRow) -> None:
        cancel.set()

    summary = scan(store, [music], workers=1, on_file=stop_after_first_batch, cancel=cancel)
    assert summary.cancelled
    assert 5 <= summary.files_read < SAMPLES
    assert len(store.files()) == summary.files_read
    assert scan(store, [music]).files_read == SAMPLES - summary.files_read


def test_a_root_that_is_not_a_folder_is_a_known_error(store: LibraryStore, tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="not a folder"):
        scan(store, [tmp_path / "no-such-folder"])


def test_the_extension_list_covers_the_samples() -> None:
    names = [p.name for p in (Path(__file__).parent.parent / "data" / "audio").iterdir()]
    assert all(os.path.splitext(n)[1] in AUDIO_EXTENSIONS for n in names)


def test_a_scan_from_a_thread_uses_worker_processes_safely(
    store: LibraryStore, music: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GUI scans from a worker thread: the pool then starts by forkserver, not fork."""
    monkeypatch.setattr(scan_module, "INLINE_BELOW", 1)
    path = store.path
    results: list[object] = []

    def run() -> None:
        from explorer.library.store import open_store

        results.append(pool_context().get_start_method())
        with open_store(path) as own:  # one connection per thread
            results.append(scan(own, [music], workers=2))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    method, summary = results
    assert method == "forkserver"
    assert summary.files_read == SAMPLES  # type: ignore[attr-defined]


def test_a_folder_given_twice_is_scanned_once(store: LibraryStore, music: Path) -> None:
    once = scan(store, [music]).files_seen
    summary = scan(store, [music, str(music) + "/", music / "."], workers=1)
    assert (summary.roots, summary.files_seen) == (1, once)


@pytest.mark.parametrize(
    ("sample", "name", "fmt"),
    [("untagged.ac3", "dolby.eac3", "ac3"), ("aac.m4a", "phone.3g2", "m4a")],
)
def test_eac3_and_3g2_files_are_read(
    store: LibraryStore, tmp_path: Path, sample: str, name: str, fmt: str
) -> None:
    """Mutagen reads them (E-AC-3 as AC-3, 3GPP2 as MP4); they were skipped silently."""
    folder = tmp_path / "music"
    folder.mkdir()
    shutil.copy(Path(__file__).parent.parent / "data" / "audio" / sample, folder / name)
    summary = scan(store, [folder])
    assert summary.files_read == 1
    (row,) = store.files()
    assert row.status == STATUS_OK and row.stream is not None
    assert row.stream.format == fmt


def test_a_folder_inside_a_root_is_not_read_again(store: LibraryStore, music: Path) -> None:
    """Adding ~/Music/Artist after ~/Music (or the other way round) reads no file twice,
    and a file gone from the inner folder is missing whichever root is scanned."""
    first = scan(store, [music])
    inner = music / "Artist"
    summary = scan(store, [inner])
    assert (summary.files_read, summary.files_unchanged) == (0, first.files_seen)
    assert scan(store, [music]).files_read == 0
    sibling = music.parent / "music-2"  # a name that sorts right after the root's: not in it
    shutil.copytree(music / "Artist", sibling / "Artist")
    assert scan(store, [sibling]).files_read == first.files_seen
    gone = inner / "Album" / "sample.flac"
    gone.unlink()
    assert scan(store, [inner]).missing == 1
    assert scan(store, [music]).missing == 0  # already said
    assert scan(store, [sibling]).files_read == 0
