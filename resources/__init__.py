"""The application's files (icons, the .desktop file, AppStream metainfo), read with importlib.resources."""
