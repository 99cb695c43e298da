"""The report's parts for a staged plan (`netdesign plan` results): the build-schedule chart
(hub capacity standing in each period, beside the average-day throughput it serves) and the
network map's build layer (`add_build_layer`: when each hub and link expansion comes, a ring
or a dotted line per period, coloured like the chart's periods).

Only results with the plan's `period` variables get them (`has_plan`); their labels are kept
here.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.graph_objects as go
import xarray as xr

from netdesign.report.charts import _layout, _values, scenario_colour
from netdesign.report.geo import leg_path, shift_lon
from netdesign.report.i18n import paren, unit
from netdesign.report.load import hub_names
from netdesign.report.sections import ReportContext, Section

LABELS: dict[str, tuple[str, str]] = {
    "build_schedule": ("分期建设：各期枢纽能力", "Build schedule: hub capacity by period"),
    "capacity": ("能力", "capacity"),
    "throughput": ("日均处理量", "average-day throughput"),
    "myopic": ("逐期规划", "myopic"),
    "built_by": ("{year}年投用", "built by {year}"),
    "links_built_by": ("线路扩能：{year}年投用", "link modules built by {year}"),
    "build_legend": ("分期建设（投用期）", "Build schedule (in service by)"),
    "hub module": ("枢纽模块", "hub module"),
    "link module": ("线路模块", "link module"),
    "hub opening": ("新建枢纽", "hub opening"),
    "capex": ("投资", "capex"),
    "never_built": ("规划期内不扩建", "not expanded in the plan"),
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


HUB_BUILDS = ("hub module", "hub opening")
MAX_LINKS_SHOWN = 40
"""Links (both directions as one) the map's build layer draws at first; a plan that adds
modules to more (the default study: hundreds of links every period, trucks and trains rather
than infrastructure) has its link layers switched off until chosen in the legend, so that
they do not hide the flows and the hubs' rings."""


def build_periods(ds: xr.Dataset) -> dict[tuple[str, str], list[dict]]:
    """What the plan builds where, from the results' build schedule: ("hub", hub_id) or
    ("link", link_id) -> its builds in period order, each {period, what, modules,
    capacity_parcels_per_day (added), capital_cost_cny}. A hub or link never expanded is
    absent; results without a plan give {}."""
    if not has_plan(ds):
        return {}
    out: dict[tuple[str, str], list[dict]] = {}
    sched = schedule_table(ds).sort_values("period", kind="stable")
    for r in sched.itertuples(index=False):
        key = ("hub" if r.what in HUB_BUILDS else "link", str(r.where))
        out.setdefault(key, []).append({
            "period": int(r.period), "what": str(r.what), "modules": float(r.modules),
            "capacity_parcels_per_day": float(r.capacity_parcels_per_day),
            "capital_cost_cny": float(r.capital_cost_cny)})
    return out


def _capex_text(cny: float, lang: str) -> str:
    if lang == "zh":
        return f"{cny / 1e8:,.2f}亿元"
    return f"{cny / 1e6:,.1f} M CNY"


def _parcels_day(v: float, lang: str) -> str:
    """'16万件/日' or '160,000 parcels/day' (two significant figures at most in 万)."""
    if lang == "zh":
        return f"{v / 1e4:,.4g}万件/日" if v >= 1e4 else f"{v:,.0f}件/日"
    return f"{v:,.0f} parcels/day"


def build_text(builds: list[dict], lang: str) -> str:
    """Hover lines of one hub's or link's builds, e.g. 'built by 2030: 2 × hub module
    (+160,000 parcels/day), capex 300.0 M CNY' / '2030年投用：2个枢纽模块（+16万件/日），投资
    3.00亿元'."""
    zh = lang == "zh"
    lines = []
    for b in builds:
        what = label(b["what"], lang)
        if b["what"] != "hub opening":
            n = f"{b['modules']:g}"
            what = f"{n}个{what}" if zh else f"{n} × {what}"
        cap = b["capacity_parcels_per_day"]
        added = paren(f"+{_parcels_day(cap, lang)}", lang) \
            if math.isfinite(cap) and cap > 0 else ""  # an opening of a 0-capacity hub
        lines.append(f"{label('built_by', lang).format(year=b['period'])}{'：' if zh else ': '}"
                     f"{what}{added}{'，' if zh else ', '}{label('capex', lang)}"
                     f"{'' if zh else ' '}{_capex_text(b['capital_cost_cny'], lang)}")
    return "<br>".join(lines)


