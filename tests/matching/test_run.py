"""Matching a scanned demo library: every damage type, user decisions kept, undo and redo."""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.catalog import Catalog, open_catalog
from explorer.demo.library import DAMAGE_SHARES, LibraryFile, write_demo_library
from explorer.library.scan import scan
from explorer.library.store import FileTagsRow, LibraryStore, open_store
from explorer.matching.facts import FileFacts
from explorer.matching.links import Links
from explorer.matching.matcher import Matcher
from explorer.matching.review import explained, file_by_id
from explorer.matching.run import (
    WORKERS_MAX,
    WORKERS_MAX_COLD,
    WRITER_GC_THRESHOLD,
    cgroup_memory_limit,
    default_workers,
    facts_of,
    match_library,
    memory_bytes,
    stored_facts,
)
from explorer.matching.score import score_track

# Share of files that must link to the right recording (matched or sent to review).
LEAST_RECALL = {"typo": 0.8, "ascii": 0.8}
DEFAULT_RECALL = 0.9


@dataclass
class Matched:
    catalog: Catalog
    store: LibraryStore
    truth: dict[bytes, LibraryFile]
    store_path: Path


@pytest.fixture(scope="module")
def matched(
    indexed_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Matched]:
    folder = tmp_path_factory.mktemp("library")
    catalog = open_catalog(indexed_catalog_path)
    truth = write_demo_library(catalog, folder, albums=45, seed=11)
    store_path = tmp_path_factory.mktemp("store") / "library.sqlite3"
    store = open_store(store_path)
    scan(store, [folder])
    summary = match_library(store, catalog)
    assert summary.files == len(truth)
    yield Matched(catalog, store, {os.fsencode(f.path): f for f in truth}, store_path)
    store.close()
    catalog.close()


def _outcomes(m: Matched) -> dict[str, Counter[str]]:
    links = Links(m.store)
    by_damage: dict[str, Counter[str]] = {}
    for row in m.store.files(limit=10_000):
        truth = m.truth[row.path]
        link = links.get(row.id)
        assert link is not None
        right = link.track_id is not None and (
            link.track_id == truth.track_id or (link.isrc is not None and link.isrc == truth.isrc)
        )
        by_damage.setdefault(truth.damage, Counter())[
            f"{link.decision}-{'right' if right else 'wrong'}"
        ] += 1
    return by_damage


@pytest.mark.parametrize("damage", sorted(DAMAGE_SHARES))
def test_each_damage_type(matched: Matched, damage: str) -> None:
    outcome = _outcomes(matched).get(damage)
    if outcome is None:
        pytest.fail(f"the demo library has no {damage} files")
    total = sum(outcome.values())
    assert outcome["matched-wrong"] == 0, outcome  # precision of what is applied unasked
    right = outcome["matched-right"] + outcome["review-right"]
    assert right / total >= LEAST_RECALL.get(damage, DEFAULT_RECALL), outcome


def test_every_decision_has_a_reason_and_a_breakdown(matched: Matched) -> None:
    for link in Links(matched.store).page(limit=10_000):
        assert link.reason
        assert 0.0 <= link.confidence <= 1.0 and link.margin >= 0.0
        if link.decision != "unmatched":
            assert link.detail["best"]["track_id"] == link.track_id, link
            assert link.method in ("isrc", "id-tag", "text", "album")


def test_albums_land_on_one_release(matched: Matched) -> None:
    links = Links(matched.store)
    by_folder: dict[str, set[str]] = {}
    for row in matched.store.files(limit=10_000):
        link = links.get(row.id)
        if link and link.decision == "matched" and matched.truth[row.path].damage == "clean":
            by_folder.setdefault(row.folder, set()).add(link.album_id or "")
    assert by_folder and all(len(albums) == 1 for albums in by_folder.values())


def test_a_run_collects_garbage_less_often_and_sets_it_back(matched: Matched) -> None:
    """While a run lasts, the writing process's collector runs at WRITER_GC_THRESHOLD;
    after it, at the thresholds it had before (an error ends it the same way)."""
    import gc

    before = gc.get_threshold()
    seen: set[tuple[int, int, int]] = set()
    try:
        gc.set_threshold(900, 11, 12)
        match_library(
            matched.store,
            matched.catalog,
            workers=0,
            on_file=lambda outcome: seen.add(gc.get_threshold()),
        )
        assert seen == {WRITER_GC_THRESHOLD}
        assert gc.get_threshold() == (900, 11, 12)

        def fail(outcome: object) -> None:
            raise RuntimeError("stop")

        with pytest.raises(RuntimeError):
            match_library(matched.store, matched.catalog, workers=0, on_file=fail)
        assert gc.get_threshold() == (900, 11, 12)
    finally:
        gc.set_threshold(*before)


