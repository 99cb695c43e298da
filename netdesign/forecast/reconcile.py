"""Coherent corridor, region and network-total forecasts (hierarchical reconciliation).

Nodes: bottom series (corridors), ``region:<name>`` (sum of its corridors) and ``total``
(sum of the regions). When the forecast frame already holds base forecasts of some aggregate
nodes (from forecasting their own summed histories, see `aggregate_history`), the means are
reconciled by weighted least squares (Wickramasuriya et al. 2019, WLS with the forecast
variances implied by each node's 95 % interval): in projection form
``ỹ = ŷ − W C' (C W C')⁻¹ C ŷ`` with C the aggregation constraints. Negative reconciled
corridor means are set to 0 and held there while the rest is re-projected, until none is
negative. Without aggregate base forecasts this is bottom-up summation.

Intervals: corridor intervals are shifted by the change of their mean (clipped at 0). An
aggregate with its own base forecast keeps its own model's interval, shifted likewise; an
aggregate without one gets a bottom-up interval assuming independent corridors (half-widths
added in quadrature), which understates the spread when corridors move together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from netdesign.errors import InputError, Problem

TOTAL = "total"
REGION_PREFIX = "region:"


def aggregate_history(history: pd.DataFrame, hierarchy: pd.DataFrame) -> pd.DataFrame:
    """Region and total histories (sums of corridor volumes per month), same long format."""
    h = history.merge(hierarchy[["series_id", "region"]], on="series_id", how="inner")
    reg = h.groupby(["region", "date"], as_index=False)["value"].sum(min_count=1)
    reg["series_id"] = REGION_PREFIX + reg["region"].astype(str)
    tot = h.groupby("date", as_index=False)["value"].sum(min_count=1)
    tot["series_id"] = TOTAL
    return pd.concat([reg[["series_id", "date", "value"]], tot[["series_id", "date", "value"]]],
                     ignore_index=True)


def _check(forecasts: pd.DataFrame, hierarchy: pd.DataFrame) -> None:
    problems = []
    for c in ("series_id", "region"):
        if c not in hierarchy.columns:
            problems.append(Problem("hierarchy", "columns", c, None, f"a column named {c}"))
    for c in ("series_id", "date", "mean"):
        if c not in forecasts.columns:
            problems.append(Problem("forecasts", "columns", c, None, f"a column named {c}"))
    if problems:
        raise InputError(problems, "cannot reconcile forecasts")
    dup = hierarchy["series_id"][hierarchy["series_id"].duplicated()]
    for i, sid in dup.items():
        problems.append(Problem("hierarchy", f"row {i + 1}", "series_id", sid,
                                "each corridor in exactly one region"))
    known = set(hierarchy["series_id"].astype(str))
    bottom = [s for s in forecasts["series_id"].astype(str).unique()
              if s != TOTAL and not s.startswith(REGION_PREFIX)]
    for sid in bottom:
        if sid not in known:
            problems.append(Problem("hierarchy", "series_id", "series_id", sid,
                                    "a region for every forecast corridor"))
    if problems:
        raise InputError(problems, "cannot reconcile forecasts")


def _variance(frame: pd.DataFrame) -> pd.Series:
    for lv in (95, 80):
        if f"lo_{lv}" in frame and f"hi_{lv}" in frame:
            z = float(norm.ppf(0.5 + lv / 200))
            sd = (frame[f"hi_{lv}"] - frame[f"lo_{lv}"]) / (2 * z)
            return (sd ** 2).clip(lower=1e-9)
    return pd.Series(1.0, index=frame.index)


def _project(yhat: np.ndarray, w: np.ndarray, agg: np.ndarray, nb: int) -> np.ndarray:
    """WLS projection with non-negative bottom level. agg: (n_agg × nb) 0/1 matrix."""
    y = yhat.copy()
    w = w.copy()
    fixed = np.zeros(nb, bool)
    for _ in range(nb + 1):
        c = np.hstack([-agg, np.eye(agg.shape[0])])
        cwc = (c * w) @ c.T
        lam = np.linalg.lstsq(cwc, c @ y, rcond=None)[0]
        out = y - w * (c.T @ lam)
        neg = (out[:nb] < 0) & ~fixed
        if not neg.any():
            out[:nb] = np.maximum(out[:nb], 0.0)
            out[nb:] = agg @ out[:nb]
            return out
        fixed |= neg
        y[:nb] = np.where(fixed, 0.0, y[:nb])
        w[:nb] = np.where(fixed, 0.0, w[:nb])
    out[:nb] = np.maximum(out[:nb], 0.0)
    out[nb:] = agg @ out[:nb]
    return out


def reconcile_forecasts(forecasts: pd.DataFrame, hierarchy: pd.DataFrame) -> pd.DataFrame:
    """Coherent forecasts: bottom rows adjusted, plus rows for every ``region:<name>`` and
    ``total`` (see module docstring). For every date the corridor means sum to their region's
    and the regions' to the total; all means and bounds are >= 0."""
    _check(forecasts, hierarchy)
    fc = forecasts.copy()
    fc["series_id"] = fc["series_id"].astype(str)
    fc["date"] = pd.to_datetime(fc["date"])
    region_of = dict(zip(hierarchy["series_id"].astype(str), hierarchy["region"].astype(str),
                         strict=True))
    is_agg = (fc["series_id"] == TOTAL) | fc["series_id"].str.startswith(REGION_PREFIX)
    bottom_ids = list(dict.fromkeys(fc.loc[~is_agg, "series_id"]))
    regions = sorted({region_of[s] for s in bottom_ids})
    agg_ids = [REGION_PREFIX + r for r in regions] + [TOTAL]
    nodes = bottom_ids + agg_ids
    nb = len(bottom_ids)
    agg = np.zeros((len(agg_ids), nb))
    for j, sid in enumerate(bottom_ids):
        agg[regions.index(region_of[sid]), j] = 1.0
    agg[-1, :] = 1.0
    fc["_var"] = _variance(fc)
    means = fc.pivot_table(index="date", columns="series_id", values="mean", aggfunc="first")
    var = fc.pivot_table(index="date", columns="series_id", values="_var", aggfunc="first")
    means = means.reindex(columns=nodes)
    var = var.reindex(columns=nodes)
    rec = np.zeros(means.shape)
    for i in range(len(means)):
        yb = np.nan_to_num(means.iloc[i, :nb].to_numpy(float), nan=0.0)
        wb = np.nan_to_num(var.iloc[i, :nb].to_numpy(float), nan=0.0)
        ya = means.iloc[i, nb:].to_numpy(float)
        wa = var.iloc[i, nb:].to_numpy(float)
        have = np.isfinite(ya)
        if not have.any():
            rec[i, :nb] = np.maximum(yb, 0.0)
            rec[i, nb:] = agg @ rec[i, :nb]
            continue
        ya = np.where(have, ya, agg @ yb)
        big = 1e6 * max(float(np.nanmax(np.r_[wb, wa[have]])), 1.0)
        wa = np.where(have & np.isfinite(wa), wa, big)
        rec[i] = _project(np.r_[yb, ya], np.r_[wb, wa], agg, nb)
    rec_df = pd.DataFrame(rec, index=means.index, columns=nodes)
    return _assemble(fc, rec_df, bottom_ids, agg_ids, agg, region_of)


