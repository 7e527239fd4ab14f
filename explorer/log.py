"""One named logger per area, configured once by the CLI or the GUI."""

from __future__ import annotations

import logging

ROOT = "explorer"


def get_logger(area: str) -> logging.Logger:
    """The logger for one area (`catalog`, `index`, `scan`, ...)."""
    return logging.getLogger(f"{ROOT}.{area}")


def configure(*, debug: bool = False) -> None:
    """Send log records to stderr; verbose with --debug."""
    logger = logging.getLogger(ROOT)
    if logger.handlers:
        logger.setLevel(logging.DEBUG if debug else logging.WARNING)
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug else logging.WARNING)
