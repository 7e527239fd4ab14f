"""The top-level resources/ folder is read as the package `explorer.resources` (setup.py maps
it; `pip install .` into a fresh venv and the editable install were both checked by hand)."""

from __future__ import annotations

from explorer.desktop import APP_ID, ICON_SIZES, resource_root


def test_the_resources_are_read_from_the_package() -> None:
    root = resource_root()
    assert (root / f"{APP_ID}.desktop").read_text(encoding="utf-8").startswith("[Desktop Entry]")
    assert (root / f"{APP_ID}.metainfo.xml").is_file()
    for size in ICON_SIZES:
        png = root / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
