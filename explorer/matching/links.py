"""Links from files to catalog recordings, every decision about them, and undo/redo.

The matcher writes `auto` links; the user's `accepted`, `rejected` and `manual` links are
never overridden by a re-run. Every change is a row of `link_history` with the link
before and after it, so any decision can be undone (and redone), across restarts. The
matcher's rows keep its verdicts without their detail (the links row holds the current
one, and only users' decisions are undone). The detail names the candidates; the linked
track's per-field breakdown is computed when the review shows it (`review.explained`),
and only details stored before that hold it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson

from explorer.library.store import LibraryStore
from explorer.matching.decide import Candidate, MatchResult, Method, Status
from explorer.matching.score import FieldScore

USER_STATUSES = frozenset({"accepted", "rejected", "manual"})
_COLUMNS = (
    "file_id, track_id, album_id, isrc, status, decision, confidence, margin, method, reason, "
    "detail, created_at, updated_at"
)
# the same columns with an empty detail in its place
_COLUMNS_NO_DETAIL = _COLUMNS.replace("detail,", "'{}',")
_HISTORY_INSERT = (
    "INSERT INTO link_history (file_id, at, actor, action, before, after, batch) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class LinkRow:
    """The link of one file: what it points at, who decided, and why."""

    file_id: int
    track_id: str | None
    album_id: str | None
    isrc: str | None
    status: str  # auto | accepted | rejected | manual
    decision: str  # the matcher's: matched | review | unmatched
    confidence: float
    margin: float
    method: str | None
    reason: str
    detail: dict[str, Any]
    created_at: float
    updated_at: float

    @property
    def user_decided(self) -> bool:
        return self.status in USER_STATUSES


@dataclass(frozen=True)
class HistoryRow:
    """One change of one file's link."""

    id: int
    file_id: int
    at: float
    actor: str  # matcher | user
    action: str
    before: LinkRow | None
    after: LinkRow | None
    undone: bool
    batch_size: int = 1  # undo / redo: how many changes of its batch went with it


# a LinkRow's values in field order, the detail as its JSON
_LINK_INSERT = (
    f"INSERT OR REPLACE INTO links ({', '.join(LinkRow.__dataclass_fields__)}) "
    f"VALUES ({', '.join('?' * len(LinkRow.__dataclass_fields__))})"
)


def _plain(record: Any) -> dict[str, Any]:
    """A dataclass as a shallow dict (asdict deep-copies: slow, and not needed here)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def _candidate_json(candidate: Candidate | None, *, fields: bool = False) -> dict[str, Any] | None:
    """A candidate as the review shows it; `fields`: with its per-field breakdown (which
    the links table no longer keeps, see `result_detail`)."""
    if candidate is None:
        return None
    track = candidate.track
    found: dict[str, Any] = {
        "track_id": track.id,
        "album_id": track.album.id if track.album else None,
        "name": track.name,
        "artists": [a.name for a in track.artists],
        "album": track.album.name if track.album else None,
        "album_type": track.album.album_type if track.album else None,
        "isrc": track.isrc,
        "score": candidate.score.total,
        "method": candidate.method,
    }
    if fields:
        found["fields"] = field_dicts(candidate.score.fields)
    return found


def field_dicts(fields: Sequence[FieldScore]) -> list[dict[str, Any]]:
    """Field scores as the review shows them (and as details stored before held them)."""
    return [_plain(f) for f in fields]


def result_detail(result: MatchResult) -> dict[str, Any]:
    """What the links table keeps for the review: the best candidate, the runner-up and
    the alternatives, each by name and score.

    No candidate keeps its per-field breakdown: the review computes the linked track's
    when it shows it (`review.explained`), from the file's tags and the catalog's track.
    Computing it for every file of a run and storing it was about a tenth of a matching
    run's work; the other candidates' breakdowns made the detail about 7 KB a file.
    """
    return {
        "best": _candidate_json(result.best),
        "runner_up": _candidate_json(result.runner_up),
        "alternatives": [_candidate_json(c) for c in result.alternatives],
    }


# The order of a field's values in the stored detail (FieldScore's fields).
_FIELD_KEYS = ("field", "file_value", "catalog_value", "similarity", "weight", "contribution")


# The order of a candidate's values in the stored detail (`_candidate_json`'s keys).
_CANDIDATE_KEYS = (
    "track_id",
    "album_id",
    "name",
    "artists",
    "album",
    "album_type",
    "isrc",
    "score",
    "method",
)


def _compact_candidate(candidate: Candidate | None) -> list[Any] | None:
    """`_candidate_json(candidate, fields=False)`'s values as a list, in _CANDIDATE_KEYS order."""
    if candidate is None:
        return None
    track = candidate.track
    album = track.album
    return [
        track.id,
        album.id if album else None,
        track.name,
        [a.name for a in track.artists],
        album.name if album else None,
        album.album_type if album else None,
        track.isrc,
        candidate.score.total,
        candidate.method,
    ]


