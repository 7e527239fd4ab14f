"""Tag writing benchmark: write the identifiers into 10,000 files of every writable format,
rescan, rematch.

Run: `EXPLORER_BENCH_DATA=/work/benchdata .venv/bin/python benchmarks/tag_bench.py
[--files 10000]`. Uses the 1 M-track demo catalog when it is there (else writes a 50,000-
track one in a temporary folder) and builds its search index under a temporary
EXPLORER_HOME. The files are copies of the committed samples in all 18 writable kinds
(MP3 with ID3v2.3, 2.4 and 1, FLAC, Ogg Vorbis, Opus, Speex, Ogg FLAC, two M4A, WMA,
WavPack, Musepack, AIFF, WAV, DSF, DSDIFF, TrueAudio), each retagged with the title,
artists and album of its own catalog track and linked to it by hand. Then, in one run:

- tag reading alone: `read_file` over every file, one process (what a scan does per file);
- the preview: `plan_files` (reads each file and its catalog track);
- the write: `write_plans` with the identifiers (copy, write, read back, audio hash,
  replace, journal and scan record), one process;
- the audio hash of every file before and after;
- a rescan of the same store (nothing should be read again);
- a scan and match into a fresh store: the share of files matched by their id tag to the
  track they were linked to.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import DATA, Timer, machine, scratch_dir, write_section

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "audio"
KINDS = (
    "id3v23.mp3", "id3v24.mp3", "id3v1.mp3", "sample.flac", "sample.ogg", "sample.opus",
    "sample.spx", "sample.oga", "aac.m4a", "alac.m4a", "sample.wma", "sample.wv",
    "sample.mpc", "sample.aiff", "sample.wav", "sample.dsf", "sample.dff", "sample.tta",
)  # fmt: skip
FILES_PER_ALBUM = 12
SMALL_CATALOG_TRACKS = 50_000


def _catalog(home: Path) -> Path:
    big = DATA / "demo1m.sqlite3"
    if big.exists():
        return big
    from explorer.demo import write_demo_catalog

    path = home / "demo50k.sqlite3"
    write_demo_catalog(path, tracks=SMALL_CATALOG_TRACKS, seed=1)
    return path


def write_library(root: Path, catalog: object, files: int) -> dict[Path, str]:
    """Copies of the samples, retagged from their own catalog track; path -> track id."""
    from explorer.catalog import Catalog
    from explorer.tagging.formats import open_tags, save, write_plain
    from explorer.tagging.names import plain_slots

    assert isinstance(catalog, Catalog)
    tracks = [
        t
        for t in catalog.tracks_by_rowids(list(range(1, files * 2 + 1000)))
        if t.artists and t.album and t.name
    ][:files]
    assert len(tracks) == files, "the catalog has too few tracks"
    linked = {}
    for i, track in enumerate(tracks):
        sample = SAMPLES / KINDS[i % len(KINDS)]
        folder = root / f"Artist {i // 120}" / f"Album {i // FILES_PER_ALBUM}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{i % FILES_PER_ALBUM + 1:02d} - Song {i}{sample.suffix}"
        shutil.copyfile(sample, path)
        tag_file = open_tags(path)
        assert track.album is not None
        values = {
            "title": (track.name,),
            "artists": tuple(a.name for a in track.artists),
            "album": (track.album.name,),
        }
        for field, value in values.items():
            for name, texts in plain_slots(tag_file, field, value):
                write_plain(tag_file, name, texts)
        save(tag_file)
        linked[path] = track.id
    return linked


def _cpu(start: os.times_result, end: os.times_result) -> tuple[float, float]:
    """CPU seconds (user + system) between two `os.times()`: this process, and the child
    processes ended in between."""
    return (
        end.user - start.user + end.system - start.system,
        end.children_user - start.children_user + end.children_system - start.children_system,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    args, _ = parser.parse_known_args()
    home = scratch_dir("tag-bench-")
    os.environ["EXPLORER_HOME"] = str(home)
    from explorer.catalog import open_catalog
    from explorer.index import build_index
    from explorer.library.scan import SCAN_WORKERS, scan
    from explorer.library.store import open_store
    from explorer.library.tags import read_file
    from explorer.matching.links import Links
    from explorer.matching.run import match_library
    from explorer.tagging.audio_hash import audio_hash
    from explorer.tagging.fields import ID_FIELDS
    from explorer.tagging.plan import plan_files
    from explorer.tagging.writer import WRITE_CHUNK, WRITE_WORKERS, write_plans

    load_before = os.getloadavg()[0]
    catalog_path = _catalog(home)
    with tempfile.TemporaryDirectory(prefix="tag-bench-music-") as tmp:
        root = Path(tmp) / "music"
        with open_catalog(catalog_path) as catalog:
            build_index(catalog)
            started = time.perf_counter()
            linked = write_library(root, catalog, args.files)
            print(
                f"wrote {len(linked):,} files in {time.perf_counter() - started:.1f} s", flush=True
            )
            formats = {path: read_file(path).stream for path in linked}
            before = {p: audio_hash(p, s.format) for p, s in formats.items() if s is not None}
            cpu = os.times()
            with Timer() as reading:
                for path in linked:
                    assert read_file(path).status == "ok"
            read_cpu = _cpu(cpu, os.times())
            store_path = home / "store.sqlite3"
            with open_store(store_path) as store:
                with Timer() as scanning:
                    scan(store, [root])
                links = Links(store)
                ids = []
                for row in store.iter_files():
                    track = catalog.track(linked[Path(os.fsdecode(row.path))])
                    assert track is not None and track.album is not None
                    links.decide(row.id, "manual", track_id=track.id, album_id=track.album.id)
                    ids.append(row.id)
                with Timer() as planning:
                    preview = plan_files(store, catalog, ids, fields=ID_FIELDS)
                cpu = os.times()
                with Timer() as writing:
                    summary = write_plans(store, preview.plans, fields=ID_FIELDS)
                write_cpu = _cpu(cpu, os.times())  # the workers' too: ended by write_plans
                assert summary.failed == 0, summary.outcomes[:5]
                with Timer() as rescanning:
                    rescan = scan(store, [root])
            after = {p: audio_hash(p, s.format) for p, s in formats.items() if s is not None}
            with open_store(home / "fresh.sqlite3") as fresh, Timer() as rematching:
                scan(fresh, [root])
                match_library(fresh, catalog)
            with open_store(home / "fresh.sqlite3") as fresh:
                fresh_links = Links(fresh)
                by_id = 0
                misses = []
                for row in fresh.iter_files():
                    link = fresh_links.get(row.id)
                    wanted = linked[Path(os.fsdecode(row.path))]
                    if link and link.method == "id-tag" and link.track_id == wanted:
                        by_id += 1
                    else:
                        misses.append((row.display, wanted, link, row.tags))
            for display, wanted, link, tags in misses[:5]:
                print(f"not by id: {display} (linked to {wanted}): {link} {tags}", file=sys.stderr)
    load_after = os.getloadavg()[0]
    n = len(linked)
    equal = sum(1 for path in before if before[path] == after.get(path))
    read_rate = n / reading.seconds
    write_rate = summary.written / writing.seconds
    body = f"""Measured by `benchmarks/tag_bench.py` on {machine()}; catalog
