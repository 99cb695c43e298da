"""The report's build-schedule chart for a staged plan (`netdesign plan` results): hub
capacity standing in each period, beside the average-day throughput it serves.

Only results with the plan's `period` variables get the section (`has_plan`); the labels of
this chart are kept here.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from netdesign.report.charts import _layout, _values, scenario_colour
from netdesign.report.i18n import paren, unit
from netdesign.report.load import hub_names
from netdesign.report.sections import ReportContext, Section

LABELS: dict[str, tuple[str, str]] = {
    "build_schedule": ("分期建设：各期枢纽能力", "Build schedule: hub capacity by period"),
    "capacity": ("能力", "capacity"),
    "throughput": ("日均处理量", "average-day throughput"),
    "myopic": ("逐期规划", "myopic"),
}


def label(key: str, lang: str) -> str:
    zh, en = LABELS[key]
    return zh if lang == "zh" else en


def has_plan(ds: xr.Dataset) -> bool:
    """Whether `ds` holds a staged plan (written by `netdesign plan`)."""
    return "period_hub_capacity" in ds.variables and "period" in ds.dims


def plan_section(ctx: ReportContext) -> Section | None:
    """The build-schedule section (left out for results without a plan)."""
    if not has_plan(ctx.ds):
        return None
    if not ctx.any_solution:
        return Section("build_schedule", label("build_schedule", ctx.lang),
                       ctx.note("no_solution_any", "note empty"))
    body = ctx.chart("build_schedule", fig_build_schedule(ctx.ds, ctx.lang))
    return Section("build_schedule", label("build_schedule", ctx.lang), body)


def fig_build_schedule(ds: xr.Dataset, lang: str) -> go.Figure:
    """Grouped bars: capacity standing per hub and period (parcels/day, sized for the design
    day); markers: average-day throughput; hollow markers: the myopic plan's capacity."""
    names = hub_names(ds, lang)
    hubs = [h for h in ds["hub"].values.astype(str)
            if float(ds["period_hub_capacity"].sel(hub=h).max()) == float(
                ds["period_hub_capacity"].sel(hub=h).max())]  # drop all-NaN hubs
    up = unit("parcels_day", lang)
    x = [names[h] for h in hubs]
    fig = go.Figure()
    for i, year in enumerate(ds["period"].values.tolist()):
        colour = scenario_colour(i)
        cap = _values(ds["period_hub_capacity"].sel(period=year, hub=hubs), up.divisor)
        thr = _values(ds["period_hub_throughput"].sel(period=year, hub=hubs), up.divisor)
        fig.add_trace(go.Bar(x=x, y=cap, name=f"{year} {label('capacity', lang)}",
                             marker={"color": colour}, offsetgroup=str(i),
                             hovertemplate=f"{year}<br>%{{x}}: %{{y:,.2f}} {up.label}"
                                           "<extra></extra>"))
        fig.add_trace(go.Scatter(x=x, y=thr, mode="markers", offsetgroup=str(i),
                                 name=f"{year} {label('throughput', lang)}",
                                 marker={"color": "#333333", "symbol": "line-ew-open",
                                         "size": 14, "line": {"width": 2}},
                                 hovertemplate=f"{year}<br>%{{x}}: %{{y:,.2f}} {up.label}"
                                               "<extra></extra>"))
        if "myopic_hub_capacity" in ds.variables:
            my = _values(ds["myopic_hub_capacity"].sel(period=year, hub=hubs), up.divisor)
            fig.add_trace(go.Scatter(x=x, y=my, mode="markers", offsetgroup=str(i),
                                     name=f"{year} {label('myopic', lang)}",
                                     marker={"color": colour, "symbol": "circle-open",
                                             "size": 9}))
    fig.update_layout(barmode="group", scattermode="group")
    fig.update_yaxes(title_text=f"{label('capacity', lang)}{paren(up.label, lang)}")
    return _layout(fig, label("build_schedule", lang), lang, height=480)


def schedule_table(ds: xr.Dataset) -> pd.DataFrame:
    """The build schedule (build_schedule.csv) from the results' `plan` attribute."""
    plan = json.loads(ds.attrs.get("plan", "{}"))
    return pd.DataFrame(plan.get("schedule", []),
                        columns=["what", "where", "period", "modules",
                                 "capacity_parcels_per_day", "capital_cost_cny", "npv_cny"])
