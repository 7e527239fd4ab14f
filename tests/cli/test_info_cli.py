"""`explorer info`, `explorer demo`, exit codes and error messages of the command line."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli.main import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("explorer ")


def test_info_json_counts_equal_real_counts(
    demo_catalog_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", "--catalog", str(demo_catalog_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    con = sqlite3.connect(demo_catalog_path)
    for table, rows in report["tables"].items():
        if table == "track_audio_features":
            continue
        assert rows == con.execute(f"SELECT count(*) FROM {table}").fetchone()[0], table
    con.close()
    assert report["schema"] == "ok"
    assert report["audio_features"]["path"].endswith("_audio_features.sqlite3")


def test_info_for_people(demo_catalog_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--catalog", str(demo_catalog_path)]) == 0
    out = capsys.readouterr().out
    assert "tracks" in out and "Schema      ok" in out


def test_user_error_is_one_line_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    assert main(["info", "--catalog", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "is not a SQLite database" in err


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["info", "--no-such-option"])
    assert exited.value.code == 2


def test_demo_writes_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "d.sqlite3"
    assert main(["demo", str(target), "--tracks", "300", "--seed", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tracks"] >= 300 and target.exists()
    assert main(["demo", str(target), "--tracks", "300"]) == 1
    assert "--force" in capsys.readouterr().err


def test_python_dash_m_is_the_command(demo_catalog_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "info", "--catalog", str(demo_catalog_path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tables"]["tracks"] > 0


def test_no_display_is_a_sentence_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--demo"]) == 1
    assert "no display" in capsys.readouterr().err
