"""An M3U playlist of the library files that pass a filter (`bpm:120..128 key:8A~`)."""

from __future__ import annotations

from explorer.catalog.connection import Catalog
from explorer.errors import KnownError
from explorer.library.store import LibraryStore
from explorer.matching.dataset import SURE
from explorer.matching.facets import refresh_facets
from explorer.matching.library_filter import filter_problems
from explorer.matching.reports import Playlist, text_line
from explorer.matching.review import ReviewRow, file_by_id, library_page


def filter_m3u(store: LibraryStore, catalog: Catalog, text: str) -> Playlist:
    """The files that pass the library filter `text` and are linked for sure (matched by
    the matcher, accepted or chosen by you), in the filter's order (file order unless a
    `sort:` word says otherwise). Paths are written as their bytes; a path holding a line
    break is left out and listed in `skipped`, as for an album's playlist."""
    problems = filter_problems(text)
    if problems:
        raise KnownError(f"The filter is not understood: {'; '.join(problems)}.")
    refresh_facets(store, catalog)
    lines = [b"#EXTM3U", text_line(f"#PLAYLIST:{' '.join(text.split())}")]
    skipped: list[str] = []
    entries = 0
    after: ReviewRow | None = None
    while True:
        rows, more = library_page(
            store, after_id=after.file_id if after else 0, after=after, text=text
        )
        for row in rows:
            file = file_by_id(store, row.file_id) if row.status in SURE else None
            if file is None or file.status != "ok":
                continue
            if b"\n" in file.path or b"\r" in file.path:
                skipped.append(file.display)
                continue
            length = file.stream.duration_s if file.stream is not None else None
            seconds = round(length) if length is not None else -1
            lines.append(text_line(f"#EXTINF:{seconds},{row.track}"))
            lines.append(file.path)
            entries += 1
        if not more or not rows:
            break
        after = rows[-1]
    return Playlist(b"\n".join(lines) + b"\n", entries, tuple(skipped))
