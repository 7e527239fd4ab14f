"""The history's JSON of a link: the detail encoded once, decoded the same."""

from __future__ import annotations

import json

import pytest

from explorer.matching.links import LinkRow, _from_json, _json

TRICKY = [
    {},
    {"best": {"name": 'say "detail": null', "fields": []}},
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
