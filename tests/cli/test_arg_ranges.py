"""Numbers out of range are usage errors (exit 2) with a sentence, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli.main import main


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["search", "--catalog", "x", "--limit", "0", "q"], "give between 1 and 5,000 hits"),
        (["search", "--catalog", "x", "--limit", "many", "q"], "'many' is not a number of hits"),
        (["search", "--catalog", "x", "--timeout", "-1", "q"], "more than 0 and at most 600"),
        (["search", "--catalog", "x", "--timeout", "0", "q"], "more than 0 and at most 600"),
        (["search", "--catalog", "x", "--timeout", "nan", "q"], "more than 0 and at most 600"),
        (["search", "--catalog", "x", "--timeout", "soon", "q"], "'soon' is not a number"),
        (["scan", "/nowhere", "--workers", "-3"], "give between 0 and 64 processes"),
        (["scan", "/nowhere", "--workers", "1000"], "give between 0 and 64 processes"),
        (["match", "/nowhere", "--catalog", "x", "--workers", "65"], "between 0 and 64"),
        (["library", "--limit", "-1"], "give between 1 and"),
    ],
)
def test_out_of_range_numbers_are_refused(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [["library"], ["report", "duplicates"], ["report", "unmatched"], ["export", "links"]],
)
def test_a_store_that_is_not_there_is_a_typo_to_say(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "libary.sqlite3"
    assert main([*command, "--store", str(typo)]) == 1
    assert f"There is no library store at '{typo}'" in capsys.readouterr().err
    assert not typo.exists()  # not made, empty, by a command that only reads
    typo.touch()  # an empty file is no store either, and stays empty
    assert main([*command, "--store", str(typo)]) == 1
    assert typo.stat().st_size == 0
