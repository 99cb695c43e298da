"""Per-draw results as one dataset (dimension `draw`) and the distribution of its figures.

Figures per draw (the ones a planner reads for a fixed network under uncertain demand):

    total_cost        CNY/day (the design's capacity cost + routing, lateness and unserved
                      penalties for this draw's demand)
    unserved          parcels/day left unserved
    late              parcels/day delivered later than their standard
    max_hub_utilisation   the busiest hub's throughput / capacity (average day)
    on_time_share     share of demand on time (its `worst` is the lowest)

Statistics: mean, p50, p95 and worst (the highest; the lowest for on_time_share) over the
draws that have a solution.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import xarray as xr

METRICS = {"total_cost": "CNY/day", "unserved": "parcels/day", "late": "parcels/day",
           "max_hub_utilisation": "1", "on_time_share": "1"}
STATISTICS = ("mean", "p50", "p95", "worst")
HIGHER_IS_BETTER = {"on_time_share"}


def draws_dataset(parts: Sequence[xr.Dataset], design) -> xr.Dataset:
    """Concatenate per-draw datasets (each a one-scenario results dataset) along `draw`;
    `design` coordinate = the evaluated design's scenario name."""
    stripped = []
    for p in parts:
        p = p.copy()
        p.attrs = {}
        stripped.append(p)
    ds = xr.concat(stripped, dim="scenario", data_vars="minimal", coords="minimal",
                   compat="override", join="outer")
    names = [str(s) for s in ds["scenario"].values]
    ds = ds.rename({"scenario": "draw"}).assign_coords(
        draw=np.array([int(n.rsplit("_", 1)[1]) for n in names]))
    return ds.assign_coords(design=getattr(design.scenario, "name", str(design)))


def draw_figures(ds: xr.Dataset) -> pd.DataFrame:
    """draw × metric (`METRICS`), NaN for draws without a solution."""
    util = ds["hub_utilisation"].where(np.isfinite(ds["hub_utilisation"]))
    return pd.DataFrame({
        "total_cost": ds["total_cost"].values.astype(float),
        "unserved": ds["unserved"].sum("corridor", min_count=1).values.astype(float),
        "late": ds["late"].sum("corridor", min_count=1).values.astype(float),
        "max_hub_utilisation": util.max("hub").values.astype(float),
        "on_time_share": ds["on_time_share"].values.astype(float),
    }, index=pd.Index(ds["draw"].values, name="draw"))


def distribution_summary(ds: xr.Dataset) -> pd.DataFrame:
    """metric × statistic (mean, p50, p95, worst) over the draws with a solution."""
    fig = draw_figures(ds)
    rows = {}
    for m in METRICS:
        v = fig[m].dropna().to_numpy(float)
        if not len(v):
            rows[m] = [np.nan] * len(STATISTICS)
            continue
        worst = v.min() if m in HIGHER_IS_BETTER else v.max()
        p95 = np.percentile(v, 5 if m in HIGHER_IS_BETTER else 95)
        rows[m] = [v.mean(), np.median(v), p95, worst]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(STATISTICS))
    out.index.name = "metric"
    return out
