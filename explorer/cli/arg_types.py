"""Argument types that refuse values out of range with a sentence (argparse: exit 2)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def whole(low: int, high: int, what: str) -> Callable[[str], int]:
    """A whole number from `low` to `high`; `what` names it in the refusal."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of {what}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"give between {low:,} and {high:,} {what}")
        return value

    return parse


def seconds(high: float) -> Callable[[str], float]:
    """A number of seconds above 0, at most `high`."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
        if not (math.isfinite(value) and 0 < value <= high):
            raise argparse.ArgumentTypeError(f"give more than 0 and at most {high:g} seconds")
        return value

    return parse
