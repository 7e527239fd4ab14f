"""The user's decisions on links: accept, reject, unlink, pick, link by hand, accept all,
undo and redo, with the rules the window and `explorer decide` share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.catalog import Catalog
from explorer.errors import KnownError
from explorer.library.store import LibraryStore
from explorer.matching.links import LinkRow, Links
from explorer.matching.review import file_by_id, find_candidate

ACTIONS = ("accept", "reject", "unlink", "pick", "manual")
NO_LIBRARY = "There is no library yet: scan and match a folder (`explorer match DIR`)."
GONE = "That file is no longer in the library."


@dataclass(frozen=True)
class HistoryStep:
    """An undone or redone decision: its file and a sentence saying what was done."""

    file_id: int
    said: str


def decide(
    store: LibraryStore,
    file_id: int,
    action: str,
    *,
    track_id: str | None = None,
    album_id: str | None = None,
    isrc: str | None = None,
    catalog: Catalog | None = None,
) -> None:
    """Record the user's `action` on one file; a KnownError says why it cannot be done.
    `pick` and `manual` link to `track_id` (its album and ISRC from the catalog when not
    given and a catalog is)."""
    if action not in ACTIONS:
        raise KnownError(f"Unknown decision {action!r}: use one of {', '.join(ACTIONS)}.")
    links = Links(store)
    file = file_by_id(store, file_id)
    if file is None:
        raise KnownError(GONE)
    # an unreadable file can still be linked by hand (you know what it is); nothing else
    if file.status != "ok" and action not in ("unlink", "manual"):
        raise KnownError(
            f"{file.display.rsplit('/', 1)[-1]} could not be read ({file.error or file.status}); "
            "there is nothing to decide until a scan reads it."
        )
    if action == "accept":
        current = links.get(file_id)
        if current is None or current.track_id is None:
            raise KnownError("There is no link to accept: pick an alternative or link by hand.")
        links.decide(file_id, "accepted")
    elif action == "reject":
        links.decide(file_id, "rejected")
    elif action == "unlink":
        links.unlink(file_id)
    else:
        if not track_id:
            raise KnownError("Name the track to link the file to (a track ID).")
        if catalog is not None and not isrc:
            # linked from a search result: its ISRC and album from the catalog
            track = catalog.track(track_id)
            if track is None:
                raise KnownError("That track is not in this catalog.")
            album_id = album_id or (track.album.id if track.album else None)
            isrc = track.isrc
        links.decide(
            file_id,
            "manual",
            track_id=track_id,
            album_id=album_id,
            isrc=isrc,
            action=action,
            confidence=_picked_score(links, file_id, track_id) if action == "pick" else None,
        )


@dataclass(frozen=True)
class Offered:
    """A track the matcher offered for a file, with the album and ISRC it had there."""

    track_id: str
    album_id: str | None
    isrc: str | None


def offered(store: LibraryStore, file_id: int, track_id: str) -> Offered | None:
    """The candidate the matcher offered for the file with this track id (None: it
    offered no such track), as `decide(..., "pick")` takes it."""
    current = Links(store).get(file_id)
    candidate = find_candidate(current.detail, track_id) if current is not None else None
    if candidate is None:
        return None

    def text(key: str) -> str | None:
        value = candidate.get(key)
        return value if isinstance(value, str) and value else None

    return Offered(track_id, text("album_id"), text("isrc"))


def _picked_score(links: Links, file_id: int, track_id: str) -> float | None:
    """The score the matcher gave the candidate picked (None: it offered no such track)."""
    current = links.get(file_id)
    picked = find_candidate(current.detail, track_id) if current is not None else None
    score = picked.get("score") if picked is not None else None
    return float(score) if isinstance(score, int | float) else None


def count_acceptable(store: LibraryStore, threshold: float) -> int:
    """How many links `accept_all` would accept."""
    return Links(store).count_acceptable(_threshold(threshold))


def accept_all(store: LibraryStore, threshold: float) -> int:
    """Accept every match with confidence at least `threshold` (one undo step)."""
    return Links(store).accept_all(_threshold(threshold))


def _threshold(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise KnownError(f"The confidence must be a number from 0 to 1, not {value!r}.")
    return float(value)


def undo(store: LibraryStore) -> HistoryStep | None:
    """Undo the latest decision; None when there is nothing to undo."""
    return _step(store, "undo")


def redo(store: LibraryStore) -> HistoryStep | None:
    """Redo the latest undone decision; None when there is nothing to redo."""
    return _step(store, "redo")


def _step(store: LibraryStore, which: str) -> HistoryStep | None:
    links = Links(store)
    entry = links.undo() if which == "undo" else links.redo()
    if entry is None:
        return None
    file = file_by_id(store, entry.file_id)
    name = file.display.rsplit("/", 1)[-1] if file is not None else "a file"
    what = "Undone" if which == "undo" else "Redone"
    files = f"{entry.batch_size:,} files" if entry.batch_size > 1 else name
    return HistoryStep(entry.file_id, f"{what}: {entry.action} ({files}).")


def find_file(store: LibraryStore, ref: str) -> int:
    """The id of the library file `ref` names: its path (as given, absolute or resolved)
    or its id; a KnownError when the library has no such file."""
    path = Path(ref).expanduser()
    for candidate in (path, path.absolute(), path.resolve()):
        file = store.file_by_path(candidate)
        if file is not None:
            return file.id
    if ref.isdigit() and file_by_id(store, int(ref)) is not None:
        return int(ref)
    raise KnownError(
        f"'{ref}' is not a file of your library: give its path as scanned, or its id "
        "(`explorer library --json` lists both)."
    )


def link_of(store: LibraryStore, file_id: int) -> LinkRow | None:
    """The file's link after a decision."""
    return Links(store).get(file_id)