def test_rerun_never_overrides_user_decisions(matched: Matched) -> None:
    links = Links(matched.store)
    rows = matched.store.files(limit=3)
    accepted = links.decide(rows[0].id, "accepted")
    rejected = links.decide(rows[1].id, "rejected")
    manual = links.decide(rows[2].id, "manual", track_id="0000000000000000000abc", album_id=None)
    summary = match_library(matched.store, matched.catalog)
    assert summary.kept == 3
    assert links.get(rows[0].id) == accepted
    assert links.get(rows[1].id) == rejected
    assert links.get(rows[2].id) == manual
    for _ in rows:  # leave the module's library as it was
        links.undo()
    assert all(not (link.user_decided) for link in links.page(limit=10_000))


def test_undo_redo_survive_a_restart(matched: Matched) -> None:
    links = Links(matched.store)
    row = matched.store.files(limit=1)[0]
    before = links.get(row.id)
    links.decide(row.id, "rejected")
    links.unlink(row.id)
    assert links.get(row.id) is None
    with open_store(matched.store_path) as again:  # a new process would see the same
        other = Links(again)
        assert other.undo() is not None  # the unlink
        rejected = other.get(row.id)
        assert rejected is not None and rejected.status == "rejected"
        assert other.undo() is not None  # the rejection
        assert other.get(row.id) == before
        assert other.redo() is not None
        redone = other.get(row.id)
        assert redone is not None and redone.status == "rejected"
        assert other.undo() is not None
        assert [h.action for h in other.history(row.id)][-2:] == ["rejected", "unlink"]
    assert links.get(row.id) == before


def test_accept_all_changes_exactly_the_previewed_rows(matched: Matched) -> None:
    links = Links(matched.store)
    before = {link.file_id: link for link in links.page(limit=10_000)}
    wanted = {
        fid
        for fid, link in before.items()
        if link.status == "auto"
        and link.decision in ("matched", "review")
        and link.track_id
        and link.confidence >= 0.95
    }
    preview = links.count_acceptable(0.95)
    assert preview == len(wanted) > 0
    assert links.accept_all(0.95) == preview
    after = {link.file_id: link for link in links.page(limit=10_000)}
    changed = {fid for fid in after if after[fid].status != before[fid].status}
    assert changed == wanted and all(after[fid].status == "accepted" for fid in changed)
    links.undo()  # one undo takes the whole batch back
    assert {link.file_id: link.status for link in links.page(limit=10_000)} == {
        fid: link.status for fid, link in before.items()
    }
    links.redo()
    assert all(links.get(fid).status == "accepted" for fid in wanted)  # type: ignore[union-attr]
    links.undo()


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("status:matched", lambda row: row.status == "matched"),
        ("format:flac", lambda row: True),
        ("confidence<0.99", lambda row: row.confidence is not None and row.confidence < 0.99),
        ("confidence>=0.99", lambda row: row.confidence is not None and row.confidence >= 0.99),
    ],
)
def test_library_filters(matched: Matched, text: str, check: object) -> None:
    from explorer.matching.review import library_page

    rows, more = library_page(matched.store, text=text, limit=10_000)
    assert not more
    assert all(check(row) for row in rows)  # type: ignore[operator]
    everything, _ = library_page(matched.store, limit=10_000)
    expected = [row for row in everything if check(row)]  # type: ignore[operator]
    assert [row.file_id for row in rows] == [row.file_id for row in expected]


def test_library_sorted_by_confidence_pages_on(matched: Matched) -> None:
    from explorer.matching.review import library_page

    first, more = library_page(matched.store, text="sort:confidence", limit=20)
    second, _ = library_page(matched.store, text="sort:confidence", after=first[-1], limit=20)
    assert more and not {r.file_id for r in first} & {r.file_id for r in second}
    values = [r.confidence or 0.0 for r in first + second]
    assert values == sorted(values)