`{catalog_path.name}`; load average (1 min) {load_before:.2f} before the run and
{load_after:.2f} after.

{n:,} files: copies of the committed samples in all {len(KINDS)} writable kinds (MP3 with
ID3v2.3, 2.4 and 1, FLAC, Ogg Vorbis, Opus, Speex, Ogg FLAC, AAC and ALAC M4A, WMA,
WavPack, Musepack, AIFF, WAV, DSF, DSDIFF, TrueAudio), each tagged with its catalog
track's title, artists and album and linked to it; the identifiers written into all of
them (ISRC, track, album and artist ids, ID3's web link), warm page cache.

| step | time | files/s |
| --- | ---: | ---: |
| reading the tags alone (`read_file`, 1 process) | {reading.seconds:.2f} s | {read_rate:,.0f} |
| first scan into a store ({SCAN_WORKERS} worker processes) | {scanning.seconds:.2f} s | {n / scanning.seconds:,.0f} |
| preview (`plan_files`: each file and its catalog track read) | {planning.seconds:.2f} s | {n / planning.seconds:,.0f} |
| writing the identifiers (`write_plans`, {WRITE_WORKERS} worker processes: {summary.written:,} files written) | {writing.seconds:.2f} s | {write_rate:,.0f} |
| rescan of the same store ({rescan.files_read:,} files read again) | {rescanning.seconds:.2f} s | {n / rescanning.seconds:,.0f} |
| scan + match into a fresh store | {rematching.seconds:.2f} s | {n / rematching.seconds:,.0f} |

- Writing: {write_rate / read_rate:.2f} times the rate of reading the tags in one process
  and {write_rate / (n / scanning.seconds):.2f} times the first scan's (both in {WRITE_WORKERS}
  processes); goal: at least 0.5, {"met" if write_rate / read_rate >= 0.5 else "not met"}.
  CPU time per file (user + system, every process; it rises too when other work shares
  the cores): reading {sum(read_cpu) / n * 1000:.2f} ms, writing {sum(write_cpu) / n * 1000:.2f} ms
  ({write_cpu[1] / n * 1000:.2f} in the workers, {write_cpu[0] / n * 1000:.2f} in this process), so
  {sum(write_cpu) / sum(read_cpu):.1f} times the reading's on {WRITE_WORKERS} cores. A worker reads each
  file once (whole, when under 64 MB), parses its tags with mutagen, saves the new tags
  into a copy in memory and parses that again to check it (the tags, every other tag,
  the length, FLAC's MD5, the audio hash of the bytes read; the same reading gives its
  scan record), and writes the copy beside the file; this process flushes a chunk's
  copies to the disk at once (threads: they share the file system's journal commits),
  renames them over the files one by one, flushes their folders and commits the journal
  three times per {WRITE_CHUNK} files (`synchronous=FULL`), two chunks behind the workers.
  Reading opens and parses each file once.
- Rematched by id: {by_id:,} of {n:,} files ({by_id / n:.1%}) matched by their id tag to the
  track they were linked to (goal: 100 %).
- Audio hashes (the audio outside the tag blocks) equal before and after: {equal:,} of
  {len(before):,} (goal: all).
"""
    print(body)
    write_section("Writing tags", body)
    return 0 if by_id == n and equal == len(before) else 1


if __name__ == "__main__":
    sys.exit(main())
