"""Forecasting one corridor: clean, choose (or refit a stored spec), combine, intervals.

The default ("auto") follows the M4 competition's benchmark recipe and its finding that
combinations win: a 90 % seasonality test, then a classical multiplicative decomposition
with its indices shrunk towards none (James-Stein); on the seasonally adjusted series, Theta
and non-seasonal ETS models (ANN, AAdN; weighted by AICc Akaike weights) are combined 50/50,
at the monthly level and on the series summed over blocks of 2, 3, 4 and 6 months
(`temporal`), and the levels are averaged; the forecast is re-seasonalised. Two more model
families join with the same weight each as Theta and ETS: ARIMA(0,1,1) with drift on the
adjusted series (re-seasonalised) and, for a seasonal series, a damped-trend Holt–Winters
model on the raw series, whose seasonal pattern adapts over time (three times the weight
for histories of ten seasons or more). See docs/forecasting.md.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from netdesign.forecast import candidates as cand
from netdesign.forecast.calendar import adjust_history
from netdesign.forecast.combine import combine
from netdesign.forecast.intervals import interval_table
from netdesign.forecast.robust import MIN_MODEL_OBS, is_intermittent, prepare
from netdesign.forecast.seasonality import expand, has_seasonality, seasonal_estimate
from netdesign.forecast.selection import akaike_weights, is_sane
from netdesign.forecast.specs import make_spec, spec_problem
from netdesign.forecast.temporal import (
    aggregate,
    combine_levels,
    default_levels,
    horizon_blocks,
    to_months,
    usable_levels,
)

AUTO_THETA_WEIGHT = 0.5  # share of Theta in the "auto" combination; the ETS family has the rest
# ETS forms in "auto": no undamped linear trend (AAN) - over 1-2 year horizons it
# over-extrapolates (Gardner & McKenzie 1985); additive error only - the multiplicative-error
# twins (MNN, MAdN) have the same point forecasts and added nothing measurable on either M3
# split at the cost of two more fits per aggregation level. See docs/forecasting.md.
AUTO_ETS_FORMS = ("ANN", "AAdN")
# Seasonal indices shrunk towards none by the James-Stein factor (seasonality.py); chosen on
# the M3 earlier holdout, not on the competition's test months (docs/forecasting.md).
SHRINK_SEASONAL = True
# Add the sampling variance of the seasonal indices to the forecast variance (intervals only).
SEASONAL_INDEX_VARIANCE = True
# Weights of the model families in "auto": Theta and the ETS family (the decomposition-based,
# temporally aggregated part, `_fit_levels`) count as two families; the raw-series Holt-Winters
# member (seasonal series only) and the ARIMA(0,1,1)+drift member as one each. Equal weight
# per family, fixed before any result was seen (round 3: Holt-Winters as one of three; round
# 6: ARIMA as one more); see docs/forecasting.md and docs/benchmarks.md.
FAMILY_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"decomposition": 2.0, "seasonal": 1.0, "arima": 1.0})
ARIMA_MEMBER = "arima_011_drift"
# Long seasonal histories (at least LONG_HISTORY_SEASONS full seasons): the Holt-Winters
# family's weight is multiplied by LONG_HISTORY_SEASONAL_FACTOR (1 -> 3, half of the total
# with the decomposition part's 2 and ARIMA's 1). Over ten or more years a seasonal pattern
# drifts; the classical indices average over all of it, Holt-Winters follows it. Chosen on the
# validation splits (each series' own earlier holdout) of Tourism monthly and M3 monthly, not
# on their test periods (docs/benchmarks.md, "Forecasting", round 8).
LONG_HISTORY_SEASONS = 10
LONG_HISTORY_SEASONAL_FACTOR = 3.0


@dataclass
class Outcome:
    """What one corridor's forecast produced (before it becomes rows of a DataFrame)."""

    series_id: str
    first_step: int            # index (in the input month grid) of the first forecast month
    table: dict[str, np.ndarray]
    model: str
    spec: dict[str, Any]
    n_obs: int = 0
    n_missing: int = 0
    imputed: bool = False
    n_warnings: int = 0
    fallback: bool = False
    messages: list[str] = field(default_factory=list)