def test_library_folder_filter(matched: Matched) -> None:
    from explorer.matching.review import library_page

    some = matched.store.files(limit=1)[0]
    rows, _ = library_page(
        matched.store, text=f"folder:{some.folder.rsplit('/', 1)[-1]}", limit=10_000
    )
    assert rows and all(r.path.startswith(some.folder) for r in rows)


def _links_by_path(store: LibraryStore) -> dict[bytes, tuple[object, ...] | None]:
    links = Links(store)
    found: dict[bytes, tuple[object, ...] | None] = {}
    for row in store.files(limit=10_000):
        link = links.get(row.id)
        found[row.path] = (
            (
                link.track_id,
                link.decision,
                link.confidence,
                link.method,
                link.reason,
                json.dumps(link.detail, sort_keys=True),
                [
                    (h.actor, h.action, json.dumps(h.after.detail if h.after else None))
                    for h in links.history(row.id)
                ],
            )
            if link
            else None
        )
    return found


def test_worker_processes_give_the_same_links(indexed_catalog_path: Path, tmp_path: Path) -> None:
    import threading

    from explorer.errors import CancelledError

    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, tmp_path / "music", albums=10, seed=5)
        stores = [open_store(tmp_path / f"store{i}.sqlite3") for i in range(3)]
        try:
            for store in stores:
                scan(store, [tmp_path / "music"])
            serial = match_library(stores[0], catalog, workers=0)
            seen: list[str] = []
            parallel = match_library(
                stores[1], catalog, workers=2, progress=lambda p: seen.append(p.folder)
            )
            assert (parallel.matched, parallel.review, parallel.unmatched) == (
                serial.matched,
                serial.review,
                serial.unmatched,
            )
            assert _links_by_path(stores[1]) == _links_by_path(stores[0])
            assert seen == sorted(set(seen), key=seen.index)  # folders written in order
            assert len(seen) == len(stores[1].folders())

            cancel = threading.Event()
            with pytest.raises(CancelledError):
                match_library(
                    stores[2], catalog, workers=2, cancel=cancel, progress=lambda _: cancel.set()
                )
            written = [v for v in _links_by_path(stores[2]).values() if v is not None]
            assert 0 < len(written) < serial.files  # the first folder was kept, then it stopped
        finally:
            for store in stores:
                store.close()


def test_a_worker_that_cannot_start_is_a_clear_error(
    demo_catalog_path: Path, tmp_path: Path
) -> None:
    """The catalog vanishes (an unplugged drive) after the run began: one sentence, no crash."""
    import shutil

    from explorer.errors import KnownError

    copy = tmp_path / "catalog.sqlite3"
    shutil.copy(demo_catalog_path, copy)
    catalog = open_catalog(copy)
    try:
        write_demo_library(catalog, tmp_path / "music", albums=2, seed=9)
        store = open_store(tmp_path / "store.sqlite3")
        scan(store, [tmp_path / "music"])
        copy.unlink()
        with pytest.raises(KnownError, match="stopped unexpectedly"):
            match_library(store, catalog, workers=2)
        store.close()
    finally:
        catalog.close()


def test_no_candidate_keeps_its_breakdown(matched: Matched) -> None:
    """The review computes the linked track's fields when it shows them (see the next
    test); every candidate is stored by name and score."""
    links = Links(matched.store)
    details = [link.detail for link in links.page(limit=10_000)]
    with_others = [d for d in details if d.get("runner_up") or d.get("alternatives")]
    assert with_others
    for detail in details:
        for candidate in [
            detail.get("best"),
            detail.get("runner_up"),
            *detail.get("alternatives", []),
        ]:
            if candidate:
                assert "fields" not in candidate and candidate["name"] and "score" in candidate


