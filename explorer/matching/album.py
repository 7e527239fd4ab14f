"""Match the files of one folder together to one catalog release (an assignment problem)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from explorer.catalog import Catalog
from explorer.catalog.records import AlbumRow, AlbumSummary, TrackRow
from explorer.matching.assign import best_assignment
from explorer.matching.editions import (
    EVIDENCE_TIE,
    Evidence,
    edition_rank,
    folder_evidence,
    folder_reason,
)
from explorer.matching.facts import FileFacts
from explorer.matching.score import score_matrix
from explorer.text import normalize as norm

# Releases tried per folder (those holding most of the files' candidates); raising it
# finds rarer editions at the cost of loading and scoring their tracks.
ALBUMS_TRIED = 4
# ... and beyond them, the releases with as many votes as the last one tried, up to this
# many in all: nothing but the folder's tracks tells them apart (the same album name by
# artists of the same name, each found once).
ALBUMS_TIED_MAX = 12
# Releases with fewer than 1/ALBUM_VOTES_SHARE of the leader's votes are not tried.
ALBUM_VOTES_SHARE = 3
# A file takes the album's track only when that scores at least its own best candidate
# minus this (a whole album landing on one release is worth a little individual fit).
ALBUM_TOLERANCE = 0.05
# Releases whose fit lies within this of the best are editions the folder's evidence
# chooses among (see editions.py); raising it lets that evidence outweigh more of the fit.
FIT_TIE = 0.05
# An assignment pair below this score is left unassigned (the file is not on the album).
PAIR_MIN = 0.5
# A release fits the folder when the mean assigned score is at least this.
ALBUM_FIT_MIN = 0.7


@dataclass(frozen=True)
class AlbumFit:
    """How well one release fits a folder: the chosen track per file index."""

    album: AlbumRow
    fit: float  # mean score over the files assigned
    assigned: dict[int, tuple[TrackRow, float]]  # file index -> (track, score)
    tracks: tuple[TrackRow, ...] = ()  # the album's tracks, each with the album attached
    totals: tuple[tuple[float, ...], ...] = ()  # every file against every track
    reason: str = ""  # why this edition and not another that fits as well (or "")
    # the other releases that fit as well (editions), in the order of preference
    editions: tuple[AlbumFit, ...] = ()


def _with_album(track: TrackRow, album: AlbumSummary) -> TrackRow:
    return replace(track, album=album)


def fit_album(files: Sequence[FileFacts], album: AlbumRow) -> AlbumFit:
    """The best one-to-one assignment of files to the album's tracks."""
    # the catalog's tracks carry their album; one built another way gets its summary
    summary = album.summary()
    tracks = tuple(
        track if track.album is not None else _with_album(track, summary) for track in album.tracks
    )
    if not tracks or not files:
        return AlbumFit(album, 0.0, {})
    # totals only (a matrix at a time): the breakdown is built for the few pairs a decision shows
    matrix = tuple(tuple(row) for row in score_matrix(files, tracks))
    assigned = {
        i: (tracks[j], matrix[i][j]) for i, j in best_assignment(matrix) if matrix[i][j] >= PAIR_MIN
    }
    fit = sum(score for _, score in assigned.values()) / len(files)
    return AlbumFit(album, fit, assigned, tracks, matrix)


def best_album(
    files: Sequence[FileFacts],
    candidate_albums: Sequence[int],
    *,
    catalog: Catalog,
) -> AlbumFit | None:
    """Try the releases most files point at; the best fit wins, editions break ties."""
    votes = Counter(candidate_albums).most_common(ALBUMS_TIED_MAX)
    if len(votes) > ALBUMS_TRIED:
        last = votes[ALBUMS_TRIED - 1][1]
        votes = [
            vote for place, vote in enumerate(votes) if place < ALBUMS_TRIED or vote[1] == last
        ]
    top_votes = votes[0][1] if votes else 0
    tried = [rowid for rowid, count in votes if count * ALBUM_VOTES_SHARE >= top_votes]
    fits = []
    for rowid in tried:
        album = catalog.album_by_rowid(rowid, extras=False)  # its artists and images unused
        if album is not None:
            fits.append(fit_album(files, album))
    fits = [fit for fit in fits if fit.fit >= ALBUM_FIT_MIN]
    if not fits:
        return None
    top = max(fit.fit for fit in fits)
    close = [fit for fit in fits if fit.fit >= top - FIT_TIE]
    if len(close) == 1:
        return close[0]
    reference = files[0]
    named = norm(reference.album or "")

    def weighed(fit: AlbumFit) -> Evidence:
        return folder_evidence(
            [(files[i], track) for i, (track, _) in fit.assigned.items()], len(files)
        )

    evidence = {id(fit): weighed(fit) for fit in close}
    best_points = max(item.points for item in evidence.values())

    def preference(fit: AlbumFit) -> tuple[bool, int, tuple[int, int, int, int, int], float]:
        # the folder's evidence (album tag marks, years, version marks, lengths) first;
        # among releases it cannot tell apart, the one named exactly as the album tag,
        # then the edition rules (the original, the earliest, the more popular)
        behind = evidence[id(fit)].points < best_points - EVIDENCE_TIE
        other_name = 0 if named and norm(fit.album.name) == named else 1
        first = fit.album.tracks[0] if fit.album.tracks else None
        rank = (
            edition_rank(_with_album(first, fit.album.summary()), reference)
            if first
            else (9, 9, 9, 9999, 0)
        )
        return behind, other_name, rank, -fit.fit

    ranked = sorted(close, key=preference)
    chosen, runner = ranked[0], ranked[1]
    if not chosen.assigned or not runner.assigned:
        return replace(chosen, editions=tuple(ranked[1:]))
    reason = folder_reason(
        next(iter(chosen.assigned.values()))[0],
        evidence[id(chosen)],
        next(iter(runner.assigned.values()))[0],
        evidence[id(runner)],
    )
    return replace(chosen, reason=reason, editions=tuple(ranked[1:]))