class _Counter:
    """Runs candidate fits, counting warnings and failures."""

    def __init__(self) -> None:
        self.warnings = 0
        self.failures: list[str] = []

    def run(self, name: str, func, *args) -> cand.Fit | None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fit = func(*args)
            except Exception as exc:  # noqa: BLE001 - any failing candidate is skipped
                self.failures.append(f"{name}: {type(exc).__name__}")
                fit = None
        self.warnings += len(caught)
        return fit


def _members_for(method: str, positive: bool) -> list[str]:
    allowed = [f for f, (err, _, _) in cand.ETS_FORMS.items() if err == "add" or positive]
    if method == "auto":
        return ["theta", *(f"ets_{f}" for f in allowed if f in AUTO_ETS_FORMS)]
    if method == "ets":
        return [f"ets_{f}" for f in allowed]
    return ["theta"]


def _fit_members(ya: np.ndarray, h: int, members: list[str], counter: _Counter
                 ) -> tuple[cand.Fit | None, list[str]]:
    """Fit members on the adjusted series and combine them; returns the fit and kept names."""
    theta: cand.Fit | None = None
    ets: list[cand.Fit] = []
    ses: cand.Fit | None = None  # ETS(A,N,N): a member, and the SES part of Theta
    if "theta" in members or "ets_ANN" in members:
        ses = counter.run("ets_ANN", cand.fit_ets, ya, h, "ANN")
    for name in members:
        if name == "theta":
            fit = counter.run(name, cand.fit_theta, ya, h, ses) if ses is not None else None
        elif name == "ets_ANN":
            fit = ses
        else:
            fit = counter.run(name, cand.fit_ets, ya, h, name[4:])
        if fit is None:
            continue
        if not is_sane(fit, ya):
            counter.failures.append(f"{name}: forecast outside the sanity band")
            continue
        if name == "theta":
            theta = fit
        else:
            ets.append(fit)
    parts: list[cand.Fit] = []
    weights: list[float] = []
    kept: list[str] = []
    if ets:
        w = akaike_weights(ets)
        share = 1.0 - (AUTO_THETA_WEIGHT if theta is not None else 0.0)
        parts += ets
        weights += list(share * w)
        kept += [f.name for f, wi in zip(ets, w, strict=True) if wi >= 0.01]
    if theta is not None:
        parts.append(theta)
        weights.append(AUTO_THETA_WEIGHT if ets else 1.0)
        kept.insert(0, "theta")
    if not parts:
        return None, []
    if len(parts) == 1:
        return parts[0], kept
    return combine(parts, np.array(weights), "comb(" + ",".join(kept) + ")"), kept


def _fit_levels(ya: np.ndarray, h: int, members: list[str], levels: list[int],
                counter: _Counter) -> tuple[cand.Fit | None, list[str], list[int]]:
    """Fit `members` at every temporal aggregation level (`temporal`) and average the
    levels' monthly forecasts. Returns the fit, the members kept at any level (in the order
    of `members`) and the levels used; a level whose members all fail is left out."""
    monthly, kept = _fit_members(ya, h, members, counter)
    if monthly is None or len(levels) <= 1:
        return monthly, kept, [1]
    means, used, kept_any = [monthly.mean], [1], set(kept)
    for k in levels:
        if k == 1:
            continue
        yk = aggregate(ya, k)
        fit_k, kept_k = _fit_members(yk, horizon_blocks(h, k), members, counter)
        if fit_k is None:
            continue
        means.append(to_months(fit_k, k, h))
        used.append(k)
        kept_any.update(kept_k)
    if len(used) == 1:
        return monthly, kept, used
    name = "levels(" + ",".join(map(str, used)) + "):" + monthly.name
    return combine_levels(monthly, means, name), [x for x in members if x in kept_any], used


