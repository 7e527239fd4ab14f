"""Name normalisation shared by search and matching (pure functions, no I/O)."""

from explorer.text.normalize import (
    case_variants,
    cjk_pairs,
    fold,
    is_ascii,
    is_cjk,
    normalize,
    search_tokens,
    spaced_cjk,
    tokens,
)

__all__ = [
    "case_variants",
    "cjk_pairs",
    "fold",
    "is_ascii",
    "is_cjk",
    "normalize",
    "search_tokens",
    "spaced_cjk",
    "tokens",
]
