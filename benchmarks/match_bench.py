"""Match benchmark: a labelled, damaged library (real silent FLAC files) matched against
1 M and 10 M demo catalogs: precision, recall, review share, confusion by damage type,
throughput against tag reading alone, a naive WRatio baseline, peak memory.

Run: `.venv/bin/python benchmarks/match_bench.py [--files 10000,10000]` (catalogs are
written into benchmarks/data/ on first use; each size runs in its own process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

from common import (
    Timer,
    build_index,
    children_peak_rss_mb,
    damaged_library,
    demo_catalog,
    machine,
    peak_rss_mb,
    scratch_dir,
    write_section,
)
from rapidfuzz import fuzz

from explorer.catalog import open_catalog
from explorer.catalog.records import TrackRow
from explorer.demo.library import EDITIONS, LibraryFile
from explorer.library.scan import scan
from explorer.library.store import open_store
from explorer.matching.decide import song_key
from explorer.matching.facts import FileFacts
from explorer.matching.links import Links
from explorer.matching.run import facts_of, match_library
from explorer.search.engine import SearchEngine

PASSES = 5  # scans and matching runs per catalog size; the median of each is reported


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (the scan's and
    the matcher's worker processes, which each run ends): what a pass costs whatever
    else the shared machine runs, where its wall time grows with the load."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _right(link_track: str | None, link_isrc: str | None, truth: LibraryFile) -> bool:
    return link_track is not None and (
        link_track == truth.track_id or (link_isrc is not None and link_isrc == truth.isrc)
    )


def _tells_apart(facts: FileFacts, linked: TrackRow, made: TrackRow) -> bool:
    """Whether anything the file carries tells the linked edition from the one it was made
    from: an identifier tag, or a title, album name, track or disc number, track count,
    length or year (when the file has one) in which the two differ. A re-release of the
    same names and master, or a release without a date beside one with it, is told apart
    by nothing an untagged or year-less file has: the preference decides, a coin flip."""
    if facts.isrc or facts.spotify_track_id:
        return True
    a, b = linked.album, made.album
    if a is None or b is None:
        return True
    return (
        (linked.name, linked.track_number, linked.disc_number, linked.duration_ms)
        != (made.name, made.track_number, made.disc_number, made.duration_ms)
        or (a.name, a.total_tracks) != (b.name, b.total_tracks)
        or (facts.year is not None and a.year != b.year)
    )


def _edition_outcome(status: str, right: bool, same_song: bool) -> str:
    """A file's column in the confusion table by edition."""
    if status == "matched":
        return "matched-right" if right else "matched-edition" if same_song else "matched-wrong"
    if status == "review":
        return "review-right" if right else "review-wrong"
    return "unmatched"


