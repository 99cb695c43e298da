"""summary.csv: one row per scenario with the headline figures of a results Dataset.

Kept apart from `results.dataset` (which builds Datasets from designs and imports the
optimiser's types) so that readers of results files (the report, `compare`, the Excel
export, `results.statistics`) load only xarray and pandas.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.vocabulary import MODES, SERVICE_CLASSES

SUMMARY_COLUMNS = (
    "scenario", "year", "growth", "costs", "carbon_price", "policy", "demand_quantile",
    "status", "mip_gap", "total_cost_cny_per_day", "economic_cost_cny_per_day",
    "penalty_cost_cny_per_day", "co2_t_per_day", "on_time_share", "on_time_share_domestic",
    "on_time_share_neighbouring", "on_time_share_global", "unserved_parcels_per_day",
    "hub_capacity_added_parcels_per_day", "share_road", "share_rail", "share_water",
    "share_air", "message",
)
PLANNING_COLUMNS = ("peak_factor", "max_utilisation", "max_hub_utilisation_peak")
"""Capacity planning figures of summary.csv (issue 14): the design day's peak factor, the
utilisation cap, and the largest design-day hub utilisation (≤ the cap when optimal)."""
SUMMARY_COLUMNS = SUMMARY_COLUMNS + PLANNING_COLUMNS


def _per_scenario(ds: xr.Dataset, name: str, default: float = float("nan")) -> np.ndarray:
    """A per-scenario figure as floats; `default` when results written before it existed
    lack it."""
    if name not in ds.variables:
        return np.full(ds.sizes["scenario"], default)
    return ds[name].values.astype(float)


ECONOMIC_COMPONENTS = ("transport", "handling", "capacity", "carbon")
PENALTY_COMPONENTS = ("late_penalty", "unserved_penalty")


def _cost_part(ds: xr.Dataset, name: str, components: tuple[str, ...]) -> np.ndarray:
    """Economic or penalty cost, CNY/day: the variable `name`, else (older results) the sum
    of its components of `cost` (NaN for a scenario without a solution)."""
    if name in ds.variables:
        return ds[name].values.astype(float)
    have = [c for c in components if c in ds["cost_component"].values]
    if "cost" not in ds.variables or not have:
        return np.full(ds.sizes["scenario"], np.nan)
    return ds["cost"].sel(cost_component=have).sum("cost_component", min_count=len(have)) \
        .values.astype(float)


def _messages(ds: xr.Dataset) -> list[str]:
    """The `message` variable, else each scenario's message in the `solver_reports`
    attribute (results written before the variable existed), else ''."""
    if "message" in ds.variables:
        return _text(ds, "message")
    try:
        reports = json.loads(ds.attrs.get("solver_reports", "{}"))
    except (TypeError, ValueError):
        reports = {}
    reports = reports if isinstance(reports, dict) else {}
    return [str((reports.get(str(s)) or {}).get("message", "") or "")
            if isinstance(reports.get(str(s)), dict) else "" for s in ds["scenario"].values]


def _text(ds: xr.Dataset, name: str) -> list[str]:
    return [str(v) for v in ds[name].values] if name in ds.variables else \
        [""] * ds.sizes["scenario"]


def summary_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per scenario with the headline figures (the columns of summary.csv).

    The one summary of a results Dataset: summary.csv, `statistics(ds).headline()`, the
    report's headline table, `compare` and the Excel export all read it. Sums over
    corridors and hubs are NaN for a scenario without a solution (its figures are NaN);
    figures that older results files lack are NaN (`unserved_total` falls back on the sum
    of `unserved`, economic and penalty cost on the sum of their `cost` components,
    `message` on the solver reports, planning figures on 1.0 as before issue 14).
    """
    df = pd.DataFrame({
        "scenario": [str(s) for s in ds["scenario"].values],
        "year": ds["year"].values.astype(int),
        "growth": _text(ds, "growth"),
        "costs": _text(ds, "costs"),
        "carbon_price": _per_scenario(ds, "carbon_price"),
        "policy": _text(ds, "policy"),
        "demand_quantile": _text(ds, "demand_quantile"),
        "status": _text(ds, "status"),
        "mip_gap": _per_scenario(ds, "mip_gap"),
        "total_cost_cny_per_day": _per_scenario(ds, "total_cost"),
        "economic_cost_cny_per_day": _cost_part(ds, "economic_cost", ECONOMIC_COMPONENTS),
        "penalty_cost_cny_per_day": _cost_part(ds, "penalty_cost", PENALTY_COMPONENTS),
        "co2_t_per_day": _per_scenario(ds, "co2"),
        "on_time_share": _per_scenario(ds, "on_time_share"),
    })
    by_class = ds["on_time_share_by_class"]
    for c in SERVICE_CLASSES:
        df[f"on_time_share_{c}"] = by_class.sel(service_class=c).values.astype(float) \
            if c in by_class["service_class"].values else np.nan
    df["unserved_parcels_per_day"] = _per_scenario(ds, "unserved_total") \
        if "unserved_total" in ds.variables else \
        ds["unserved"].sum("corridor", min_count=1).values.astype(float)
    df["hub_capacity_added_parcels_per_day"] = \
        ds["hub_capacity_added"].sum("hub", min_count=1).values.astype(float)
    for m in MODES:
        df[f"share_{m}"] = ds["mode_share"].sel(mode=m).values.astype(float) \
            if m in ds["mode"].values else np.nan
    df["message"] = _messages(ds)
    df["peak_factor"] = _per_scenario(ds, "peak_factor", 1.0)
    df["max_utilisation"] = _per_scenario(ds, "max_utilisation", 1.0)
    if "hub_utilisation_peak" in ds.variables:  # NaN for a scenario without any value
        peak = ds["hub_utilisation_peak"].fillna(-np.inf).max("hub").values.astype(float)
        df["max_hub_utilisation_peak"] = np.where(np.isfinite(peak), peak, np.nan)
    else:
        df["max_hub_utilisation_peak"] = np.nan
    return df[list(SUMMARY_COLUMNS)]
