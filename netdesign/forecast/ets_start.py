"""Starting values for the non-seasonal ETS members: a grid search with the initial states
concentrated out, vectorised over the grid.

statsmodels' `ETSModel.fit()` starts L-BFGS from fixed smoothing parameters (α = 0.1,
β = 0.01, φ = 0.98) and a simple initial level and trend, and needs many likelihood
evaluations (each with a numerical gradient) to get from there to the optimum. For additive
errors the likelihood with the residual variance concentrated out is
``−n/2 · log(SSE / n)`` + const, so the best start is the least one-step sum of squared
errors; and for fixed (α, β, φ) the one-step errors are linear in the initial level and
trend: ``e = y − (a + l₀ u + b₀ v)``, where ``a`` is the forecast path from zero initial
states and ``u``, ``v`` the responses to a unit initial level and trend. So for every grid
point the initial states follow by a two-variable least-squares fit, and the grid point of
least SSE (with its initial states) is handed to `fit(start_params=...)`; statsmodels still
does the maximum-likelihood fit. Measurements: docs/benchmarks.md, "Issue 16, round 8".

Same recursions as statsmodels' additive-error smoother (error-correction form, Hyndman et al.
2008): ``ŷ_t = l_{t−1} + φ b_{t−1}``, ``l_t = ŷ_t + α e_t``, ``b_t = φ b_{t−1} + β e_t``.
"""

from __future__ import annotations

import numpy as np

# α on these points for ETS(A,N,N); for ETS(A,Ad,N) α × β/α × φ on the product below
ALPHA_ANN = np.linspace(0.02, 0.98, 13)
ALPHA_AADN = np.array([0.05, 0.15, 0.3, 0.5, 0.7, 0.9])
BETA_SHARE_AADN = np.array([0.02, 0.1, 0.3])  # β / α
PHI_AADN = np.array([0.85, 0.95])


def concentrated_sse(y: np.ndarray, alpha: np.ndarray, beta: np.ndarray | None = None,
                     phi: np.ndarray | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-step SSE of additive-error ETS for every grid row (α[k], β[k], φ[k]) with the
    initial level l₀ (and trend b₀ when `beta` is given: damped trend) chosen by least squares.
    Returns (SSE, l₀, b₀) per row (same units as `y` squared, `y`, `y` per period; b₀ = 0
    without trend; SSE = inf where the least-squares problem is singular)."""
    y = np.asarray(y, float)
    n, k = len(y), len(alpha)
    trend = beta is not None
    c = 3 if trend else 2                   # channels: data, unit l0, unit b0
    level = np.zeros((c, k))
    slope = np.zeros((c, k))
    level[1] = 1.0
    if trend:
        slope[2] = 1.0
        b = np.asarray(beta, float)[None, :]
        p = np.asarray(phi, float)[None, :]
    a = np.asarray(alpha, float)[None, :]
    fitted = np.empty((n, c, k))
    data = np.zeros((c, 1))
    for t in range(n):
        f = level + p * slope if trend else level
        fitted[t] = f
        data[0, 0] = y[t]
        err = data - f
        level = f + a * err
        if trend:
            slope = p * slope + b * err
    r0 = y[:, None] - fitted[:, 0]
    x1 = fitted[:, 1]
    s11 = np.einsum("nk,nk->k", x1, x1)
    t1 = np.einsum("nk,nk->k", x1, r0)
    if not trend:
        l0 = t1 / s11
        res = r0 - l0 * x1
        return np.einsum("nk,nk->k", res, res), l0, np.zeros(k)
    x2 = fitted[:, 2]
    s22 = np.einsum("nk,nk->k", x2, x2)
    s12 = np.einsum("nk,nk->k", x1, x2)
    t2 = np.einsum("nk,nk->k", x2, r0)
    det = s11 * s22 - s12 ** 2
    with np.errstate(all="ignore"):
        det = np.where(np.abs(det) > 1e-12 * s11 * s22, det, np.nan)
        l0 = (s22 * t1 - s12 * t2) / det
        b0 = (s11 * t2 - s12 * t1) / det
        res = r0 - l0 * x1 - b0 * x2
        sse = np.einsum("nk,nk->k", res, res)
    return np.where(np.isfinite(sse), sse, np.inf), l0, b0


def best_start(y: np.ndarray, damped_trend: bool) -> np.ndarray | None:
    """`start_params` for statsmodels' `ETSModel` with additive error, no season, and no trend
    ([α, l₀]) or a damped additive trend ([α, β, φ, l₀, b₀]): the grid point of least
    concentrated one-step SSE. None when no grid point gives a finite SSE (statsmodels' own
    start is then used)."""
    if not damped_trend:
        sse, l0, _ = concentrated_sse(y, ALPHA_ANN)
        i = int(np.argmin(sse))
        start = np.array([ALPHA_ANN[i], l0[i]])
    else:
        al, bs, ph = (g.ravel() for g in np.meshgrid(ALPHA_AADN, BETA_SHARE_AADN, PHI_AADN,
                                                     indexing="ij"))
        sse, l0, b0 = concentrated_sse(y, al, al * bs, ph)
        i = int(np.argmin(sse))
        start = np.array([al[i], al[i] * bs[i], ph[i], l0[i], b0[i]])
    return start if np.isfinite(sse[i]) and np.all(np.isfinite(start)) else None
