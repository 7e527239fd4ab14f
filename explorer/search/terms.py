"""From a parsed query to an FTS5 MATCH expression of the index's own tokens."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace

from explorer.index.store import COMPLETION_PREFIXES, COMPLETIONS
from explorer.search.fuzzy import Vocabulary
from explorer.search.query import ParsedQuery
from explorer.search.results import EntityKind
from explorer.text import search_tokens, tokens
from explorer.text.fts import fts_tokens

# Shorter prefixes are not completed (a one-letter prefix matches a twentieth of all words).
MIN_PREFIX = 2
# Words dropped from queries: `&` is not indexed, so "and" must not be required
# ("Simon and Garfunkel" finds "Simon & Garfunkel"). A query of stop words alone keeps
# them (a song called "And").
STOP_WORDS = frozenset({"and"})


def tokens_of(text: str) -> list[str]:
    """The index's tokens of `text` (see `explorer.text.tokens`), "and" left out."""
    return _without_stop_words(tokens(text))


def searched_tokens(text: str) -> list[str]:
    """`tokens_of`, with CJK runs asked for by their pairs of characters (the index holds
    both: see `explorer.text.cjk_pairs`)."""
    return _without_stop_words(search_tokens(text))


def _without_stop_words(words: list[str]) -> list[str]:
    """The words but the stop words, or all of them when they are all stop words (so
    a whole query, not a word at a time, must go through here)."""
    kept = [w for w in words if w not in STOP_WORDS]
    return kept or words


def held_years(index: sqlite3.Connection, low: int, high: int) -> dict[int, int]:
    """The release years from `low` to `high` that the index holds (its `y_YYYY` tokens,
    one range of the vocabulary), oldest first, with their rows (albums and tracks): a
    catalog has a century or so of years, so a wide year:A..B asks only for those."""
    rows = index.execute(
        "SELECT term, docs FROM vocab WHERE term >= ? AND term <= ? "
        "AND term GLOB 'y_[0-9][0-9][0-9][0-9]' ORDER BY term",
        (f"y_{low:04d}", f"y_{high:04d}"),
    )
    return {int(term[2:]): docs for term, docs in rows}


def year_group(years: tuple[int, int], held: Sequence[int] | None = None) -> tuple[str, ...]:
    """The year tokens of a year:A..B filter: the range's years that are in `held`
    (see `held_years`; None: every year of the range). With none held, a token the index
    lacks, so that nothing matches (an empty group would match everything)."""
    low, high = years
    chosen = range(low, high + 1) if held is None else [y for y in held if low <= y <= high]
    return tuple(f"y_{year}" for year in chosen) or (f"y_{low}",)


def quoted(token: str) -> str:
    """A token as an FTS5 string (never syntax, whatever it holds)."""
    return '"' + token.replace('"', '""') + '"'


@dataclass(frozen=True)
class Terms:
    """Groups of alternative tokens: every group must match, any token of a group may."""

    groups: tuple[tuple[str, ...], ...]
    plain_tokens: tuple[str, ...]  # the user's words, for typo corrections
    prefix_token: str | None  # the word still being typed
    # tokens of filters that `hits.keep` checks on every hit (artist:, track:), which the
    # index need not check when they are common
    checked_later: frozenset[str] = frozenset()
    # the year:A..B filter is left to `hits.keep` (see `match_terms`)
    years_checked_later: bool = False

    @property
    def expression(self) -> str:
        parts = []
        for group in self.groups:
            if len(group) == 1:
                parts.append(quoted(group[0]))
            elif group:
                parts.append("(" + " OR ".join(quoted(t) for t in group) + ")")
        return " AND ".join(parts)

    def with_completions(self, words: list[str]) -> Terms:
        if not self.prefix_token or not words:
            return self
        groups = [
            (*group, *[w for w in words if w not in group])
            if group and group[0] == self.prefix_token
            else group
            for group in self.groups
        ]
        return replace(self, groups=tuple(groups))

    def with_alternatives(self, alternatives: dict[str, list[str]]) -> Terms:
        groups = [
            (*group, *[w for w in alternatives.get(group[0], []) if w not in group])
            if group
            else group
            for group in self.groups
        ]
        return replace(self, groups=tuple(groups))


