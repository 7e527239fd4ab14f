"""`export dataset` and `export m3u --filter` on a matched demo library (catalog with its
features file): a round trip where every label equals the catalog's, and the user's files
never changed or moved."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from explorer.catalog import open_catalog
from explorer.cli.main import main
from explorer.demo.library import write_demo_library
from explorer.library.store import open_store
from explorer.matching.dataset import SURE, dataset_name
from explorer.matching.links import Links
from explorer.matching.review import library_page
from explorer.text.keys import camelot, standard_name
from tests.matching.test_facets import Truth, catalog_truth

SAME_NAME = "same name.flac"


@dataclass
class Library:
    music: Path
    store: str
    catalog: Path
    by_hash: dict[str, bytes]  # sha256 of a file -> its path
    truth: dict[bytes, Truth]  # path -> its linked track's facets (files linked for sure)
    status: dict[bytes, str]
    confidence: dict[bytes, float]
    track_of: dict[bytes, str]


def _sha(path: bytes | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _state(music: Path) -> dict[bytes, tuple[str, int, int, int]]:
    """Every file under the music folder: hash, size, mtime, inode."""
    found = {}
    for folder, _dirs, names in os.walk(os.fsencode(music)):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            found[path] = (_sha(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    return found


@pytest.fixture(scope="module")
def library(indexed_catalog_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("dataset")
    with open_catalog(indexed_catalog_path) as catalog:
        files = write_demo_library(catalog, root / "music", albums=12, seed=31)
    clean = [f for f in files if f.damage == "clean" and f.path.suffix == ".flac"]
    first = clean[0]
    second = next(f for f in clean if f.path.parent != first.path.parent)
    for file in (first, second):  # two files of one name in two folders
        file.path.rename(file.path.with_name(SAME_NAME))
    store = str(root / "store.sqlite3")
    args = ["match", str(root / "music"), "--catalog", str(indexed_catalog_path)]
    # a high bar for "matched" sends the less sure links to review
    assert main([*args, "--store", store, "--matched", "0.995"]) == 0
    truth, status, confidence, track_of = {}, {}, {}, {}
    with open_store(Path(store)) as opened, open_catalog(indexed_catalog_path) as catalog:
        rows, _ = library_page(opened, limit=10_000)
        links = Links(opened)
        paths = {file.id: file.path for file in opened.files(limit=10_000)}
        for row in rows:
            status[paths[row.file_id]] = row.status
            link = links.get(row.file_id)
            if row.status in SURE and link is not None and link.track_id:
                truth[paths[row.file_id]] = catalog_truth(catalog, link.track_id)
                confidence[paths[row.file_id]] = link.confidence
                track_of[paths[row.file_id]] = link.track_id
    by_hash = {_sha(path): path for path in status}
    assert len(by_hash) == len(status)  # every file's bytes differ: a hash names a file
    assert {"review"} & set(status.values()) and len(truth) > 50
    return Library(
        root / "music", store, indexed_catalog_path, by_hash, truth, status, confidence, track_of
    )


def _export(library: Library, target: Path, *extra: str) -> int:
    args = ["export", "dataset", str(target), "--catalog", str(library.catalog)]
    return main([*args, "--store", library.store, *extra])


def _number(text: str) -> float | None:
    return float(text) if text else None


def _check_labels(library: Library, target: Path, row: dict[str, str]) -> bytes:
    """The row's file is a copy of a linked file, and every label is the catalog's."""
    source = library.by_hash[_sha(target / row["file_name"])]
    truth = library.truth[source]
    with open_catalog(library.catalog) as catalog:
        track = catalog.track(library.track_of[source])
    assert track is not None and track.album is not None
    assert row["track_id"] == track.id and row["album_id"] == track.album.id
    assert row["title"] == track.name and row["album"] == track.album.name
    assert row["artist"] == "; ".join(a.name for a in track.artists)
    assert row["isrc"] == (track.isrc or "")
    assert _number(row["bpm"]) == truth.tempo
    assert row["camelot"] == truth.camelot
    if truth.camelot:
        with open_catalog(library.catalog) as catalog:
            features = catalog.audio_features(track.id)
        assert features is not None
        assert row["key"] == standard_name(features.key, features.mode)
        assert camelot(features.key, features.mode) == row["camelot"]
    assert _number(row["energy"]) == truth.energy
    assert _number(row["danceability"]) == truth.danceability
    assert _number(row["valence"]) == truth.valence
    assert int(row["popularity"]) == truth.popularity
    assert _number(row["year"]) == truth.year
    assert row["genres"] == "; ".join(g.casefold() for g in truth.genres)
    assert float(row["confidence"]) == library.confidence[source]
    assert row["status"] == library.status[source] and row["status"] in SURE
    return source


def test_round_trip_every_label_is_the_catalogs(library: Library, tmp_path: Path) -> None:
    before = _state(library.music)
    target = tmp_path / "set"
    assert _export(library, target) == 0
    assert _state(library.music) == before  # nothing changed, nothing moved
    with (target / "metadata.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sources = [_check_labels(library, target, row) for row in rows]
    assert sorted(sources) == sorted(library.truth)  # every file linked for sure, once
    names = [row["file_name"] for row in rows]
    assert "audio/same name.flac" in names and "audio/same name (2).flac" in names
    card = (target / "README.md").read_text(encoding="utf-8")
    review = sum(status == "review" for status in library.status.values())
    assert f"| left out: review | {review:,} |" in card
    assert f"| matched | {sum(s == 'matched' for s in library.status.values()):,} |" in card
    assert "confidence" in card and "bpm" in card


def test_links_are_links_and_the_originals_unchanged(library: Library, tmp_path: Path) -> None:
    before = _state(library.music)
    target = tmp_path / "linked"
    assert _export(library, target, "--link", "--fields", "bpm,key") == 0
    after = _state(library.music)
    assert after == before
    with (target / "metadata.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file_name", "bpm", "key", "confidence", "status"]
    for row in rows:
        linked = target / row["file_name"]
        source = library.by_hash[_sha(linked)]
        assert os.path.samefile(linked, source)  # a hard link (or a symlink) to it


@pytest.mark.parametrize(
    ("extra", "check"),
    [
        (["--filter", "bpm:60..120"], lambda r: 59.5 <= float(r["bpm"]) < 120.5),
        (
            ["--filter", "key:8A~ status:matched"],
            lambda r: r["camelot"] in ["8A", "7A", "9A", "8B"],
        ),
        (["--filter", "energy>0.5", "--format", "jsonl"], lambda r: r["energy"] > 0.5),
    ],
)
def test_filtered_exports(
    library: Library, tmp_path: Path, extra: list[str], check: object
) -> None:
    target = tmp_path / "filtered"
    assert _export(library, target, *extra) == 0
    if "jsonl" in extra:
        lines = (target / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines]
        assert all(isinstance(row["genres"], list) for row in rows)
    else:
        with (target / "metadata.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    assert rows and len(rows) < len(library.truth)
    assert all(check(row) for row in rows)  # type: ignore[operator]


def test_review_and_unmatched_only_when_asked(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _export(library, tmp_path / "a", "--json") == 0
    plain = json.loads(capsys.readouterr().out)
    args = ("--json", "--include-review", "--include-unmatched")
    assert _export(library, tmp_path / "b", *args) == 0
    everything = json.loads(capsys.readouterr().out)
    assert plain["left_out"]["review"] == everything["statuses"]["review"] > 0
    assert (
        plain["files"] + plain["left_out"]["review"] + plain["left_out"].get("unmatched", 0)
        == everything["files"]
    )
    assert "review" not in everything["left_out"]


def test_parquet(library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        parquet = None
    if parquet is not None:
        assert _export(library, tmp_path / "p", "--format", "parquet") == 0
        table = parquet.read_table(tmp_path / "p" / "metadata.parquet").to_pylist()
        assert len(table) == len(library.truth)
        assert all(isinstance(row["genres"], list) for row in table)
        assert (
            _export(library, tmp_path / "none", "--format", "parquet", "--filter", "bpm:999") == 0
        )
        empty = parquet.read_table(tmp_path / "none" / "metadata.parquet")
        assert empty.num_rows == 0 and "file_name" in empty.column_names
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as without pyarrow installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    assert _export(library, tmp_path / "q", "--format", "parquet") == 1
    assert not (tmp_path / "q").exists()


def test_a_folder_with_files_is_refused(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    assert _export(library, tmp_path) == 1
    assert "not an empty folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


@pytest.mark.parametrize(
    ("paths", "names"),
    [
        ([b"a/Intro.flac", b"b/Intro.flac", b"c/intro.FLAC"], ["Intro.flac", "Intro (2).flac", "intro (3).FLAC"]),
        ([b"x/bad\xff.mp3"], ["bad_.mp3"]),
        ([b"x/line\nbreak.ogg", b"y/.hidden"], ["line_break.ogg", "hidden"]),
        ([b"x/Cafe\xcc\x81.flac", b"y/Caf\xc3\xa9.flac"], ["Café.flac", "Café (2).flac"]),
        ([b"x/noext", b"y/noext"], ["noext", "noext (2)"]),
        ([b"x/" + "é".encode() * 150 + b".flac"], ["é" * 97 + ".flac"]),
    ],
)  # fmt: skip
def test_dataset_names(paths: list[bytes], names: list[str]) -> None:
    taken: set[str] = set()
    assert [dataset_name(path, taken) for path in paths] == names


def test_m3u_by_filter(library: Library, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    args = ["export", "m3u", "--catalog", str(library.catalog), "--filter", "bpm:60..120"]
    assert main([*args, "--store", library.store]) == 0
    lines = capsysbinary.readouterr().out.split(b"\n")
    paths = [line for line in lines if line and not line.startswith(b"#")]
    expected = sorted(
        p for p, t in library.truth.items() if t.tempo is not None and 59.5 <= t.tempo < 120.5
    )
    assert sorted(paths) == expected and paths  # in file order: each linked file once


def test_m3u_options_before_the_album_id(
    library: Library, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    album = next(iter(library.truth))
    with open_catalog(library.catalog) as catalog:
        track = catalog.track(library.track_of[album])
    assert track is not None and track.album is not None
    args = ["export", "m3u", "--catalog", str(library.catalog), "--store", library.store]
    assert main([*args, track.album.id]) == 0
    assert album in capsysbinary.readouterr().out.split(b"\n")


def test_a_folder_inside_the_music_is_refused(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(library.music)
    target = library.music / "dataset"
    assert _export(library, target) == 1
    assert "inside your music folder" in capsys.readouterr().err
    assert not target.exists() and _state(library.music) == before


def test_a_file_that_cannot_be_read_is_said(
    library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = next(iter(library.truth))
    mode = os.stat(source).st_mode
    os.chmod(source, 0)
    try:
        if os.access(source, os.R_OK):
            pytest.skip("running as root: a file without permissions is still readable")
        assert _export(library, tmp_path / "set") == 1
    finally:
        os.chmod(source, mode)
    assert "Could not copy" in capsys.readouterr().err
    assert not (tmp_path / "set" / "metadata.csv").exists()


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--filter", "bpm:fast"], "The filter is not understood: bpm needs numbers"),
        (["--filter", "bpm:120..128", "0123456789abcdefghijkl"], "one of the three"),
        (["--filter", "bpm:120..128", "--json"], "only --all-albums DIR takes --json"),
        ([], "one of the three"),
    ],
)
def test_m3u_by_filter_mistakes(
    library: Library, capsys: pytest.CaptureFixture[str], extra: list[str], said: str
) -> None:
    args = ["export", "m3u", "--catalog", str(library.catalog), "--store", library.store]
    assert main([*args, *extra]) == 1
    assert said in capsys.readouterr().err


def test_links_across_file_systems_are_symbolic(library: Library) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(library.music).st_dev:
        pytest.skip("no second file system to export into")
    target = Path(tempfile.mkdtemp(dir=shm, prefix="explorer-dataset-"))
    try:
        before = _state(library.music)
        assert _export(library, target / "set", "--link") == 0
        audio = sorted((target / "set" / "audio").iterdir())
        assert audio and all(path.is_symlink() for path in audio)
        assert all(os.readlink(path) in {os.fsdecode(p) for p in library.truth} for path in audio)
        assert "symbolic" in (target / "set" / "README.md").read_text(encoding="utf-8")
        assert _state(library.music) == before
    finally:
        shutil.rmtree(target)