def _assemble(fc: pd.DataFrame, rec: pd.DataFrame, bottom_ids: list[str], agg_ids: list[str],
              agg: np.ndarray, region_of: dict[str, str]) -> pd.DataFrame:
    bound_cols = [c for c in fc.columns if c.startswith(("lo_", "hi_"))]
    long = rec.stack().rename("new_mean").reset_index()
    long.columns = ["date", "series_id", "new_mean"]
    base = fc.drop(columns="_var")
    out = long.merge(base, on=["series_id", "date"], how="left")
    present = out["mean"].notna()
    shift = (out["new_mean"] - out["mean"]).where(present, 0.0)
    for c in bound_cols:
        out[c] = (out[c] + shift).clip(lower=0.0)
    # aggregates without a base forecast: bottom-up interval (independent corridors)
    missing = ~present & out["series_id"].isin(agg_ids)
    if missing.any():
        b = base[base["series_id"].isin(bottom_ids)].copy()
        b["region"] = b["series_id"].map(region_of)
        for c in bound_cols:
            b[f"_hw_{c}"] = (b[c] - b["mean"]) ** 2
        parts = []
        for key, grp in (("region", b.groupby(["region", "date"])), ("total", b.groupby("date"))):
            s = grp[[f"_hw_{c}" for c in bound_cols]].sum() ** 0.5
            s = s.reset_index()
            s["series_id"] = (REGION_PREFIX + s["region"] if key == "region" else "total")
            parts.append(s.drop(columns=["region"], errors="ignore"))
        hw = pd.concat(parts, ignore_index=True)
        out = out.merge(hw, on=["series_id", "date"], how="left")
        for c in bound_cols:
            sign = -1.0 if c.startswith("lo_") else 1.0
            fill = (out["new_mean"] + sign * out[f"_hw_{c}"].fillna(0.0)).clip(lower=0.0)
            out[c] = out[c].where(~missing, fill)
        out = out.drop(columns=[f"_hw_{c}" for c in bound_cols])
        out["model"] = out["model"].where(~missing, "bottom_up")
    out["mean"] = out["new_mean"].clip(lower=0.0)
    out = out.drop(columns="new_mean")
    out = out[out["series_id"].isin(agg_ids) | present]
    _nest(out, bound_cols)
    order = {s: i for i, s in enumerate(bottom_ids + agg_ids)}
    out = out.sort_values(["series_id", "date"], key=lambda s: s.map(order)
                          if s.name == "series_id" else s)
    return out[[c for c in fc.columns if c != "_var"]].reset_index(drop=True)


def _nest(out: pd.DataFrame, bound_cols: list[str]) -> None:
    """Enforce lo_95 <= lo_80 <= mean <= hi_80 <= hi_95 after shifting (in place)."""
    lows = sorted([c for c in bound_cols if c.startswith("lo_")], key=lambda c: -int(c[3:]))
    highs = sorted([c for c in bound_cols if c.startswith("hi_")], key=lambda c: int(c[3:]))
    prev = out["mean"]
    for c in reversed(lows):
        out[c] = np.minimum(out[c], prev)
        prev = out[c]
    prev = out["mean"]
    for c in highs:
        out[c] = np.maximum(out[c], prev)
        prev = out[c]
