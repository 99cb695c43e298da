"""Combining candidate forecasts: a weighted mixture with the law of total variance.

The combined point forecast is the weighted mean of the members. Its variance is that of the
mixture, ``Σ w_k (σ²_k + (f_k − f̄)²)``: the members' own forecast variance plus the spread
between members (model uncertainty).
"""

from __future__ import annotations

import numpy as np

from netdesign.forecast.candidates import Fit


def combine(members: list[Fit], weights: np.ndarray, name: str) -> Fit:
    """Mixture of `members` with `weights` (normalised here)."""
    w = np.asarray(weights, float)
    w = w / w.sum()
    means = np.vstack([f.mean for f in members])
    vars_ = np.vstack([f.var for f in members])
    mean = w @ means
    var = w @ (vars_ + (means - mean) ** 2)
    return Fit(name, mean, var, relative=any(f.relative for f in members))
