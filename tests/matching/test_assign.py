"""The folder-to-album assignment against scipy's solver (the reference)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from explorer.matching import assign
from explorer.matching.assign import best_assignment

_SCORE = st.one_of(st.sampled_from([0.0, 0.5, 0.9, 1.0]), st.floats(0.0, 1.0))


@st.composite
def _matrices(draw: st.DrawFn) -> list[list[float]]:
    rows = draw(st.integers(1, 9))
    columns = draw(st.integers(1, 9))
    return [[draw(_SCORE) for _ in range(columns)] for _ in range(rows)]


def _total(scores: list[list[float]], pairs: list[tuple[int, int]]) -> float:
    return sum(scores[r][c] for r, c in pairs)


@settings(max_examples=400, deadline=None)
@given(scores=_matrices())
def test_the_assignment_is_as_good_as_scipys(scores: list[list[float]]) -> None:
    pairs = best_assignment(scores)
    rows, columns = linear_sum_assignment(np.array(scores), maximize=True)
    assert len(pairs) == min(len(scores), len(scores[0]))
    assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
    assert pairs == sorted(pairs)
    reference = float(np.array(scores)[rows, columns].sum())
    assert _total(scores, pairs) == pytest.approx(reference, abs=1e-9)


def test_a_greedy_choice_is_not_taken() -> None:
    # the first file's best track is the second file's only good one
    scores = [[0.9, 0.8], [0.85, 0.1]]
    assert best_assignment(scores) == [(0, 1), (1, 0)]


def test_large_problems_go_to_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    scores = [[float((r * 7 + c * 3) % 11) / 10 for c in range(6)] for r in range(5)]
    python = best_assignment(scores)
    monkeypatch.setattr(assign, "PYTHON_CELLS_MAX", 0)
    assert _total(scores, best_assignment(scores)) == pytest.approx(_total(scores, python))
    assert best_assignment([]) == [] and best_assignment([[]]) == []
