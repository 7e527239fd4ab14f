"""Damaged SQLite files for the tests: pages made unreadable, as a bad disk or a broken
download leaves them."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path


def zero_page_types(path: Path, pages: list[int]) -> None:
    """Make b-tree pages unreadable (no such page type: "malformed")."""
    con = sqlite3.connect(path)
    (size,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    with path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * size)
            handle.write(b"\x00")


def damage_middle_of(table: str, source: Path, target: Path) -> None:
    """Copy `source` to `target` with the b-tree pages that hold the middle third of
    `table`'s rows made unreadable. The schema and every table's last page (what opening
    reads) stay as they were."""
    shutil.copy(source, target)
    con = sqlite3.connect(target)
    try:
        # dbstat lists a table's pages in b-tree order, so its leaves in rowid order
        leaves = [
            page
            for (page,) in con.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path",
                (table,),
            )
        ]
    finally:
        con.close()
    third = len(leaves) // 3
    damaged = leaves[third : 2 * third]
    assert len(damaged) > 10
    zero_page_types(target, damaged)


def damage_every_7th_page(path: Path) -> None:
    """QA's damaged catalog: 200 random bytes every 7 pages from page 3 on."""
    rng = random.Random(7)
    pages = path.stat().st_size // 4096
    with path.open("r+b") as handle:
        for page in range(3, pages, 7):
            handle.seek(page * 4096 + 100)
            handle.write(rng.randbytes(200))