# What `_encoded` falls back on: one encoder (json.dumps with arguments builds one per
# call), without the check for cycles that a detail or a link cannot have.
_FALLBACK_ENCODER = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False
)


def _encoded(value: Any) -> str:
    """`value` as compact JSON text, non-ASCII kept: by orjson (a detail in 1.3 µs where
    json's encoder took 9.6, a link's history row likewise), or by json for what orjson
    refuses (an integer beyond 64 bits or a lone surrogate, which a damaged store may
    hand back). Both read back as the same values."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return _FALLBACK_ENCODER.encode(value)


def detail_json(result: MatchResult) -> str:
    """`result_detail` as the links table holds it: each candidate as a list of its values
    (`_CANDIDATE_KEYS`), and the runner-up as its place among the alternatives when it is
    one of them (it mostly is the first). Objects were most of the links insert's time
    (0.40 of 0.56 s for 8,834 files at 1 M tracks); `expand_detail` gives
    `result_detail`'s shape back. Details stored before hold the best candidate's field
    scores after its values, each a list in `_FIELD_KEYS` order."""
    best = _compact_candidate(result.best)
    alternatives = result.alternatives
    place = next((i for i, c in enumerate(alternatives) if c is result.runner_up), None)
    detail = {
        "best": best,
        "runner_up": place if place is not None else _compact_candidate(result.runner_up),
        "alternatives": [_compact_candidate(c) for c in alternatives],
    }
    return _encoded(detail)


def expand_detail(detail: Any) -> dict[str, Any]:
    """A stored detail in `result_detail`'s shape, whether written by `detail_json` or as
    it was before (candidates and field scores as objects, the runner-up whole, or only
    the field scores as lists); anything else that a damaged store may hold comes back
    as it is, or as {} when it is no object."""
    if not isinstance(detail, dict):
        return {}
    best = detail.get("best")
    if isinstance(best, list):
        best = detail["best"] = dict(zip((*_CANDIDATE_KEYS, "fields"), best, strict=False))
    if isinstance(best, dict) and isinstance(best.get("fields"), list):
        best["fields"] = [
            dict(zip(_FIELD_KEYS, field, strict=False)) if isinstance(field, list) else field
            for field in best["fields"]
        ]
    alternatives = detail.get("alternatives")
    if isinstance(alternatives, list):
        alternatives = detail["alternatives"] = [_candidate_from(item) for item in alternatives]
    runner_up = detail.get("runner_up")
    if isinstance(runner_up, list):
        detail["runner_up"] = _candidate_from(runner_up)
    elif isinstance(runner_up, int) and not isinstance(runner_up, bool):
        if isinstance(alternatives, list) and 0 <= runner_up < len(alternatives):
            detail["runner_up"] = alternatives[runner_up]
        else:
            detail["runner_up"] = None
    return detail


def _candidate_from(stored: Any) -> Any:
    """A candidate stored as a list (`_compact_candidate`) as its object; others as they are."""
    return dict(zip(_CANDIDATE_KEYS, stored, strict=False)) if isinstance(stored, list) else stored


@dataclass(frozen=True)
class Verdict:
    """What the links table keeps of one MatchResult, the detail already encoded.

    Small and flat on purpose: a worker process hands it back to the writing process. A
    MatchResult carries whole catalog rows (a track's markets, every field score), which
    pickled to about 3 KB a file, and unpickling them took half the writing process's time.
    """

    status: Status
    confidence: float
    margin: float
    reason: str
    method: Method | None
    track_id: str | None  # the linked track; None when unmatched
    album_id: str | None
    isrc: str | None
    # the linked track's weighted fields' contributions (`match --json`); () unless asked for
    fields: tuple[tuple[str, float], ...]
    detail: str  # `detail_json` of the result


def verdict_of(result: MatchResult, *, fields: bool = False) -> Verdict:
    """The verdict the links table stores for `result`; `fields`: with the linked track's
    contributions field by field (computed for it, see DeferredScore)."""
    track = result.best.track if result.best and result.status != "unmatched" else None
    return Verdict(
        status=result.status,
        confidence=result.confidence,
        margin=result.margin,
        reason=result.reason,
        method=result.method,
        track_id=track.id if track else None,
        album_id=track.album.id if track and track.album else None,
        isrc=track.isrc if track else None,
        fields=tuple((f.field, f.contribution) for f in result.best.score.fields if f.weight)
        if fields and result.best is not None
        else (),
        detail=detail_json(result),
    )


def _id_chunks(file_ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    """File ids in lists short enough for one `IN (...)` each."""
    ids = list(file_ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _row(values: tuple[Any, ...]) -> LinkRow:
    data = list(values)
    data[10] = expand_detail(json.loads(data[10] or "{}"))
    return LinkRow(*data)


def _json(link: LinkRow | None, detail_json: str | None = None) -> str | None:
    """A link as JSON (for the history); `detail_json`, when given, is its detail already
    encoded (the largest part, encoded once for the links row and the history)."""
    if link is None:
        return None
    values = _plain(link)
    if detail_json is None:
        return _encoded(values)
    values["detail"] = None
    # keys are unique and strings escape their quotes, so this text occurs once: the key
    return _encoded(values).replace('"detail":null', '"detail":' + detail_json, 1)


def _verdict_json(link: LinkRow | None) -> str | None:
    """A link as JSON without its detail (for the matcher's own history rows)."""
    return _json(replace(link, detail={})) if link is not None else None


def _from_json(text: str | None) -> LinkRow | None:
    if not text:
        return None
    values = json.loads(text)
    values["detail"] = expand_detail(values.get("detail"))
    return LinkRow(**values)


class Links:
    """The links table of a user store (same database, same transactions)."""

    def __init__(self, store: LibraryStore) -> None:
        self.store = store
        self.db = store.db

    # -- reading --------------------------------------------------------------------------

    def get(self, file_id: int) -> LinkRow | None:
        row = self.db.execute_sql(
            f"SELECT {_COLUMNS} FROM links WHERE file_id = ?", (file_id,)
        ).fetchone()
        return _row(row) if row else None

    def user_decided(self, file_ids: Sequence[int]) -> set[int]:
        """Which of these files have a link the user decided (accepted, rejected, manual)."""
        found: set[int] = set()
        for chunk in _id_chunks(file_ids):
            found.update(
                row[0]
                for row in self.db.execute_sql(
                    f"SELECT file_id FROM links WHERE file_id IN ({','.join('?' * len(chunk))}) "
                    f"AND status IN ({','.join('?' * len(USER_STATUSES))})",
                    (*chunk, *sorted(USER_STATUSES)),
                )
            )
        return found

    def page(self, *, after_file_id: int = 0, limit: int = 500) -> list[LinkRow]:
        """Links in file order, paged by file id."""
        rows = self.db.execute_sql(
            f"SELECT {_COLUMNS} FROM links WHERE file_id > ? ORDER BY file_id LIMIT ?",
            (after_file_id, limit),
        ).fetchall()
        return [_row(r) for r in rows]

    def history(self, file_id: int) -> list[HistoryRow]:
        rows = self.db.execute_sql(
            "SELECT id, file_id, at, actor, action, before, after, undone FROM link_history "
            "WHERE file_id = ? ORDER BY id",
            (file_id,),
        ).fetchall()
        return [
            HistoryRow(r[0], r[1], r[2], r[3], r[4], _from_json(r[5]), _from_json(r[6]), bool(r[7]))
            for r in rows
        ]

    # -- writing --------------------------------------------------------------------------

    def _put(self, link: LinkRow | None, file_id: int) -> str | None:
        """Write (or delete) the file's link; returns its detail's JSON as written."""
        if link is None:
            self.db.execute_sql("DELETE FROM links WHERE file_id = ?", (file_id,))
            return None
        values = _plain(link)
        detail_json = json.dumps(link.detail, ensure_ascii=False)
        values["detail"] = detail_json
        names = list(values)
        self.db.execute_sql(
            f"INSERT OR REPLACE INTO links ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            tuple(values.values()),
        )
        return detail_json

    def _change(
        self,
        file_id: int,
        after: LinkRow | None,
        *,
        actor: str,
        action: str,
        batch: int | None = None,
    ) -> None:
        """Write `after` and its history entry (the link before it read first)."""
        before = self.get(file_id)
        detail_json = self._put(after, file_id)
        if actor == "user":  # a new decision ends what could be redone
            self.db.execute_sql("DELETE FROM link_history WHERE undone = 1")
        self.db.execute_sql(
            _HISTORY_INSERT,
            (file_id, time.time(), actor, action, _json(before), _json(after, detail_json), batch),
        )

    # -- batches ----------------------------------------------------------------------------

    _ACCEPTABLE = (
        "status = 'auto' AND decision IN ('matched', 'review') AND track_id IS NOT NULL "
        "AND confidence >= ?"
    )

    def count_acceptable(self, min_confidence: float) -> int:
        """How many links `accept_all(min_confidence)` would accept (the preview)."""
        row = self.db.execute_sql(
            f"SELECT count(*) FROM links WHERE {self._ACCEPTABLE}", (min_confidence,)
        ).fetchone()
        return int(row[0])

    def accept_all(self, min_confidence: float) -> int:
        """Accept every matcher link at or above `min_confidence`, as one undoable batch."""
        ids = [
            r[0]
            for r in self.db.execute_sql(
                f"SELECT file_id FROM links WHERE {self._ACCEPTABLE} ORDER BY file_id",
                (min_confidence,),
            )
        ]
        if not ids:
            return 0
        with self.db.atomic():
            (batch,) = self.db.execute_sql(
                "SELECT coalesce(max(batch), 0) + 1 FROM link_history"
            ).fetchone()
            now = time.time()
            for file_id in ids:
                current = self.get(file_id)
                if current is None:
                    continue
                accepted = LinkRow(**{**_plain(current), "status": "accepted", "updated_at": now})
                self._change(file_id, accepted, actor="user", action="accept all", batch=batch)
        return len(ids)

    def record_match(self, file_id: int, result: MatchResult) -> bool:
        """Store the matcher's verdict unless the user decided this file; True if written."""
        return self.record_matches([(file_id, verdict_of(result))])[0]

    def record_matches(self, verdicts: Sequence[tuple[int, Verdict]]) -> list[bool]:
        """`record_match` for many files in one transaction (their current links read in
        one query): False for each file the user decided, which is left as it is."""
        current = self._many([file_id for file_id, _ in verdicts])
        written = []
        links: list[tuple[Any, ...]] = []
        changes: list[tuple[Any, ...]] = []
        now = time.time()
        for file_id, verdict in verdicts:
            before = current.get(file_id)
            if before is not None and before.user_decided:
                written.append(False)
                continue
            link = LinkRow(
                file_id=file_id,
                track_id=verdict.track_id,
                album_id=verdict.album_id,
                isrc=verdict.isrc,
                status="auto",
                decision=verdict.status,
                confidence=verdict.confidence,
                margin=verdict.margin,
                method=verdict.method,
                reason=verdict.reason,
                detail={},  # written as its JSON below, never read back from this object
                created_at=before.created_at if before else now,
                updated_at=now,
            )
            if before is None or not _same_verdict(before, link):
                values = _plain(link)
                # the matcher's own history rows keep the verdicts without their detail:
                # undo and redo restore users' decisions only, whose rows keep the link
                # whole (detail included); the detail doubled what a run wrote
                after = _encoded(values)  # `_json(link)`: its detail is {}
                values["detail"] = verdict.detail
                links.append(tuple(values.values()))
                changes.append(
                    (file_id, now, "matcher", "match", _verdict_json(before), after, None)
                )
            written.append(True)
        # one statement each for the page's links and their history (a row at a time was
        # half of the writing process's time). A transaction of its own, or part of the
        # caller's (peewee flattens nested transaction()s): never a savepoint, under which
        # SQLite copies each page it changes to a sub-journal first; that doubled the
        # inserts' cost when the matcher records folder after folder in one transaction.
        with self.db.transaction():
            cursor = self.db.cursor()
            cursor.executemany(_LINK_INSERT, links)
            cursor.executemany(_HISTORY_INSERT, changes)
        return written

    def _many(self, file_ids: Sequence[int]) -> dict[int, LinkRow]:
        """The current links of these files (those that have one), their detail left out
        (an empty dict): a re-run of the matcher compares verdicts only, and need not read
        and decode every file's detail."""
        found: dict[int, LinkRow] = {}
        for chunk in _id_chunks(file_ids):
            rows = self.db.execute_sql(
                f"SELECT {_COLUMNS_NO_DETAIL} FROM links WHERE file_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((row[0], _row(row)) for row in rows)
        return found

    def decide(
        self,
        file_id: int,
        status: str,
        *,
        track_id: str | None = None,
        album_id: str | None = None,
        isrc: str | None = None,
        action: str | None = None,
        confidence: float | None = None,
    ) -> LinkRow:
        """The user's decision: accepted / rejected the link, or linked by hand (manual).
        A manual link's confidence is 1.0 unless given (a picked candidate keeps its score)."""
        if status not in USER_STATUSES:
            raise ValueError(f"not a user decision: {status}")
        current = self.get(file_id)
        now = time.time()
        base = current or LinkRow(
            file_id, None, None, None, "manual", "unmatched", 0.0, 0.0, None, "", {}, now, now
        )
        link = LinkRow(
            file_id=file_id,
            track_id=track_id if status == "manual" else base.track_id,
            album_id=album_id if status == "manual" else base.album_id,
            isrc=isrc if status == "manual" else base.isrc,
            status=status,
            decision=base.decision,
            confidence=(1.0 if confidence is None else confidence)
            if status == "manual"
            else base.confidence,
            margin=base.margin,
            method="manual" if status == "manual" else base.method,
            reason=base.reason,
            detail=base.detail,
            created_at=base.created_at,
            updated_at=now,
        )
        with self.db.atomic():
            self._change(file_id, link, actor="user", action=action or status)
        return link

    def unlink(self, file_id: int) -> None:
        """Remove a file's link (undoable)."""
        with self.db.atomic():
            self._change(file_id, None, actor="user", action="unlink")

    def undo(self) -> HistoryRow | None:
        """Undo the latest user decision not undone yet; returns it (None: nothing to undo)."""
        row = self.db.execute_sql(
            "SELECT id FROM link_history WHERE actor = 'user' AND undone = 0 ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        entry = self._entry(row[0])
        with self.db.atomic():
            items = self._batch_of(entry.id, undone=False)
            for item in reversed(items):
                self._put(item.before, item.file_id)
                self.db.execute_sql("UPDATE link_history SET undone = 1 WHERE id = ?", (item.id,))
        return replace(entry, batch_size=len(items))

    def redo(self) -> HistoryRow | None:
        """Redo the decision undone last; returns it (None: nothing to redo)."""
        row = self.db.execute_sql(
            "SELECT id FROM link_history WHERE actor = 'user' AND undone = 1 ORDER BY id LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        entry = self._entry(row[0])
        with self.db.atomic():
            items = self._batch_of(entry.id, undone=True)
            for item in items:
                self._put(item.after, item.file_id)
                self.db.execute_sql("UPDATE link_history SET undone = 0 WHERE id = ?", (item.id,))
        return replace(entry, batch_size=len(items))

    def _batch_of(self, history_id: int, *, undone: bool) -> list[HistoryRow]:
        """The entry and, when it belongs to a batch, every entry of its batch (id order)."""
        (batch,) = self.db.execute_sql(
            "SELECT batch FROM link_history WHERE id = ?", (history_id,)
        ).fetchone()
        if batch is None:
            return [self._entry(history_id)]
        ids = [
            r[0]
            for r in self.db.execute_sql(
                "SELECT id FROM link_history WHERE batch = ? AND undone = ? ORDER BY id",
                (batch, 1 if undone else 0),
            )
        ]
        return [self._entry(i) for i in ids]

    def _entry(self, history_id: int) -> HistoryRow:
        r = self.db.execute_sql(
            "SELECT id, file_id, at, actor, action, before, after, undone FROM link_history "
            "WHERE id = ?",
            (history_id,),
        ).fetchone()
        return HistoryRow(
            r[0], r[1], r[2], r[3], r[4], _from_json(r[5]), _from_json(r[6]), bool(r[7])
        )


def _same_verdict(old: LinkRow, new: LinkRow) -> bool:
    keys = ("track_id", "album_id", "decision", "confidence", "margin", "method", "reason")
    return all(getattr(old, k) == getattr(new, k) for k in keys)
