"""The application's desktop identity and its launcher files in the user's XDG data folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from explorer.errors import KnownError

# The reverse-DNS id: the .desktop file's and the icon's name, the window's class.
APP_ID = "io.github.catalogexplorer.CatalogExplorer"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)  # the PNGs rendered by scripts/render_icons.py
# Characters a desktop file's Exec argument may hold unquoted (the spec's reserved ones aside).
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+,:=@")


@dataclass(frozen=True)
class DesktopFiles:
    """What `install` wrote (or `remove` deleted), and the command the launcher runs."""

    data_home: Path
    paths: tuple[Path, ...]
    command: tuple[str, ...]


def resource_root() -> Traversable:
    """The application's files (the checkout's top-level resources/, installed as a package)."""
    return resources.files("explorer.resources")


def data_home() -> Path:
    """$XDG_DATA_HOME when it is an absolute path (as the spec asks), else ~/.local/share."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launch_command(argv0: str | None = None) -> tuple[str, ...]:
    """The command that starts this installation: the `explorer` script that is running,
    by its absolute path, else this Python with `-m explorer`."""
    script = Path(sys.argv[0] if argv0 is None else argv0)
    if script.name == "explorer" and script.is_file() and os.access(script, os.X_OK):
        return (str(script.resolve()),)
    return (str(Path(sys.executable).absolute()), "-m", "explorer")


def exec_line(command: Sequence[str]) -> str:
    """The Exec value: arguments quoted and escaped as the Desktop Entry spec says (then
    backslashes doubled once more, as in every string value of the file)."""
    parts = []
    for arg in command:
        if arg and all(ch in _PLAIN for ch in arg):
            parts.append(arg)
            continue
        escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        parts.append(f'"{escaped}"')
    return " ".join(parts).replace("\\", "\\\\")


def _targets(home: Path) -> list[tuple[Traversable, Path]]:
    root = resource_root()
    icons = root / "icons"
    pairs: list[tuple[Traversable, Path]] = [
        (root / f"{APP_ID}.desktop", home / "applications" / f"{APP_ID}.desktop"),
        (root / f"{APP_ID}.metainfo.xml", home / "metainfo" / f"{APP_ID}.metainfo.xml"),
        (
            icons / f"{APP_ID}.svg",
            home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        ),
    ]
    for size in ICON_SIZES:
        folder = f"{size}x{size}"
        pairs.append(
            (
                icons / "hicolor" / folder / "apps" / f"{APP_ID}.png",
                home / "icons" / "hicolor" / folder / "apps" / f"{APP_ID}.png",
            )
        )
    return pairs


def desktop_entry(command: Sequence[str]) -> str:
    """The .desktop file with its Exec line set to `command`."""
    text = (resource_root() / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = [
        f"Exec={exec_line(command)}" if line.startswith("Exec=") else line
        for line in text.splitlines()
    ]
    return "\n".join(lines) + "\n"


def install(*, home: Path | None = None, command: Sequence[str] | None = None) -> DesktopFiles:
    """Put the .desktop file, the metainfo and the icons in the user's data folder."""
    home = home or data_home()
    command = tuple(command or launch_command())
    written = []
    try:
        for source, target in _targets(home):
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.suffix == ".desktop":
                data = desktop_entry(command).encode("utf-8")
            else:
                data = source.read_bytes()
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)
            written.append(target)
    except OSError as exc:
        raise KnownError(
            f"Cannot write the launcher files under '{home}': {exc.strerror or exc}."
        ) from exc
    return DesktopFiles(data_home=home, paths=tuple(written), command=command)


def remove(*, home: Path | None = None) -> DesktopFiles:
    """Delete the files `install` wrote (only those; missing ones are skipped)."""
    home = home or data_home()
    removed = []
    try:
        for _source, target in _targets(home):
            if target.is_file() or target.is_symlink():
                target.unlink()
                removed.append(target)
    except OSError as exc:
        raise KnownError(
            f"Cannot remove the launcher files under '{home}': {exc.strerror or exc}."
        ) from exc
    return DesktopFiles(data_home=home, paths=tuple(removed), command=())
