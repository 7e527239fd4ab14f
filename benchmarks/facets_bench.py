"""Facets of a 20,000-file library: reading them from the catalog by id (once, then
nothing stale), and paging the library with facet filter words (`bpm:120..128 key:8A~`)
in the user store, next to a plain `status:` filter.

The library is synthetic (files that need not exist, linked to tracks drawn at random
rowids through the store's and the links' own API): the figures are about the facets,
not about reading tags or matching.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

from common import DATA, Timer, machine, peak_rss_mb, scratch_dir, write_section

from explorer.catalog import open_catalog
from explorer.library.records import FileRead
from explorer.library.store import open_store
from explorer.matching.facets import refresh_facets
from explorer.matching.links import Links, Verdict
from explorer.matching.review import library_page

FILES = 20_000
SEED = 5
FILTERS = ("status:matched", "bpm:120..128", "bpm:120..128 key:8A~", "energy>0.7 year:1990..1999")


def _library(store_path: Path, catalog_path: Path, files: int) -> None:
    """A store of `files` files, each linked (matched) to a track drawn at random."""
    rng = random.Random(SEED)
    with open_catalog(catalog_path) as catalog, open_store(store_path) as store:
        top = catalog.estimate("tracks")
        tracks = catalog.tracks_by_rowids(
            [rng.randint(1, top) for _ in range(files * 2)], with_album=True, album_artists=False
        )[:files]
        root = store.add_root(b"/bench/music")
        reads = [
            FileRead(path=f"/bench/music/{i // 10:05d}/{i:06d}.flac".encode(), size=1, mtime_ns=1,
                     status="ok")
            for i in range(len(tracks))
        ]  # fmt: skip
        store.save_reads(root.id, reads)
        ids = [row.id for row in store.files(limit=files + 1)]
        verdicts = [
            (
                file_id,
                Verdict("matched", 0.95, 0.3, "bench", "isrc", track.id,
                        track.album.id if track.album else None, track.isrc, (), "{}"),
            )
            for file_id, track in zip(ids, tracks, strict=False)
        ]  # fmt: skip
        Links(store).record_matches(verdicts)


def _pages(store_path: Path, text: str) -> tuple[int, int, float, float]:
    """Files, pages, seconds of the first page and of every page for one filter."""
    with open_store(store_path) as store:
        total = pages = 0
        after = None
        first = 0.0
        with Timer() as every:
            while True:
                with Timer() as page_time:
                    rows, more = library_page(
                        store, after_id=after.file_id if after else 0, after=after, text=text
                    )
                if pages == 0:
                    first = page_time.seconds
                pages += 1
                total += len(rows)
                if not more or not rows:
                    break
                after = rows[-1]
    return total, pages, first, every.seconds


def run_one(catalog_path: Path, files: int) -> dict[str, object]:
    work = scratch_dir("facets-bench-")
    os.environ["EXPLORER_HOME"] = str(work / "home")
    store_path = work / "library.sqlite3"
    _library(store_path, catalog_path, files)
    with open_catalog(catalog_path) as catalog, open_store(store_path) as store:
        with Timer() as first:
            read = refresh_facets(store, catalog)
        with Timer() as again:
            stale = refresh_facets(store, catalog)
        tracks = catalog.estimate("tracks")
    filters = {text: _pages(store_path, text) for text in FILTERS}
    return {
        "tracks": tracks,
        "files": files,
        "read": read,
        "first_s": first.seconds,
        "again": stale,
        "again_s": again.seconds,
        "filters": filters,
        "peak_rss_mb": peak_rss_mb(),
        "load": os.getloadavg()[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--catalogs", default="demo1m,demo10m")
    parser.add_argument("--files", type=int, default=FILES)
    parser.add_argument("--one", metavar="CATALOG")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one), args.files)))
        return 0
    results = []
    for name in args.catalogs.split(","):
        path = DATA / f"{name}.sqlite3"
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(path),
             "--files", str(args.files)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(results[-1], flush=True)
    rows = [
        f"| {r['tracks']:,} | {r['files']:,} | {r['first_s']:.2f} s "
        f"({r['read'] / r['first_s']:,.0f} files/s) | {r['again_s'] * 1000:.0f} ms "
        f"({r['again']} read) | {r['peak_rss_mb']:.0f} MB | {r['load']:.2f} |"
        for r in results
    ]
    filter_rows = [
        f"| {r['tracks']:,} | `{text}` | {found:,} | {pages} | {first_s * 1000:.1f} ms | "
        f"{every_s * 1000:.0f} ms |"
        for r in results
        for text, (found, pages, first_s, every_s) in r["filters"].items()
    ]
    body = f"""
Measured by `benchmarks/facets_bench.py` on {machine()}, the catalogs in the page cache
as the machine's other work left them (not dropped: the machine is shared). A synthetic
library of {args.files:,} files, each linked to a track drawn at a random rowid; the
facets are read from the catalog by id (500 ids a query: `tracks(id)`,
`track_audio_features(track_id)`, albums by rowid, genres through `track_artists` and
`artist_genres`), then every filter pages through the whole library in the user store
(500 files a page), never reading the catalog. Load is the 1-minute load average when
the run ended.

| catalog tracks | files | first read of the facets | second read (nothing stale) | peak RSS | load |
| ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

| catalog tracks | filter | files found | pages | first page | every page |
| ---: | --- | ---: | ---: | ---: | ---: |
{chr(10).join(filter_rows)}
"""
    write_section("Facets of your library", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
