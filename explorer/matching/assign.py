"""The one-to-one assignment of a folder's files to an album's tracks (pure Python).

A folder is a few files against a few dozen tracks: the Hungarian method in Python solves
that in well under a millisecond, while importing scipy's solver costs each matching
process about a quarter of a second and 30 MB. Larger problems (box sets) go to scipy.
"""

from __future__ import annotations

from collections.abc import Sequence

# Problems with more cells than this are solved by scipy (the Python method grows as
# rows * rows * columns).
PYTHON_CELLS_MAX = 40 * 40


def best_assignment(scores: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """(row, column) pairs, each row and column used at most once, as many pairs as the
    smaller side has, with the largest total score (as scipy's
    `linear_sum_assignment(scores, maximize=True)`); sorted by row."""
    rows = len(scores)
    columns = len(scores[0]) if rows else 0
    if not rows or not columns:
        return []
    if rows * columns > PYTHON_CELLS_MAX:
        import numpy as np
        from scipy.optimize import linear_sum_assignment

        found_rows, found_columns = linear_sum_assignment(np.array(scores), maximize=True)
        return [(int(r), int(c)) for r, c in zip(found_rows, found_columns, strict=True)]
    if rows <= columns:
        return _hungarian([[-value for value in row] for row in scores])
    transposed = [[-scores[r][c] for r in range(rows)] for c in range(columns)]
    return sorted((r, c) for c, r in _hungarian(transposed))


def _hungarian(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment of every row (rows <= columns): the Hungarian method with
    potentials, O(rows^2 * columns)."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)  # row potentials (1-based; 0 is the virtual start)
    v = [0.0] * (m + 1)  # column potentials
    owner = [0] * (m + 1)  # owner[j]: the row assigned to column j (0: none)
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        j0 = 0
        least = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta = inf
            j1 = 0
            costs = cost[i0 - 1]
            ui0 = u[i0]
            for j in range(1, m + 1):
                if not used[j]:
                    current = costs[j - 1] - ui0 - v[j]
                    if current < least[j]:
                        least[j] = current
                        way[j] = j0
                    if least[j] < delta:
                        delta = least[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while True:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
            if j0 == 0:
                break
    return sorted((owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j])
