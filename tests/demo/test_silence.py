"""Silent FLAC files are real FLAC: readers accept them and report the exact duration."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from mutagen.flac import FLAC

from explorer.demo.silence import BLOCK_SIZE, SAMPLE_RATE, silent_flac_bytes, write_silent_flac


@pytest.mark.parametrize("duration_ms", [1, 250, 1000, 185_321, 3_600_000])
def test_duration_is_exact(tmp_path: Path, duration_ms: int) -> None:
    path = tmp_path / "s.flac"
    write_silent_flac(path, duration_ms)
    audio = FLAC(path)
    expected = max(1, round(duration_ms * SAMPLE_RATE / 1000))
    assert audio.info.total_samples == expected
    assert audio.info.sample_rate == SAMPLE_RATE and audio.info.channels == 1
    assert abs(audio.info.length * 1000 - duration_ms) < 1


def test_files_are_tiny_and_taggable(tmp_path: Path) -> None:
    path = tmp_path / "t.flac"
    write_silent_flac(path, 240_000)
    assert path.stat().st_size < 10_000
    audio = FLAC(path)
    audio["title"] = ["Ünïcode ✓"]
    audio.save()
    assert FLAC(path)["title"] == ["Ünïcode ✓"]


def test_frames_are_counted_right() -> None:
    data = silent_flac_bytes(1000 * BLOCK_SIZE * 3 // SAMPLE_RATE + 1)
    assert data.count(b"\xff\xf8") >= 3


@pytest.mark.skipif(shutil.which("flac") is None, reason="the flac tool is not installed")
def test_the_reference_decoder_accepts_them(tmp_path: Path) -> None:
    path = tmp_path / "ref.flac"
    write_silent_flac(path, 200_000)
    done = subprocess.run(["flac", "-t", "-s", str(path)], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
