"""The search engine: parsed query -> index lookups in popularity order -> ranked pages."""

from __future__ import annotations

import bisect
import heapq
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from explorer.catalog import Catalog
from explorer.errors import CancelledError
from explorer.index.ranking import catalog_rowid
from explorer.index.store import TRACK_SHARDS, index_path_for, read_state, shard_paths
from explorer.log import get_logger
from explorer.search.fuzzy import SidecarVocabulary, Vocabulary, corrections
from explorer.search.hits import (
    album_hits,
    artist_hits,
    checks_anything,
    name_exactness,
    track_hits,
)
from explorer.search.query import ParsedQuery, ignored_notice, parse_query
from explorer.search.results import EntityKind, SearchHit, SearchPage
from explorer.search.terms import (
    Terms,
    completions,
    held_years,
    match_terms,
    quoted,
    searched_tokens,
    unknown_words,
)
from explorer.text import case_variants

log = get_logger("search")

# Where the track shards are attached on an index connection (see `SearchEngine._index`).
TRACK_SCHEMAS = tuple(f"s{k}" for k in range(1, TRACK_SHARDS + 1))
FTS_TABLE: dict[EntityKind, str] = {
    "artist": "artist_fts",
    "album": "album_fts",
    "track": "track_fts",
}
# Matches read for the first page, in popularity order, to move exact names to the top;
# raising it finds exact names of less popular entries at the cost of a name lookup each.
RANK_WINDOW = 200
# Fewer hits than this on the first page starts the typo-tolerant pass.
FUZZY_BELOW = 3
# Side by side, each track shard is asked for its share of the matches wanted and
# 1/SHARD_MARGIN of them more (matches are rarely spread evenly); a shard that ends
# first reads on.
SHARD_MARGIN = 8
# Windows read per page at most while post-filters (artist:, phrases, CJK parts) drop rows.
MAX_WINDOWS = 6
# Album matches an `album:` filter on tracks looks through.
ALBUM_FILTER_ALBUMS = 200
# A word in more than this share of an index's rows is "common" ("the", "of", "remastered"):
# FTS5 advances every word of an AND on every step, so one common word makes a query that
# matches little walk that word's whole list (26 ms instead of 3 ms at 10 M tracks). Such
# words are left out of the MATCH and checked afterwards on the matches of the other words,
# VERIFY_CAP rows at a time (about 10 us a row), for VERIFY_BATCHES batches at most; past
# that the whole expression goes to FTS5. FTS5 walks a long list a page at a time even to
# skip a few rows, so the cost of a word grows with its list: at 100 M tracks (34 GB, read
# cold through the index's memory map) a share of 0.1 and 6 batches took the 1,000
# queries' index time from 5.3-5.4 s to 3.3-4.5 s and their p95 from 48 to 38-46 ms
# (0.02 and 2 batches left words of 2 % out whose check cost more than FTS5 walking
# them, and fell back to the whole expression on an artist's thousands of tracks);
# unchanged at 10 M tracks (taking turns, load 2.5-3.5).
COMMON_SHARE = 0.1
VERIFY_CAP = 400
VERIFY_BATCHES = 6
# Bytes of each index file read through a memory map (SQLite's default builds cap a map
# near 2 GB; a track shard is 0.75 GB at 100 M tracks). A long word list read cold through
# the map comes in by the kernel's read-ahead instead of a system call per 4 KB page: at
# 100 M tracks, read from the disk in 4 GB, the 1,000 queries' index time went from 11.1-11.3 s
# to 5.7-6.7 s and their p95 from 76 to 51-58 ms (taking turns, load 3). The mapped pages are the page cache's (shared,
# dropped under pressure) but count in the process's resident memory; 0 turns it off.
INDEX_MMAP_BYTES = 2_000_000_000
# A page's catalog rows (the window's names, the hits' tracks, albums and artists) are
# read in CATALOG_READERS parts at once, each part on a thread and catalog connection of
# its own, when the engine reads side by side and the list has CATALOG_SPLIT_FROM rows or
# more: read cold, they are a few hundred random reads in the catalog file, and the disk
# answers several at a time (4 KB reads of the 34 GB catalog here: 0.12 ms one at a time,
# 0.08 ms four at a time, 0.05 ms eight at a time). At 100 M tracks, cold in 4 GB, four
# parts took the 1,000 queries' catalog time from 8.0-9.2 s to 4.7-5.6 s and a common
# word's p50 from 31-35 to 16.5 ms (taking turns, load 4.4-5.2); eight did no better.
CATALOG_READERS = 4
CATALOG_SPLIT_FROM = 16
# SQLite virtual-machine steps between two checks of the time limit and cancellation.
PROGRESS_STEPS = 2_000
# A year:A..B filter asks the index for the years of the range that it holds (a catalog
# has a century or so). One whose years hold at least DENSE_YEARS of the albums' and
# tracks' rows is left to the check of the hits when other words decide the matches: it
# drops few rows, and an OR of years costs a look into each year's list for every row
# the words match (300 ms for "love night year:1965..2025" at 10 M tracks; 6 ms checked
# on the hits). Any other asks for MAX_YEARS years at most, the newest, and the page's
# notice says so when that leaves some out.
DENSE_YEARS = 0.3
MAX_YEARS = 200
NO_INDEX_NOTICE = (
    "Searching names by their beginning only: build the search index "
    "(`explorer index build`, or Index > Build in the window) to search every word, "
    "tracks included, with typo tolerance."
)