def test_the_review_explains_a_link_as_the_matching_run_scored_it(matched: Matched) -> None:
    """The linked track's breakdown, computed when the review opens it (from the file's
    stored tags and the catalog's track), is the one the matching run's score had (which
    the links table kept before), and adds up to the confidence the run decided with."""
    links = Links(matched.store)
    matcher = Matcher(matched.catalog)
    explained_files = 0
    for folder in matched.store.folders():
        rows = matched.store.tags_in_folder(folder, after_id=0, limit=10_000)
        rows = [row for row in rows if row.status == "ok"]
        with matched.catalog.reading():
            results = matcher.match_files([stored_facts(row) for row in rows])
        for row, result in zip(rows, results, strict=True):
            link = links.get(row.id)
            file = file_by_id(matched.store, row.id)
            assert link is not None and file is not None
            shown = explained(link, file, matched.catalog)
            assert shown is not None
            if result.best is None:
                assert shown == link
                continue
            best = shown.detail["best"]
            assert best["track_id"] == result.best.track.id  # the same verdict again
            assert best["fields"] == [dataclasses.asdict(f) for f in result.best.score.fields]
            assert best["score"] == result.best.score.total
            # the run's total (a folder's score matrix) is the explanation's
            rescored = score_track(stored_facts(row), result.best.track)
            assert (rescored.total, rescored.fields) == (
                result.best.score.total,
                result.best.score.fields,
            )
            explained_files += 1
    assert explained_files > 100
    # without the catalog, the link is shown as stored: the names and scores
    link = links.page(limit=1)[0]
    file = file_by_id(matched.store, link.file_id)
    assert file is not None
    assert explained(link, file, None) == link
    # a store written before kept the breakdown: it is shown as kept
    best = {**link.detail["best"], "fields": [{"field": "title", "similarity": 0.5}]}
    old = dataclasses.replace(link, detail={**link.detail, "best": best})
    assert explained(old, file, matched.catalog) == old


def test_the_matchers_history_keeps_verdicts_without_their_detail(matched: Matched) -> None:
    """The links row holds the detail; the matcher's history rows keep only the verdict
    (undo and redo restore users' decisions, whose rows keep the link whole)."""
    links = Links(matched.store)
    row = matched.store.files(limit=3)[2]
    link = links.get(row.id)
    assert link is not None and link.detail.get("best")
    [entry] = [h for h in links.history(row.id) if h.actor == "matcher"]
    assert entry.after is not None and entry.after.detail == {}
    assert (entry.after.track_id, entry.after.confidence, entry.after.reason) == (
        link.track_id,
        link.confidence,
        link.reason,
    )
    links.decide(row.id, "accepted")
    [decision] = [h for h in links.history(row.id) if h.actor == "user"]
    assert decision.before == link  # whole, detail included
    assert links.undo() is not None
    assert links.get(row.id) == link


def test_a_cancelled_run_in_one_process_keeps_what_it_matched(
    indexed_catalog_path: Path, tmp_path: Path
) -> None:
    """Matched folders wait to be written in batches: a cancel writes the ones waiting."""
    import threading

    from explorer.errors import CancelledError

    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, tmp_path / "music", albums=8, seed=6)
        store = open_store(tmp_path / "store.sqlite3")
        try:
            scan(store, [tmp_path / "music"])
            folders = store.folders()
            cancel = threading.Event()
            seen: list[str] = []

            def on_file(outcome: object) -> None:
                seen.append("x")

            original = store.tags_in_folder

            def tags_in_folder(folder: str, **kwargs: int) -> list[FileTagsRow]:
                if folder == folders[3]:
                    cancel.set()  # while the fourth folder is listed
                return original(folder, **kwargs)

            store.tags_in_folder = tags_in_folder  # type: ignore[method-assign]
            with pytest.raises(CancelledError):
                match_library(store, catalog, workers=0, cancel=cancel, on_file=on_file)
            written = [v for v in _links_by_path(store).values() if v is not None]
            in_three = sum(len(store.files_in_folder(f)) for f in folders[:3])
            assert len(written) == in_three == len(seen) > 0  # the first three folders
        finally:
            store.close()


def test_the_lean_read_gives_the_facts_of_the_whole_row(matched: Matched) -> None:
    """The matcher reads a folder's files without decoding their whole rows: the facts
    are the same as those of the whole rows, for every file of every damage type."""
    compared = 0
    for folder in matched.store.folders():
        whole = {row.id: facts_of(row) for row in matched.store.files_in_folder(folder)}
        lean = matched.store.tags_in_folder(folder)
        assert [row.id for row in lean] == list(whole)
        for row in lean:
            assert stored_facts(row) == whole[row.id]
            compared += 1
    assert compared == len(matched.truth)


