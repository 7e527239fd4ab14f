"""Name normalisation shared by search and matching (pure functions, no I/O)."""

from explorer.text.normalize import case_variants, fold, is_ascii, normalize, spaced_cjk, tokens

__all__ = ["case_variants", "fold", "is_ascii", "normalize", "spaced_cjk", "tokens"]
