"""Bad input gets an error record (or a sane reading), never a crash; the scan goes on.

Every broken file is derived at test time from the committed good samples.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from mutagen import id3
from mutagen.flac import FLAC

from explorer.library.records import STATUS_ERROR, STATUS_OK
from explorer.library.scan import scan
from explorer.library.store import LibraryStore
from explorer.library.tags import MAX_TAG_CHARS, read_file
from explorer.library.walk import WalkProblem, walk_audio

AUDIO = Path(__file__).resolve().parent.parent / "data" / "audio"


def _sample(name: str) -> bytes:
    return (AUDIO / name).read_bytes()


def _junk(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def _corrupt_frame_size(data: bytes) -> bytes:
    out = bytearray(data)
    at = out.find(b"TIT2")
    out[at + 4 : at + 8] = b"\x7f\x7f\x7f\x7f"  # a frame size far past the tag's end
    return bytes(out)


def _corrupt_tag_size(data: bytes) -> bytes:
    out = bytearray(data)
    out[6:10] = b"\x7f\x7f\x7f\x7f"  # an ID3 header claiming 256 MB of tag
    return bytes(out)


# name, bytes, expected status, words in the reason
BROKEN_FILES: list[tuple[str, Callable[[], bytes], str, str]] = [
    ("empty.mp3", lambda: b"", STATUS_ERROR, "empty"),
    ("empty.flac", lambda: b"", STATUS_ERROR, "empty"),
    ("truncated.flac", lambda: _sample("sample.flac")[:50], STATUS_ERROR, "damaged"),
    ("half.flac", lambda: _sample("sample.flac")[:4000], STATUS_ERROR, "damaged"),
    ("truncated.mp3", lambda: _sample("id3v24.mp3")[:100], STATUS_ERROR, "cut short"),
    ("truncated.m4a", lambda: _sample("aac.m4a")[:500], STATUS_ERROR, "damaged"),
    ("truncated.ogg", lambda: _sample("sample.ogg")[:200], STATUS_ERROR, "damaged"),
    ("truncated.wma", lambda: _sample("sample.wma")[:300], STATUS_ERROR, "damaged"),
    ("truncated.wv", lambda: _sample("sample.wv")[:30], STATUS_ERROR, "damaged"),
    ("random.mp3", lambda: _junk(3000), STATUS_ERROR, "damaged"),
    ("random.flac", lambda: _junk(3000), STATUS_ERROR, "damaged"),
    ("random.m4a", lambda: _junk(3000), STATUS_ERROR, "not an audio file"),
    ("text.wav", lambda: b"hello\n" * 50, STATUS_ERROR, "damaged"),
    ("flac-named.mp3", lambda: _sample("sample.flac"), STATUS_OK, ""),
    ("ogg-named.m4a", lambda: _sample("sample.ogg"), STATUS_OK, ""),
    ("m4a-named.wma", lambda: _sample("aac.m4a"), STATUS_OK, ""),
    ("bad-frame-size.mp3", lambda: _corrupt_frame_size(_sample("id3v24.mp3")), STATUS_OK, ""),
    ("bad-tag-size.mp3", lambda: _corrupt_tag_size(_sample("id3v24.mp3")), STATUS_ERROR, "cut"),
]


@pytest.mark.parametrize(
    ("name", "make", "status", "reason"),
    BROKEN_FILES,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_broken_file_gets_a_record(
    tmp_path: Path, name: str, make: Callable[[], bytes], status: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    read = read_file(path)
    assert read.status == status, read.error
    if status == STATUS_ERROR:
        assert read.error is not None and reason in read.error
        assert "Traceback" not in read.error and len(read.error) < 300
    else:
        assert read.error is None and read.stream is not None


def test_a_megabyte_tag_value_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "huge.flac"
    shutil.copy(AUDIO / "sample.flac", path)
    audio = FLAC(path)
    audio["TITLE"] = "x" * 1_000_000
    audio["ARTIST"] = [f"artist {i}" for i in range(5_000)]
    audio.save()
    read = read_file(path)
    assert read.status == STATUS_OK
    assert read.tags.title == "x" * MAX_TAG_CHARS
    assert 0 < len(read.tags.artists) <= 50


def test_binary_junk_in_text_frames_is_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "junk.mp3"
    shutil.copy(AUDIO / "id3v24.mp3", path)
    tags = id3.ID3(path)
    tags.add(id3.TIT2(encoding=0, text=[bytes(range(256)).decode("latin-1")]))
    tags.add(id3.TPE1(encoding=3, text=["ok\x00\x07\x1b[31mred"]))
    tags.save()
    read = read_file(path)
    assert read.status == STATUS_OK
    assert read.tags.title is not None
    for text in (read.tags.title, *read.tags.artists):
        assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in text)
        text.encode("utf-8")  # storable and printable


def test_names_that_are_not_utf8_are_kept_exactly(store: LibraryStore, tmp_path: Path) -> None:
    root = tmp_path / "music"
    root.mkdir()
    name = b"\xff\xfeBad \xe9 name.flac"
    with open(os.path.join(bytes(root), name), "wb") as handle:
        handle.write(_sample("sample.flac"))
    scan(store, [root])
    (row,) = store.files()
    assert row.path == os.path.join(bytes(root), name)
    assert row.status == STATUS_OK
    assert row.display.endswith("\\xff\\xfeBad \\xe9 name.flac")
    assert read_file(row.path).status == STATUS_OK  # reopened from the stored bytes


def test_a_file_that_vanished_before_reading(tmp_path: Path) -> None:
    read = read_file(tmp_path / "gone.mp3", size=100, mtime_ns=1)
    assert (read.status, read.error) == (STATUS_ERROR, "the file vanished during the scan")


def test_a_folder_named_like_audio_is_walked_into(store: LibraryStore, tmp_path: Path) -> None:
    root = tmp_path / "music"
    (root / "album.mp3").mkdir(parents=True)
    shutil.copy(AUDIO / "sample.ogg", root / "album.mp3" / "inside.ogg")
    assert scan(store, [root]).files_read == 1


def test_a_folder_vanishing_mid_walk_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = tmp_path / "music"
    for name in ("a", "b", "c"):
        (root / name).mkdir(parents=True)
        shutil.copy(AUDIO / "sample.opus", root / name / "x.opus")
    problems: list[WalkProblem] = []

    def remove_c(folder: bytes) -> None:
        if folder.endswith(b"/a"):
            shutil.rmtree(root / "c")

    found = list(walk_audio(bytes(root), on_problem=problems.append, on_folder=remove_c))
    assert {os.path.basename(os.path.dirname(f.path)) for f in found} == {b"a", b"b"}
    assert problems == [WalkProblem(bytes(root / "c"), "the folder vanished during the scan")]


def test_vanished_folders_become_error_rows_and_the_scan_goes_on(
    store: LibraryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "music"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        shutil.copy(AUDIO / "sample.opus", root / name / "x.opus")
    from explorer.library import scan as scan_module

    real_walk = scan_module.walk_audio

    def walk_then_lose_b(root_path: bytes, **kwargs: object):
        on_folder = kwargs["on_folder"]

        def hook(folder: bytes) -> None:
            if folder.endswith(b"/a") and (root / "b").exists():
                shutil.rmtree(root / "b")
            on_folder(folder)  # type: ignore[operator]

        return real_walk(root_path, **{**kwargs, "on_folder": hook})  # type: ignore[arg-type]

    monkeypatch.setattr(scan_module, "walk_audio", walk_then_lose_b)
    summary = scan(store, [root])
    assert (summary.files_read, summary.errors) == (2, 1)
    rows = {os.path.basename(row.path): row for row in store.files()}
    assert rows[b"b"].error == "the folder vanished during the scan"
    assert rows[b"x.opus"].status == STATUS_OK


_UNREADABLE_SCAN = """
import json, sys
from explorer.library.scan import scan
from explorer.library.store import open_store
with open_store(sys.argv[2]) as store:
    scan(store, [sys.argv[1]], workers=1)
    print(json.dumps({row.display.rsplit("/", 1)[1]: row.error for row in store.files()}))