def _decomposition(y: np.ndarray, m: int, spec: dict | None) -> str:
    if spec is not None:
        return spec.get("decomposition", "none")
    if not has_seasonality(y, m):
        return "none"
    return "multiplicative" if np.min(y) > 0 else "additive"


def _model(y: np.ndarray, h: int, m: int, method: str, spec: dict | None,
           counter: _Counter, family_weights: Mapping[str, float] | None = None
           ) -> tuple[cand.Fit | None, bool, dict]:
    """Fit on a cleaned history. Returns (fit on the original scale, log-normal?, spec)."""
    n = len(y)
    positive = bool(np.min(y) > 0)
    kind = spec["method"] if spec else method
    if spec is None and n < MIN_MODEL_OBS:
        kind = "mean"
    elif spec is None and is_intermittent(y):
        kind = "croston"
    if kind == "mean":
        return cand.fit_mean(y, h), False, make_spec("mean", m)
    if kind == "croston":
        return counter.run("croston", cand.fit_croston, y, h), False, make_spec("croston", m)
    if kind == "seasonal_naive":
        return cand.fit_seasonal_naive(y, h, m), False, make_spec("seasonal_naive", m)
    dec = _decomposition(y, m, spec)
    if dec == "none":
        s_in, s_out, s_var, ya = np.ones(n), np.ones(h), np.zeros(h), y
    else:
        idx, idx_var = seasonal_estimate(y, m, dec == "multiplicative", shrink=SHRINK_SEASONAL)
        s_in, s_out = expand(idx, 0, n), expand(idx, n, h)
        s_var = expand(idx_var, n, h) if SEASONAL_INDEX_VARIANCE else np.zeros(h)
        ya = y / s_in if dec == "multiplicative" else y - s_in
    positive_a = positive and bool(np.min(ya) > 0)  # no multiplicative models after zeros
    if kind == "arima":
        order = spec.get("arima_order") if spec else None
        fit = counter.run("arima", cand.fit_arima, ya, h, order)
        kept = ["arima"]
        new_spec = make_spec("arima", m, dec, [], fit.params["order"] if fit else None)
    else:
        members = spec["members"] if spec else _members_for(kind, positive_a)
        if spec is not None:
            levels = spec.get("levels", [1])
        else:
            levels = list(default_levels(m)) if kind == "auto" else [1]
        fit, kept, used = _fit_levels(ya, h, members, usable_levels(levels, n), counter)
        new_spec = make_spec(kind, m, dec, kept, levels=used if used != [1] else None)
    if fit is None:
        return None, False, new_spec
    fit = _reseasonalise(fit, dec, s_out, s_var)
    if kind == "auto":
        fit = _add_families(fit, y, ya, h, m, dec, s_out, s_var, spec, new_spec, counter,
                            family_weights or FAMILY_WEIGHTS)
    return fit, positive and dec != "additive", new_spec


