"""The fictional demo catalog: the published schema filled with made-up, many-script data."""

from explorer.demo.writer import DemoStats, write_demo_catalog

__all__ = ["DemoStats", "write_demo_catalog"]
