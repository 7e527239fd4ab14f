"""The sidecar index: built beside the catalog, resumable after a cancel or a crash."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.errors import CancelledError
from explorer.index import IndexProgress, build_index, drop_index, index_path_for, index_status


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _vocab(path: Path) -> list[tuple[str, int]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT term, docs FROM vocab ORDER BY term").fetchall()
    finally:
        con.close()


@pytest.fixture
def catalog_copy(demo_catalog_path: Path, tmp_path: Path) -> Path:
    """A private copy (its own identity, so its own index)."""
    target = tmp_path / "copy.sqlite3"
    shutil.copy(demo_catalog_path, target)
    return target


def test_build_leaves_the_catalog_unchanged(catalog_copy: Path) -> None:
    before = (_digest(catalog_copy), catalog_copy.stat().st_mtime_ns)
    seen: list[IndexProgress] = []
    with open_catalog(catalog_copy) as catalog:
        status = build_index(catalog, progress=seen.append)
        assert status.complete and status.rows_done == status.rows_total
        assert index_path_for(catalog).parent != catalog_copy.parent
    assert (_digest(catalog_copy), catalog_copy.stat().st_mtime_ns) == before
    assert sorted(p.name for p in catalog_copy.parent.iterdir()) == ["copy.sqlite3"]
    assert seen[-1].part == "vocabulary"
    assert any(p.part == "tracks" and p.rows_per_second > 0 for p in seen)


def test_a_finished_index_has_one_segment_and_fts5_defaults(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built with merging off (a segment per chunk), then optimized: one segment per table
    (artists and albums in the main file, tracks in each shard), FTS5's defaults restored,
    and nothing left of the build's own tables."""
    from explorer.index import writer
    from explorer.index.merge import FINISHED_FTS_SETTINGS
    from explorer.index.store import TRACK_SHARDS, shard_paths

    monkeypatch.setattr(writer, "CHUNK_ROWS", 2_000)
    with open_catalog(catalog_copy) as catalog:
        build_index(catalog)
        main = index_path_for(catalog)
    tables = [(main, "artist_fts"), (main, "album_fts")]
    tables += [(shard, "track_fts") for shard in shard_paths(main)]
    assert len(tables) == 2 + TRACK_SHARDS >= 4
    # the build's own file is gone
    assert {p.name for p in main.parent.glob(f"{main.stem}*.sqlite3")} == {
        p.name for p, _ in tables
    }
    for path, table in tables:
        con = sqlite3.connect(path)
        try:
            config = dict(con.execute(f"SELECT k, v FROM {table}_config").fetchall())
            assert {name: config[name] for name, _ in FINISHED_FTS_SETTINGS} == dict(
                FINISHED_FTS_SETTINGS
            )
            segments = con.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()
            assert segments == (1,), table
            assert con.execute("SELECT sum(merged) FROM progress").fetchone()[0] >= 1
        finally:
            con.close()