_Row = TypeVar("_Row")


class _Deadline(Exception):
    """The time limit of one search passed."""


class SearchEngine:
    """Searches one catalog through its sidecar index; usable from several threads.

    Each thread gets its own read-only connection to the index (and the catalog gives
    each thread its own). `interrupt()` may be called from any thread: it aborts the
    searches running at that moment, which raise CancelledError.
    """

    def __init__(
        self, catalog: Catalog, *, index_path: Path | None = None, side_by_side: bool = True
    ) -> None:
        """`side_by_side`: read the track shards at the same time, the second on a thread
        of its own, when a query walks long lists (off where processes already keep every
        core busy, as the matcher's workers do)."""
        self.catalog = catalog
        self.side_by_side = side_by_side
        self.index_path = index_path or index_path_for(catalog)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._running: set[sqlite3.Connection] = set()
        self._interrupts = 0
        self._ready = False
        self._row_counts: dict[EntityKind, int] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._readers: ThreadPoolExecutor | None = None

    # -- state ------------------------------------------------------------------------

    @property
    def index_ready(self) -> bool:
        """True once a complete index exists for this catalog."""
        if not self._ready and self.index_path.is_file():
            self._ready = read_state(self.index_path)[0]
        return self._ready

    def _index(self) -> sqlite3.Connection:
        """This thread's read-only connection to the index, its track shards attached."""
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = self._connect()
            try:
                self._local.track_bounds = [
                    con.execute(
                        f"SELECT last_rowid FROM {schema}.progress WHERE part = 'tracks'"
                    ).fetchone()[0]
                    for schema in TRACK_SCHEMAS
                ]
            except sqlite3.Error:
                con.close()
                raise
            self._local.con = con
        return con

    def _connect(self) -> sqlite3.Connection:
        """A new read-only connection to the index, its track shards attached."""
        con = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True, check_same_thread=False)
        try:
            con.execute("PRAGMA query_only = ON")
            con.execute(f"PRAGMA mmap_size = {INDEX_MMAP_BYTES}")
            for k, path in enumerate(shard_paths(self.index_path), start=1):
                con.execute(f"ATTACH DATABASE ? AS s{k}", (f"file:{path}?mode=ro",))
                con.execute(f"PRAGMA s{k}.mmap_size = {INDEX_MMAP_BYTES}")
        except sqlite3.Error:
            con.close()
            raise
        return con

    def _shard_connections(self) -> list[sqlite3.Connection]:
        """This thread's connections that read the track shards side by side: its own
        index connection (read here) and one more per further shard (read by the pool)."""
        extra: list[sqlite3.Connection] | None = getattr(self._local, "extra", None)
        if extra is None:
            extra = [self._connect() for _ in TRACK_SCHEMAS[1:]] if self.side_by_side else []
            self._local.extra = extra
        return [self._index(), *extra]

    def close(self) -> None:
        """Close this thread's index connections."""
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None
        for extra in getattr(self._local, "extra", None) or []:
            extra.close()
        self._local.extra = None

    def interrupt(self) -> None:
        """Abort every search running now (from any thread); they raise CancelledError."""
        with self._lock:
            self._interrupts += 1
            for con in self._running:
                con.interrupt()

    @contextmanager
    def _guard(self, deadline: float) -> Iterator[Callable[[], None]]:
        """Install the time limit and cancellation on this thread's connections."""
        cons = [self.catalog.connection()]
        if self.index_ready:
            cons += self._shard_connections()
        with self._lock:
            generation = self._interrupts
            self._running.update(cons)
        state = {"late": False}

        def handler() -> int:
            if self._interrupts != generation:
                return 1
            if time.monotonic() > deadline:
                state["late"] = True
                return 1
            return 0

        def check() -> None:
            if self._interrupts != generation:
                raise CancelledError("The search was cancelled.")
            if time.monotonic() > deadline:
                raise _Deadline

        for con in cons:
            con.set_progress_handler(handler, PROGRESS_STEPS)
        try:
            yield check
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            if state["late"]:
                raise _Deadline from exc
            raise CancelledError("The search was cancelled.") from exc
        finally:
            for con in cons:
                con.set_progress_handler(None, PROGRESS_STEPS)
            with self._lock:
                self._running.difference_update(cons)

    # -- public -----------------------------------------------------------------------

    def search(
        self,
        text: str,
        *,
        kind: EntityKind,
        limit: int = 50,
        cursor: str | None = None,
        timeout_s: float = 2.0,
        fuzzy_below: int = FUZZY_BELOW,
        rank_window: int = RANK_WINDOW,
    ) -> SearchPage:
        """One page of `kind` results for the search-box `text`; never raises on odd text.

        `fuzzy_below`: with fewer hits than this the typo-tolerant pass runs (0: never);
        `rank_window`: matches read to move exact names to the top of the first page.
        A year: or type: word it cannot use is left out, and the page's notice says so.
        """
        parsed = parse_query(text)
        page = self._search(parsed, kind, limit, cursor, timeout_s, fuzzy_below, rank_window)
        left_out = ignored_notice(parsed)
        if left_out is None:
            return page
        return replace(page, notice=f"{page.notice} {left_out}" if page.notice else left_out)

    def _search(
        self,
        parsed: ParsedQuery,
        kind: EntityKind,
        limit: int,
        cursor: str | None,
        timeout_s: float,
        fuzzy_below: int,
        rank_window: int,
    ) -> SearchPage:
        limit = max(1, min(limit, 500))
        deadline = time.monotonic() + timeout_s
        try:
            with self._guard(deadline) as check:
                check()
                if parsed.ref is not None:
                    return self._by_ref(parsed, kind)
                if parsed.empty:
                    return SearchPage(kind, (), None, False)
                if not self.index_ready:
                    return self._reduced(parsed, kind, limit, cursor)
                return self._indexed(
                    parsed, kind, limit, cursor, check, fuzzy_below, max(limit, rank_window)
                )
        except _Deadline:
            return SearchPage(
                kind,
                (),
                None,
                False,
                notice=f"The search took longer than {timeout_s:g} s and was stopped; "
                "add a word to narrow it.",
            )

    # -- pasted identifiers -------------------------------------------------------------

    def _by_ref(self, parsed: ParsedQuery, kind: EntityKind) -> SearchPage:
        ref = parsed.ref
        assert ref is not None
        if ref.kind is not None and ref.kind != kind:
            return SearchPage(kind, (), None, False)
        hits: list[SearchHit] = []
        if kind == "track":
            track = self.catalog.track(ref.id)
            hits = track_hits([track]) if track else []
        elif kind == "album":
            album = self.catalog.album(ref.id)
            if album is not None:
                hits = album_hits(self.catalog.album_summaries([album.rowid]).values())
        else:
            artist = self.catalog.artist(ref.id)
            hits = artist_hits([artist]) if artist else []
        return SearchPage(kind, tuple(hits), None, False)

    # -- without the index --------------------------------------------------------------

    def _reduced(
        self, parsed: ParsedQuery, kind: EntityKind, limit: int, cursor: str | None
    ) -> SearchPage:
        if kind == "track":
            isrc = parsed.filters.get("isrc")
            hits = track_hits(self.catalog.tracks_with_isrc(isrc.upper())) if isrc else []
            return SearchPage(
                kind, tuple(hits[:limit]), None, False, reduced=True, notice=NO_INDEX_NOTICE
            )
        text = " ".join(parsed.words) or parsed.filters.get(kind, "")
        table = "artists" if kind == "artist" else "albums"
        start = cursor or ""
        found: dict[int, str] = {}
        for variant in case_variants(text):
            if not variant:
                continue
            low = max(variant, start) if start.startswith(variant) else variant
            rows = self.catalog.execute(
                f"SELECT rowid, name FROM {table} WHERE name >= ? AND name < ? "
                "AND name > ? ORDER BY name LIMIT ?",
                (low, variant + "\U0010ffff", start, limit + 1),
            ).fetchall()
            found.update(rows)
        names = sorted(found.items(), key=lambda item: item[1])[: limit + 1]
        more = len(names) > limit
        names = names[:limit]
        rowids = [rowid for rowid, _ in names]
        if kind == "artist":
            artists = self.catalog.artists_by_rowids(rowids)
            hits = artist_hits(artists[r] for r in rowids if r in artists)
        else:
            albums = self.catalog.album_summaries(rowids)
            hits = album_hits(albums[r] for r in rowids if r in albums)
        next_cursor = names[-1][1] if more and names else None
        return SearchPage(
            kind, tuple(hits), next_cursor, more, reduced=True, notice=NO_INDEX_NOTICE
        )

    # -- with the index -----------------------------------------------------------------

    def _indexed(
        self,
        parsed: ParsedQuery,
        kind: EntityKind,
        limit: int,
        cursor: str | None,
        check: Callable[[], None],
        fuzzy_below: int,
        window: int,
    ) -> SearchPage:
        if kind == "track" and "isrc" in parsed.filters:
            tracks = self.catalog.tracks_with_isrc(parsed.filters["isrc"].strip().upper())
            found = [h for h in track_hits(tracks) if self._keep(h, parsed)]
            return SearchPage(kind, tuple(found[:limit]), None, False)
        if kind == "track" and "album" in parsed.filters:
            return self._tracks_of_albums(parsed, limit)
        index = self._index()
        years, share, notice = self._years(index, parsed, kind)
        if notice and years and parsed.years:  # only the newest years: only they are shown
            parsed = replace(parsed, years=(years[0], parsed.years[1]))
        terms = match_terms(parsed, kind, years=years, years_on_hits=share >= DENSE_YEARS)
        if terms.years_checked_later:  # about as many rows of the years ranked as without
            window = int(window / max(share, 0.25)) + 1
        if terms.prefix_token:
            terms = terms.with_completions(self._completions(index, terms.prefix_token))
        if not terms.expression:
            return SearchPage(kind, (), None, False, notice=notice)
        state = _Cursor.read(cursor)
        if state is not None:
            if state.fuzzy:  # the typo pass found the first page: its words go on
                terms = self._corrected(index, terms) or terms
            hits, next_cursor, more = self._next_page(
                index, kind, terms, parsed, limit, state, check
            )
            return SearchPage(
                kind, tuple(hits), next_cursor, more, notice=notice, fuzzy=state.fuzzy
            )
        hits, next_cursor, more = self._first_page(index, kind, terms, parsed, limit, window)
        fuzzy = False
        fixed = self._corrected(index, terms) if len(hits) < fuzzy_below else None
        if fixed is not None:
            # the hits found so far first, then those of the corrected words
            found, next_cursor, more = self._first_page(
                index, kind, fixed, parsed, limit, window, before=hits, corrected=True
            )
            fuzzy = len(found) > len(hits)
            hits = found
        return SearchPage(kind, tuple(hits), next_cursor, more, fuzzy=fuzzy, notice=notice)

    def _years(
        self, index: sqlite3.Connection, parsed: ParsedQuery, kind: EntityKind
    ) -> tuple[list[int] | None, float, str | None]:
        """The years a year:A..B filter asks the index for (see DENSE_YEARS and
        MAX_YEARS), the share of the albums' and tracks' rows they hold, and the notice
        when some are left out."""
        if kind == "artist" or parsed.years is None:
            return None, 0.0, None
        low, high = parsed.years
        docs = self._held_years(index, low, high)
        held = list(docs)
        share = sum(docs.values()) / max(1, self._rows("track") + self._rows("album"))
        if share >= DENSE_YEARS or len(held) <= MAX_YEARS:
            return held, share, None
        kept = held[-MAX_YEARS:]
        notice = (
            f"The catalog has releases in {len(held)} of the years from {low} to {high}, "
            f"more than one search can ask for: showing only those from {kept[0]} to "
            f"{kept[-1]}. Search year:{held[0]}..{kept[0] - 1} for the older ones."
        )
        return kept, share, notice

    def _corrected(self, index: sqlite3.Connection, terms: Terms) -> Terms | None:
        """The terms with close spellings of the words the index has never seen, or None
        when there are none."""
        vocabulary = self._vocabulary(index)
        unknown = unknown_words(vocabulary, terms)
        if not unknown:
            return None
        fixed = terms.with_alternatives(corrections(vocabulary, unknown))
        if not fixed.expression or fixed.expression == terms.expression:
            return None
        return fixed

    # -- what an index answers (a published catalog's engine answers them on the server) --

    def _vocabulary(self, index: sqlite3.Connection) -> Vocabulary:
        return SidecarVocabulary(index)

    def _completions(self, index: sqlite3.Connection, prefix: str) -> list[str]:
        return completions(index, prefix)

    def _held_years(self, index: sqlite3.Connection, low: int, high: int) -> dict[int, int]:
        return held_years(index, low, high)

    def _albums_matching(self, index: sqlite3.Connection, tokens: list[str]) -> list[int]:
        """Catalog rowids of the albums holding every token, most popular first
        (ALBUM_FILTER_ALBUMS at most)."""
        rows = index.execute(
            "SELECT rowid FROM album_fts WHERE album_fts MATCH ? ORDER BY rowid LIMIT ?",
            (" AND ".join(quoted(t) for t in tokens), ALBUM_FILTER_ALBUMS),
        ).fetchall()
        return [catalog_rowid(row[0]) for row in rows]

    def _first_page(
        self,
        index: sqlite3.Connection,
        kind: EntityKind,
        terms: Terms,
        parsed: ParsedQuery,
        limit: int,
        window: int,
        before: Sequence[SearchHit] = (),
        *,
        corrected: bool = False,
    ) -> tuple[list[SearchHit], str | None, bool]:
        """`limit` hits at most: `before` (the hits of a pass without typo corrections),
        the artists or albums named exactly as typed, then the first `window` matches by
        popularity with the names nearest to the text first. The cursor leads on to the
        rest: exact names that did not fit first, then the matches in popularity order,
        without the hits shown (`corrected`: the terms hold typo corrections, which the
        next pages ask for again)."""
        rows = self._matches(index, kind, terms, 0, window + 1)
        more = len(rows) > window
        rows = rows[:window]
        position = {catalog_rowid(row): row for row in rows}
        text = " ".join(parsed.words)
        exact = self._exact_names(parsed, kind) if kind in ("artist", "album") else []
        shown_before = {hit.rowid for hit in before}
        front = [*before, *(hit for hit in exact if hit.rowid not in shown_before)]
        front_ids = {hit.rowid for hit in front}
        hits = front[:limit]
        pending = tuple(hit.rowid for hit in front[limit:])
        names = self._names(kind, [r for r in position if r not in front_ids])
        order = sorted(
            (r for r in position if r not in front_ids),
            key=lambda r: (-name_exactness(names.get(r, ""), text), position[r]),
        )
        # spare rows only when the hit check may drop some
        years_matched = not terms.years_checked_later
        spare = 2 if checks_anything(parsed, years_matched=years_matched) else 1
        consumed = set(front_ids)
        start = 0
        # the window's rows fetched a few at a time until the page is full (the check
        # drops some), MAX_WINDOWS times at most
        for _ in range(MAX_WINDOWS):
            chosen = order[start : start + (limit - len(hits)) * spare]
            if not chosen:
                break
            start += len(chosen)
            fetched = {hit.rowid: hit for hit in self._hits(kind, chosen)}
            for rowid in chosen:
                if len(hits) >= limit:
                    break
                consumed.add(rowid)
                hit = fetched.get(rowid)
                if hit is not None and self._keep(hit, parsed):
                    hits.append(hit)
        left = [row for row in rows if catalog_rowid(row) not in consumed]
        if left:
            after = min(left) - 1
        elif more or pending:
            after = rows[-1] if rows else 0
        else:
            return hits, None, False
        # the rows passed over that the next pages would read again
        skip = frozenset(r for r in consumed if r not in position or position[r] > after)
        return hits, _Cursor(after, skip, pending, corrected).text(), True

    def _next_page(
        self,
        index: sqlite3.Connection,
        kind: EntityKind,
        terms: Terms,
        parsed: ParsedQuery,
        limit: int,
        state: _Cursor,
        check: Callable[[], None],
    ) -> tuple[list[SearchHit], str | None, bool]:
        """The page a cursor leads to: exact names left over first, then matches."""
        shown = state.pending[:limit]
        hits = [hit for hit in self._hits(kind, shown) if self._keep(hit, parsed)] if shown else []
        if len(state.pending) > limit:
            return hits, replace(state, pending=state.pending[limit:]).text(), True
        if len(shown) == limit:
            return hits, replace(state, pending=()).text(), True
        found, last, skip, more = self._windows(
            index, kind, terms, parsed, state.after, limit - len(shown), limit, state.skip, check
        )
        next_cursor = _Cursor(last, skip, (), state.fuzzy).text() if more else None
        return hits + found, next_cursor, more

    def _matches(
        self, index: sqlite3.Connection, kind: EntityKind, terms: Terms, after: int, count: int
    ) -> list[int]:
        """The first `count` index rowids above `after` that match every group of `terms`.

        Common words are checked last, on the few rows the rarer words match (see
        COMMON_SHARE); otherwise the whole expression goes to FTS5, which stops after
        `count` rows in rowid (popularity) order.
        """

        def first(chosen: Terms, after: int, count: int) -> list[int]:
            # an AND of several words walks their lists: the shards side by side
            return self._fts_rows(
                index, kind, (chosen.expression, after, count), apart=len(chosen.groups) > 1
            )

        try:
            rare, common = self._split_common(index, kind, terms)
            found: list[int] = []
            if rare is not terms and not common.groups:
                # only words checked later were left out: the rarer words decide alone
                return first(rare, after, count)
            for _ in range(VERIFY_BATCHES if common.groups else 0):
                batch = first(rare, after, VERIFY_CAP + 1)
                complete = len(batch) <= VERIFY_CAP
                batch = batch[:VERIFY_CAP]
                found += self._verified(index, kind, common, batch)
                if complete or len(found) >= count:
                    return found[:count]
                after = batch[-1]
            return found + first(terms, after, count - len(found))
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise
            # a token SQLite's tokenizer splits differently: nothing matches it
            log.warning("search expression %r refused: %s", terms.expression, exc)
            return []

    def _fts_rows(
        self,
        index: sqlite3.Connection,
        kind: EntityKind,
        params: tuple[str, int, int],
        *,
        apart: bool,
    ) -> list[int]:
        """The first `?3` index rowids of a kind that match `?1` above the rowid `?2`, in
        rowid order. With `apart`, the track shards are read side by side, each by its own
        connection (a slow query is FTS5 walking long lists of rows, and each shard holds
        half of them), each for about its share of the rows (see SHARD_MARGIN), and their
        ordered rows merged; otherwise one statement merges them as it reads (a LIMIT
        stops both early: the way for a word or an OR of words)."""
        if kind != "track" or not apart or not self.side_by_side:
            return _column(index.execute(_fts_select(kind, "rowid > ?2") + " LIMIT ?3", params))
        expression, after, count = params
        sql = (
            "SELECT rowid FROM {}.track_fts WHERE track_fts MATCH ?1 AND rowid > ?2 "
            "ORDER BY rowid LIMIT ?3"
        )
        # each shard holds about its share of the first `count` matches: asking each for
        # all of them walked twice the lists needed (the merge kept half of each)
        share = count // len(TRACK_SCHEMAS) + count // SHARD_MARGIN + 1
        queries = [sql.format(schema) for schema in TRACK_SCHEMAS]
        found = self._side_by_side([(q, (expression, after, share)) for q in queries])
        unfinished = {k for k, rows in enumerate(found) if len(rows) == share}
        while unfinished:
            # the merged rows are complete up to the lowest last row of a shard not read
            # to its end
            bound = min(found[k][-1] for k in unfinished)
            complete = [row for row in heapq.merge(*found) if row <= bound]
            if len(complete) >= count:
                return complete[:count]
            # the shard that stopped lowest reads on
            k = next(k for k in sorted(unfinished) if found[k][-1] == bound)
            more = count - len(complete) + count // SHARD_MARGIN + 1
            rows = _rowids_of(self._index(), queries[k], (expression, bound, more))
            found[k] = found[k] + rows
            if len(rows) < more:
                unfinished.discard(k)
        return list(heapq.merge(*found))[:count]

    def _side_by_side(self, queries: Sequence[tuple[str, tuple[object, ...]]]) -> list[list[int]]:
        """Each query's rowids, the first query run here on this thread's index
        connection, the others at the same time on its other connections by the pool.
        Each query gives its rowids as one text (one step each: a row at a time, the two
        threads would wait on each other for Python's lock on every row)."""
        cons = self._shard_connections()
        if len(cons) < len(queries):  # one after the other, on this thread's connection
            return [_rowids_of(cons[0], sql, params) for sql, params in queries]
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max(1, len(TRACK_SCHEMAS) - 1), "explorer-search")
            pool = self._pool
        futures = [
            pool.submit(_rowids_of, con, sql, params)
            for con, (sql, params) in zip(cons[1:], queries[1:], strict=False)
        ]
        try:
            here = _rowids_of(cons[0], *queries[0])
        finally:
            # never leave a connection busy past this call, even when this one failed
            errors = [future.exception() for future in futures]
        for error in errors:
            if error is not None:
                raise error
        return [here, *(future.result() for future in futures)]

    def _verified(
        self, index: sqlite3.Connection, kind: EntityKind, common: Terms, rows: list[int]
    ) -> list[int]:
        """The rows (in rowid order) that also match every group of `common`.

        FTS5 looks up each listed rowid on its own (about 15 us a row at 10 M tracks), so
        each track shard is asked only for the rows it holds, the shards side by side."""
        for group in common.groups:
            if not rows:
                break
            expression = (_group_expression(group),)
            if kind != "track":
                listed = ",".join(map(str, rows))
                sql = _fts_union(FTS_TABLE[kind], [("main", f"rowid IN ({listed})")])
                rows = _column(index.execute(sql, expression))
                continue
            arms: dict[str, list[int]] = {}
            bounds = self._local.track_bounds
            for row in rows:
                shard = min(bisect.bisect_left(bounds, catalog_rowid(row)), len(bounds) - 1)
                arms.setdefault(TRACK_SCHEMAS[shard], []).append(row)
            # each shard's rows checked side by side
            sql = "SELECT rowid FROM {}.track_fts WHERE track_fts MATCH ?1 AND rowid IN ({})"
            queries = [
                (sql.format(schema, ",".join(map(str, listed))), expression)
                for schema, listed in arms.items()
            ]
            rows = list(heapq.merge(*self._side_by_side(queries)))
        return rows

    def _split_common(
        self, index: sqlite3.Connection, kind: EntityKind, terms: Terms
    ) -> tuple[Terms, Terms]:
        """(rarer groups, common groups) of a query of three groups or more, from the
        vocabulary's document counts; no common groups when splitting would not pay."""
        groups = terms.groups
        none = Terms((), (), None)
        if len(groups) < 3:
            return terms, none
        words = sorted({word for group in groups for word in group})
        marks = ",".join("?" * len(words))
        docs = dict(
            index.execute(f"SELECT term, docs FROM vocab WHERE term IN ({marks})", words).fetchall()
        )
        sizes = [sum(docs.get(word, 0) for word in group) for group in groups]
        common_at = self._rows(kind) * COMMON_SHARE
        rare = [i for i in range(len(groups)) if sizes[i] <= common_at]
        common = sorted(
            (i for i in range(len(groups)) if sizes[i] > common_at), key=sizes.__getitem__
        )
        if not rare or not common:
            return terms, none
        # a common word of an artist: or track: filter is checked on the hits anyway
        common = [i for i in common if groups[i][0] not in terms.checked_later]
        return (
            Terms(tuple(groups[i] for i in sorted(rare)), (), None),
            Terms(tuple(groups[i] for i in common), (), None),
        )

    def _rows(self, kind: EntityKind) -> int:
        """About how many rows the kind's index holds (the catalog's highest rowid)."""
        if kind not in self._row_counts:
            part = {"track": "tracks", "album": "albums", "artist": "artists"}[kind]
            self._row_counts[kind] = self.catalog.estimate(part)
        return self._row_counts[kind]

    def _names(self, kind: EntityKind, rowids: list[int]) -> dict[int, str]:
        """Names by catalog rowid: one light lookup to rank a window before loading rows."""
        if not rowids:
            return {}
        table = {"track": "tracks", "album": "albums", "artist": "artists"}[kind]

        def read(part: Sequence[int]) -> list[tuple[int, str]]:
            marks = ",".join("?" * len(part))
            return self.catalog.execute(
                f"SELECT rowid, name FROM {table} WHERE rowid IN ({marks})", tuple(part)
            ).fetchall()

        return dict(self._in_parts(read, rowids))

    def _windows(
        self,
        index: sqlite3.Connection,
        kind: EntityKind,
        terms: Terms,
        parsed: ParsedQuery,
        after: int,
        wanted: int,
        window: int,
        skip: frozenset[int],
        check: Callable[[], None],
    ) -> tuple[list[SearchHit], int, frozenset[int], bool]:
        """Read index rows in popularity order, `window` at a time, until `wanted` hits
        survive the filters: (hits, the last row read for them, the catalog rows of `skip`
        still ahead, whether more rows may match). Rows of `skip` (shown already) are passed
        over; a page ends at the row of its last hit, so none is left out."""
        hits: list[SearchHit] = []
        last = after
        ahead = set(skip)
        for _ in range(MAX_WINDOWS):
            check()
            rows = self._matches(index, kind, terms, last, window + 1)
            more = len(rows) > window
            rows = rows[:window]
            if not rows:
                return hits, last, frozenset(ahead), False
            fresh = [catalog_rowid(r) for r in rows if catalog_rowid(r) not in ahead]
            fetched = {hit.rowid: hit for hit in self._hits(kind, fresh)} if fresh else {}
            for row in rows:
                last = row
                rowid = catalog_rowid(row)
                if rowid in ahead:
                    ahead.discard(rowid)  # passed: no later page reads it
                    continue
                hit = fetched.get(rowid)
                if hit is not None and self._keep(hit, parsed):
                    hits.append(hit)
                    if len(hits) == wanted:
                        return hits, last, frozenset(ahead), more or row != rows[-1]
            if not more:
                return hits, last, frozenset(ahead), False
        return hits, last, frozenset(ahead), True

    def _hits(self, kind: EntityKind, rowids: Sequence[int]) -> list[SearchHit]:
        """The hits of catalog rows, in the order of `rowids` (missing rows left out)."""
        return self._in_parts(lambda part: self._hits_of(kind, part), rowids)

    def _in_parts(
        self, read: Callable[[Sequence[int]], list[_Row]], rowids: Sequence[int]
    ) -> list[_Row]:
        """`read(rowids)`, the list read in parts at once (see CATALOG_READERS), the first
        here, the others by the readers' threads; their results joined in the list's order.
        The readers' catalog connections are interrupted with this thread's."""
        if not self.side_by_side or CATALOG_READERS < 2 or len(rowids) < CATALOG_SPLIT_FROM:
            return read(rowids)
        size = -(-len(rowids) // CATALOG_READERS)
        parts = [rowids[i : i + size] for i in range(0, len(rowids), size)]
        with self._lock:
            if self._readers is None:
                self._readers = ThreadPoolExecutor(CATALOG_READERS - 1, "explorer-catalog")
            readers = self._readers

        def read_there(part: Sequence[int]) -> list[_Row]:
            con = self.catalog.connection()
            with self._lock:
                self._running.add(con)
            try:
                return read(part)
            finally:
                with self._lock:
                    self._running.discard(con)

        futures = [readers.submit(read_there, part) for part in parts[1:]]
        try:
            here = read(parts[0])
        finally:
            # never leave a reader busy past this call, even when this one failed
            errors = [future.exception() for future in futures]
        for error in errors:
            if error is not None:
                raise error
        return [*here, *(row for future in futures for row in future.result())]

    def _hits_of(self, kind: EntityKind, rowids: Sequence[int]) -> list[SearchHit]:
        if kind == "track":
            # a track hit shows the track's artists, never its album's
            return track_hits(self.catalog.tracks_by_rowids(rowids, album_artists=False))
        if kind == "album":
            albums = self.catalog.album_summaries(rowids)
            return album_hits(albums[r] for r in rowids if r in albums)
        artists = self.catalog.artists_by_rowids(rowids)
        return artist_hits(artists[r] for r in rowids if r in artists)

    def _exact_names(self, parsed: ParsedQuery, kind: EntityKind) -> list[SearchHit]:
        """Artists or albums named exactly as typed (through the catalog's name indexes)."""
        text = " ".join(parsed.words) if parsed.words else parsed.filters.get(kind, "")
        if not text:
            return []
        variants = case_variants(text)
        table = "artists" if kind == "artist" else "albums"
        rows = self.catalog.execute(
            f"SELECT rowid FROM {table} WHERE name IN ({','.join('?' * len(variants))}) LIMIT 20",
            variants,
        ).fetchall()
        rowids = [row[0] for row in rows]
        hits = [hit for hit in self._hits(kind, rowids) if self._keep(hit, parsed)]
        key = (lambda h: -(h.followers or 0)) if kind == "artist" else (lambda h: -h.popularity)
        return sorted(hits, key=key)

    def _tracks_of_albums(self, parsed: ParsedQuery, limit: int) -> SearchPage:
        """`album:X words`: tracks of the albums matching X whose title has the words."""
        index = self._index()
        album_terms = searched_tokens(parsed.filters["album"])
        if not album_terms:
            return SearchPage("track", (), None, False)
        albums = self._albums_matching(index, album_terms)
        if not albums:
            return SearchPage("track", (), None, False)
        marks = ",".join("?" * len(albums))
        track_rowids = [
            row[0]
            for row in self.catalog.execute(
                f"SELECT rowid FROM tracks WHERE album_rowid IN ({marks}) LIMIT 5000", tuple(albums)
            )
        ]
        hits = [
            h
            for h in track_hits(self.catalog.tracks_by_rowids(track_rowids))
            if self._keep(h, parsed)
        ]
        text = " ".join(parsed.words)
        hits.sort(key=lambda h: (-name_exactness(h.name, text), -h.popularity))
        return SearchPage("track", tuple(hits[:limit]), None, len(hits) > limit)

    @staticmethod
    def _keep(hit: SearchHit, parsed: ParsedQuery) -> bool:
        """Filters the index cannot answer exactly, checked on the fetched rows."""
        from explorer.search.hits import keep

        return keep(hit, parsed)


def _fts_select(kind: EntityKind, condition: str) -> str:
    """SQL for the index rowids of a kind that match `?1` and the condition, in rowid
    order: one table, or for tracks a merge of the shards' ordered matches (SQLite steps
    each shard only as far as the merged rows are read, so a LIMIT stops them all)."""
    schemas = TRACK_SCHEMAS if kind == "track" else ("main",)
    return _fts_union(FTS_TABLE[kind], [(schema, condition) for schema in schemas])


def _fts_union(table: str, arms: Sequence[tuple[str, str]]) -> str:
    """The rowids matching `?1` in each (schema, condition) arm, merged in rowid order."""
    selects = [
        f"SELECT rowid FROM {schema}.{table} WHERE {table} MATCH ?1 AND {condition}"
        for schema, condition in arms
    ]
    return " UNION ALL ".join(selects) + " ORDER BY 1"


def _column(cursor: sqlite3.Cursor) -> list[int]:
    return [row[0] for row in cursor]


def _rowids_of(con: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> list[int]:
    """The rowids a query selects, in rowid order, read in one step (`group_concat`
    keeps no promised order: sorted here)."""
    (text,) = con.execute(f"SELECT group_concat(rowid) FROM ({sql})", params).fetchone()
    return sorted(int(x) for x in text.split(",")) if text else []


def _group_expression(group: tuple[str, ...]) -> str:
    return Terms((group,), (), None).expression


@dataclass(frozen=True)
class _Cursor:
    """Where the next page starts: after the index row `after`, passing over the catalog
    rows of `skip` (shown already, further on in the index), first showing the catalog
    rows of `pending` (exact names that did not fit on the first page), asking for the
    typo pass's corrections too when `fuzzy`. Written as text, the opaque page cursor."""

    after: int
    skip: frozenset[int] = frozenset()
    pending: tuple[int, ...] = ()
    fuzzy: bool = False

    def text(self) -> str:
        return ":".join(
            (
                str(self.after),
                ",".join(map(str, sorted(self.skip))),
                ",".join(map(str, self.pending)),
                "f" if self.fuzzy else "",
            )
        )

    @staticmethod
    def read(text: str | None) -> _Cursor | None:
        """The cursor a page gave, or None (the first page) for none or one not written
        by `text`."""
        parts = text.split(":") if text else []
        if len(parts) != 4 or parts[3] not in ("", "f"):
            return None
        try:
            return _Cursor(
                int(parts[0]),
                frozenset(int(x) for x in parts[1].split(",") if x),
                tuple(int(x) for x in parts[2].split(",") if x),
                parts[3] == "f",
            )
        except ValueError:
            return None
