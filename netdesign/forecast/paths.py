"""Joint demand scenarios: N future paths of every corridor, correlated across corridors.

`sample_paths(forecasts, n_paths, seed, correlation=...)` returns an
``xarray.DataArray`` (draw, series_id, date) of parcels/month. The model is a Gaussian
one-factor copula on the published (calibrated) forecast distribution of each corridor:

- **Marginals.** Each corridor-month's distribution is the one its published forecast
  states: the quantile function through (0.025, lo_95), (0.10, lo_80), (0.5, mean),
  (0.90, hi_80), (0.975, hi_95), linear between those points and extended linearly beyond
  them (never below 0). So a sampled path is inside a corridor's 95 % interval 95 % of the
  time, as published.
- **Across corridors.** Standard normal scores ``z_i = √ρ f + √(1 − ρ) ε_i`` with one common
  factor f and independent ε_i: every pair of corridors has score correlation ρ. ρ is the
  mean pairwise correlation of the standardised errors that the corridors made together in
  the backtest (`error_correlation`, "whole months" of errors: every backtest (origin, step)
  is one joint draw of all corridors' errors).
- **Over time.** A draw keeps each corridor's score for the whole horizon (the same percentile
  every month). At the horizons of network design (years ahead) the forecast error is mostly
  an error of level and trend, which persists from month to month; this is the same
  assumption the single-corridor upper quantile made before (monthly upper bounds summed
  over a year), now with the cross-corridor dependence measured instead of assumed total.
- **Coherence.** Region and network paths are sums of corridor paths (`aggregate_paths`), so
  every draw adds up; the corridors' means are the reconciled means.

Consumers: `scenario.build.design_year_demand` (upper quantiles from the joint distribution)
and the robust-design work (issue 17).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr
from scipy.stats import norm

# Probability levels of the published quantiles (columns of a forecast frame).
_LEVELS = (("lo_95", 0.025), ("lo_80", 0.10), ("mean", 0.5), ("hi_80", 0.90),
           ("hi_95", 0.975))
_DRAW_BLOCK = 100


def error_correlation(points: pd.DataFrame, min_series: int = 3) -> float:
    """Mean pairwise correlation (ρ, in [0, 1)) of the corridors' standardised backtest errors.

    `points`: a backtest's point table (series_id, origin, step, actual, mean, lo_95, hi_95).
    Each error is divided by its 95 % half-width / 1.96 (the forecast's own s.d. if normal),
    then standardised per corridor (mean 0, s.d. 1 over its points). With n corridors and S_t
    the sum of the standardised errors in backtest month t = (origin, step),
    ``Var(S) = n + n (n − 1) ρ``, so ``ρ = (mean_t S_t² / n − 1) / (n − 1)`` over the months
    every corridor has. Negative estimates are set to 0 (the copula needs ρ ≥ 0); with fewer
    than `min_series` corridors or 3 months the result is 0."""
    p = points.dropna(subset=["actual", "mean", "lo_95", "hi_95"])
    half = (p["hi_95"] - p["lo_95"]).to_numpy(float) / 2.0
    err = (p["actual"] - p["mean"]).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.where(half > 0, err / (half / norm.ppf(0.975)), np.nan)
    wide = (pd.DataFrame({"series_id": p["series_id"].to_numpy(), "month":
                          list(zip(p["origin"], p["step"], strict=True)), "e": e})
            .pivot_table(index="month", columns="series_id", values="e", aggfunc="first"))
    wide = wide.replace([np.inf, -np.inf], np.nan).dropna(axis=1, how="any")
    sd = wide.std(ddof=1)
    wide = wide.loc[:, sd > 0]
    n, t = wide.shape[1], wide.shape[0]
    if n < min_series or t < 3:
        return 0.0
    z = (wide - wide.mean()) / wide.std(ddof=1)
    s2 = float((z.sum(axis=1) ** 2).sum() / (t - 1))
    rho = (s2 / n - 1.0) / (n - 1.0)
    return float(min(max(rho, 0.0), 0.999))


def _quantiles(frame: pd.DataFrame, u: np.ndarray) -> np.ndarray:
    """Quantile functions of each row of `frame` at probabilities `u` (rows × draws ->
    values): linear through the published quantiles, extended linearly, floored at 0."""
    probs = np.array([lv for _, lv in _LEVELS])
    qs = np.column_stack([frame[c].to_numpy(float) for c, _ in _LEVELS])  # rows × 5
    qs = np.maximum.accumulate(qs, axis=1)  # non-decreasing, as published (nested)
    idx = np.clip(np.searchsorted(probs, u, side="right") - 1, 0, len(probs) - 2)
    p0, p1 = probs[idx], probs[idx + 1]
    rows = np.arange(qs.shape[0])[:, None]
    q0, q1 = qs[rows, idx], qs[rows, idx + 1]
    out = q0 + (q1 - q0) * (u - p0) / (p1 - p0)
    return np.maximum(out, 0.0)


def draw_scores(n_series: int, n_paths: int, seed: int | None, correlation: float
                ) -> np.ndarray:
    """Uniform scores u = Φ(z) (series × draws) of the one-factor copula: ``z_i = √ρ f +
    √(1 − ρ) ε_i`` per draw. The draws of `sample_paths` for the same arguments."""
    rng = np.random.default_rng(seed)
    f = rng.standard_normal(n_paths)
    eps = rng.standard_normal((n_series, n_paths))
    return norm.cdf(np.sqrt(correlation) * f[None, :] + np.sqrt(1.0 - correlation) * eps)


def quantile_values(frame: pd.DataFrame, u: np.ndarray) -> np.ndarray:
    """Values of each row's published distribution (`frame`: mean, lo_/hi_80, lo_/hi_95) at
    the probabilities `u` (rows × draws): the marginals of `sample_paths`."""
    return _quantiles(frame, u)


def sample_paths(forecasts: pd.DataFrame, n_paths: int, seed: int | None = None, *,
                 correlation: float = 0.0, series: list[str] | None = None) -> xr.DataArray:
    """`n_paths` joint future paths (parcels/month) of every series in `forecasts`.

    forecasts: long frame (series_id, date, mean, lo_80, hi_80, lo_95, hi_95), e.g.
        `ForecastResult.forecasts` or the study pipeline's calibrated, reconciled forecasts.
    correlation: ρ of the one-factor copula, usually `error_correlation(backtest.points)`;
        1 = every corridor at the same percentile in a draw (comonotone).
    series: which series (default: all; pass the corridors to leave out aggregates, then
        build those with `aggregate_paths`).
    Returns DataArray (draw, series_id, date), draws numbered 0..n_paths−1; reproducible for a
    given `seed`. See the module docstring for the model."""
    if not (isinstance(n_paths, int | np.integer) and n_paths >= 1):
        raise ValueError(f"n_paths must be an integer >= 1, got {n_paths!r}")
    if not 0.0 <= correlation <= 1.0:
        raise ValueError(f"correlation must be in [0, 1], got {correlation!r}")
    fc = forecasts if series is None else forecasts[forecasts["series_id"].isin(series)]
    ids = list(dict.fromkeys(fc["series_id"].astype(str)))
    dates = pd.DatetimeIndex(sorted(pd.to_datetime(fc["date"]).unique()))
    u = draw_scores(len(ids), n_paths, seed, correlation)  # series × draw
    out = np.full((n_paths, len(ids), len(dates)), np.nan)
    pos = {s: i for i, s in enumerate(ids)}
    rows_series = fc["series_id"].astype(str).map(pos).to_numpy()
    rows_date = dates.get_indexer(pd.to_datetime(fc["date"]))
    for lo in range(0, n_paths, _DRAW_BLOCK):  # bounded memory: a block of draws at a time
        hi = min(lo + _DRAW_BLOCK, n_paths)
        values = _quantiles(fc, u[rows_series, lo:hi])  # rows × draws
        out[lo:hi, rows_series, rows_date] = values.T
    return xr.DataArray(out, dims=("draw", "series_id", "date"),
                        coords={"draw": np.arange(n_paths), "series_id": ids, "date": dates},
                        name="parcels_per_month",
                        attrs={"units": "parcels/month", "correlation": float(correlation)})


def aggregate_paths(paths: xr.DataArray, hierarchy: pd.DataFrame) -> xr.DataArray:
    """Corridor paths plus ``region:<name>`` and ``total`` paths, each the sum of its
    corridors' paths in every draw (coherent by construction). `hierarchy`: series_id,
    region (as for `reconcile_forecasts`)."""
    regions = hierarchy.set_index(hierarchy["series_id"].astype(str))["region"]
    region = regions.reindex(paths["series_id"].to_numpy()).to_numpy()
    parts = [paths]
    for r in sorted(pd.unique(region[pd.notna(region)])):
        sub = paths.isel(series_id=np.flatnonzero(region == r)).sum("series_id")
        parts.append(sub.expand_dims(series_id=[f"region:{r}"]))
    parts.append(paths.sum("series_id").expand_dims(series_id=["total"]))
    return xr.concat(parts, dim="series_id")
