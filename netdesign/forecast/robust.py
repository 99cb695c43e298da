"""Cleaning one corridor's history before modelling: trimming, missing months, level shifts.

Everything here works on a float array of monthly volumes (parcels/month) where NaN marks a
missing month, and reports what it changed in a `Prepared` record, so that the engine can
write it to the diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from netdesign.forecast.seasonality import expand, is_seasonal, seasonal_indices

MIN_MODEL_OBS = 6            # below this: mean of what is there
INTERMITTENT_ZERO_SHARE = 0.3  # at least this share of zero months: Croston (SBA)
SHIFT_Z = 6.0                # a level shift is a step this many robust s.d. of the noise
SHIFT_MIN_AFTER = 4          # ... seen in at least this many months after the step
SHIFT_MIN_REL = 0.25         # ... and changing the level by at least this fraction
SHIFT_RECENT_SEASONS = 2     # ... within this many seasons of the end of the history


@dataclass
class Prepared:
    """A cleaned history ready for modelling."""

    y: np.ndarray               # parcels/month, no NaN, >= 0
    offset: int                 # index of y[0] in the original (untrimmed) month grid
    n_obs: int                  # observed (non-missing) months used
    n_missing: int              # interior missing months found
    imputed: bool = False
    level_shift_at: int | None = None  # index in y where a level shift was adjusted for
    messages: list[str] = field(default_factory=list)


def clean_values(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Mark negative and non-finite volumes as missing (volumes are >= 0)."""
    v = np.asarray(values, float).copy()
    msgs = []
    bad = ~np.isfinite(v) & ~np.isnan(v)
    neg = np.isfinite(v) & (v < 0)
    if bad.any() or neg.any():
        msgs.append(f"{int(bad.sum() + neg.sum())} negative/infinite value(s) treated as missing")
        v[bad | neg] = np.nan
    return v, msgs