"""


def test_unreadable_files_and_folders() -> None:
    """Modes do not stop root, so as root the scan runs as user `nobody` (uid 65534)."""
    as_root = os.geteuid() == 0
    work = Path(tempfile.mkdtemp(prefix="explorer-unreadable-"))
    try:
        work.chmod(0o777)
        root = work / "music"
        (root / "locked").mkdir(parents=True)
        shutil.copy(AUDIO / "sample.ogg", root / "locked" / "hidden.ogg")
        shutil.copy(AUDIO / "sample.ogg", root / "secret.ogg")
        root.chmod(0o777)
        (root / "secret.ogg").chmod(0)
        (root / "locked").chmod(0)
        try:
            done = subprocess.run(
                [sys.executable, "-c", _UNREADABLE_SCAN, str(root), str(work / "store.sqlite3")],
                capture_output=True, text=True, check=False,
                user=65534 if as_root else None, group=65534 if as_root else None,
                env={**os.environ, "EXPLORER_HOME": str(work / "home")},
            )  # fmt: skip
        except PermissionError:
            pytest.skip("running as root, and user nobody may not run this Python interpreter")
        if as_root and "Permission denied" in done.stderr and "python" in done.stderr:
            pytest.skip("running as root, and user nobody may not import this project")
        assert done.returncode == 0, done.stderr
        errors = json.loads(done.stdout)
        assert errors["secret.ogg"] == "no permission to read the file"
        assert errors["locked"] == "no permission to read the folder"
    finally:
        (work / "music" / "locked").chmod(0o755)
        shutil.rmtree(work)


def test_a_scan_of_every_broken_file_at_once_goes_on(store: LibraryStore, tmp_path: Path) -> None:
    root = tmp_path / "music"
    root.mkdir()
    for name, make, _status, _reason in BROKEN_FILES:
        (root / name).write_bytes(make())
    shutil.copy(AUDIO / "sample.flac", root / "good.flac")
    summary = scan(store, [root], workers=1)
    expected_errors = sum(1 for row in BROKEN_FILES if row[2] == STATUS_ERROR)
    assert summary.files_read == len(BROKEN_FILES) + 1
    assert summary.errors == expected_errors
    assert store.integrity_check() == "ok"