@pytest.mark.parametrize(
    ("tags", "duration", "expected"),
    [
        ("not json", 200.5, FileFacts(duration_ms=200_500)),
        ("{}", float("inf"), FileFacts()),  # a length no stream has
        ("[1, 2]", None, FileFacts()),
        ("", 0.0, FileFacts()),
        (
            json.dumps({"title": 7, "artists": "A", "album": ["x"], "track_number": "3",
                        "year": 1999.5, "disc_number": True, "isrc": None}),
            None,
            FileFacts(),
        ),
        (
            json.dumps({"title": "T", "artists": ["A", 5, "B"], "album_artists": [None, "C", "D"],
                        "track_number": 3, "guessed": ["title"], "barcode": "123"}),
            61.0,
            FileFacts(title="T", artists=("A", "B"), album_artist="C", track_number=3,
                      duration_ms=61_000, barcode="123", guessed=True),
        ),
    ],
)  # fmt: skip
def test_damaged_stored_tags_count_as_absent(
    tmp_path: Path, tags: str, duration: float | None, expected: FileFacts
) -> None:
    """A store's tags that are no JSON object, or values of the wrong type, are read as
    missing: the file is matched on what is left, and the run goes on."""
    store = open_store(tmp_path / "store.sqlite3")
    try:
        (root_id,) = store.db.execute_sql(
            "INSERT INTO roots (path, display, added_at) VALUES (?, ?, 0) RETURNING id",
            (b"/m", "/m"),
        ).fetchone()
        store.db.execute_sql(
            "INSERT INTO files (root_id, path, display, folder, size, mtime_ns, status, "
            "duration_s, tags, stream, first_seen_at, scanned_at) "
            "VALUES (?, ?, ?, ?, 1, 1, 'ok', ?, ?, '{}', 0, 0)",
            (root_id, b"/m/a.flac", "/m/a.flac", "/m", duration, tags),
        )
        (row,) = store.tags_in_folder("/m")
        assert stored_facts(row) == expected
    finally:
        store.close()


def test_the_statements_of_a_run(indexed_catalog_path: Path, tmp_path: Path) -> None:
    """The store's and the catalog's statements of a run, traced. The links are written
    without savepoints: the matcher records folder after folder in one transaction, and a
    savepoint per folder made SQLite copy every page the inserts changed to a sub-journal
    (twice the cost). Each folder reads the catalog in one read transaction, not one per
    statement, for each of which SQLite locks and checks the file (9 system calls a file
    at 10 M tracks)."""
    with open_catalog(indexed_catalog_path) as catalog:
        write_demo_library(catalog, tmp_path / "music", albums=4, seed=6)
        store = open_store(tmp_path / "store.sqlite3")
        try:
            scan(store, [tmp_path / "music"])
            writes: list[str] = []
            reads: list[str] = []
            store.db.connection().set_trace_callback(writes.append)
            catalog.connection().set_trace_callback(reads.append)
            summary = match_library(store, catalog, workers=0)
            store.db.connection().set_trace_callback(None)
            catalog.connection().set_trace_callback(None)
            assert summary.matched + summary.review > 0
            assert any(s.startswith("INSERT OR REPLACE INTO links") for s in writes)
            assert not [s for s in writes if "SAVEPOINT" in s.upper()]
            begins = reads.count("BEGIN")
            assert begins == len(store.folders())
            assert reads.count("COMMIT") == begins
            assert len([s for s in reads if s.startswith("SELECT")]) > 5 * begins
        finally:
            store.close()


@pytest.mark.parametrize(
    ("share_of_memory", "per_core", "most"),
    [
        (0.0, 1, WORKERS_MAX),  # nothing to read from the disk
        (0.25, 1, WORKERS_MAX),  # a catalog the page cache holds: CPU-bound
        (4.0, 2, WORKERS_MAX_COLD),  # larger than memory: its reads wait on the disk
    ],
)
def test_workers_per_core_follow_what_the_memory_holds(
    share_of_memory: float, per_core: int, most: int
) -> None:
    memory = memory_bytes()
    cores = os.cpu_count() or 1
    expected = max(1, min(most, per_core * cores))
    assert default_workers(int(share_of_memory * memory)) == expected


def test_memory_is_at_most_the_machines() -> None:
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert 0 < memory_bytes() <= physical


_V1 = "12:pids:/user.slice\n4:memory:/box/job\n1:name=systemd:/box/job\n"
_V2 = "0::/box/job\n"


