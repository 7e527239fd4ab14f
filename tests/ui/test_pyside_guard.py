"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every void Qt call and
aborts the interpreter after a few thousand: this catches that build if it comes back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_keep_none_alive() -> None:
    target = QObject()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        target.setObjectName("x")
    after = sys.getrefcount(None)
    assert after >= before - 100, (before, after)
