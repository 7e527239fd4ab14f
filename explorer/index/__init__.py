"""The sidecar search index: one SQLite file per catalog in the cache folder; rebuildable."""

from explorer.index.build import IndexProgress, build_index
from explorer.index.store import IndexStatus, drop_index, index_path_for, index_status

__all__ = [
    "IndexProgress",
    "IndexStatus",
    "build_index",
    "drop_index",
    "index_path_for",
    "index_status",
]
