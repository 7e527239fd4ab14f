"""The one place that says how the catalog's SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        if self is SQLITE:
            return text
        text = text.replace("%", "%%").replace(FEATURES_PREFIX, self.features_prefix)
        return _PARAM.sub(self.placeholder, text)


SQLITE = Dialect("sqlite", "?", FEATURES_PREFIX)
POSTGRES = Dialect("postgresql", "%s", "")