def trim(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Drop leading months before the corridor opened (NaN or 0) and trailing NaN months.

    Returns the trimmed array and the index of its first element in the input.
    """
    v = np.asarray(values, float)
    pos = np.flatnonzero(np.isfinite(v) & (v > 0))
    if pos.size == 0:
        obs = np.flatnonzero(np.isfinite(v))
        if obs.size == 0:
            return v[:0], 0
        return v[obs[0]:obs[-1] + 1], int(obs[0])
    last = np.flatnonzero(np.isfinite(v))[-1]
    return v[pos[0]:last + 1], int(pos[0])


def seasonal_impute(v: np.ndarray, m: int) -> np.ndarray:
    """Fill NaN months: linear interpolation of the level, times the season-position ratio.

    The ratio of observed values to the interpolated level is averaged per season position
    (when there are two seasons of data and the series is positive); otherwise plain linear
    interpolation.
    """
    v = np.asarray(v, float)
    idx = np.arange(len(v))
    ok = np.isfinite(v)
    base = np.interp(idx, idx[ok], v[ok])
    if m > 1 and ok.sum() >= 2 * m and np.all(v[ok] > 0):
        k = max(3, m // 2)
        smooth = np.convolve(np.pad(base, k, mode="edge"), np.ones(2 * k + 1) / (2 * k + 1),
                             mode="valid")
        ratio = np.where(ok, v / np.where(smooth > 0, smooth, np.nan), np.nan)
        pos = idx % m
        factor = np.array([np.nanmean(ratio[pos == p]) if np.isfinite(ratio[pos == p]).any()
                           else 1.0 for p in range(m)])
        factor = np.where(np.isfinite(factor) & (factor > 0), factor, 1.0)
        filled = smooth * factor[pos]
    else:
        filled = base
    out = v.copy()
    out[~ok] = np.maximum(filled[~ok], 0.0)
    return out


def adjust_level_shift(y: np.ndarray, m: int) -> tuple[np.ndarray, int | None]:
    """Detect one large step in the level and rescale the history before it.

    On the series (seasonally adjusted when the seasonality test says so), a level shift at
    month k is a month-to-month change that is an outlier among all such changes (more than
    `SHIFT_Z` robust standard deviations, MAD-based, from their median) and that persists:
    the median of the next
    `SHIFT_MIN_AFTER`+ months differs from the median of the months before by at least half
    the step, in the same direction (a one-month spike is not a shift), and by at least
    `SHIFT_MIN_REL` of the old level (a material change, e.g. a lane won or lost). Only shifts
    in the last `SHIFT_RECENT_SEASONS` seasons are adjusted (older ones the adaptive models
    have absorbed; adjusting them did not help on the M3 data). The months before the
    step are scaled by the ratio of the levels (or shifted by their difference when the series
    has zeros), so that models see one regime while keeping the seasonal pattern.
    """
    n = len(y)
    w = max(SHIFT_MIN_AFTER, m // 2)
    if n < 12 or n < w + SHIFT_MIN_AFTER + 2:
        return y, None
    x = y.astype(float)
    if m > 1 and np.all(y > 0) and is_seasonal(y, m):
        x = x / expand(seasonal_indices(y, m, True), 0, n)
    d = np.diff(x)
    centre = np.median(d)
    spread = 1.4826 * np.median(np.abs(d - centre))
    if spread <= 0:
        return y, None
    z = np.abs(d - centre) / spread
    for j in np.argsort(-z):
        if z[j] < SHIFT_Z:
            return y, None
        k = j + 1  # first month of the new level
        if k < 3 or n - k < SHIFT_MIN_AFTER or n - k > SHIFT_RECENT_SEASONS * max(m, 6):
            continue
        step = d[j] - centre
        before = float(np.median(x[max(0, k - w):k]))
        after = float(np.median(x[k:k + w]))
        material = abs(after - before) >= SHIFT_MIN_REL * max(abs(before), 1e-9)
        if (np.sign(after - before) == np.sign(step) and abs(after - before) >= 0.5 * abs(step)
                and material):
            break
    else:
        return y, None
    raw_before = float(np.median(y[max(0, k - m):k]))
    raw_after = float(np.median(y[k:k + m]))
    out = y.astype(float).copy()
    if raw_before > 0 and np.all(y > 0):
        out[:k] *= raw_after / raw_before
    else:
        out[:k] = np.maximum(out[:k] + (raw_after - raw_before), 0.0)
    return out, k


def is_intermittent(y: np.ndarray) -> bool:
    """At least `INTERMITTENT_ZERO_SHARE` of the months have zero volume."""
    return len(y) > 0 and float(np.mean(y == 0)) >= INTERMITTENT_ZERO_SHARE


def prepare(values: np.ndarray, season_length: int, missing: str,
            adjust_shifts: bool = True) -> Prepared:
    """Clean one history. `missing`: "impute" (seasonal interpolation) or "report" (keep the
    stretch after the last gap). "reject" is decided by the engine before calling this."""
    v, msgs = clean_values(values)
    v, offset = trim(v)
    if offset:
        msgs.append(f"{offset} leading month(s) before the corridor opened trimmed")
    gaps = ~np.isfinite(v)
    n_missing = int(gaps.sum())
    imputed = False
    if n_missing:
        if missing == "impute":
            v = seasonal_impute(v, season_length)
            imputed = True
            msgs.append(f"{n_missing} missing month(s) imputed")
        else:
            last_gap = int(np.flatnonzero(gaps)[-1])
            msgs.append(f"{n_missing} missing month(s); modelled the {len(v) - last_gap - 1} "
                        "month(s) after the last gap")
            offset += last_gap + 1
            v = v[last_gap + 1:]
    prep = Prepared(v, offset, int(np.isfinite(v).sum()) - (n_missing if imputed else 0),
                    n_missing, imputed, None, msgs)
    if adjust_shifts and len(v) >= MIN_MODEL_OBS and not is_intermittent(v):
        adj, k = adjust_level_shift(v, season_length)
        if k is not None:
            prep.y = adj
            prep.level_shift_at = k
            msgs.append(f"level shift at month {offset + k + 1} of the history adjusted")
    return prep
