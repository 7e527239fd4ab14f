"""The matcher: candidates -> scores -> album assignment -> decisions, for files or folders."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from explorer.catalog import Catalog
from explorer.catalog.records import TrackRow
from explorer.matching.album import ALBUM_TOLERANCE, ALBUMS_TIED_MAX, AlbumFit, best_album
from explorer.matching.candidates import expand_siblings, find_candidates, query_words
from explorer.matching.decide import (
    KEEP_ALTERNATIVES,
    Candidate,
    MatchResult,
    Method,
    Thresholds,
    decide,
    recording_key,
)
from explorer.matching.facts import FileFacts
from explorer.matching.score import (
    DeferredScore,
    Score,
    album_base,
    score_track,
    text_similarity,
)
from explorer.matching.titles import parse_title
from explorer.search.engine import SearchEngine
from explorer.search.server_engine import engine_for
from explorer.text import case_variants
from explorer.text import normalize as norm

# Files sharing an album tag are matched as an album, a lone file too: its album and
# artist tags find the release by name, which costs less than searching for the track.
ALBUM_MIN_FILES = 1
# Files of a folder searched one by one before the rest are fitted to the release they
# point at (when the album tag found none).
PROBE_FILES = 2
# Releases asked of the album search per folder.
ALBUM_HITS = 5
# A folder's album artist is first looked up by exact name (the catalog's name index) and
# their releases named like the album tag taken (similarity at least ARTIST_ALBUM_MIN)
# when they have ARTIST_RELEASES_READ releases or fewer; an artist with more is asked for
# releases named exactly like the tag (the album-name index). Either way the cost depends
# on the artist or the album name, not on the catalog's size. The search index is asked
# when that finds nothing.
ARTIST_ALBUM_MIN = 0.9
ARTIST_RELEASES_READ = 300
# Artists of one name read at most (their releases, ARTIST_RELEASES_READ at most in all,
# compared by name as above); a name shared by more (a common name in a catalog of 15
# million artists) is also looked up by the album's exact name, which finds it whichever
# namesake made it. At 20, "张英" (44 artists at 10 M tracks) lost a folder whose album
# tag was transliterated: its artist was the 40th.
NAMESAKES_READ = 100
# Before that, the releases of the album artist named exactly like the album tag (or like
# it without edition marks) are looked up through the album-name index, and each named
# album's credits: no release row is read, so this costs a few index lookups where
# reading the artist's releases costs one random row read each (46 a folder on average
# at 10 M tracks). When a release found so takes every file of the folder, the search
# ends there; otherwise (a tag naming the release without its edition marks, a typo, a
# transliteration) the releases named alike are read as above. A name shared by more
# than EXACT_NAMES_READ albums ("Greatest Hits") skips this step.
EXACT_NAMES_READ = 200
# The names the dump gives a release's editions ("X (2011 Remaster)"): looked up with the
# album tag's name in the album-name index (a few lookups), so that a folder whose album
# tag lost its edition mark still meets the remaster or deluxe edition it came from, and
# the folder's evidence (years, lengths, version marks) chooses. `{year}`: a year tag.
EDITION_NAME_FORMS = (
    "{} (Remastered)",
    "{} (Deluxe Edition)",
    "{} (Deluxe)",
    "{} (Expanded Edition)",
)
EDITION_YEAR_FORMS = ("{} ({year} Remaster)", "{} (Remastered {year})", "{} ({year} Remastered)")
# A file takes its track on the folder's release without a search of its own when the
# assignment scores at least this; below, the file is searched for on its own.
ALBUM_FILE_MIN = 0.8


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
        self.engine = engine or engine_for(catalog)
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
            # a Spotify id tag (as `explorer tag write` leaves) names the release itself:
            # the file is matched by it alone, not fitted to the folder's album
            if facts.album and norm(facts.album) and not facts.spotify_track_id:
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

    def _album_artists(self, facts: FileFacts) -> list[int]:
        """Rowids of the artists named exactly like the folder's album artist
        (NAMESAKES_READ at most; none without an album tag)."""
        artist = _album_artist(facts).strip()
        if not artist or not album_base((facts.album or "").strip()).strip():
            return []
        return self.catalog.artists_named(case_variants(artist), limit=NAMESAKES_READ)

    def _exact_releases(
        self,
        facts: FileFacts,
        artists: list[int] | None = None,
        *,
        years: Sequence[int] = (),
    ) -> list[int]:
        """The album artist's releases named exactly like the album tag, like it without
        its edition marks, or like its editions (see EDITION_NAME_FORMS and
        EXACT_NAMES_READ); `years`: the folder's year tags."""
        artists = self._album_artists(facts) if artists is None else artists
        if not artists or len(artists) >= NAMESAKES_READ:
            return []
        album = (facts.album or "").strip()
        base = album_base(album).strip()
        names = (
            *case_variants(album),
            *case_variants(base),
            *_edition_names(base, years),
        )
        found = self.catalog.albums_named_for(
            names, artists, limit=ALBUMS_TIED_MAX, read=EXACT_NAMES_READ
        )
        return found or []

    def _albums_by_artist(
        self, facts: FileFacts, artists: list[int] | None = None, *, years: Sequence[int] = ()
    ) -> list[int]:
        """The album artist's releases named like the album tag, most alike first (by
        exact name for a name many artists share, its editions' names included)."""
        artist = _album_artist(facts).strip()
        album = (facts.album or "").strip()
        wanted = album_base(album)
        if not artist or not wanted.strip():
            return []
        artists = self._album_artists(facts) if artists is None else artists

        def by_exact_name() -> list[int]:
            # a name many artists share, or a prolific artist: by the album's exact name
            # with its editions' names: the common name's remaster whose album tag lost
            # its mark is met here as the exact lookup meets it for a rarer name
            base = wanted.strip()
            names = (*case_variants(album), *case_variants(wanted), *_edition_names(base, years))
            return self.catalog.albums_named_by(names, case_variants(artist), limit=ALBUMS_TIED_MAX)

        if len(artists) >= NAMESAKES_READ and (named := by_exact_name()):
            return named  # no release row read (each one is a random read of the disk)
        releases = self.catalog.album_names_of_artists(artists, limit=ARTIST_RELEASES_READ + 1)
        if len(releases) > ARTIST_RELEASES_READ:
            return [] if len(artists) >= NAMESAKES_READ else by_exact_name()
        # the releases named alike (a typo, a transliteration) of the artists read: all of
        # them, or the first NAMESAKES_READ of a common name its exact name did not find
        alike = [
            (similarity, rowid)
            for rowid, name in releases
            if (similarity := text_similarity(wanted, album_base(name))) >= ARTIST_ALBUM_MIN
        ]
        alike.sort(key=lambda pair: (-pair[0], pair[1]))
        return [rowid for _, rowid in alike[:ALBUM_HITS]]

    def _album_rowids(
        self,
        files: Sequence[FileFacts],
        artists: list[int] | None = None,
        *,
        years: Sequence[int] = (),
    ) -> list[int]:
        """Releases named like the folder's album tag (one lookup per folder, not per file)."""
        facts = files[0]
        name = query_words(album_base(facts.album or ""))
        artist = query_words(_album_artist(facts))
        found: list[int] = self._albums_by_artist(facts, artists, years=years)
        for query in (f"{artist} {name}", name) if not found else ():
            if not query.strip():
                continue
            page = self.engine.search(
                query + " ",
                kind="album",
                limit=ALBUM_HITS,
                timeout_s=1.0,
                fuzzy_below=1,
                rank_window=ALBUM_HITS,
            )
            found += [hit.rowid for hit in page.hits if hit.rowid not in found]
            if found:
                break
        for isrc in {f.isrc.strip().upper() for f in files if f.isrc}:
            found += [t.album_rowid for t in self.catalog.tracks_with_isrc(isrc)[:3]]
        return found

    def _album_first(self, files: Sequence[FileFacts]) -> list[MatchResult | None]:
        """Files that fit the best release by album search; None for the ones that do not.

        The releases named exactly like the tag are tried first: when one takes every
        file, the search ends there (see EXACT_NAMES_READ)."""
        artists = self._album_artists(files[0])
        years = sorted({f.year for f in files if f.year})[:2]
        exact = self._exact_releases(files[0], artists, years=years)
        fit = best_album(files, exact, catalog=self.catalog) if exact else None
        if fit is not None:
            results = self._from_fit(files, fit)
            if all(result is not None for result in results):
                return results
        rowids = self._album_rowids(files, artists, years=years)
        fit = best_album(files, rowids, catalog=self.catalog) if rowids else None
        return self._from_fit(files, fit) if fit is not None else [None] * len(files)

    def _from_fit(self, files: Sequence[FileFacts], fit: AlbumFit) -> list[MatchResult | None]:
        """Files that take their assigned track on the release without a search of their
        own (a close fit, the same edition); None for the others."""
        results: list[MatchResult | None] = [None] * len(files)
        keys = [recording_key(track) for track in fit.tracks]  # once per release
        for index, facts in enumerate(files):
            chosen = fit.assigned.get(index)
            if chosen is None or chosen[1] < ALBUM_FILE_MIN:
                continue
            track = chosen[0]
            # the matrix's total; the parts are computed when asked for (see DeferredScore)
            score = DeferredScore(chosen[1], facts, track)
            version = score.field("version") if _marked(facts) else None
            if version is not None and version.similarity < 1.0:
                # the title's own version marks say another edition (a live take on a
                # studio album): the file's own search decides. An unmarked title takes
                # the folder's edition (rips lose their "- 2011 Remaster").
                continue
            method: Method = (
                "isrc" if facts.isrc and track.isrc == facts.isrc.strip().upper() else "album"
            )
            key = recording_key(track)
            totals = fit.totals[index]
            # heapq.nlargest's answer (sorted, then cut: the same order at ties), in a
            # third of its time on an album's few tracks
            runners_up = sorted(
                [i for i in range(len(keys)) if keys[i] != key],
                key=totals.__getitem__,
                reverse=True,
            )[:3]
            # runners-up by their totals (the matrix's, equal to score_track's): the review
            # lists them by name and score, only the linked track is shown field by field
            others = [Candidate(fit.tracks[i], Score(totals[i], ()), "album") for i in runners_up]
            best = Candidate(track, score, method)
            verdict = decide(facts, [best, *others], thresholds=self.thresholds)
            if fit.reason and verdict.status != "unmatched":
                verdict = replace(verdict, reason=f"{verdict.reason}; {fit.reason}")
            editions = _other_editions(fit, index, track)
            if editions:
                # the same song on the releases the folder did not take, to pick instead
                alternatives = (*editions, *verdict.alternatives)[:KEEP_ALTERNATIVES]
                verdict = replace(verdict, alternatives=alternatives)
            results[index] = verdict
        return results

    def _match_album(self, files: Sequence[FileFacts]) -> list[MatchResult]:
        first = self._album_first(files)
        if all(result is not None for result in first):
            return [result for result in first if result is not None]
        left = [i for i, result in enumerate(first) if result is None]
        rest = self._match_album_by_files([files[i] for i in left])
        for i, result in zip(left, rest, strict=True):
            first[i] = result
        return [result for result in first if result is not None]

    def _match_album_by_files(self, files: Sequence[FileFacts]) -> list[MatchResult]:
        """Files whose album tag found no release: their own searches pick the release.

        The first PROBE_FILES files are searched; the release they point at usually holds
        the rest of the folder, which then takes its tracks without searches of its own.
        The files that do not fit it are searched too, and all the searched files vote.
        """
        if len(files) < 2:
            return [self.match_file(facts) for facts in files]
        results: list[MatchResult | None] = [None] * len(files)
        searched = {
            index: self.candidates(files[index]) for index in range(min(PROBE_FILES, len(files)))
        }
        albums = [c.track.album_rowid for found in searched.values() for c in found[:5]]
        probe_fit = best_album(files, albums, catalog=self.catalog) if albums else None
        if probe_fit is not None:
            for index, result in enumerate(self._from_fit(files, probe_fit)):
                if index not in searched:
                    results[index] = result
        rest = [index for index, result in enumerate(results) if result is None]
        for index in rest:
            if index not in searched:
                searched[index] = self.candidates(files[index])
        group = [files[index] for index in rest]
        per_file = [searched[index] for index in rest]
        albums = [c.track.album_rowid for found in per_file for c in found[:5]]
        fit = best_album(group, albums, catalog=self.catalog) if albums else None
        for offset, (facts, candidates) in enumerate(zip(group, per_file, strict=True)):
            chosen = fit.assigned.get(offset) if fit else None
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
                others = [c for c in candidates if recording_key(c.track) != key]
                verdict = decide(
                    facts,
                    [album_candidate, *others],
                    thresholds=self.thresholds,
                    folder_release=track.album_rowid,
                )
            else:
                verdict = decide(facts, candidates, thresholds=self.thresholds)
            results[rest[offset]] = verdict
        return [result for result in results if result is not None]


def _edition_names(base: str, years: Sequence[int]) -> list[str]:
    """The names the dump gives the editions of album `base` (see EDITION_NAME_FORMS)."""
    return [form.format(base) for form in EDITION_NAME_FORMS] + [
        form.format(base, year=year) for form in EDITION_YEAR_FORMS for year in years
    ]


def _marked(facts: FileFacts) -> bool:
    """Whether the file's title carries version marks of its own ("- Live", "(Remix)")."""
    return bool(parse_title(facts.title or "", strip_number=True).versions)


def _album_artist(facts: FileFacts) -> str:
    """Who a folder's album is by: its album artist tag, else the first file artist."""
    return facts.album_artist or (facts.artists[0] if facts.artists else "")


def _other_editions(fit: AlbumFit, index: int, track: TrackRow) -> list[Candidate]:
    """The file's track on each release that fit the folder as well as the one taken
    (its other editions), with the score it had there, each release once."""
    found: list[Candidate] = []
    for other in fit.editions:
        assigned = other.assigned.get(index)
        if assigned is not None and assigned[0].id != track.id:
            found.append(Candidate(assigned[0], Score(assigned[1], ()), "album"))
    return found
