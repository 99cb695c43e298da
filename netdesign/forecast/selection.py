"""Choosing among fitted candidates: AICc (Akaike) weights and sanity checks."""

from __future__ import annotations

import numpy as np

from netdesign.forecast.candidates import Fit

SANITY_FACTOR = 10.0  # a forecast above this multiple of the history's maximum is a runaway


def akaike_weights(fits: list[Fit]) -> np.ndarray:
    """Weights ∝ exp(−ΔAICc / 2) (Burnham & Anderson); equal weights if no AICc is finite."""
    a = np.array([f.aicc for f in fits], float)
    if not np.isfinite(a).any():
        return np.full(len(fits), 1.0 / len(fits))
    a = np.where(np.isfinite(a), a, np.inf)
    w = np.exp(-0.5 * (a - a.min()))
    return w / w.sum()


def is_sane(fit: Fit, history: np.ndarray) -> bool:
    """Finite forecasts and variances, and no runaway beyond `SANITY_FACTOR` × max(history)."""
    if not (np.all(np.isfinite(fit.mean)) and np.all(np.isfinite(fit.var))):
        return False
    if np.any(fit.var < 0):
        return False
    top = float(np.max(history)) if len(history) else 0.0
    return bool(np.max(fit.mean) <= SANITY_FACTOR * max(top, 1e-9))
