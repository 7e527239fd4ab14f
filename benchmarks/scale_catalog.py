"""Write the 100 M-track demo catalog for scale_bench.py (the demo writer's rows, without
the audio-features rows: those would add 16 GB to the 34 GB catalog on a shared disk).

    nice -n 10 .venv/bin/python benchmarks/scale_catalog.py /work/benchdata/demo100m.sqlite3

The catalog file is byte-for-byte what `explorer demo --tracks N` writes (same generator,
same seed, same random draws); its `_audio_features` file has the table and index but no
rows. Progress goes to stderr about every million tracks.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from explorer.catalog import schema
from explorer.catalog.connection import features_path_for
from explorer.demo import writer

# A progress line after about this many tracks.
REPORT_EVERY = 1_000_000


class _NoRows:
    """A features connection that keeps the schema but drops the rows (the disk's sake)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    def executemany(self, sql: str, rows: Any) -> None:
        del sql, rows

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def write(path: Path, tracks: int, seed: int) -> None:
    """The body of `writer.write_demo_catalog` with the features sink replaced."""
    features_target = features_path_for(path)
    tmp = path.with_name(path.name + ".partial")
    ftmp = features_target.with_name(features_target.name + ".partial")
    started = time.perf_counter()
    reported = [0]

    def progress(done: int, total: int) -> None:
        if done - reported[0] >= REPORT_EVERY or done >= total:
            reported[0] = done
            rate = done / max(time.perf_counter() - started, 1e-9)
            print(f"{done:,} / {total:,} tracks, {rate:,.0f} tracks/s", file=sys.stderr, flush=True)

    con = writer._open_for_writing(tmp)
    fcon = writer._open_for_writing(ftmp)
    con.execute("BEGIN")
    fcon.execute("BEGIN")
    writer._run_script(con, schema.CATALOG_TABLES_DDL)
    writer._run_script(fcon, schema.FEATURES_TABLES_DDL)
    generator = writer._Generator(
        con,
        _NoRows(fcon),  # type: ignore[arg-type]
        tracks=tracks,
        seed=seed,
        progress=progress,
    )
    generator.run()
    print("rows written; creating the indexes", file=sys.stderr, flush=True)
    writer._run_script(con, schema.CATALOG_INDEXES_DDL)
    con.execute("COMMIT")
    writer._run_script(fcon, schema.FEATURES_INDEXES_DDL)
    fcon.execute("COMMIT")
    con.close()
    fcon.close()
    os.replace(ftmp, features_target)
    os.replace(tmp, path)
    seconds = time.perf_counter() - started
    print(
        f"wrote {generator.track_rowid:,} tracks, {generator.album_rowid:,} albums, "
        f"{generator.artist_rowid:,} artists in {seconds:,.0f} s "
        f"({generator.track_rowid / seconds:,.0f} tracks/s)",
        file=sys.stderr,
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--tracks", type=int, default=100_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.path, args.tracks, args.seed)


if __name__ == "__main__":
    main()
