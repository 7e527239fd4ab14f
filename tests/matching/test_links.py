"""The stored JSON of a link and its detail: encoded once, compact, decoded the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from explorer.catalog import Catalog
from explorer.matching.decide import Candidate, MatchResult
from explorer.matching.facts import FileFacts
from explorer.matching.links import (
    LinkRow,
    _candidate_json,
    _encoded,
    _from_json,
    _json,
    detail_json,
    expand_detail,
    result_detail,
)
from explorer.matching.score import score_track

TRICKY = [
    {},
    {"best": {"name": 'say "detail": null', "fields": []}},
    {"best": {"name": 'say "detail":null', "fields": [], "score": 1e-05}},
    {"best": None, "runner_up": None, "alternatives": [{"name": 'Ünïcödé 漢字 \\ " \n'}]},
]


@pytest.mark.parametrize("detail", TRICKY)
def test_history_json_with_the_detail_encoded_once(detail: dict[str, object]) -> None:
    link = LinkRow(
        file_id=3,
        track_id="t" * 22,
        album_id=None,
        isrc=None,
        status="auto",
        decision="matched",
        confidence=0.97,
        margin=0.2,
        method="text",
        reason='a "quoted" reason: "detail": null',
        detail=detail,
        created_at=1.0,
        updated_at=2.0,
    )
    spliced = _json(link, json.dumps(detail, ensure_ascii=False))
    assert spliced is not None
    assert json.loads(spliced) == json.loads(_json(link) or "")
    assert _from_json(spliced) == link


@pytest.mark.parametrize(
    "value",
    [
        {"track_number": 2**70, "names": ["a", "b"]},  # beyond 64 bits: orjson refuses it
        {"title": "half a pair \ud800 of surrogates"},  # orjson refuses it too
        {"score": 1e-05, "name": 'Ünïcödé 漢字 \\ " \n', "none": None, "flag": True},
    ],
)
def test_encoded_json_reads_back_whatever_the_encoder(value: dict[str, object]) -> None:
    text = _encoded(value)
    assert json.loads(text) == value
    assert _from_json(_json(_link_with(value), text)) == _link_with(value)


def _link_with(detail: dict[str, object]) -> LinkRow:
    return LinkRow(
        3, "t" * 22, None, None, "auto", "matched", 0.97, 0.2, "text", "r", detail, 1.0, 2.0
    )


def _results(catalog: Catalog) -> list[MatchResult]:
    """Verdicts on real catalog tracks: the runner-up first among the alternatives, the
    runner-up not among them, and none at all."""
    tracks = catalog.tracks_by_rowids(range(1, 40))
    facts = FileFacts(title=tracks[0].name, artists=(tracks[0].artists[0].name,))
    scored = [Candidate(track, score_track(facts, track), "text") for track in tracks[:6]]
    best, runner, *others = scored
    return [
        MatchResult("matched", 0.97, 0.4, "clear", "text", best, runner, (runner, *others)),
        MatchResult("review", 0.8, 0.01, "close", "album", best, runner, tuple(others)),
        MatchResult("matched", 0.99, 0.9, "alone", "isrc", best, None, ()),
        MatchResult("unmatched", 0.0, 0.0, "no candidate in the catalog"),
    ]


def test_the_stored_detail_reads_back_as_the_review_shows_it(demo_catalog: Catalog) -> None:
    for result in _results(demo_catalog):
        stored = detail_json(result)
        shown = json.loads(json.dumps(result_detail(result)))
        assert expand_detail(json.loads(stored)) == shown, result.reason
        raw = json.loads(stored)  # compact: candidates as lists, the runner-up by place,
        # and no field scores (the review computes them, see review.explained)
        if result.best is not None:
            assert raw["best"] == [
                result.best.track.id,
                shown["best"]["album_id"],
                result.best.track.name,
                [a.name for a in result.best.track.artists],
                shown["best"]["album"],
                shown["best"]["album_type"],
                result.best.track.isrc,
                result.best.score.total,
                result.best.method,
            ]
            assert "fields" not in shown["best"]
        assert all(isinstance(item, list) for item in raw["alternatives"])
        if result.runner_up in result.alternatives:
            assert raw["runner_up"] == result.alternatives.index(result.runner_up)
        elif result.runner_up is not None:
            assert isinstance(raw["runner_up"], list)
    # details stored before read back as they were, the best candidate's field scores
    # included: as objects, with only the field scores as lists (candidates as objects),
    # and everything as lists (the best candidate's field scores after its values)
    result = _results(demo_catalog)[0]
    old = json.loads(
        json.dumps({**result_detail(result), "best": _candidate_json(result.best, fields=True)})
    )
    assert old["best"]["fields"]
    assert expand_detail(json.loads(json.dumps(old))) == old
    lists = json.loads(json.dumps(old))
    lists["best"]["fields"] = [list(field.values()) for field in lists["best"]["fields"]]
    lists["runner_up"] = 0
    assert expand_detail(lists) == old
    compact = json.loads(detail_json(result))
    compact["best"].append(lists["best"]["fields"])
    assert expand_detail(compact) == old


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        (None, {}),
        ([1, 2], {}),
        ("text", {}),
        ({"runner_up": 5, "alternatives": []}, {"runner_up": None, "alternatives": []}),
        (
            {"runner_up": -1, "alternatives": [{"a": 1}]},
            {"runner_up": None, "alternatives": [{"a": 1}]},
        ),
        ({"runner_up": 0, "alternatives": "x"}, {"runner_up": None, "alternatives": "x"}),
        ({"runner_up": True}, {"runner_up": True}),
        (
            {"best": {"fields": [["title", "a"], 3]}},
            {"best": {"fields": [{"field": "title", "file_value": "a"}, 3]}},
        ),
        ({"best": "x"}, {"best": "x"}),
        ({"best": ["t", "a"]}, {"best": {"track_id": "t", "album_id": "a"}}),
        (
            {"runner_up": ["t"], "alternatives": [["u"], 4]},
            {"runner_up": {"track_id": "t"}, "alternatives": [{"track_id": "u"}, 4]},
        ),
    ],
)
def test_a_damaged_detail_reads_back_without_an_error(stored: Any, read: Any) -> None:
    assert expand_detail(stored) == read


def test_a_write_after_another_process_committed_waits_its_turn(
    demo_catalog: Catalog, tmp_path: Path
) -> None:
    """Two writers of one store (two matches, or a match and the window): one that read
    first, while the other committed, writes after it (a deferred transaction failed at
    once with "database is locked")."""
    import threading

    from explorer.library.records import FileRead
    from explorer.library.store import open_store
    from explorer.matching.links import Links, verdict_of

    path = tmp_path / "store.sqlite3"
    first, second = open_store(path), open_store(path)
    try:
        root = first.add_root(tmp_path)
        first.save_reads(
            root.id, [FileRead(b"/m/a.flac", 1, 1, "ok"), FileRead(b"/m/b.flac", 1, 1, "ok")]
        )
        a, b = (first.file_by_path(p) for p in (b"/m/a.flac", b"/m/b.flac"))
        assert a is not None and b is not None
        verdict = verdict_of(_results(demo_catalog)[0])
        done: list[bool] = []
        other = threading.Thread(
            target=lambda: done.extend(Links(second).record_matches([(b.id, verdict)]))
        )
        with first.db.atomic():
            first.db.execute_sql("SELECT count(*) FROM links").fetchone()  # a read first
            other.start()
            other.join(0.3)  # the other writer waits for this transaction
            assert Links(first).record_matches([(a.id, verdict)]) == [True]
        other.join(15)
        assert done == [True]
        assert {link.file_id for link in Links(first).page()} == {a.id, b.id}
    finally:
        first.close()
        second.close()
