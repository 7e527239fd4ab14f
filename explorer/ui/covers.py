"""Cover art: from the user's cover folder, else downloaded into a disk cache when the user
allows network access; a placeholder otherwise. Never blocks the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QUrl, Signal, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from explorer.paths import cover_cache_dir, cover_name

__all__ = ["FOLDER_KEY", "NETWORK_KEY", "CoverLoader", "cover_name"]

# Endings tried after the URL's last part in a local cover folder.
LOCAL_SUFFIXES = ("", ".jpg", ".jpeg", ".png", ".webp")
FOLDER_KEY = "covers/folder"
NETWORK_KEY = "covers/network"


class CoverLoader(QObject):
    """Finds or fetches covers by URL.

    Signals:
        ready(str, QPixmap): the URL and its picture.
        unavailable(str, str): the URL and why there is no picture (a sentence).
    """

    ready = Signal(str, QPixmap)
    unavailable = Signal(str, str)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.cache = cover_cache_dir()
        self._manager: QNetworkAccessManager | None = None

    @property
    def folder(self) -> Path | None:
        value = self.settings.value(FOLDER_KEY)
        return Path(str(value)) if value else None

    @property
    def network_allowed(self) -> bool:
        return str(self.settings.value(NETWORK_KEY, "false")).lower() == "true"

    def _local(self, name: str) -> Path | None:
        for folder in (self.folder, self.cache):
            if folder is None:
                continue
            for suffix in LOCAL_SUFFIXES:
                candidate = folder / f"{name}{suffix}"
                if candidate.is_file():
                    return candidate
        return None

    def request(self, url: str) -> str:
        """Start finding the cover; returns how: local, download or offline."""
        name = cover_name(url)
        found = self._local(name)
        if found is not None:
            pixmap = QPixmap(str(found))
            if not pixmap.isNull():
                self.ready.emit(url, pixmap)
                return "local"
        if not self.network_allowed:
            self.unavailable.emit(
                url, "No cover here: choose a cover folder or allow downloads (View menu)."
            )
            return "offline"
        if self._manager is None:
            self._manager = QNetworkAccessManager(self)
            self._manager.finished.connect(self._on_reply)
        self._manager.get(QNetworkRequest(QUrl(url)))
        return "download"

    @Slot(QNetworkReply)
    def _on_reply(self, reply: QNetworkReply) -> None:
        url = reply.url().toString()
        data = bytes(reply.readAll().data())
        error = reply.error()
        reply.deleteLater()
        pixmap = QPixmap()
        if error != QNetworkReply.NetworkError.NoError or not pixmap.loadFromData(data):
            self.unavailable.emit(url, "The cover could not be downloaded.")
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        (self.cache / cover_name(url)).write_bytes(data)
        self.ready.emit(url, pixmap)
