"""What the review lists: a file's state in one row, pages of the library by its filter,
and the candidates the matcher kept (no Qt). The explanation is in review_html.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from explorer.catalog import Catalog
from explorer.library.facet_cache import FacetCache, LinkFacets
from explorer.library.store import FileRow, LibraryStore
from explorer.matching.library_filter import (
    FACET_SORTS,
    FILES_SQL,
    KEY_OF_ORDER,
    SORT_KEYS,
    library_filter,
    use_filter_functions,
)
from explorer.matching.links import LinkRow, Links, field_dicts
from explorer.matching.run import facts_of
from explorer.matching.score import score_track

# Files per page of the library view.
PAGE = 500


@dataclass(frozen=True)
class ReviewRow:
    """One file as the library view lists it."""

    file_id: int
    path: str
    status: str  # matched | review | unmatched | accepted | rejected | manual | error | not matched
    confidence: float | None
    margin: float | None
    track: str
    album: str
    track_id: str | None
    facets: LinkFacets | None = None  # the linked track's, when read from the catalog


def shown_status(file: FileRow, link: LinkRow | None) -> str:
    if file.status != "ok":
        return "error"
    if link is None:
        return "not matched"
    return link.status if link.user_decided else link.decision


def find_candidate(detail: dict[str, Any], track_id: str | None) -> dict[str, Any] | None:
    """The candidate the matcher kept (best, runner-up or an alternative) for this track."""
    if track_id is None:
        return None
    for candidate in _candidates(detail):
        if candidate.get("track_id") == track_id:
            return candidate
    return None


def _candidates(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The best candidate, the runner-up and the alternatives, those that are objects."""
    found = [detail.get("best"), detail.get("runner_up"), *(detail.get("alternatives") or [])]
    return [candidate for candidate in found if isinstance(candidate, dict)]


def explained(link: LinkRow | None, file: FileRow, catalog: Catalog | None) -> LinkRow | None:
    """The link with the matcher's choice explained field by field, as the review shows
    it: the breakdown a store written before kept, else computed now from the file's tags
    and the catalog's track (`score_track`, as the matching run computed it). A matching
    run stores no breakdown (computing it for every file was about a tenth of its work);
    without the catalog, or when it has no such track, the link is as stored."""
    if link is None or catalog is None:
        return link
    best = link.detail.get("best")
    if not isinstance(best, dict) or "fields" in best or not isinstance(best.get("track_id"), str):
        return link
    track = catalog.track(best["track_id"])
    if track is None:
        return link
    fields = field_dicts(score_track(facts_of(file), track).fields)
    return replace(link, detail={**link.detail, "best": {**best, "fields": fields}})


def linked_candidate(track: Any) -> dict[str, Any]:
    """A catalog track (a TrackRow) as the review shows a candidate: for a link made by
    hand to a track the matcher never offered."""
    album = track.album
    return {
        "track_id": track.id,
        "album_id": album.id if album else None,
        "name": track.name,
        "artists": [artist.name for artist in track.artists],
        "album": album.name if album else None,
        "album_type": album.album_type if album else None,
        "isrc": track.isrc,
    }


def named_row(row: ReviewRow, linked: dict[str, Any]) -> ReviewRow:
    """The row with the names of `linked` (its linked track) instead of its ids."""
    artists = ", ".join(linked.get("artists") or [])
    return replace(row, track=f"{artists} – {linked.get('name')}", album=linked.get("album") or "")


def _names(link: LinkRow | None) -> tuple[str, str]:
    """The linked track's and album's names, from what the matcher kept."""
    if link is None or link.track_id is None:
        return "", ""
    candidate = find_candidate(link.detail or {}, link.track_id)
    if candidate is not None:
        artists = ", ".join(candidate.get("artists") or [])
        return f"{artists} – {candidate.get('name')}", candidate.get("album") or ""
    return link.track_id, link.album_id or ""


