"""Adding music: folders or files scanned and matched in one call, empty folders named,
cancel keeping what was done, and a root forgotten with its files and decisions."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.catalog import Catalog, open_catalog
from explorer.demo.library import (
    DEMO_LIBRARY_ALBUMS,
    LibraryFile,
    ensure_demo_library,
    write_demo_library,
)
from explorer.errors import KnownError
from explorer.library.store import LibraryStore, open_store
from explorer.matching.add_music import (
    AddProgress,
    AddSummary,
    add_music,
    music_folders,
    summary_sentence,
)
from explorer.matching.links import Links
from explorer.matching.run import BATCH_FILES


@pytest.fixture(scope="module")
def catalog(indexed_catalog_path: Path) -> Iterator[Catalog]:
    with open_catalog(indexed_catalog_path) as opened:
        yield opened


@pytest.fixture(scope="module")
def library(
    catalog: Catalog, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[LibraryFile]]:
    folder = tmp_path_factory.mktemp("music")
    return folder, write_demo_library(catalog, folder, albums=4, seed=5)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    with open_store(tmp_path / "store" / "library.sqlite3") as opened:
        yield opened


def test_a_folder_is_scanned_and_matched(
    store: LibraryStore, catalog: Catalog, library: tuple[Path, list[LibraryFile]]
) -> None:
    folder, truth = library
    seen: list[AddProgress] = []
    summary = add_music(store, catalog, [folder], workers=0, progress=seen.append)
    assert summary.scanned == len(truth)
    assert summary.matched + summary.review + summary.unmatched + summary.errors == len(truth)
    assert summary.matched > 0 and not summary.cancelled and summary.empty == ()
    assert {state.phase for state in seen} >= {"scan", "match"}
    assert seen[-1].phase == "match" and seen[-1].done == seen[-1].total == len(truth)
    [root] = store.root_summaries()
    assert root.files == len(truth) and root.decisions == 0


def test_a_second_addition_keeps_the_users_decisions(
    store: LibraryStore, catalog: Catalog, library: tuple[Path, list[LibraryFile]]
) -> None:
    folder, truth = library
    add_music(store, catalog, [folder], workers=0)
    file_id = store.files(limit=1)[0].id
    Links(store).decide(file_id, "rejected")
    again = add_music(store, catalog, [folder], workers=0)
    assert again.kept == 1 and again.scanned == len(truth)
    assert store.root_summaries()[0].decisions == 1


def test_a_file_adds_its_folder(
    store: LibraryStore, catalog: Catalog, library: tuple[Path, list[LibraryFile]]
) -> None:
    _folder, truth = library
    one = truth[0].path
    summary = add_music(store, catalog, [one, one.parent], workers=0)
    assert summary.folders == (str(one.parent),)
    assert summary.scanned == sum(1 for item in truth if item.path.parent == one.parent)


def test_a_folder_without_audio_is_named_and_not_kept(
    store: LibraryStore, catalog: Catalog, tmp_path: Path
) -> None:
    empty = tmp_path / "Empty folder"
    empty.mkdir()
    (empty / "notes.txt").write_text("no music here")
    summary = add_music(store, catalog, [empty])
    assert summary == AddSummary((str(empty),), empty=(str(empty),), seconds=summary.seconds)
    assert summary_sentence(summary) == f"No audio found in {empty}."
    assert store.roots() == []


def test_a_missing_path_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="neither a folder nor a file"):
        music_folders([tmp_path / "gone"])


@pytest.fixture(scope="module")
def big_library(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More files than the matcher writes in one batch (its progress comes per batch)."""
    folder = tmp_path_factory.mktemp("big")
    truth = write_demo_library(catalog, folder, albums=40, seed=9)
    assert len(truth) > BATCH_FILES
    return folder


@pytest.mark.parametrize("phase", ["scan", "match"])
def test_cancel_keeps_what_was_done(
    store: LibraryStore, catalog: Catalog, big_library: Path, phase: str
) -> None:
    total = sum(1 for _ in big_library.rglob("*.flac"))
    cancel = threading.Event()

    def stop(state: AddProgress) -> None:
        if state.phase == phase and state.total:
            cancel.set()

    summary = add_music(store, catalog, [big_library], workers=0, progress=stop, cancel=cancel)
    assert summary.cancelled and summary.empty == ()
    assert summary_sentence(summary).endswith("Cancelled; what was done so far is kept.")
    decided = summary.matched + summary.review + summary.unmatched + summary.errors
    if phase == "scan":
        assert summary.scanned < total and decided == 0
        assert [item.root.display for item in store.root_summaries()] == [str(big_library)]
    else:
        assert summary.scanned == total and 0 < decided < total
        # the links written before the cancel stay
        assert len(Links(store).page(limit=10_000)) == decided


@pytest.mark.parametrize(
    ("summary", "sentence"),
    [
        (
            AddSummary(("/m",), scanned=1, matched=1),
            "1 file scanned: 1 matched, 0 to review, 0 unmatched, 0 errors.",
        ),
        (
            AddSummary(("/m",), scanned=3, review=1, unmatched=1, errors=1, kept=2),
            "3 files scanned: 0 matched, 1 to review, 1 unmatched, 1 error, 2 kept as you decided.",
        ),
        (
            AddSummary(("/a", "/b"), scanned=2, matched=2, empty=("/b",)),
            "No audio found in /b. 2 files scanned: 2 matched, 0 to review, 0 unmatched, 0 errors.",
        ),
    ],
)
def test_summary_sentences(summary: AddSummary, sentence: str) -> None:
    assert summary_sentence(summary) == sentence


def test_removing_a_root_forgets_its_files_links_and_history(
    store: LibraryStore, catalog: Catalog, library: tuple[Path, list[LibraryFile]], tmp_path: Path
) -> None:
    folder, truth = library
    other = tmp_path / "other"
    shutil.copytree(truth[0].path.parent, other)
    add_music(store, catalog, [folder, other], workers=0)
    links = Links(store)
    kept_file = store.file_by_path(next(other.iterdir()))
    assert kept_file is not None
    links.decide(kept_file.id, "rejected")
    gone = store.files(limit=1)[0]
    links.decide(gone.id, "accepted", track_id=truth[0].track_id)
    first, second = store.root_summaries()
    assert first.decisions == 1 and second.decisions == 1
    assert store.remove_root(first.root.id) == first.files
    assert [item.root.id for item in store.root_summaries()] == [second.root.id]
    assert links.get(gone.id) is None and links.history(gone.id) == []
    assert links.get(kept_file.id) is not None and links.history(kept_file.id)
    assert (folder / truth[0].path.relative_to(folder)).exists()  # nothing deleted on disk


def test_the_demo_library_is_written_once(catalog: Catalog, tmp_path: Path) -> None:
    target = tmp_path / "demo" / "library"
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "library.partial").mkdir()  # an interrupted write
    assert ensure_demo_library(catalog, target) == target
    files = sorted(target.rglob("*.flac"))
    assert len({path.parent for path in files}) == DEMO_LIBRARY_ALBUMS
    assert not (tmp_path / "demo" / "library.partial").exists()
    stamp = files[0].stat().st_mtime_ns
    assert ensure_demo_library(catalog, target) == target
    assert files[0].stat().st_mtime_ns == stamp and sorted(target.rglob("*.flac")) == files
