"""Errors the user can fix (KnownError, with a clear sentence) as opposed to bugs."""

from __future__ import annotations

import os


class KnownError(Exception):
    """A situation the user can understand and fix; its message is one plain sentence.

    The CLI prints it on stderr without a traceback and exits with status 1; the GUI
    shows it in a message box.
    """


class NotACatalogError(KnownError):
    """The file given as a catalog is not one (empty, text, corrupt, another schema)."""


class CancelledError(KnownError):
    """A long operation was cancelled by the user or ran past its time limit."""


class DamagedCatalogError(NotACatalogError):
    """SQLite found the catalog (or its audio-features file) damaged while reading it."""


class DamagedIndexError(KnownError):
    """SQLite found a file of the search index damaged; the index is built again."""


class DamagedStoreError(KnownError):
    """SQLite found the user store damaged; its backup (or a new store) replaces it."""


# SQLite's result codes for a damaged file: SQLITE_CORRUPT (malformed pages, and the low
# byte of its extended codes such as SQLITE_CORRUPT_VTAB, a damaged FTS5 table) and
# SQLITE_NOTADB (a header that is not SQLite's).
SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26


def is_damaged_file(error: BaseException) -> bool:
    """Whether an exception is SQLite saying a file is damaged (`sqlite3.DatabaseError`,
    or peewee's wrapper of one): "database disk image is malformed", "file is not a
    database"; not a locked, full, read-only or missing file, nor a bad statement."""
    import sqlite3  # here: the command's start does not import it

    original = getattr(error, "orig", None) or error  # peewee keeps sqlite3's as `orig`
    if not isinstance(original, sqlite3.DatabaseError):
        return False
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(original).lower()  # raised without a code (by another library)
    return "malformed" in text or "not a database" in text


def _reason(error: BaseException) -> str:
    return str(getattr(error, "orig", None) or error).rstrip(".")


def catalog_damaged(
    path: str | os.PathLike[str],
    error: BaseException,
    *,
    features: str | os.PathLike[str] | None = None,
) -> DamagedCatalogError:
    """The sentence for a catalog SQLite found damaged while reading it (with its
    audio-features file, when one is attached to the same connection: either may be)."""
    if features is None:
        return DamagedCatalogError(
            f"The catalog '{path}' is damaged ({_reason(error)}); "
            "download it again or restore a copy."
        )
    return DamagedCatalogError(
        f"The catalog '{path}' or its audio-features file '{features}' is damaged "
        f"({_reason(error)}); download them again or restore a copy."
    )


def index_damaged(catalog: str | os.PathLike[str], error: BaseException) -> DamagedIndexError:
    """The sentence for a search index (of the catalog at `catalog`) SQLite found damaged."""
    import shlex

    named = shlex.quote(str(catalog))
    return DamagedIndexError(
        f"The search index of the catalog '{catalog}' is damaged ({_reason(error)}); "
        f"rebuild it: explorer index drop --catalog {named}, then "
        f"explorer index build --catalog {named}."
    )


def store_damaged(path: str | os.PathLike[str], error: BaseException) -> DamagedStoreError:
    """The sentence for a user store SQLite found damaged."""
    name = os.path.basename(path)
    return DamagedStoreError(
        f"The library store {path} is damaged ({_reason(error)}); restore the backup next "
        f"to it ({name}.v*.bak) or move it away to start a new one."
    )
