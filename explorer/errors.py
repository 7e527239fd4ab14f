"""Errors the user can fix (KnownError, with a clear sentence) as opposed to bugs."""


class KnownError(Exception):
    """A situation the user can understand and fix; its message is one plain sentence.

    The CLI prints it on stderr without a traceback and exits with status 1; the GUI
    shows it in a message box.
    """


class NotACatalogError(KnownError):
    """The file given as a catalog is not one (empty, text, corrupt, another schema)."""


class CancelledError(KnownError):
    """A long operation was cancelled by the user or ran past its time limit."""
