"""Search on a published catalog: the rows whose words match, most popular first, and the
vocabulary (the server's side of what the sidecar index answers for a file)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from explorer.catalog.publish import VOCAB_TABLE
from explorer.catalog.search_text import SEARCH_RANK_COLUMN, SEARCH_TEXT_COLUMN

if TYPE_CHECKING:
    from explorer.catalog.server import ServerCatalog

# A row's words (indexed by GIN, and beside the rank in its B-tree).
WORDS = SEARCH_TEXT_COLUMN
TABLES = {"track": "tracks", "album": "albums", "artist": "artists"}


class ServerSearchIndex:
    """The search structures `explorer publish` made, read through the catalog's sessions."""

    def __init__(self, catalog: ServerCatalog) -> None:
        self.catalog = catalog

    def matches(
        self, kind: str, groups: Sequence[Sequence[str]], after: int, count: int
    ) -> list[int]:
        """The first `count` ranks above `after` of the rows of a kind holding a word of
        every group, in rank order."""
        required = [group[0] for group in groups if len(group) == 1]
        conditions, params = [f"{SEARCH_RANK_COLUMN} > ?"], [after]
        if required:
            conditions.append(f"{WORDS} @> ?::text[]")
            params.append(required)  # type: ignore[arg-type]
        for group in groups:
            if len(group) > 1:
                conditions.append(f"{WORDS} && ?::text[]")
                params.append(list(group))  # type: ignore[arg-type]
        sql = (
            f"SELECT {SEARCH_RANK_COLUMN} FROM {TABLES[kind]} WHERE {' AND '.join(conditions)} "
            f"ORDER BY {SEARCH_RANK_COLUMN} LIMIT ?"
        )
        return [row[0] for row in self.catalog.execute(sql, (*params, count))]

    def docs(self, words: Sequence[str]) -> dict[str, int]:
        """The rows holding each word that the vocabulary has."""
        if not words:
            return {}
        rows = self.catalog.execute(
            f"SELECT term, docs FROM {VOCAB_TABLE} WHERE term = ANY(?::text[])", (list(words),)
        )
        return {term: int(docs) for term, docs in rows}

    def near(self, prefix: str, low: int, high: int, limit: int) -> list[tuple[str, int]]:
        """Vocabulary words starting with `prefix` of `low` to `high` characters."""
        return [
            (term, int(docs))
            for term, docs in self.catalog.execute(
                f"SELECT term, docs FROM {VOCAB_TABLE} WHERE term >= ? AND term < ? "
                "AND length(term) BETWEEN ? AND ? LIMIT ?",
                (prefix, prefix + "\U0010ffff", low, high, limit),
            )
        ]

    def completions(self, prefix: str, count: int) -> list[str]:
        """The `count` words starting with `prefix` held by the most rows."""
        return [
            row[0]
            for row in self.catalog.execute(
                f"SELECT term FROM {VOCAB_TABLE} WHERE term > ? AND term < ? "
                "ORDER BY docs DESC, term LIMIT ?",
                (prefix, prefix + "\U0010ffff", count),
            )
        ]

    def held_years(self, low: int, high: int) -> dict[int, int]:
        """The release years from `low` to `high` that rows hold, oldest first, with their
        rows (see `explorer.search.terms.held_years`)."""
        rows = self.catalog.execute(
            f"SELECT term, docs FROM {VOCAB_TABLE} WHERE term >= ? AND term <= ? "
            "AND term ~ '^y_[0-9]{4}$' ORDER BY term",
            (f"y_{low:04d}", f"y_{high:04d}"),
        )
        return {int(term[2:]): int(docs) for term, docs in rows}