def test_cancel_then_resume_gives_the_same_index(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.index import writer

    monkeypatch.setattr(writer, "CHUNK_ROWS", 1_000)
    cancel = threading.Event()

    def stop_midway(progress: IndexProgress) -> None:
        if progress.part == "tracks" and progress.rows_done > progress.rows_total // 2:
            cancel.set()

    with open_catalog(catalog_copy) as catalog:
        with pytest.raises(CancelledError):
            build_index(catalog, progress=stop_midway, cancel=cancel)
        partial = index_status(catalog)
        assert partial.exists and not partial.complete
        assert 0 < partial.rows_done < partial.rows_total
        resumed: list[IndexProgress] = []
        assert build_index(catalog, progress=resumed.append).complete
        assert resumed[0].rows_done > partial.rows_done  # went on from where it stopped
        resumed_vocab = _vocab(index_path_for(catalog))
        drop_index(catalog)
        build_index(catalog)
        assert _vocab(index_path_for(catalog)) == resumed_vocab


def test_a_killed_build_resumes(catalog_copy: Path, explorer_home: Path) -> None:
    script = (
        "import os, signal, sys\n"
        "from explorer.catalog import open_catalog\n"
        "from explorer.index import build as b, writer\n"
        "writer.CHUNK_ROWS = 1000\n"
        "def progress(p):\n"
        "    if p.part == 'tracks' and p.rows_done > 8000:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "b.build_index(open_catalog(sys.argv[1]), progress=progress)\n"
    )
    env = {**os.environ, "EXPLORER_HOME": str(explorer_home)}
    done = subprocess.run([sys.executable, "-c", script, str(catalog_copy)], env=env, check=False)
    assert done.returncode == -9
    with open_catalog(catalog_copy) as catalog:
        partial = index_status(catalog)
        assert partial.exists and not partial.complete and partial.rows_done > 8000
        assert build_index(catalog).complete
        con = sqlite3.connect(index_path_for(catalog))
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        con.close()


def test_drop(catalog_copy: Path) -> None:
    with open_catalog(catalog_copy) as catalog:
        assert not drop_index(catalog)
        build_index(catalog)
        assert drop_index(catalog)
        assert not index_status(catalog).exists


def test_an_index_of_another_version_is_rebuilt(catalog_copy: Path) -> None:
    with open_catalog(catalog_copy) as catalog:
        build_index(catalog)
        con = sqlite3.connect(index_path_for(catalog))
        con.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
        con.commit()
        con.close()
        assert not index_status(catalog).complete
        assert build_index(catalog).complete


def test_parallel_build_equals_serial_build(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.index import build as build_module
    from explorer.index import writer

    with open_catalog(catalog_copy) as catalog:
        monkeypatch.setattr(build_module, "PARALLEL_FROM", 0)
        monkeypatch.setattr(build_module, "WORKERS", 3)
        monkeypatch.setattr(writer, "CHUNK_ROWS", 4_000)
        assert build_index(catalog).complete
        parallel = _vocab(index_path_for(catalog))
        drop_index(catalog)
        monkeypatch.setattr(build_module, "WORKERS", 0)
        assert build_index(catalog).complete
        assert _vocab(index_path_for(catalog)) == parallel


def _counted_words(main: Path) -> list[tuple[str, int]]:
    """Each word's rows over the index's tables, counted by FTS5 itself (UPC tokens left
    out, as the vocabulary leaves them out)."""
    from explorer.index.store import shard_paths

    con = sqlite3.connect(":memory:")
    try:
        tables = [("m", "artist_fts"), ("m", "album_fts")]
        con.execute("ATTACH DATABASE ? AS m", (f"file:{main}?mode=ro",))
        for k, shard in enumerate(shard_paths(main)):
            con.execute(f"ATTACH DATABASE ? AS s{k}", (f"file:{shard}?mode=ro",))
            tables.append((f"s{k}", "track_fts"))
        counts: dict[str, int] = {}
        for k, (schema, table) in enumerate(tables):
            con.execute(f"CREATE VIRTUAL TABLE temp.v{k} USING fts5vocab({schema}, {table}, row)")
            for term, docs in con.execute(f"SELECT term, doc FROM temp.v{k}"):
                counts[term] = counts.get(term, 0) + docs
        return sorted((t, d) for t, d in counts.items() if not t.startswith("u_"))
    finally:
        con.close()


def test_the_vocabulary_counts_every_words_rows_once_even_when_a_merge_runs_again(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part's writer adds its words to the vocabulary as it finishes. A shard's words
    go into the main file before the shard records its merge (two files, two commits): a
    build stopped between the two merges that shard again and must not count it twice."""
    from explorer.index import build as build_module
    from explorer.index import writer
    from explorer.index.store import shard_paths

    monkeypatch.setattr(build_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(writer, "CHUNK_ROWS", 4_000)
    with open_catalog(catalog_copy) as catalog:
        assert build_index(catalog).complete
        main = index_path_for(catalog)
        counted = _counted_words(main)
        assert len(counted) > 1_000 and _vocab(main) == counted
        # as if stopped after the first shard's words were counted, before its own commit
        con = sqlite3.connect(main)
        con.execute("UPDATE meta SET value = '0' WHERE key = 'complete'")
        con.commit()
        con.close()
        con = sqlite3.connect(shard_paths(main)[0])
        con.execute("UPDATE progress SET merged = 0")
        con.commit()
        con.close()
        assert not index_status(catalog).complete
        assert build_index(catalog).complete
        assert _vocab(main) == counted


def test_the_vocabulary_leaves_out_upc_tokens_and_upc_search_still_works(
    indexed_catalog_path: Path,
) -> None:
    from explorer.search.engine import SearchEngine

    with open_catalog(indexed_catalog_path) as catalog:
        terms = [term for term, _ in _vocab(index_path_for(catalog))]
        assert terms and not [t for t in terms if t.startswith("u_")]
        assert [t for t in terms if t.startswith("y_")]  # other markers stay (common checks)
        album_rowid, upc = catalog.execute(
            "SELECT rowid, external_id_upc FROM albums WHERE external_id_upc != '' LIMIT 1"
        ).fetchone()
        hits = SearchEngine(catalog).search(f"upc:{upc}", kind="album").hits
        assert album_rowid in [hit.rowid for hit in hits]


def test_a_finished_index_hands_back_the_pages_its_merges_freed(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.index import writer
    from explorer.index.store import shard_paths

    monkeypatch.setattr(writer, "CHUNK_ROWS", 2_000)  # many segments, merged at the end
    with open_catalog(catalog_copy) as catalog:
        build_index(catalog)
        con = sqlite3.connect(f"file:{index_path_for(catalog)}?mode=ro", uri=True)
        try:
            assert con.execute("PRAGMA auto_vacuum").fetchone() == (2,)  # incremental
            assert con.execute("PRAGMA freelist_count").fetchone() == (0,)
            for k, shard in enumerate(shard_paths(index_path_for(catalog))):
                con.execute(f"ATTACH DATABASE ? AS s{k}", (f"file:{shard}?mode=ro",))
                assert con.execute(f"PRAGMA s{k}.auto_vacuum").fetchone() == (2,), shard
                assert con.execute(f"PRAGMA s{k}.freelist_count").fetchone() == (0,), shard
        finally:
            con.close()


def test_credits_from_the_artists_texts_give_the_tokens_of_the_names_index_texts(
    demo_catalog_path: Path,
) -> None:
    """Tracks and albums take each non-ASCII artist's index text (computed once per
    artist) and give plain ASCII names as they are: the FTS tokenizer must see the same
    words as if every name had gone through `index_text` (no CJK pair spans two names)."""
    from explorer.index.store import INDEX_DDL
    from explorer.index.text import index_text
    from explorer.text import tokens

    tokenizer = INDEX_DDL.split("tokenize=", 1)[1].split("\n", 1)[0]

    def plain(text: str) -> bool:
        return all(" " <= c <= "~" for c in text)

    con = sqlite3.connect(":memory:")
    con.execute("ATTACH DATABASE ? AS cat", (f"file:{demo_catalog_path}?mode=ro",))
    credits: dict[int, list[str]] = {}
    for track, name in con.execute(
        "SELECT ta.track_rowid, a.name FROM cat.track_artists ta "
        "JOIN cat.artists a ON a.rowid = ta.artist_rowid WHERE ta.track_rowid <= 5000"
    ):
        credits.setdefault(track, []).append(name)
    assert any(not plain(" ".join(names)) for names in credits.values())
    for table in ("every", "each"):
        con.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(text, tokenize={tokenizer})")
        con.execute(f"CREATE VIRTUAL TABLE v_{table} USING fts5vocab({table}, instance)")
    for track, names in credits.items():
        # as a credit with a non-ASCII name used to be: every name through `tokens`
        every = " ".join(
            " ".join(tokens(name)) if plain(name) else index_text(name) for name in names
        )
        con.execute("INSERT INTO every (rowid, text) VALUES (?, ?)", (track, every))
        each = " ".join(name if plain(name) else index_text(name) for name in names)
        con.execute("INSERT INTO each (rowid, text) VALUES (?, ?)", (track, each))
    every_tokens = set(con.execute("SELECT term, doc FROM v_every").fetchall())
    each_tokens = set(con.execute("SELECT term, doc FROM v_each").fetchall())
    assert every_tokens and every_tokens == each_tokens


def test_two_catalogs_built_in_one_process_each_index_their_own_rows(
    catalog_copy: Path, small_catalog_path: Path, tmp_path: Path
) -> None:
    """A window builds the indexes of several small catalogs in its own process."""
    from explorer.search.engine import SearchEngine

    small = tmp_path / "small.sqlite3"
    shutil.copy(small_catalog_path, small)
    with open_catalog(catalog_copy) as first:
        build_index(first)
    with open_catalog(small) as second:
        build_index(second)
        name, track_id = second.execute(
            "SELECT name, id FROM tracks WHERE rowid = (SELECT max(rowid) / 2 FROM tracks)"
        ).fetchone()
        hits = SearchEngine(second).search(f'track:"{name}"', kind="track", limit=200).hits
        assert track_id in [hit.id for hit in hits]
        assert _vocab(index_path_for(second)) != _vocab(index_path_for(first))


def test_completions_kept_for_short_prefixes_equal_ranking_the_vocabulary(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from explorer.index import build as build_module
    from explorer.index.store import COMPLETIONS
    from explorer.search.terms import completions

    monkeypatch.setattr(build_module, "COMPLETION_TABLE_DOCS", 1)  # many prefixes kept
    with open_catalog(catalog_copy) as catalog:
        build_index(catalog)
        con = sqlite3.connect(f"file:{index_path_for(catalog)}?mode=ro", uri=True)
    try:
        prefixes = [row[0] for row in con.execute("SELECT DISTINCT prefix FROM completion")]
        assert len(prefixes) > 20 and {len(p) for p in prefixes} == {2, 3}
        for prefix in prefixes:
            ranked = [
                row[0]
                for row in con.execute(
                    "SELECT term FROM vocab WHERE term > ? AND term < ? "
                    "ORDER BY docs DESC, term LIMIT ?",
                    (prefix, prefix + "\U0010ffff", COMPLETIONS),
                )
            ]
            assert completions(con, prefix) == ranked, prefix
        # a prefix with few frequent words is ranked from the vocabulary itself
        rare = con.execute(
            "SELECT substr(term, 1, 3) FROM vocab WHERE length(term) > 3 AND substr(term, 1, 3) "
            "NOT IN (SELECT prefix FROM completion) LIMIT 1"
        ).fetchone()[0]
        assert completions(con, rare) and all(t.startswith(rare) for t in completions(con, rare))
    finally:
        con.close()


def test_two_threads_building_two_catalogs_at_once_keep_their_rows_apart(
    catalog_copy: Path, small_catalog_path: Path, tmp_path: Path
) -> None:
    small = tmp_path / "small.sqlite3"
    shutil.copy(small_catalog_path, small)
    errors: list[BaseException] = []

    def build(path: Path) -> None:
        try:
            with open_catalog(path) as catalog:
                build_index(catalog)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(p,)) for p in (catalog_copy, small)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for path in (catalog_copy, small):
        with open_catalog(path) as catalog:
            built = _vocab(index_path_for(catalog))
            drop_index(catalog)
            build_index(catalog)  # alone, in this thread
            assert _vocab(index_path_for(catalog)) == built, path.name


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("가바 나영", "가바나영"),  # typed without the name's space
        ("가바나영", "가바 나영"),  # typed with a space the name lacks
        ("東京・大阪", "東京大阪"),  # punctuation between two words
        ("東京 - 大阪", "京大"),
        ("夜空の花", "空の"),
        ("Love 東京", "love 東京"),
    ],
)
def test_every_token_a_cjk_query_asks_is_in_the_names_index_text(name: str, query: str) -> None:
    from explorer.index.text import index_text
    from explorer.search.terms import searched_tokens

    assert set(searched_tokens(query)) <= set(index_text(name).split())


def test_no_cjk_pair_spans_a_word_of_another_script() -> None:
    from explorer.index.text import index_text

    assert "京大" not in index_text("東京 Love 大阪").split()
    assert "京大" not in index_text("東京a 大阪").split()


def test_the_tracks_are_split_between_the_shards_and_searched_as_one(
    indexed_catalog_path: Path,
) -> None:
    """Each shard holds a contiguous range of the tracks' rowids, together all of them, and
    a search finds a track whichever shard holds it, in one rank order across shards."""
    from explorer.index.ranking import ROWID_MASK
    from explorer.index.store import TRACK_SHARDS, shard_paths
    from explorer.search.engine import SearchEngine
    from explorer.search.query import parse_query
    from explorer.search.terms import match_terms

    with open_catalog(indexed_catalog_path) as catalog:
        highest = catalog.estimate("tracks")
        ranges = []
        for shard in shard_paths(index_path_for(catalog)):
            con = sqlite3.connect(f"file:{shard}?mode=ro", uri=True)
            try:
                ranges.append(
                    con.execute(
                        "SELECT next_rowid, last_rowid FROM progress WHERE part = 'tracks'"
                    ).fetchone()
                )
            finally:
                con.close()
        assert len(ranges) == TRACK_SHARDS
        # each went to its end; the first ends halfway, the last at the highest rowid
        assert all(next_ == last + 1 for next_, last in ranges)
        assert 0 < ranges[0][1] < highest == ranges[-1][1]
        engine = SearchEngine(catalog)
        for rowid in (1, ranges[0][1], ranges[0][1] + 1, highest):
            name, track_id = catalog.execute(
                "SELECT name, id FROM tracks WHERE rowid = ?", (rowid,)
            ).fetchone()
            hits = engine.search(f'track:"{name}"', kind="track", limit=500).hits
            assert track_id in [hit.id for hit in hits], rowid
        (word,) = (
            engine._index()
            .execute("SELECT term FROM vocab WHERE term GLOB '[a-z][a-z][a-z]*' ORDER BY docs DESC")
            .fetchone()
        )
        terms = match_terms(parse_query(word), "track")
        rows = engine._matches(engine._index(), "track", terms, after=0, count=100_000)
        assert rows == sorted(rows) and len(set(rows)) == len(rows) > 100
        halves = {(row & ROWID_MASK) > ranges[0][1] for row in rows}
        assert halves == {False, True}


def test_a_finished_index_missing_a_shard_is_built_again(catalog_copy: Path) -> None:
    """A shard file deleted by hand: the index is not complete, and the next build makes
    the whole index again (the shard's words had been merged into the vocabulary)."""
    from explorer.index.store import shard_paths
    from explorer.search.engine import SearchEngine

    with open_catalog(catalog_copy) as catalog:
        build_index(catalog)
        built = _vocab(index_path_for(catalog))
        shard_paths(index_path_for(catalog))[-1].unlink()
        assert not index_status(catalog).complete
        assert not SearchEngine(catalog).index_ready
        assert build_index(catalog).complete
        assert _vocab(index_path_for(catalog)) == built
        name, track_id = catalog.execute(
            "SELECT name, id FROM tracks WHERE rowid = (SELECT max(rowid) FROM tracks)"
        ).fetchone()
        hits = SearchEngine(catalog).search(f'track:"{name}"', kind="track", limit=500).hits
        assert track_id in [hit.id for hit in hits]


def test_two_writers_of_one_part_share_its_chunks_without_indexing_a_row_twice(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers of a build whose process was killed finish their chunks while the next
    build writes the same files: each chunk is written once, by one of them. Here the
    second writer of each part does all the chunks left while the first has written one."""
    from explorer.index import build as build_module
    from explorer.index import writer

    monkeypatch.setattr(writer, "CHUNK_ROWS", 500)
    with open_catalog(catalog_copy) as catalog:
        build_index(catalog)
        alone = _vocab(index_path_for(catalog))
        drop_index(catalog)
        con = build_module.open_index_for_writing(catalog)
        reported: list[int] = []

        def write_twice(job: writer.Job) -> None:
            second = [job]

            def report(_part: str, rows: int) -> None:
                reported.append(rows)
                while second:  # once, after the first writer's first chunk
                    writer.write(second.pop(), report, lambda: False)

            writer.write(job, report, lambda: False)

        for stage in build_module._stages(catalog):
            for lane in stage:
                for job in lane:
                    write_twice(job)
        build_module._finish(con, index_path_for(catalog), progress=None, total=0)
        con.close()
        status = index_status(catalog)
        assert status.complete and status.rows_done == status.rows_total == sum(reported)
        assert _vocab(index_path_for(catalog)) == alone


def test_a_parallel_build_cancelled_midway_resumes_to_the_same_index(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel stops the worker processes wherever they are (inside a chunk's transaction
    or merging a table); the next build goes on from what they committed."""
    from explorer.index import build as build_module

    with open_catalog(catalog_copy) as catalog:
        build_index(catalog)
        alone = _vocab(index_path_for(catalog))
        drop_index(catalog)
        monkeypatch.setattr(build_module, "PARALLEL_FROM", 0)
        cancel = threading.Event()

        def stop_at_the_first_rows(progress: IndexProgress) -> None:
            if progress.part in ("albums", "tracks", "optimize"):
                cancel.set()

        with pytest.raises(CancelledError):
            build_index(catalog, progress=stop_at_the_first_rows, cancel=cancel)
        assert not index_status(catalog).complete
        assert build_index(catalog).complete
        assert _vocab(index_path_for(catalog)) == alone


@pytest.mark.parametrize(
    ("date", "token"),
    [
        ("1999-05-01", " y_1999"),
        ("1999", " y_1999"),
        ("0001", " y_0001"),
        ("0000", ""),
        ("0000-01-01", ""),
        ("199", ""),
        ("19a0", ""),
        (" 1999", ""),
        ("９９９９", ""),  # full-width digits are not a year
        ("", ""),
        (None, ""),
    ],
)
def test_the_year_token_of_a_release_date(date: str | None, token: str) -> None:
    from explorer.index.part_sql import year_token_sql

    con = sqlite3.connect(":memory:")
    try:
        assert con.execute(f"SELECT {year_token_sql('?1')}", (date,)).fetchone() == (token,)
    finally:
        con.close()


def test_credits_stored_out_of_order_are_looked_up_row_by_row_to_the_same_index(
    catalog_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk's credits are read as one run of the credits table's rows when the catalog
    stores them row after row (as the demo does); a catalog storing them in another order
    gets the same index, each row's credits looked up on its own."""
    from explorer.index import writer

    monkeypatch.setattr(writer, "CHUNK_ROWS", 3_000)
    shuffled = tmp_path / "shuffled.sqlite3"
    shutil.copy(catalog_copy, shuffled)
    con = sqlite3.connect(shuffled)
    for table, column in (("track_artists", 0), ("artist_albums", 1)):  # the credited row
        rows = con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        assert rows
        # a row's credits stay together, in their order; the rows' runs are scattered
        order = sorted(range(len(rows)), key=lambda i: rows[i][column] * 7919 % 1009)
        con.execute(f"DELETE FROM {table}")
        marks = ",".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", [rows[i] for i in order])
    con.commit()
    con.close()
    with open_catalog(catalog_copy) as catalog:
        build_index(catalog)
        in_order = _vocab(index_path_for(catalog))
    with open_catalog(shuffled) as catalog:
        build_index(catalog)
        assert _vocab(index_path_for(catalog)) == in_order


@pytest.mark.parametrize(
    "name",
    [
        "deep house",
        "k-pop",
        "drum and bass",
        "children's music",
        "R&B",
        "80s pop",
        "Música Popular",
        "deep  house",
        " trap",
        "a\tb",
        "Warner Music",
        "Sony/BMG",
        "Éditions Milan",
        "4AD",
        "a\ue000b",  # a private-use character: part of a token to FTS5
        "",
    ],
)
def test_genre_and_label_tokens_asked_for_are_the_ones_the_index_holds(name: str) -> None:
    """What `genre:` or `label:` asks for is what FTS5 holds for the build's marker text
    (the SQL the build uses, through the index's tokenizer)."""
    from explorer.index.part_sql import GENRE_TOKEN_SQL, LABEL_TOKENS_SQL
    from explorer.index.store import INDEX_DDL
    from explorer.search.terms import genre_tokens, label_tokens

    tokenizer = INDEX_DDL.split("tokenize=", 1)[1].split("\n", 1)[0]
    con = sqlite3.connect(":memory:")
    for table, sql, asked in (
        ("genre", GENRE_TOKEN_SQL, genre_tokens(name)),
        ("label", LABEL_TOKENS_SQL, label_tokens(name)),
    ):
        con.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(text, tokenize={tokenizer})")
        con.execute(f"CREATE VIRTUAL TABLE v_{table} USING fts5vocab({table}, row)")
        con.execute(f"INSERT INTO {table} (text) SELECT {sql.format(column='?')}", (name,))
        held = {term for (term,) in con.execute(f"SELECT term FROM v_{table}")}
        assert set(asked) == held, (table, asked, held)


def test_a_cancel_stops_the_chunk_being_written_and_keeps_none_of_it(
    catalog_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The building process's own lane looks at a cancel while SQLite writes a chunk
    (a chunk can take a second): the chunk is rolled back and the build goes on later."""
    from explorer.index import build as build_module
    from explorer.index import writer

    monkeypatch.setattr(writer, "CHUNK_ROWS", 10**9)  # the whole part in one chunk
    monkeypatch.setattr(writer, "CANCEL_CHECK_STEPS", 1_000)
    with open_catalog(catalog_copy) as catalog:
        build_module.open_index_for_writing(catalog).close()
        texts = build_module._stages(catalog)[0][0][0]
        assert texts.part == build_module.TEXTS
        looks: list[int] = []

        def cancelled() -> bool:
            looks.append(1)
            return len(looks) > 1  # the look before the chunk passes, the next one stops it

        with pytest.raises(CancelledError):
            writer.write(texts, lambda part, rows: None, cancelled)
        con = sqlite3.connect(index_path_for(catalog))
        try:
            assert con.execute(
                "SELECT next_rowid FROM progress WHERE part = 'texts'"
            ).fetchone() == (1,)
            assert con.execute("SELECT count(*) FROM artist_text").fetchone() == (0,)
        finally:
            con.close()
        assert build_index(catalog).complete