def match_terms(
    parsed: ParsedQuery,
    kind: EntityKind,
    *,
    years: Sequence[int] | None = None,
    years_on_hits: bool = False,
) -> Terms:
    """Tokens the index must hold for this query and kind (filters as marker tokens).

    `years`: the years of a year:A..B filter to ask for (those the index holds, see
    `held_years`); None: every year of the range. `years_on_hits`: leave the filter to
    the check of the hits when other words decide the matches (a range that holds most
    rows drops few of them, and an OR of many years costs a look into each year's list
    for every row the other words match).
    """
    typed = [t for word in parsed.words for t in search_tokens(word)]
    words = _without_stop_words(typed)
    groups: list[tuple[str, ...]] = [(t,) for t in dict.fromkeys(words)]
    checked: set[str] = set()
    for name in ("artist", "track") if kind == "track" else ("artist",):
        if name in parsed.filters:
            filter_tokens = searched_tokens(parsed.filters[name])
            groups += [(t,) for t in filter_tokens]
            checked.update(filter_tokens)
    if kind == "album" and "album" in parsed.filters:
        groups += [(t,) for t in searched_tokens(parsed.filters["album"])]
    if kind == "album" and "label" in parsed.filters:
        groups += [(t,) for t in label_tokens(parsed.filters["label"])]
    if kind == "album" and "upc" in parsed.filters:
        groups.append((f"u_{parsed.filters['upc'].strip()}",))
    if kind == "album" and parsed.album_type:
        groups.append((f"t_{parsed.album_type}",))
    if kind == "artist" and "genre" in parsed.filters:
        groups += [(t,) for t in genre_tokens(parsed.filters["genre"])]
    later = bool(kind in ("track", "album") and parsed.years and years_on_hits and groups)
    if kind in ("track", "album") and parsed.years and not later:
        groups.append(year_group(parsed.years, years))
    # the word being typed, unless it was a stop word left out
    prefix = typed[-1] if parsed.prefix and typed and typed[-1] in words else None
    return Terms(
        tuple(g for g in groups if g),
        tuple(dict.fromkeys(words)),
        prefix,
        frozenset(checked - set(words)),
        later,
    )


def genre_tokens(genre: str) -> list[str]:
    """The tokens the index holds for a genre: the build writes 'g_' and the genre with its
    spaces and hyphens as '_' ("deep house" -> g_deep_house, "drum and bass" ->
    g_drum_and_bass), which FTS5 splits at any other mark ("children's music" ->
    g_children, s_music)."""
    return fts_tokens("g_" + genre.lower().replace(" ", "_").replace("-", "_"))


def label_tokens(label: str) -> list[str]:
    """The tokens the index holds for a label: the build writes 'l_' before each of its
    words ("Warner Music" -> l_warner l_music), which FTS5 splits at any other mark
    ("Sony/BMG" -> l_sony, bmg)."""
    return fts_tokens("l_" + label.strip(" ").lower().replace(" ", " l_"))


def completions(index: sqlite3.Connection, prefix: str) -> list[str]:
    """The most frequent indexed words that start with `prefix` (COMPLETIONS of them:
    more find rarer words but make the OR wider)."""
    if len(prefix) < MIN_PREFIX:
        return []
    if len(prefix) in COMPLETION_PREFIXES:  # kept ranked by the build when it had to be
        kept = index.execute(
            "SELECT term FROM completion WHERE prefix = ? ORDER BY rank", (prefix,)
        ).fetchall()
        if kept:
            return [row[0] for row in kept]
    rows = index.execute(
        "SELECT term FROM vocab WHERE term > ? AND term < ? ORDER BY docs DESC LIMIT ?",
        (prefix, prefix + "\U0010ffff", COMPLETIONS),
    ).fetchall()
    return [row[0] for row in rows]


def unknown_words(vocabulary: Vocabulary, terms: Terms) -> tuple[str, ...]:
    """The user's words the index has never seen (the ones a typo pass may fix).

    The word being typed counts as known when it completes to an indexed word.
    """
    words = [w for w in terms.plain_tokens if w]
    if not words:
        return ()
    known = set(vocabulary.docs(words))
    if terms.prefix_token and terms.prefix_token not in known:
        group = next((g for g in terms.groups if g and g[0] == terms.prefix_token), ())
        if len(group) > 1:  # completions were found
            known.add(terms.prefix_token)
    return tuple(w for w in words if w not in known)
