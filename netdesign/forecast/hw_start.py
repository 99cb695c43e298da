"""Starting values for the Holt-Winters member: a grid search vectorised over the grid.

statsmodels' `ExponentialSmoothing.fit()` starts its least-squares search from the best point
of a brute-force grid over the smoothing parameters (α, β*, γ), evaluating the one-step
squared-error loss once per grid point in a Python loop: about 10,000 calls and most of the
member's cost. This module evaluates the same loss (statsmodels' damped-trend recursions, with
the heuristic initial states and the damping at statsmodels' start φ = 0.99) for every grid
point at once, one vectorised step per month, and hands the best point to `fit(start_params=...)`.

The grid has statsmodels' shape: α on `n_alpha` points of (0, 1); for each α, β* ≤ α on
⌈n_alpha √α⌉ points and γ ≤ 1 − α on ⌈n_alpha √(1 − α)⌉ points. With `n_alpha = 29`
(statsmodels' 87 // 3) it is statsmodels' grid and gives its start (tested); the engine uses
`N_ALPHA`, a coarser grid chosen for cost and measured on the competition sets
(docs/benchmarks.md, "Forecasting", round 7).
"""

from __future__ import annotations

import numpy as np

N_ALPHA = 12      # grid points along α in the engine (statsmodels: 29)
START_PHI = 0.99  # statsmodels' starting damping, held fixed during its grid search


def grid(n_alpha: int = N_ALPHA) -> np.ndarray:
    """Grid points (α, β*, γ) as rows, with β* ≤ α and γ ≤ 1 − α (statsmodels' layout)."""
    step = 0.005
    alphas = np.linspace(step, 1 - step, n_alpha)
    rows = []
    for a in alphas:
        nb = int(np.ceil(n_alpha * np.sqrt(a)))
        ng = int(np.ceil(n_alpha * np.sqrt(1 - a)))
        b = np.linspace(0.0, a, nb)
        g = np.linspace(0.0, 1 - a, ng)
        bb, gg = np.meshgrid(b, g)
        rows.append(np.column_stack([np.full(bb.size, a), bb.ravel(), gg.ravel()]))
    return np.vstack(rows)


def sse(y: np.ndarray, points: np.ndarray, m: int, l0: float, b0: float, s0: np.ndarray,
        multiplicative: bool, phi: float = START_PHI) -> np.ndarray:
    """One-step sum of squared errors of damped-trend Holt-Winters (component form) for every
    row (α, β*, γ) of `points`, from the initial level `l0`, trend `b0` and seasonal states
    `s0` (length m). Same recursion as statsmodels' `holt_win_add_mul_dam` (multiplicative
    season) and `holt_win_add_add_dam` (additive)."""
    a, b, g = (points[:, i] for i in range(3))
    k = len(points)
    lvl = np.full(k, float(l0))
    tr = np.full(k, float(b0))
    season = np.tile(np.asarray(s0, float), (k, 1))  # ring buffer: column t % m
    total = np.zeros(k)
    with np.errstate(all="ignore"):
        for t, yt in enumerate(np.asarray(y, float)):
            s = season[:, t % m]
            base = lvl + phi * tr
            fitted = base * s if multiplicative else base + s
            err = yt - fitted
            total += err * err
            if multiplicative:
                new_l = a * (yt / s) + (1 - a) * base
                season[:, t % m] = g * (yt / base) + (1 - g) * s
            else:
                new_l = a * (yt - s) + (1 - a) * base
                season[:, t % m] = g * (yt - base) + (1 - g) * s
            tr = b * (new_l - lvl) + (1 - b) * phi * tr
            lvl = new_l
    return np.where(np.isfinite(total), total, np.inf)


def best_start(y: np.ndarray, m: int, l0: float, b0: float, s0: np.ndarray,
               multiplicative: bool, n_alpha: int = N_ALPHA) -> np.ndarray:
    """`start_params` for statsmodels' damped-trend Holt-Winters fit with heuristic
    initialisation: [α, β*, γ, φ] at the grid point of least squared one-step error."""
    pts = grid(n_alpha)
    loss = sse(y, pts, m, l0, b0, s0, multiplicative)
    a, b, g = pts[int(np.argmin(loss))]
    return np.array([a, b, g, START_PHI])
