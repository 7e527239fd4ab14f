"""The `explorer` command's start: only the subcommand named is imported."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from explorer.cli.main import SUBCOMMANDS, build_parser, main


def _loaded_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    )
    return set(done.stdout.split())


def test_importing_the_command_loads_no_subcommand_and_no_core() -> None:
    """What a worker process started by the `explorer` script imports again."""
    loaded = _loaded_after("import explorer.cli.main")
    assert not {m for m in loaded if m.startswith(("explorer.cli.", "explorer.catalog"))} - {
        "explorer.cli.main"
    }
    assert "explorer.matching" not in loaded and "peewee" not in loaded


def test_a_subcommand_loads_its_own_module_only() -> None:
    loaded = _loaded_after(
        "from explorer.cli.main import build_parser\nbuild_parser(['info', '--catalog', 'x'])"
    )
    assert "explorer.cli.info_cmd" in loaded
    others = {name.replace("-", "_") for name in SUBCOMMANDS if name != "info"}
    assert not {f"explorer.cli.{name}_cmd" for name in others} & loaded


@pytest.mark.parametrize("argv", [["--help"], ["serch"], ["index", "--help"]])
def test_help_and_mistakes_still_list_the_subcommands(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr()
    shown = out.out + out.err
    if argv[0] == "index":
        assert "build" in shown and "status" in shown
    else:
        assert all(name in shown for name in SUBCOMMANDS)


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_describes_its_arguments(name: str) -> None:
    parser = _subparsers()[name]
    bare = [
        action.dest
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction) and not action.help
    ]
    assert bare == [], f"`explorer {name} --help` says nothing of {bare}"
    assert parser.format_help().count("\n") > 3