@pytest.mark.parametrize(
    ("own", "files", "expected"),
    [
        (_V2, {"box/job/memory.max": "700000000"}, 700_000_000),
        (_V2, {"box/job/memory.max": "max", "box/memory.max": "2000000000"}, 2_000_000_000),
        (_V2, {"box/job/memory.max": "3000", "box/memory.max": "2000"}, 2000),  # the lowest
        (_V2, {"box/job/memory.max": "max"}, 0),  # no limit
        (_V2, {}, 0),  # no such group mounted here (another namespace)
        ("0::/\n", {"memory.max": "5000"}, 5000),  # a container sees its group as the root
        (_V1, {"memory/box/job/memory.limit_in_bytes": "700000000"}, 700_000_000),
        (_V1, {"box/job/memory.max": "700000000"}, 0),  # v1 lists no unified group
        (_V2, {"box/job/memory.max": "garbage"}, 0),
        (_V2, {"box/job/memory.max": "-1"}, 0),
        ("0::/../x\n", {"../x/memory.max": "10", "memory.max": "5000"}, 5000),  # not above it
        ("", {"memory.max": "5000"}, 0),  # no cgroups listed
        ("\udcff", {}, 0),
    ],
)
def test_cgroup_memory_limit_reads_the_groups_limits(
    tmp_path: Path, own: str, files: dict[str, str], expected: int
) -> None:
    proc = tmp_path / "cgroup"
    proc.write_bytes(own.encode("utf-8", "surrogateescape"))
    root = tmp_path / "sys"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert cgroup_memory_limit(proc, root) == expected


def test_cgroup_memory_limit_without_cgroups(tmp_path: Path) -> None:
    assert cgroup_memory_limit(tmp_path / "missing", tmp_path) == 0


def test_the_progress_counts_the_files_of_the_roots_matched(
    indexed_catalog_path: Path, tmp_path: Path
) -> None:
    with open_catalog(indexed_catalog_path) as catalog:
        small = write_demo_library(catalog, tmp_path / "small", albums=1, seed=3)
        large = write_demo_library(catalog, tmp_path / "large", albums=3, seed=4)
        with open_store(tmp_path / "store.sqlite3") as store:
            scan(store, [tmp_path / "small", tmp_path / "large"])
            assert len(store.files(limit=10_000)) == len(small) + len(large)
            root = next(r for r in store.roots() if os.fsdecode(r.path).endswith("/small"))
            seen: list[tuple[int, int]] = []
            match_library(
                store,
                catalog,
                root_ids=[root.id],
                workers=0,
                progress=lambda p: seen.append((p.files_done, p.files_total)),
            )
    assert seen and seen[-1] == (len(small), len(small))


def _sigint_handler() -> object:
    import signal

    return signal.getsignal(signal.SIGINT)


def test_matching_workers_leave_ctrl_c_to_the_main_process(indexed_catalog_path: Path) -> None:
    """Killed by Ctrl+C in the middle of a queue operation, a worker left the pool's queue
    locked and the main process waiting for it at exit."""
    import signal
    from concurrent.futures import ProcessPoolExecutor

    from explorer.matching.run import _start_worker
    from explorer.processes import pool_context
    from explorer.search.engine import SearchEngine

    with open_catalog(indexed_catalog_path) as catalog:
        index = SearchEngine(catalog).index_path
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=pool_context(),
        initializer=_start_worker,
        initargs=(str(indexed_catalog_path), str(index), None),
    ) as pool:
        assert pool.submit(_sigint_handler).result(timeout=60) == signal.SIG_IGN


def test_a_damaged_catalog_is_named_by_the_matching_workers(
    indexed_catalog_path: Path, tmp_path: Path
) -> None:
    """Workers read the catalog without the per-statement check; a damaged page still
    ends the run with the catalog's sentence, not a bare SQLite error."""
    from explorer.errors import DamagedCatalogError
    from explorer.search.engine import SearchEngine
    from tests.damage import damage_middle_of

    damaged_path = tmp_path / "damaged.sqlite3"
    damage_middle_of("tracks", indexed_catalog_path, damaged_path)
    with open_catalog(indexed_catalog_path) as healthy:
        write_demo_library(healthy, tmp_path / "music", albums=30, seed=8)
        engine = SearchEngine(healthy)  # its index: the damaged copy's rows are the same
        with open_catalog(damaged_path) as damaged, open_store(tmp_path / "s.sqlite3") as store:
            scan(store, [tmp_path / "music"])
            with pytest.raises(DamagedCatalogError) as raised:
                match_library(store, damaged, engine=engine, workers=2)
    assert str(raised.value).startswith(f"The catalog '{damaged_path}' is damaged (")
