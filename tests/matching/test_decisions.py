"""The decision rules shared by the window and `explorer decide`, on a matched demo library."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.demo.library import write_demo_library
from explorer.errors import KnownError
from explorer.library.scan import scan
from explorer.library.store import LibraryStore, open_store
from explorer.matching import decisions
from explorer.matching.links import Links
from explorer.matching.run import match_library


@pytest.fixture
def store(indexed_catalog_path: Path, tmp_path: Path) -> Iterator[LibraryStore]:
    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, tmp_path / "music", albums=2, seed=7)
        with open_store(tmp_path / "store.sqlite3") as opened:
            scan(opened, [tmp_path / "music"])
            match_library(opened, catalog)
            yield opened


def _linked(store: LibraryStore) -> int:
    return next(link.file_id for link in Links(store).page() if link.track_id is not None)


@pytest.mark.parametrize(("action", "status"), [("accept", "accepted"), ("reject", "rejected")])
def test_a_decision_is_kept_and_undone_and_redone(
    store: LibraryStore, action: str, status: str
) -> None:
    file_id = _linked(store)
    before = Links(store).get(file_id)
    assert before is not None and before.status == "auto"
    decisions.decide(store, file_id, action)
    assert (decisions.link_of(store, file_id) or before).status == status
    step = decisions.undo(store)
    assert step is not None and step.file_id == file_id and step.said.startswith("Undone")
    assert (decisions.link_of(store, file_id) or before).status == "auto"
    step = decisions.redo(store)
    assert step is not None and step.said.startswith("Redone")
    assert (decisions.link_of(store, file_id) or before).status == status


def test_nothing_to_undo_is_none(store: LibraryStore) -> None:
    assert decisions.undo(store) is None
    assert decisions.redo(store) is None


@pytest.mark.parametrize(
    ("action", "said"),
    [
        ("accept-everything", "Unknown decision"),
        ("pick", "Name the track"),
        ("manual", "Name the track"),
    ],
)
def test_refused_decisions_say_why(store: LibraryStore, action: str, said: str) -> None:
    with pytest.raises(KnownError, match=said):
        decisions.decide(store, _linked(store), action)


def test_a_file_without_a_link_cannot_be_accepted(store: LibraryStore) -> None:
    file_id = _linked(store)
    decisions.decide(store, file_id, "unlink")
    with pytest.raises(KnownError, match="no link to accept"):
        decisions.decide(store, file_id, "accept")


def test_a_file_gone_from_the_library_is_said(store: LibraryStore) -> None:
    with pytest.raises(KnownError, match="no longer in the library"):
        decisions.decide(store, 10**9, "reject")


@pytest.mark.parametrize("threshold", [-0.1, 1.5, True, float("nan")])
def test_accept_all_refuses_a_confidence_outside_0_to_1(
    store: LibraryStore, threshold: float
) -> None:
    with pytest.raises(KnownError, match="from 0 to 1"):
        decisions.count_acceptable(store, threshold)


def test_accept_all_accepts_what_it_counted_in_one_undo_step(store: LibraryStore) -> None:
    count = decisions.count_acceptable(store, 0.5)
    assert count > 1
    assert decisions.accept_all(store, 0.5) == count
    assert decisions.count_acceptable(store, 0.5) == 0
    step = decisions.undo(store)
    assert step is not None and f"{count:,} files" in step.said
    assert decisions.count_acceptable(store, 0.5) == count


def test_a_file_is_found_by_path_or_id(store: LibraryStore) -> None:
    file = store.files(limit=1)[0]
    assert decisions.find_file(store, file.display) == file.id
    assert decisions.find_file(store, str(file.id)) == file.id
    with pytest.raises(KnownError, match="not a file of your library"):
        decisions.find_file(store, "/no/such/file.mp3")


def test_a_picked_candidate_keeps_its_own_score(store: LibraryStore) -> None:
    """Issue 19: after "pick this one" the list showed 1.00 for a track that scored less."""
    links = Links(store)
    picked = next(
        (link.file_id, candidate)
        for link in links.page()
        for candidate in [*(link.detail.get("alternatives") or []), link.detail.get("runner_up")]
        if isinstance(candidate, dict) and candidate.get("score", 1.0) < 1.0
    )
    file_id, candidate = picked
    decisions.decide(
        store,
        file_id,
        "pick",
        track_id=candidate["track_id"],
        album_id=candidate["album_id"],
        isrc=candidate["isrc"],
    )
    link = decisions.link_of(store, file_id)
    assert link is not None and link.status == "manual"
    assert link.confidence == pytest.approx(candidate["score"])


def test_a_link_by_hand_is_sure(store: LibraryStore, indexed_catalog_path: Path) -> None:
    file_id = _linked(store)
    other = next(link.track_id for link in Links(store).page() if link.file_id != file_id)
    with open_catalog(indexed_catalog_path) as catalog:
        decisions.decide(store, file_id, "manual", track_id=other, catalog=catalog)
    link = decisions.link_of(store, file_id)
    assert link is not None and link.confidence == 1.0 and link.track_id == other
