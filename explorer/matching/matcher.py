"""The matcher: candidates -> scores -> album assignment -> decisions, for files or folders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from explorer.catalog import Catalog
from explorer.matching.album import ALBUM_TOLERANCE, best_album
from explorer.matching.candidates import expand_siblings, find_candidates
from explorer.matching.decide import Candidate, MatchResult, Thresholds, decide, recording_key
from explorer.matching.facts import FileFacts
from explorer.matching.score import score_track
from explorer.search.engine import SearchEngine
from explorer.text import normalize as norm

# Folders with at least this many files sharing an album tag are matched as an album.
ALBUM_MIN_FILES = 2


class Matcher:
    """Matches files against one catalog; one instance per thread (it holds connections)."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        engine: SearchEngine | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.catalog = catalog
        self.engine = engine or SearchEngine(catalog)
        self.thresholds = thresholds or Thresholds()

    def candidates(self, facts: FileFacts) -> list[Candidate]:
        """Every candidate of one file, scored, best first (other releases included)."""
        found = find_candidates(facts, catalog=self.catalog, engine=self.engine)
        scored = sorted(
            (Candidate(item.track, score_track(facts, item.track), item.method) for item in found),
            key=lambda c: c.score.total,
            reverse=True,
        )
        if scored and scored[0].method == "text":
            expanded = expand_siblings(found, catalog=self.catalog, best=[c.track for c in scored])
            extra = expanded[len(found) :]
            scored.extend(
                Candidate(item.track, score_track(facts, item.track), item.method) for item in extra
            )
            scored.sort(key=lambda c: c.score.total, reverse=True)
        return scored

    def match_file(self, facts: FileFacts) -> MatchResult:
        """Match one file on its own."""
        return decide(facts, self.candidates(facts), thresholds=self.thresholds)

    def match_files(self, files: Sequence[FileFacts]) -> list[MatchResult]:
        """Match files of one folder: those sharing an album tag land on one release."""
        results: list[MatchResult | None] = [None] * len(files)
        by_album: dict[str, list[int]] = defaultdict(list)
        for index, facts in enumerate(files):
            if facts.album and norm(facts.album):
                by_album[norm(facts.album)].append(index)
        grouped = {
            i for indexes in by_album.values() if len(indexes) >= ALBUM_MIN_FILES for i in indexes
        }
        for index, facts in enumerate(files):
            if index not in grouped:
                results[index] = self.match_file(facts)
        for indexes in by_album.values():
            if len(indexes) < ALBUM_MIN_FILES:
                continue
            group = [files[i] for i in indexes]
            for offset, result in enumerate(self._match_album(group)):
                results[indexes[offset]] = result
        return [result for result in results if result is not None]

    def _match_album(self, files: Sequence[FileFacts]) -> list[MatchResult]:
        per_file = [self.candidates(facts) for facts in files]
        albums = [
            candidate.track.album_rowid for candidates in per_file for candidate in candidates[:5]
        ]
        fit = best_album(files, albums, catalog=self.catalog) if albums else None
        results = []
        for index, (facts, candidates) in enumerate(zip(files, per_file, strict=True)):
            chosen = fit.assigned.get(index) if fit else None
            best_own = candidates[0].score.total if candidates else 0.0
            if chosen is not None and chosen[1] >= best_own - ALBUM_TOLERANCE:
                track = chosen[0]
                key = recording_key(track)
                identified = bool(candidates) and candidates[0].method in ("isrc", "id-tag")
                method = (
                    candidates[0].method
                    if identified and recording_key(candidates[0].track) == key
                    else "album"
                )
                album_candidate = Candidate(track, score_track(facts, track), method)
                rest = [c for c in candidates if recording_key(c.track) != key]
                results.append(decide(facts, [album_candidate, *rest], thresholds=self.thresholds))
            else:
                results.append(decide(facts, candidates, thresholds=self.thresholds))
        return results
