"""`explorer install-desktop`: the launcher files in a temporary XDG_DATA_HOME, and back out."""

from __future__ import annotations

import configparser
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli.main import main
from explorer.desktop import APP_ID, ICON_SIZES, exec_line, launch_command


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _entry(xdg: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(xdg / "applications" / f"{APP_ID}.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_the_entry_and_every_icon_and_remove_takes_them_back(
    xdg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["install-desktop", "--json"]) == 0
    written = {Path(p) for p in json.loads(capsys.readouterr().out)["installed"]}
    expected = {
        xdg / "applications" / f"{APP_ID}.desktop",
        xdg / "metainfo" / f"{APP_ID}.metainfo.xml",
        xdg / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
    } | {xdg / "icons" / "hicolor" / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in ICON_SIZES}
    assert written == expected
    assert all(path.stat().st_size > 0 for path in expected)
    assert _entry(xdg)["Icon"] == APP_ID
    (xdg / "applications" / "other.desktop").write_text("[Desktop Entry]\n")
    assert main(["install-desktop", "--remove"]) == 0
    assert not any(path.exists() for path in expected)
    assert (xdg / "applications" / "other.desktop").exists()  # only what it wrote


def test_the_exec_line_starts_this_installation(xdg: Path) -> None:
    assert main(["install-desktop"]) == 0
    command = shlex.split(_entry(xdg)["Exec"])  # the spec's quoting is the shell's for these
    assert command == list(launch_command())
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("explorer ")


def test_the_running_explorer_script_is_named_by_its_absolute_path(tmp_path: Path) -> None:
    script = tmp_path / "bin" / "explorer"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    assert launch_command(str(script)) == (str(script.resolve()),)
    assert launch_command(str(tmp_path / "pytest"))[1:] == ("-m", "explorer")


@pytest.mark.parametrize(
    ("command", "line"),
    [
        (["/usr/bin/explorer"], "/usr/bin/explorer"),
        (["/home/me/my apps/python", "-m", "explorer"], '"/home/me/my apps/python" -m explorer'),
        (["/tmp/a$b"], '"/tmp/a\\\\$b"'),
    ],
)
def test_exec_arguments_are_quoted_as_the_spec_says(command: list[str], line: str) -> None:
    assert exec_line(command) == line


def test_the_installed_entry_passes_desktop_file_validate(xdg: Path) -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    assert main(["install-desktop"]) == 0
    done = subprocess.run(
        [validator, str(xdg / "applications" / f"{APP_ID}.desktop")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout


def test_a_data_folder_that_cannot_be_written_is_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["install-desktop"]) == 1
    assert "Cannot write the launcher files" in capsys.readouterr().err


def test_explorer_is_run_by_this_python() -> None:
    assert launch_command("/nowhere/pytest")[0] == str(Path(sys.executable).absolute())


def test_the_metainfo_passes_appstreamcli_validate(xdg: Path) -> None:
    validator = shutil.which("appstreamcli")
    if validator is None:
        pytest.skip("appstreamcli is not installed (apt-get install appstream)")
    assert main(["install-desktop"]) == 0
    done = subprocess.run(
        [validator, "validate", "--no-net", str(xdg / "metainfo" / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