def review_row(file: FileRow, link: LinkRow | None) -> ReviewRow:
    track, album = _names(link)
    return ReviewRow(
        file_id=file.id,
        path=file.display,
        status=shown_status(file, link),
        confidence=link.confidence if link else None,
        margin=link.margin if link else None,
        track=track,
        album=album,
        track_id=link.track_id if link else None,
    )


def _sort_value(order: str, row: ReviewRow) -> object:
    """The sort key of a row shown, as `SORT_KEYS[...]` computes it in SQL."""
    key = KEY_OF_ORDER[order]
    for name, column in FACET_SORTS.items():
        if key == SORT_KEYS[name]:
            value = getattr(row.facets, column) if row.facets is not None else None
            return value if value is not None else -1
    if key == SORT_KEYS["confidence"]:
        return row.confidence if row.confidence is not None else -1.0
    return row.path if key == SORT_KEYS["path"] else row.status


def library_page(
    store: LibraryStore,
    *,
    after_id: int = 0,
    after: ReviewRow | None = None,
    limit: int | None = None,
    text: str = "",
) -> tuple[list[ReviewRow], bool]:
    """One page of files matching the filter `text`, and whether more exist.

    Pages continue after the file id `after_id`, or, sorted, after the row `after` (the
    last one shown: its sort key and id). The user store is the user's own and small next
    to the catalog. A file a decision moved past the rows shown comes again on a later
    page: the view keeps the first (see LibraryModel.append_rows).
    """
    limit = PAGE if limit is None else limit
    use_filter_functions(store)
    where, params, order = library_filter(text)
    paging: list[object]
    if order == "f.id":
        condition, paging = "f.id > ?", [after_id]
    elif after is not None:
        condition = f"({KEY_OF_ORDER[order]}, f.id) > (?, ?)"
        paging = [_sort_value(order, after), after.file_id]
    else:
        condition, paging = "1", []
    ids = [
        r[0]
        for r in store.db.execute_sql(
            f"SELECT f.id FROM {FILES_SQL} WHERE {where} AND {condition} ORDER BY {order} LIMIT ?",
            (*params, *paging, limit + 1),
        )
    ]
    return _review_rows(store, ids[:limit]), len(ids) > limit


def library_folders(store: LibraryStore, text: str = "") -> list[str]:
    """The folders holding files that match the filter `text`, in name order (the library
    grouped by folder)."""
    if not text.strip():
        return store.folders()
    use_filter_functions(store)
    where, params, _order = library_filter(text)
    rows = store.db.execute_sql(
        f"SELECT DISTINCT f.folder FROM {FILES_SQL} WHERE {where} ORDER BY f.folder",
        params,
    )
    return [row[0] for row in rows]


def folder_rows(
    store: LibraryStore, folder: str, text: str = "", *, limit: int = 100_000
) -> list[ReviewRow]:
    """The files of one folder that match the filter `text`, in the filter's order."""
    use_filter_functions(store)
    where, params, order = library_filter(text)
    ids = [
        row[0]
        for row in store.db.execute_sql(
            f"SELECT f.id FROM {FILES_SQL} WHERE f.folder = ? AND {where} ORDER BY {order} LIMIT ?",
            (folder, *params, limit),
        )
    ]
    return _review_rows(store, ids)


def _review_rows(store: LibraryStore, ids: list[int]) -> list[ReviewRow]:
    """The rows of these files, in this order (those still in the store)."""
    links = Links(store)
    facets = FacetCache(store).get_many(ids)
    rows = []
    for file_id in ids:
        file = file_by_id(store, file_id)
        if file is not None:
            rows.append(replace(review_row(file, links.get(file_id)), facets=facets.get(file_id)))
    return rows


def file_by_id(store: LibraryStore, file_id: int) -> FileRow | None:
    row = store.db.execute_sql("SELECT path FROM files WHERE id = ?", (file_id,)).fetchone()
    return store.file_by_path(row[0]) if row else None