def _add_families(fit: cand.Fit, y: np.ndarray, ya: np.ndarray, h: int, m: int, dec: str,
                  s_out: np.ndarray, s_var: np.ndarray, spec: dict | None, new_spec: dict,
                  counter: _Counter, weights_by_family: Mapping[str, float]) -> cand.Fit:
    """"auto": combine the decomposition-based forecast with the raw-series Holt-Winters
    member (seasonal series) and the ARIMA(0,1,1)+drift member (on the adjusted series,
    re-seasonalised), by `FAMILY_WEIGHTS` (the Holt-Winters weight times
    `LONG_HISTORY_SEASONAL_FACTOR` for histories of `LONG_HISTORY_SEASONS` seasons or more).
    Each family's forecast is clipped at 0 first (a
    family forecasting negative volume forecasts none); members that fail or run away are left
    out, and so is a family whose weight in `weights_by_family` is 0 (for component studies).
    A stored spec without a member's key refits without that member. Records the members used
    in `new_spec`."""
    wf = weights_by_family
    parts, weights = [_clipped(fit)], [wf["decomposition"]]
    want_hw = None if wf["seasonal"] <= 0 else (spec.get("seasonal_member") if spec else
               None if dec == "none" else
               "hw_AAdM" if dec == "multiplicative" else "hw_AAdA")
    if want_hw:
        w_hw = wf["seasonal"] * (LONG_HISTORY_SEASONAL_FACTOR
                                 if len(y) >= LONG_HISTORY_SEASONS * m else 1.0)
        hw = counter.run(want_hw, cand.fit_holt_winters, y, h, m, want_hw == "hw_AAdM")
        if hw is not None and not is_sane(hw, y):
            counter.failures.append(f"{want_hw}: forecast outside the sanity band")
            hw = None
        if hw is not None:
            parts.append(_clipped(hw))
            weights.append(w_hw)
            new_spec["seasonal_member"] = want_hw
    want_ar = None if wf["arima"] <= 0 else (spec.get("arima_member") if spec else
                                             ARIMA_MEMBER)
    if want_ar and len(ya) >= cand.MIN_ARIMA_OBS:
        ar = counter.run(want_ar, cand.fit_arima_drift, ya, h)
        if ar is not None and not is_sane(ar, ya):
            counter.failures.append(f"{want_ar}: forecast outside the sanity band")
            ar = None
        if ar is not None:
            parts.append(_clipped(_reseasonalise(ar, dec, s_out, s_var)))
            weights.append(wf["arima"])
            new_spec["arima_member"] = want_ar
    if len(parts) == 1:
        return fit
    return combine(parts, np.array(weights), "+".join(f.name for f in parts))


def _clipped(fit: cand.Fit) -> cand.Fit:
    """`fit` with its point forecast clipped at 0 (volumes are not negative); variance kept."""
    if np.all(fit.mean >= 0):
        return fit
    return cand.Fit(fit.name, np.maximum(fit.mean, 0.0), fit.var, fit.aicc, fit.params,
                    fit.relative)


def _reseasonalise(fit: cand.Fit, dec: str, s_out: np.ndarray, s_var: np.ndarray
                   ) -> cand.Fit:
    """The adjusted-series forecast back on the original scale (seasonal indices applied)."""
    if dec == "multiplicative":  # product of independent estimates: delta-method variance
        var = fit.var * s_out ** 2 + fit.mean ** 2 * s_var
        fit = cand.Fit(fit.name, fit.mean * s_out, var, fit.aicc, fit.params, fit.relative)
    elif dec == "additive":
        fit = cand.Fit(fit.name, fit.mean + s_out, fit.var + s_var, fit.aicc, fit.params,
                       fit.relative)
    if dec != "none":
        fit.name = f"{fit.name}*season" if dec == "multiplicative" else f"{fit.name}+season"
    return fit


