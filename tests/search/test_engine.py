"""The search engine on a real demo catalog and its index."""

from __future__ import annotations

import itertools
import random
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.catalog import Catalog, open_catalog
from explorer.catalog.records import TrackRow
from explorer.errors import CancelledError
from explorer.search.engine import SearchEngine

SAMPLE = 150


@pytest.fixture(scope="module")
def sample(engine: SearchEngine) -> list[TrackRow]:
    rng = random.Random(4)
    highest = engine.catalog.estimate("tracks")
    return engine.catalog.tracks_by_rowids(rng.sample(range(1, highest + 1), SAMPLE))


def _ids(engine: SearchEngine, text: str, kind: str = "track", limit: int = 10) -> list[str]:
    return [hit.id for hit in engine.search(text, kind=kind, limit=limit).hits]  # type: ignore[arg-type]


def test_artist_and_title_find_the_track(engine: SearchEngine, sample: list[TrackRow]) -> None:
    found = sum(
        track.id in _ids(engine, f"{track.artists[0].name} {track.name}") for track in sample
    )
    assert found / len(sample) >= 0.98


def test_title_and_artist_in_any_order(engine: SearchEngine, sample: list[TrackRow]) -> None:
    found = sum(
        track.id in _ids(engine, f"{track.name} {track.artists[0].name} ") for track in sample
    )
    assert found / len(sample) >= 0.98


def _typo(rng: random.Random, text: str) -> str | None:
    words = [w for w in text.split() if len(w) >= 5 and w.isalpha() and w.isascii()]
    if not words:
        return None
    word = max(words, key=len)
    i = rng.randrange(1, len(word))
    wrong = word[:i] + ("x" if word[i].lower() != "x" else "q") + word[i + 1 :]
    return text.replace(word, wrong, 1)


def test_one_typo_still_finds_the_track(engine: SearchEngine, sample: list[TrackRow]) -> None:
    rng = random.Random(8)
    tried = found = 0
    for track in sample:
        query = _typo(rng, f"{track.artists[0].name} {track.name}")
        if query is None:
            continue
        tried += 1
        found += track.id in _ids(engine, query + " ")
    assert tried >= 50
    assert found / tried >= 0.90


def test_common_word_gives_the_most_popular_first(engine: SearchEngine) -> None:
    page = engine.search("love ", kind="track", limit=20)
    assert page.more and len(page.hits) == 20
    popularity = [hit.popularity for hit in page.hits if hit.name.lower() != "love"]
    assert popularity == sorted(popularity, reverse=True)


def test_exact_names_come_first(engine: SearchEngine) -> None:
    page = engine.search("love ", kind="track", limit=20)
    exact = [hit.name.lower() == "love" for hit in page.hits]
    assert exact[0] and exact == sorted(exact, reverse=True)


def test_paging_continues_without_repeats(engine: SearchEngine) -> None:
    first = engine.search("night ", kind="track", limit=10)
    second = engine.search("night ", kind="track", limit=10, cursor=first.cursor)
    assert first.cursor and second.hits
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_prefix_completes_the_last_word(engine: SearchEngine, sample: list[TrackRow]) -> None:
    track = next(
        t for t in sample if len(t.artists[0].name.split()[-1]) > 5 and t.artists[0].name.isascii()
    )
    typed = f"{track.name} {track.artists[0].name}"[:-2]
    assert track.id in _ids(engine, typed, limit=20)


@pytest.mark.parametrize(
    "form", ["spotify:{kind}:{id}", "https://open.spotify.com/{kind}/{id}?si=x", "{id}"]
)
def test_pasted_ids_resolve(engine: SearchEngine, sample: list[TrackRow], form: str) -> None:
    track = sample[0]
    assert track.album is not None
    for kind, entity_id in (
        ("track", track.id),
        ("album", track.album.id),
        ("artist", track.artists[0].id),
    ):
        page = engine.search(form.format(kind=kind, id=entity_id), kind=kind)  # type: ignore[arg-type]
        assert [hit.id for hit in page.hits] == [entity_id]


def test_filters(engine: SearchEngine, sample: list[TrackRow]) -> None:
    track = next(t for t in sample if t.album and t.album.year)
    assert track.album is not None and track.isrc is not None
    assert track.id in [h.id for h in engine.search(f"isrc:{track.isrc}", kind="track").hits]
    year = track.album.year
    hits = engine.search(f"year:{year} {track.name} ", kind="track", limit=50).hits
    assert hits and all(hit.year == year for hit in hits)
    hits = engine.search(f'artist:"{track.artists[0].name}"', kind="track", limit=50).hits
    assert hits and all(track.artists[0].name in hit.artists for hit in hits)
    album_hits = engine.search(f'album:"{track.album.name}" {track.name}', kind="track").hits
    assert track.id in [hit.id for hit in album_hits]
    singles = engine.search("type:single love", kind="album", limit=30).hits
    assert singles and all(hit.album_type == "single" for hit in singles)