def add_build_layer(fig: go.Figure, ds: xr.Dataset, lon: dict[str, float],
                    lat: dict[str, float], names: dict[str, str], lang: str) -> int:
    """Draw when each expansion comes on the network map `fig`: per period, a ring around
    every hub built (opened or given modules) in it and a dotted line along every link given
    modules in it, in the period's colour (as in the build-schedule chart), with a legend
    "built by <year>" and what was added on hover. lon/lat: node coordinates (degrees, lon
    not shifted). A hub built in several periods gets a ring per period (later ones larger);
    a link's earlier builds are drawn wider, under the later ones. Returns the number of
    traces added (0 without a plan). The links get their own legend entries per period
    ("link modules built by <year>"), switched off at first when the plan adds modules to
    more than `MAX_LINKS_SHOWN` links."""
    builds = build_periods(ds)
    if not builds:
        return 0
    years = [int(v) for v in ds["period"].values]
    ends = dict(zip(ds["link"].values.astype(str),
                    zip(ds["link_from"].values.astype(str), ds["link_to"].values.astype(str),
                        strict=True), strict=True))
    n0 = len(fig.data)
    first = True
    n_links = len({tuple(sorted(ends[lk])) for kind, lk in builds if kind == "link"
                   and lk in ends})
    shown = n_links <= MAX_LINKS_SHOWN  # else the link layers start switched off
    for i, year in enumerate(years):
        colour = scenario_colour(i)
        name = label("built_by", lang).format(year=year)
        group = {"legendgroup": f"built-{year}", "name": name}
        title = {"legendgrouptitle": {"text": label("build_legend", lang)}} if first else {}
        hubs = [h for (kind, h), bs in builds.items()
                if kind == "hub" and h in lon and any(b["period"] == year for b in bs)]
        links = [lk for (kind, lk), bs in builds.items()
                 if kind == "link" and lk in ends and ends[lk][0] in lon
                 and ends[lk][1] in lon and any(b["period"] == year for b in bs)]
        if not hubs and not links:
            continue
        if hubs:
            fig.add_trace(go.Scatter(
                x=[shift_lon(lon[h]) for h in hubs], y=[lat[h] for h in hubs],
                mode="markers", showlegend=True, **group, **title,
                marker={"symbol": "circle-open", "size": 20 + 7 * i, "color": colour,
                        "line": {"width": 3, "color": colour}},
                hovertext=[f"<b>{names.get(h, h)}</b> ({h})<br>"
                           f"{build_text(builds[('hub', h)], lang)}" for h in hubs],
                hoverinfo="text"))
            first, title = False, {}
        if links:
            pairs: dict[tuple[str, str], list[str]] = {}  # both directions drawn as one
            for lk in links:
                pairs.setdefault(tuple(sorted(ends[lk])), []).append(lk)
            xs: list = []
            ys: list = []
            mx, my, hover = [], [], []
            for (a, b), lks in pairs.items():
                px, py = leg_path(lon[a], lat[a], lon[b], lat[b], "")
                xs += px + [None]
                ys += py + [None]
                pts = [(u, v) for u, v in zip(px, py, strict=True) if u is not None]
                mx.append((pts[0][0] + pts[-1][0]) / 2)
                my.append((pts[0][1] + pts[-1][1]) / 2)
                hover.append("<br>".join(
                    f"<b>{names.get(ends[lk][0], ends[lk][0])} → "
                    f"{names.get(ends[lk][1], ends[lk][1])}</b> ({lk})<br>"
                    f"{build_text(builds[('link', lk)], lang)}" for lk in lks))
            lgroup = {"legendgroup": f"built-links-{year}",
                      "name": label("links_built_by", lang).format(year=year),
                      "visible": True if shown else "legendonly"}
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                     showlegend=True, **lgroup, **title,
                                     line={"color": colour, "dash": "dot",  # earlier
                                           "width": 2 + 2 * (len(years) - 1 - i)}))  # wider
            fig.add_trace(go.Scatter(x=mx, y=my, mode="markers", showlegend=False, **lgroup,
                                     marker={"size": 8, "opacity": 0, "color": colour},
                                     hovertext=hover, hoverinfo="text"))
            first = False
    return len(fig.data) - n0
