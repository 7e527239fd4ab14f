"""The one place that says how the catalog's SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Statements remembered in their translated spelling (the catalog's queries are a few
# dozen texts; `IN (?, ?, ...)` lists of different lengths make more).
TRANSLATED_CACHE = 4_096
# The schema the SQLite catalog attaches its audio-features file under; on PostgreSQL the
# features table lives beside the others.
FEATURES_PREFIX = "features."
_PARAM = re.compile(r"\?")


@dataclass(frozen=True)
class Dialect:
    """How one engine spells what the catalog's queries (written for SQLite) need."""

    name: str
    placeholder: str  # a positional parameter
    features_prefix: str  # what `features.` becomes in front of the features table

    def sql(self, text: str) -> str:
        """A query written for SQLite in this engine's spelling."""
        if self.placeholder == "?":
            return text
        return _translate(text, self.placeholder, self.features_prefix)


@lru_cache(maxsize=TRANSLATED_CACHE)
def _translate(text: str, placeholder: str, features_prefix: str) -> str:
    text = text.replace("%", "%%").replace(FEATURES_PREFIX, features_prefix)
    return _PARAM.sub(placeholder, text)


SQLITE = Dialect("sqlite", "?", FEATURES_PREFIX)
POSTGRES = Dialect("postgresql", "%s", "")