def test_spaceless_scripts_by_a_part(engine: SearchEngine) -> None:
    row = engine.catalog.execute(
        "SELECT rowid FROM tracks WHERE name GLOB '*[一-龥][一-龥][一-龥]*' LIMIT 1"
    ).fetchone()
    (track,) = engine.catalog.tracks_by_rowids([row[0]])
    cjk = [c for c in track.name if "\u4e00" <= c <= "\u9fff"]
    part = "".join(cjk[1:3])
    hits = engine.search(part + " ", kind="track", limit=500).hits
    assert track.id in [hit.id for hit in hits]
    assert all(part in hit.name or part in "".join(hit.artists) for hit in hits)


def test_a_part_of_several_characters_is_asked_by_its_pairs(engine: SearchEngine) -> None:
    """The index holds each two neighbouring CJK characters: a part of a name matches
    through its pairs, so the index itself tells the characters' order."""
    from explorer.index.text import index_text
    from explorer.search.query import parse_query
    from explorer.search.terms import match_terms

    row = engine.catalog.execute(
        "SELECT rowid FROM tracks WHERE name GLOB '*[가-힣][가-힣][가-힣]*' LIMIT 1"
    ).fetchone()
    (track,) = engine.catalog.tracks_by_rowids([row[0]])
    run = next(w for w in track.name.split() if len(w) >= 3 and all("가" <= c <= "힣" for c in w))
    assert run[:2] in index_text(track.name).split()
    terms = match_terms(parse_query(run), "track")
    assert [group[0] for group in terms.groups] == [run[i : i + 2] for i in range(len(run) - 1)]
    index = engine._index()
    matched = {
        r[0] & ((1 << 40) - 1)
        for r in index.execute(
            "SELECT rowid FROM track_fts WHERE track_fts MATCH ?", (terms.expression,)
        )
    }
    assert track.rowid in matched
    hits = engine.search(run, kind="track", limit=50).hits
    assert track.id in [hit.id for hit in engine.search(run, kind="track", limit=500).hits]
    assert hits and all(run in "".join((h.name, *h.artists, h.album or "")) for h in hits)


def test_typos_in_artist_names(engine: SearchEngine) -> None:
    artist = next(
        a
        for a in engine.catalog.top_artists(limit=100)
        if a.name.isascii() and max(map(len, a.name.split())) >= 6
    )
    word = max(artist.name.split(), key=len)
    wrong = word[0] + word[2] + word[1] + word[3:]
    page = engine.search(artist.name.replace(word, wrong) + " ", kind="artist")
    assert artist.id in [hit.id for hit in page.hits]


def test_time_limit_returns_a_notice(engine: SearchEngine) -> None:
    page = engine.search("love night", kind="track", timeout_s=0)
    assert page.hits == () and page.notice and "longer" in page.notice


@pytest.mark.parametrize("text", ["love ", "love heart "])  # one statement; shards apart
def test_interrupt_from_another_thread(engine: SearchEngine, text: str) -> None:
    outcome: dict[str, int] = {"cancelled": 0, "done": 0}

    def work() -> None:
        for _ in range(300):
            try:
                engine.search(text, kind="track", limit=100)
                outcome["done"] += 1
            except CancelledError:
                outcome["cancelled"] += 1

    thread = threading.Thread(target=work)
    thread.start()
    while thread.is_alive():
        engine.interrupt()
    thread.join()
    assert outcome["cancelled"] > 0
    assert engine.search(text, kind="track", limit=5).hits


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "(",
        ")",
        "*",
        "-",
        "NEAR",
        "AND",
        "OR NOT",
        "a AND",
        "😀🎵",
        "\x00\x01\x1b",
        "x" * 10_000,
        "",
        " ",
        "year:",
        "type:",
        'artist:"',
        "^",
        "a:b:c",
    ],
)
def test_odd_text_gives_results_or_nothing(engine: SearchEngine, text: str) -> None:
    for kind in ("artist", "album", "track"):
        engine.search(text, kind=kind, limit=5)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_any_text_never_raises(engine: SearchEngine, text: str) -> None:
    page = engine.search(text, kind="track", limit=5)
    assert len(page.hits) <= 5


def test_without_the_index_names_are_searched_by_their_beginning(
    demo_catalog: Catalog, tmp_path: Path
) -> None:
    copy = tmp_path / "noindex.sqlite3"
    shutil.copy(demo_catalog.path, copy)
    with open_catalog(copy) as catalog:
        engine = SearchEngine(catalog)
        assert not engine.index_ready
        artist = catalog.top_artists(limit=1)[0]
        page = engine.search(artist.name[:4], kind="artist")
        assert page.reduced and page.notice and "index" in page.notice
        assert artist.id in [hit.id for hit in page.hits]
        tracks = engine.search("love", kind="track")
        assert tracks.hits == () and tracks.reduced and tracks.notice
        engine.close()


