"""The tables people read: aligned as the terminal shows them, one line a row."""

from __future__ import annotations

import io
import unicodedata

import pytest

from explorer.cli.output import print_table


def _cells(text: str) -> int:
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


@pytest.mark.parametrize(
    "names",
    [
        ["Abba", "忘的我红光", "Ünïcödé"],  # wide letters
        ["Sigur Ro\u0301s", "x", "アチン"],  # a combining accent takes no cell
        ["bad\nname.flac", "tab\there", "esc\x1b[31mred"],  # control characters
        ["長" * 80, "short", "a" * 90],  # cut at 60 cells, wide or not
    ],
)
def test_columns_line_up_as_the_terminal_shows_them(names: list[str]) -> None:
    out = io.StringIO()
    print_table([(name, "end") for name in names], ["Name", "Col"], stream=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(names) + 1  # a newline in a name does not split its row
    ends = {_cells(line[: line.rindex("end" if i else "Col")]) for i, line in enumerate(lines)}
    assert len(ends) == 1, lines  # the last column starts at one cell in every row
    assert "\x1b" not in out.getvalue() and "\t" not in out.getvalue()


def test_a_long_path_keeps_its_file_name() -> None:
    out = io.StringIO()
    long = "/music/" + "Very Long Folder Name/" * 5
    print_table(
        [(long + "01 - One.flac", "x"), (long + "02 - Two.flac", "y")], ["path", "n"], stream=out
    )
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("…") and "01 - One.flac" in lines[1]
    assert "02 - Two.flac" in lines[2]