def forecast_one(series_id: str, values: np.ndarray, horizon: int, season_length: int = 12,
                 method: str = "auto", missing: str = "impute",
                 levels: tuple[int, ...] = (80, 95), spec: dict | None = None,
                 family_weights: Mapping[str, float] | None = None,
                 regressor: np.ndarray | None = None) -> Outcome:
    """Forecast one corridor. `values`: parcels/month on a contiguous month grid (NaN =
    missing). `regressor`: the Spring Festival window share (`calendar`) for the months of
    `values` followed by the `horizon` forecast months, or None for no calendar adjustment.
    `family_weights` replaces `FAMILY_WEIGHTS` for "auto" (component studies,
    scripts/bench_forecast_members.py; a family weighted 0 is not fitted; malformed weights
    raise ValueError). Otherwise never raises: any failure ends in seasonal naive with
    `fallback` set."""
    if family_weights is not None and (
            set(family_weights) != set(FAMILY_WEIGHTS)
            or not all(np.isfinite(w) and w >= 0 for w in family_weights.values())
            or family_weights["decomposition"] <= 0):
        raise ValueError(f"family_weights needs non-negative weights for exactly "
                         f"{sorted(FAMILY_WEIGHTS)}, decomposition > 0; got {family_weights!r}")
    m = season_length
    counter = _Counter()
    messages: list[str] = []
    try:
        prep = prepare(values, m, "report" if missing == "reject" else missing)
        messages += prep.messages
        y = prep.y
        first_step = prep.offset + len(y)
        if len(y) == 0:
            obs = np.asarray(values, float)
            first_step = len(obs)
            messages.append("no observations: forecast 0")
            table = interval_table(np.zeros(horizon), np.zeros(horizon), levels, False)
            return Outcome(series_id, first_step, table, "none", make_spec("mean", m), 0, 0,
                           False, 0, True, messages)
        if missing == "reject" and prep.n_missing:
            raise _Rejected(f"{prep.n_missing} missing month(s): series rejected")
        use_spec = None
        if spec is not None:
            why = spec_problem(spec, m, len(y), bool(np.min(y) > 0))
            if why:
                messages.append(f"stored spec not used ({why}); full selection")
            else:
                use_spec = spec
        y, future_factor, effect = adjust_history(
            y, None if method == "seasonal_naive" else regressor, prep.offset, first_step,
            horizon, m)
        fit, lognormal, new_spec = _model(y, horizon, m, method, use_spec, counter,
                                          family_weights)
        if fit is None and use_spec is not None:
            messages.append("stored spec failed to fit; full selection")
            fit, lognormal, new_spec = _model(y, horizon, m, method, None, counter,
                                              family_weights)
        fallback = fit is None
        if fit is None:
            raise _Rejected("every candidate failed: " + "; ".join(counter.failures[:5]))
        if effect is not None:
            fit = cand.Fit(f"{fit.name}+calendar", fit.mean * future_factor,
                           fit.var * future_factor ** 2, fit.aicc, fit.params, fit.relative)
            new_spec["calendar_effect"] = round(effect, 6)
        table = interval_table(fit.mean, fit.var, levels, lognormal)
        if counter.failures:
            messages.append(f"{len(counter.failures)} candidate(s) skipped")
        return Outcome(series_id, first_step, table, fit.name, new_spec, prep.n_obs,
                       prep.n_missing, prep.imputed, counter.warnings, fallback, messages)
    except Exception as exc:  # noqa: BLE001 - one bad corridor never fails the run
        return _fallback(series_id, values, horizon, m, levels, counter, messages, exc)


class _Rejected(Exception):
    pass


def _fallback(series_id: str, values: np.ndarray, horizon: int, m: int,
              levels: tuple[int, ...], counter: _Counter, messages: list[str],
              exc: Exception) -> Outcome:
    """Seasonal naive on whatever observations there are (missing months interpolated)."""
    v = np.asarray(values, float)
    v = np.where(np.isfinite(v) & (v >= 0), v, np.nan)
    obs = np.flatnonzero(np.isfinite(v))
    reason = str(exc) if isinstance(exc, _Rejected) else f"{type(exc).__name__}: {exc}"
    messages.append(f"fallback to seasonal naive ({reason})")
    if obs.size == 0:
        mean, var, first = np.zeros(horizon), np.zeros(horizon), len(v)
    else:
        seg = v[obs[0]:obs[-1] + 1]
        idx = np.arange(len(seg))
        ok = np.isfinite(seg)
        seg = np.interp(idx, idx[ok], seg[ok])
        fit = cand.fit_seasonal_naive(seg, horizon, m)
        mean, var, first = fit.mean, fit.var, int(obs[-1]) + 1
    table = interval_table(mean, var, levels, False)
    return Outcome(series_id, first, table, "seasonal_naive", make_spec("seasonal_naive", m),
                   int(obs.size), int(len(v[obs[0]:]) - obs.size) if obs.size else 0, False,
                   counter.warnings, True, messages)