def _plain_matches(engine: SearchEngine, expression: str, after: int, count: int) -> list[int]:
    """What FTS5 answers for the whole expression (each track shard asked on its own, the
    answers merged here), the reference for the split path."""
    from explorer.index.store import TRACK_SHARDS

    rows = [
        row[0]
        for k in range(1, TRACK_SHARDS + 1)
        for row in engine._index().execute(
            f"SELECT rowid FROM s{k}.track_fts WHERE track_fts MATCH ? AND rowid > ? "
            "ORDER BY rowid LIMIT ?",
            (expression, after, count),
        )
    ]
    return sorted(rows)[:count]


def test_common_words_checked_last_give_the_same_matches(
    engine: SearchEngine, sample: list[TrackRow]
) -> None:
    from explorer.search.query import parse_query
    from explorer.search.terms import match_terms

    index = engine._index()
    split = 0
    for track in sample[:60]:
        for text in (
            f"{track.artists[0].name} {track.name} ",
            f"the {track.name} of the ",
            "the love of ",
        ):
            terms = match_terms(parse_query(text), "track")
            if not terms.expression:
                continue
            _rare, common = engine._split_common(index, "track", terms)
            split += bool(common.groups)
            for after, count in ((0, 201), (0, 3), (_plain_matches(engine, "the", 0, 50)[-1], 20)):
                assert engine._matches(index, "track", terms, after, count) == _plain_matches(
                    engine, terms.expression, after, count
                ), text
    assert split >= 30  # the path under test was taken


def test_shards_read_one_after_the_other_give_the_same_pages(
    engine: SearchEngine, sample: list[TrackRow]
) -> None:
    """The matcher's workers read the track shards on one thread: the same hits."""
    alone = SearchEngine(engine.catalog, side_by_side=False)
    try:
        for track in sample[:40]:
            for text in (f"{track.artists[0].name} {track.name} ", f"the {track.name} of the "):
                assert _ids(alone, text, limit=50) == _ids(engine, text, limit=50), text
        assert alone._shard_connections() == [alone._index()]  # no second connection
    finally:
        alone.close()


def test_every_genre_of_the_catalog_finds_artists(engine: SearchEngine) -> None:
    """Genres with "and" or an apostrophe ("drum and bass", "children's music") too."""
    genres = [g for (g,) in engine.catalog.execute("SELECT DISTINCT genre FROM artist_genres")]
    assert len(genres) > 20 and "drum and bass" in genres
    for genre in genres:
        hits = engine.search(f'genre:"{genre}"', kind="artist", limit=5).hits
        assert hits, genre


def test_common_words_of_an_artist_filter_are_checked_on_the_hits(engine: SearchEngine) -> None:
    artist = next(
        name
        for (name,) in engine.catalog.execute(
            "SELECT name FROM artists WHERE name LIKE 'The % %' LIMIT 1"
        )
    )
    hits = engine.search(f'artist:"{artist}" ', kind="track", limit=50).hits
    assert hits and all(artist in hit.artists for hit in hits)


def test_shards_asked_for_their_share_give_the_first_matches(
    engine: SearchEngine, sample: list[TrackRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Side by side, each track shard is asked for about half the matches: when one
    holds more of them, it reads on, and the merged rows are still FTS5's first ones."""
    import explorer.search.engine as engine_module

    reads = []
    read = engine_module._rowids_of

    def counted(*args: object) -> list[int]:
        reads.append(args)
        return read(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module, "_rowids_of", counted)
    index = engine._index()
    expressions = ['"the" AND "of"', '"love" OR "the"', '"y_1990" OR "y_2001"']
    expressions += [f'"{t.name.split()[0].lower()}" AND "the"' for t in sample[:20]]
    read_on = 0
    for expression, margin in itertools.product(expressions, (8, 10**6)):
        # 10**6: no margin, shards read on more often
        monkeypatch.setattr(engine_module, "SHARD_MARGIN", margin)
        for after in [0, *_plain_matches(engine, expression, 0, 40)[-1:]]:
            for count in (1, 2, 3, 7, 50, 201):
                reads.clear()
                assert engine._fts_rows(
                    index, "track", (expression, after, count), apart=True
                ) == _plain_matches(engine, expression, after, count), (expression, count)
                assert len(reads) >= 2  # the shards were read side by side
                read_on += len(reads) > 2
    assert read_on >= 10  # a shard read on in some of them
