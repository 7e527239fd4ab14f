"""The review of one file (its link now, who decided it, what to pick) and the library filter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pytest

from explorer.catalog import Catalog
from explorer.catalog.records import TrackRow
from explorer.library.records import STATUS_ERROR, STATUS_OK, FileRead, StreamInfo, TrackTags
from explorer.library.store import FileRow, LibraryStore, open_store
from explorer.matching.decide import Candidate, MatchResult
from explorer.matching.facts import FileFacts
from explorer.matching.library_filter import (
    CONFIDENCE_PROBLEM,
    FOLDER_PROBLEM,
    SORT_PROBLEM,
    STATUS_PROBLEM,
    filter_problems,
    library_filter,
    pages_by_position,
    unknown_key_problem,
)
from explorer.matching.links import Links, verdict_of
from explorer.matching.review import explained, file_by_id, library_page
from explorer.matching.review_html import review_html
from explorer.matching.score import score_track


def _tracks(catalog: Catalog) -> list[TrackRow]:
    """Four catalog tracks of different names (so the review's text tells them apart)."""
    found: dict[str, TrackRow] = {}
    for track in catalog.tracks_by_rowids(range(1, 60)):
        found.setdefault(track.name, track)
    assert len(found) >= 4
    return list(found.values())[:4]


def _result(
    catalog: Catalog, status: str, confidence: float, reason: str, *, margin: float = 0.2
) -> MatchResult:
    """A verdict on real catalog tracks: the best, a runner-up first among the alternatives."""
    tracks = _tracks(catalog)
    facts = FileFacts(title=tracks[0].name, artists=(tracks[0].artists[0].name,))
    best, runner, *others = (Candidate(t, score_track(facts, t), "text") for t in tracks)
    return MatchResult(
        status,  # type: ignore[arg-type]
        confidence,
        margin,
        reason,
        "text",
        best,
        runner,
        (runner, *others),
    )


def _read(path: str, *, status: str = STATUS_OK, format: str = "flac") -> FileRead:
    return FileRead(
        path.encode(),
        10,
        1,
        status,
        None if status == STATUS_OK else "the header is damaged",
        stream=StreamInfo(format, duration_s=200.0) if status == STATUS_OK else None,
        tags=TrackTags(title=path.rsplit("/", 1)[-1]),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    with open_store(tmp_path / "library.sqlite3") as opened:
        yield opened


def _add(store: LibraryStore, read: FileRead) -> FileRow:
    root = store.add_root("/music")
    store.save_reads(root.id, [read])
    file = store.file_by_path(read.path)
    assert file is not None
    return file


# -- the review of one file -----------------------------------------------------------------


@dataclass
class Scene:
    """One file in a real store, its link as a case made it, and the words to look for."""

    file: FileRow
    words: dict[str, str]


def _scene(store: LibraryStore, catalog: Catalog, case: str) -> Scene:
    file = _add(store, _read("/music/Abba/Gold/01 Song.flac", status=_FILE_STATUS.get(case, "ok")))
    result = _result(catalog, *_VERDICTS.get(case, _VERDICTS["matched"]))
    if case not in _NOT_MATCHED:
        Links(store).record_matches([(file.id, verdict_of(result))])
    if case in _DECISIONS:
        _DECISIONS[case](store, file, result)
    assert result.best is not None and result.runner_up is not None
    again = file_by_id(store, file.id)
    assert again is not None
    return Scene(again, _words(file.id, result.best, result.runner_up))


def _words(file_id: int, best: Candidate, runner: Candidate) -> dict[str, str]:
    def shown(candidate: Candidate) -> str:
        track = candidate.track
        artists = ", ".join(a.name for a in track.artists)
        return f"{escape(artists)} – <b>{escape(track.name)}</b>"

    return {
        "best": shown(best),
        "runner": shown(runner),
        "pick_best": f"explorer://pick/{file_id}/{best.track.id}/",
        "pick_runner": f"explorer://pick/{file_id}/{runner.track.id}/",
        "accept": f"explorer://accept/{file_id}",
        "reject": f"explorer://reject/{file_id}",
        "unlink": f"explorer://unlink/{file_id}",
    }


def _accept(store: LibraryStore, file: FileRow, result: MatchResult) -> None:
    Links(store).decide(file.id, "accepted")


def _reject(store: LibraryStore, file: FileRow, result: MatchResult) -> None:
    Links(store).decide(file.id, "rejected")


def _pick_runner_up(store: LibraryStore, file: FileRow, result: MatchResult) -> None:
    """What "pick this one" on the runner-up does."""
    assert result.runner_up is not None
    track = result.runner_up.track
    album = track.album.id if track.album else None
    Links(store).decide(
        file.id, "manual", track_id=track.id, album_id=album, isrc=track.isrc, action="pick"
    )


def _link_by_hand(store: LibraryStore, file: FileRow, result: MatchResult) -> None:
    Links(store).decide(file.id, "manual", track_id="0" * 22, album_id="1" * 22)


def _gone(store: LibraryStore, file: FileRow, result: MatchResult) -> None:
    store.mark_missing([file.path])


# the matcher's verdict per case: status, confidence, reason (others: "matched")
_VERDICTS: dict[str, tuple[str, float, str]] = {
    "matched": ("matched", 0.97, "confident and clearly ahead"),
    "picked": ("review", 0.9, "two recordings too close to call (margin 0.01)"),
    "unmatched": ("unmatched", 0.32, "all candidates too far (best 0.32)"),
}
_VERDICTS["rejected"] = _VERDICTS["accepted"] = _VERDICTS["review"] = _VERDICTS["picked"]
_NOT_MATCHED = {"no link", "error"}  # the matcher never links a file it could not read
_FILE_STATUS = {"error": STATUS_ERROR}
_DECISIONS: dict[str, Callable[[LibraryStore, FileRow, MatchResult], None]] = {
    "accepted": _accept,
    "rejected": _reject,
    "picked": _pick_runner_up,
    "by hand": _link_by_hand,
    "missing": _gone,
}

REVIEWS = [
    (
        "matched",
        [
            "<b>matched</b> — confidence 0.97, margin 0.20, by text: confident and clearly ahead",
            "<h3>Linked: {best}",
            ">field</th>",
            "Accept (A)",
            "Reject (R)",
            "{unlink}",
            "<h3>Runner-up</h3><p>{runner}",
            "{pick_runner}",
        ],
        ["decided by you", "{pick_best}", "Best candidate"],
    ),
    (
        "review",  # the matcher's doubt: suggested, not linked until accepted (issue 19)
        [
            "<b>review</b> — confidence 0.90",
            "<h3>Suggested: {best}",
            "Accept (A)",
            "{pick_runner}",
        ],
        ["<h3>Linked", "decided by you"],
    ),
    (
        "accepted",
        [
            "<b>accepted</b> — decided by you; the matcher said: review, confidence 0.90, "
            "margin 0.20, by text: two recordings too close to call (margin 0.01)",
            "<h3>Linked (accepted by you): {best}",
            ">field</th>",
            "{pick_runner}",
        ],
        ["<h3>Linked: ", "{pick_best}", "The matcher's choice"],
    ),
    (
        "picked",
        [
            "<b>manual</b> — decided by you; the matcher said: review: two recordings too "
            "close to call (margin 0.01)",
            "<h3>Linked (chosen by you): {runner}",
            "<h3>The matcher's choice: {best}",
            "{pick_best}",
            ">field</th>",
            "{accept}",
            "<h3>Runner-up</h3><p>{runner}",
            "— linked now",
        ],
        ["<h3>Linked: ", "{pick_runner}", "confidence 1.00", "by manual"],
    ),
    (
        "rejected",
        [
            "<b>rejected</b> — decided by you: this file has no accepted link; the matcher "
            "said: review, confidence 0.90",
            "<h3>Rejected by you: {best}",
            ">field</th>",
            "{pick_runner}",
            "{accept}",
        ],
        ["<h3>Linked", "{pick_best}", "The matcher's choice"],
    ),
    (
        "by hand",  # a track the matcher never offered: named by its ids
        [
            "<h3>Linked (chosen by you): track 0000000000000000000000, album 1111111111111111111111",
            "<h3>The matcher's choice: {best}",
            "{pick_best}",
            "{pick_runner}",
        ],
        ["<h3>Linked: "],
    ),
    (
        "unmatched",
        [
            "<b>unmatched</b> — confidence 0.32, margin 0.20, by text: all candidates too far",
            "<h3>Best candidate (not linked): {best}",
            "{pick_best}",
            ">field</th>",
            "{pick_runner}",
            "{reject}",
            "{unlink}",
        ],
        ["<h3>Linked", "Accept (A)", "{accept}", "decided by you"],
    ),
    (
        "no link",
        ["<b>not matched</b> — this file has no link", "{reject}"],
        ["{accept}", "{unlink}", "<h3>", "confidence"],
    ),
    (
        "error",
        ["<b>error</b></p>", "This file could not be read: the header is damaged"],
        ["{accept}", "{reject}", "{unlink}", "explorer://pick", "confidence", "by -", "<h3>"],
    ),
    (
        "missing",  # gone since it was matched: its link stays, nothing to decide
        ["<b>error</b></p>", "This file could not be read: it is no longer where it was"],
        ["{accept}", "{reject}", "{unlink}", "explorer://pick", "confidence", "<h3>Linked"],
    ),
]


@pytest.mark.parametrize(("case", "shown", "not_shown"), REVIEWS, ids=[r[0] for r in REVIEWS])
def test_the_review_of_one_file(
    store: LibraryStore,
    demo_catalog: Catalog,
    case: str,
    shown: list[str],
    not_shown: list[str],
) -> None:
    scene = _scene(store, demo_catalog, case)
    links = Links(store)
    # as the window shows it: the matcher's choice explained with the catalog's track
    link = explained(links.get(scene.file.id), scene.file, demo_catalog)
    html = review_html(scene.file, link, links.history(scene.file.id))
    assert scene.words["best"] != scene.words["runner"]
    for text in shown:
        assert text.format(**scene.words) in html, (text, html)
    for text in not_shown:
        assert text.format(**scene.words) not in html, (text, html)


# -- the library filter ---------------------------------------------------------------------

# path, file status, format, the matcher's status and confidence (None: no link), user decision
LIBRARY = [
    ("/music/Abba/Gold/01 Dancing.flac", "ok", "flac", ("matched", 0.97), None),
    ("/music/Abba/Gold/02 Money.mp3", "ok", "mp3", ("review", 0.8), None),
    ("/music/Björk/Debut/01 Human.flac", "ok", "flac", ("unmatched", 0.32), None),
    ("/music/BJÖRK LIVE/02 Venus.flac", "ok", "flac", None, None),
    ("/music/broken.mp3", "error", "mp3", None, None),
    ("/music/Other/06 Song.flac", "ok", "flac", ("matched", 0.99), "accepted"),
]


@pytest.fixture
def library(store: LibraryStore, demo_catalog: Catalog) -> dict[str, int]:
    """The files of LIBRARY in a real store, matched and decided; file ids by name."""
    ids: dict[str, int] = {}
    links = Links(store)
    for path, status, format, verdict, decision in LIBRARY:
        file = _add(store, _read(path, status=status, format=format))
        ids[path.rsplit("/", 1)[-1]] = file.id
        if verdict is not None:
            result = _result(demo_catalog, verdict[0], verdict[1], "the matcher's reason")
            links.record_matches([(file.id, verdict_of(result))])
        if decision is not None:
            links.decide(file.id, decision)
    return ids


ALL = {name.rsplit("/", 1)[-1] for name, *_ in LIBRARY}
FILTERS = [
    ("status:review", {"02 Money.mp3"}, []),
    ("Status:REVIEW", {"02 Money.mp3"}, []),
    ("STATUS:accepted", {"06 Song.flac"}, []),
    ("status:error", {"broken.mp3"}, []),
    ("status:not_matched", {"02 Venus.flac"}, []),
    ("status:not-matched", {"02 Venus.flac"}, []),
    ('status:"not matched"', {"02 Venus.flac"}, []),
    ("status:Not_Matched", {"02 Venus.flac"}, []),
    ("status:nonsense", set(), [STATUS_PROBLEM]),
    ("status:", ALL, [STATUS_PROBLEM]),
    ("sort:bogus", ALL, [SORT_PROBLEM]),
    ("status:matched sort:bogus", {"01 Dancing.flac"}, [SORT_PROBLEM]),
    ("SORT:path", ALL, []),
    ("confidence<abc", ALL, [CONFIDENCE_PROBLEM]),
    ("conf>1.5", ALL, [CONFIDENCE_PROBLEM]),
    ("confidence:0.9", ALL, [CONFIDENCE_PROBLEM]),
    ("Confidence<0.9", {"02 Money.mp3", "01 Human.flac"}, []),
    ("conf>=.97", {"01 Dancing.flac", "06 Song.flac"}, []),
    ("Format:FLAC", ALL - {"02 Money.mp3", "broken.mp3"}, []),
    ("folder:abba", {"01 Dancing.flac", "02 Money.mp3"}, []),
    ("folder:björk", {"01 Human.flac", "02 Venus.flac"}, []),  # beyond ASCII: either case
    ("FOLDER:BJÖRK", {"01 Human.flac", "02 Venus.flac"}, []),
    ("folder:", ALL, [FOLDER_PROBLEM]),
    ("gold", {"01 Dancing.flac", "02 Money.mp3"}, []),
    ('"gold/02 money"', {"02 Money.mp3"}, []),
    ("stauts:review", set(), [unknown_key_problem("stauts")]),  # a typo: said
    ("artist:Abba", set(), [unknown_key_problem("artist")]),
    ("Gold/02", {"02 Money.mp3"}, []),  # no colon: plain text
    (
        "sort:bogus status:nonsense conf<x",
        set(),
        [SORT_PROBLEM, STATUS_PROBLEM, CONFIDENCE_PROBLEM],
    ),
]


@pytest.mark.parametrize(("text", "names", "problems"), FILTERS, ids=[f[0] for f in FILTERS])
def test_library_filter_words(
    store: LibraryStore,
    library: dict[str, int],
    text: str,
    names: set[str],
    problems: list[str],
) -> None:
    rows, more = library_page(store, text=text, limit=100)
    assert not more
    assert {row.path.rsplit("/", 1)[-1] for row in rows} == names
    assert filter_problems(text) == problems


# without a link (in file order), then by the matcher's confidence
_NO_CONFIDENCE = ["02 Venus.flac", "broken.mp3"]
_BY_CONFIDENCE = ["01 Human.flac", "02 Money.mp3", "01 Dancing.flac", "06 Song.flac"]


SORTED = [
    ("sort:path", True, lambda ids: sorted(ids, key=lambda name: _path_of(name))),
    ("Sort:Confidence", True, lambda ids: [*_NO_CONFIDENCE, *_BY_CONFIDENCE]),
    ("sort:bogus", False, lambda ids: sorted(ids, key=lambda name: ids[name])),
    ("gold", False, None),
]


def _path_of(name: str) -> str:
    return next(path for path, *_ in LIBRARY if path.endswith("/" + name))


@pytest.mark.parametrize(("text", "by_position", "order"), SORTED, ids=[s[0] for s in SORTED])
def test_sorted_filters_page_by_position(
    store: LibraryStore,
    library: dict[str, int],
    text: str,
    by_position: bool,
    order: Callable[[dict[str, int]], list[str]] | None,
) -> None:
    assert pages_by_position(text) is by_position
    assert (library_filter(text)[2] != "f.id") is by_position
    if order is not None:
        rows, _ = library_page(store, text=text, limit=100)
        assert [row.path.rsplit("/", 1)[-1] for row in rows] == order(library)
