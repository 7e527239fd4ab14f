"""Catalog Explorer: explore huge music metadata catalogs and link them to your files."""

__version__ = "0.1.0"