def run_one(catalog_path: Path, files: int) -> dict[str, object]:
    load_before = os.getloadavg()
    work = scratch_dir("match-bench-")  # the library, its stores and the index: 300 MB or more
    os.environ["EXPLORER_HOME"] = str(work / "home")
    catalog = open_catalog(catalog_path)
    # in a process of its own: this one's peak memory is then the scan's and matching's
    build_index(catalog_path)
    truth_list = damaged_library(catalog, work / "music", files)
    truth = {os.fsencode(f.path): f for f in truth_list}
    # each side PASSES times, the median kept: one pass over a few thousand files lasts
    # about a second, which the machine's noise moves by a tenth; scan and match passes
    # take turns, so that a change of the shared machine's load falls on both sides
    scan_times: list[float] = []
    match_times: list[float] = []
    scan_cpu: list[float] = []
    match_cpu: list[float] = []
    rss_before = 0.0
    for attempt in range(PASSES):
        scanned = work / f"scanned-{attempt}.sqlite3"
        store = open_store(scanned)
        cpu = cpu_seconds()
        with Timer() as scan_time:
            scan(store, [work / "music"])
        scan_cpu.append(cpu_seconds() - cpu)
        store.close()
        scan_times.append(scan_time.seconds)
        rss_before = rss_before or peak_rss_mb()
        # the first scan's store (each pass matches a copy of it, as a first run would)
        path = work / f"store-{attempt}.sqlite3"
        shutil.copyfile(work / "scanned-0.sqlite3", path)
        store = open_store(path)
        cpu = cpu_seconds()
        with Timer() as match_time:
            match_library(store, catalog)
        match_cpu.append(cpu_seconds() - cpu)
        match_times.append(match_time.seconds)
        if attempt < PASSES - 1:
            store.close()
    links = Links(store)
    confusion: dict[str, Counter[str]] = {}
    by_edition: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for row in store.iter_files():
        t = truth[row.path]
        link = links.get(row.id)
        right = bool(link and _right(link.track_id, link.isrc, t))
        key = f"{link.decision if link else 'none'}-{'right' if right else 'wrong'}"
        confusion.setdefault(t.damage, Counter())[key] += 1
        totals[key] += 1
        same_song = blind = False
        if link and link.track_id and not right:
            linked, made_from = catalog.track(link.track_id), catalog.track(t.track_id)
            same_song = bool(linked and made_from and song_key(linked) == song_key(made_from))
            blind = bool(
                same_song
                and linked
                and made_from
                and not _tells_apart(facts_of(row), linked, made_from)
            )
        status = link.decision if link else "none"
        outcome = _edition_outcome(status, right, same_song)
        by_edition.setdefault(t.edition, Counter())[outcome] += 1
        if outcome == "matched-edition" and blind:
            by_edition[t.edition]["matched-edition-blind"] += 1
        if status == "review":
            reasons[link.reason.split(":")[0].split(" (")[0] if link else ""] += 1
    # the naive baseline: best WRatio of "artist title" over the same search candidates
    engine = SearchEngine(catalog)
    naive: Counter[str] = Counter()
    with Timer() as naive_time:
        for row in store.iter_files():
            facts = facts_of(row)
            text = f"{' '.join(facts.artists)} {facts.title or ''}".strip()
            hits = (
                engine.search(text + " ", kind="track", limit=20, fuzzy_below=1).hits
                if text
                else ()
            )
            best = max(
                hits,
                key=lambda h: fuzz.WRatio(text, f"{' '.join(h.artists)} {h.name}"),
                default=None,
            )
            t = truth[row.path]
            if best is None:
                naive["none"] += 1
            else:
                track = catalog.track(best.id)
                naive["right" if track and _right(track.id, track.isrc, t) else "wrong"] += 1
    store.close()
    return {
        "files": len(truth),
        "tracks": catalog.estimate("tracks"),
        "scan_s": statistics.median(scan_times),
        "match_s": statistics.median(match_times),
        "scan_passes_s": scan_times,
        "match_passes_s": match_times,
        "scan_cpu_s": statistics.median(scan_cpu),
        "match_cpu_s": statistics.median(match_cpu),
        "naive_s": naive_time.seconds,
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "by_edition": {k: dict(v) for k, v in by_edition.items()},
        "review_reasons": dict(reasons.most_common(8)),
        "load": [load_before, os.getloadavg()],
        "totals": dict(totals),
        "naive": dict(naive),
        "rss_before_match_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "children_peak_rss_mb": children_peak_rss_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--files", default="10000,10000", help="library size per catalog size")
    parser.add_argument("--one", nargs=2, metavar=("CATALOG", "FILES"))
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), int(args.one[1]))))
        return 0
    results = []
    for size, files in zip(args.sizes.split(","), args.files.split(","), strict=True):
        path = demo_catalog(int(size))
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(path), files],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(results[-1]["totals"], flush=True)
    rows, confusion_rows, edition_rows = [], [], []
    passes = "; ".join(
        f"{r['tracks']:,} tracks: {', '.join(f'{t:.2f}' for t in r['scan_passes_s'])}, then "
        f"{', '.join(f'{t:.2f}' for t in r['match_passes_s'])}"
        for r in results
    )
    for r in results:
        t = Counter(r["totals"])
        n = r["files"]
        matched = t["matched-right"] + t["matched-wrong"]
        precision = t["matched-right"] / matched if matched else 0.0
        recall = (t["matched-right"] + t["review-right"]) / n
        auto = t["matched-right"] / n
        review = (t["review-right"] + t["review-wrong"]) / n
        other_edition = sum(Counter(c)["matched-edition"] for c in r["by_edition"].values())
        blind = sum(Counter(c)["matched-edition-blind"] for c in r["by_edition"].values())
        song_precision = (t["matched-right"] + other_edition) / matched if matched else 0.0
        told_precision = (t["matched-right"] + blind) / matched if matched else 0.0
        naive = Counter(r["naive"])
        rows.append(
            f"| {r['tracks']:,} | {n:,} | {precision:.2%} | {told_precision:.2%} | {song_precision:.2%} | {recall:.2%} | {auto:.2%} | {review:.1%} | "
            f"{n / r['scan_s']:,.0f} | {n / r['match_s']:,.0f} | {r['match_s'] / r['scan_s']:.2f} | "
            f"{naive['right'] / n:.2%} | {r['peak_rss_mb']:.0f} MB / {r['children_peak_rss_mb']:.0f} MB |"
        )
        for edition in EDITIONS:
            c = Counter(r["by_edition"].get(edition, {}))
            total = sum(c.values()) - c["matched-edition-blind"]  # a part of matched-edition
            if total:
                edition_rows.append(
                    f"| {r['tracks']:,} | {edition} | {total} | {c['matched-right']} | "
                    f"{c['matched-edition']} | {c['matched-edition-blind']} | {c['matched-wrong']} | {c['review-right']} | "
                    f"{c['review-wrong']} | {c['unmatched']} |"
                )
        for damage, counts in sorted(r["confusion"].items()):
            c = Counter(counts)
            total = sum(c.values())
            confusion_rows.append(
                f"| {r['tracks']:,} | {damage} | {total} | {c['matched-right']} | {c['matched-wrong']} | "
                f"{c['review-right']} | {c['review-wrong']} | {c['unmatched-wrong'] + c['unmatched-right']} |"
            )
    reasons = "; ".join(
        f"{r['tracks']:,} tracks: "
        + (", ".join(f"{why!r} {count}" for why, count in r["review_reasons"].items()) or "none")
        for r in results
    )
    cpu = "; ".join(
        f"{r['tracks']:,} tracks: scan {r['scan_cpu_s']:.2f} s, matching {r['match_cpu_s']:.2f} s "
        f"({r['match_cpu_s'] / r['scan_cpu_s']:.2f} times)"
        for r in results
    )
    loads = "; ".join(
        f"{r['tracks']:,} tracks: "
        + " -> ".join(", ".join(f"{x:.2f}" for x in load) for load in r["load"])
        for r in results
    )
    body = f"""
Measured by `benchmarks/match_bench.py` on {machine()}. The library is written by
`explorer.demo.library` from the catalog itself: real silent FLAC files of the tracks'
lengths, a damage type per album folder (typos, missing album or artist, "feat." moved,
accents dropped and scripts transliterated, case and punctuation noise, track numbers in
titles, durations off by up to 2 s, compilation copies, no tags at all, ISRC tags). The
catalog has the editions of the real dump (remasters with new ISRCs, "- 2011 Remaster"
or "- Remastered 2011" titles and lengths within 2 s; deluxe editions; re-releases with
the same names and new ISRCs; live albums; covers; compilations), and the library's
folders come from all of them: half the remaster folders lost the titles' suffix, a
third the album tag's mark, as real rips do. A file that names nothing that tells two
editions apart (no tags at all, or no year and no marks) is linked to the preferred
edition (the original album): when that is another recording than the one it was made
from (a re-release's or a remaster's own ISRC), it counts as wrong in the precision
column, and as right in the last precision column. The middle one counts as right only
the files that carry nothing telling the linked edition from their own: no identifier
tag, and the two tracks alike in title, album name, track and disc number, track count,
length and (when the file has a year) year; such as an untagged rip of a re-release of
the same names and master, or a year-less rip when one of the two releases has no date
in the catalog. For those, any choice is a coin flip the preference makes.
A file is right when its link points at the recording it was made from (same track or
same ISRC). Precision counts `matched` links only (applied without asking); recall
counts right links that are `matched` or sent to `review`. The naive baseline links
every file to the best `fuzz.WRatio` of "artist title" among the same search hits.
Libraries of 1,500 files or more are matched by worker processes (one per core: these catalogs fit in memory) while the
main process writes; peak RSS is the main process's, then the largest child process's
(a matching worker, or the index build run before when that was larger). Tag reading is
a first scan of the library into an empty store, matching a first run on the scanned
store; each is timed {PASSES} times in the same process, a scan and a matching pass in
turn (so that a change of the shared machine's load falls on both), and the median pass
is shown (scan, then matching, passes in seconds: {passes}). Their CPU time (user +
system of the process and its workers; the median pass), which the machine's load moves
less than the wall times: {cpu}.

| catalog tracks | files | precision of matched | ... counting as right a file that carries nothing telling its edition from the linked one | ... counting another edition of the song as right | recall (matched + review) | right and automatic | sent to review | tag reading, files/s | matching, files/s | matching cost / tag reading cost | naive baseline right | peak RSS, main / child |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

Confusion by the edition a file was made from (right: the recording it was made from, by
track or ISRC; "other edition": matched to another edition of the same song, such as the
original album for a file of its re-release that carries no year; "wrong": another song):

| catalog tracks | edition | files | matched right | matched other edition | ... of which the file tells nothing apart | matched wrong | review right | review wrong | unmatched |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(edition_rows)}

Why files went to review: {reasons}

Load (1, 5, 15-minute averages of `uptime`) at the start and the end of each size's run:
{loads}.

Confusion by damage type:

| catalog tracks | damage | files | matched right | matched wrong | review right | review wrong | unmatched |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(confusion_rows)}
"""
    write_section("Matching", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
