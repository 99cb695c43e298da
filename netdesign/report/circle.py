"""The price of the circle: cost against the on-time share required of a service class.

A sweep over an `on_time_floor_<class>` axis (docs/sweeps.md) solves one design per floor,
the other cases equal. This module finds such series in a results Dataset: scenarios that
agree on every case (year, growth, costs, carbon price, policy, demand quantile and the
other classes' floors) and differ in the floor of one class (no floor counts as a value),
at least two of them. Each series is drawn as a curve: across, the on-time share the class
reaches in each design (a binding floor is reached exactly; without a floor, what the
network gives on its own); up, the economic cost (transport, handling, capacity, carbon) and
the total cost (with the late and unserved penalties), per day. A floor the network cannot
reach (no solution) is marked at its value on the axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.graph_objects as go
import xarray as xr

from netdesign.report.charts import _layout, scenario_colour
from netdesign.report.i18n import fmt_share, paren, t, term, unit
from netdesign.report.scenarios import scenario_labels, scenario_order
from netdesign.report.sections import ReportContext, Section
from netdesign.report.status import scenario_health

CLASSES = ("domestic", "neighbouring", "global")
CASES = ("year", "growth", "costs", "carbon_price", "policy", "demand_quantile")


@dataclass(frozen=True)
class CirclePoint:
    """One design of a series: its floor (NaN: none), the class's on-time share reached,
    economic and total cost (CNY/day; NaN without a solution)."""

    scenario: str
    floor: float
    on_time: float
    economic_cost: float
    total_cost: float
    has_solution: bool
    flagged: bool


@dataclass(frozen=True)
class CircleSeries:
    """Designs that differ only in the on-time floor of `service_class`, by floor (none
    first)."""

    service_class: str
    points: tuple[CirclePoint, ...]


def _value(ds: xr.Dataset, name: str, i: int) -> object:
    v = ds[name].values[i]
    if isinstance(v, float) or hasattr(v, "dtype") and v.dtype.kind == "f":
        return "none" if math.isnan(float(v)) else round(float(v), 9)
    return str(v)


def circle_series(ds: xr.Dataset) -> list[CircleSeries]:
    """Every series of designs that differ only in one class's on-time floor (see module
    docstring), in class order, then in report order of their first scenario."""
    names = [str(s) for s in ds["scenario"].values]
    pos = {s: k for k, s in enumerate(scenario_order(ds))}
    health = scenario_health(ds)
    out: list[CircleSeries] = []
    for c in CLASSES:
        var = f"on_time_floor_{c}"
        if var not in ds.variables or c not in ds["service_class"].values:
            continue
        others = [f"on_time_floor_{o}" for o in CLASSES if o != c and
                  f"on_time_floor_{o}" in ds.variables]
        groups: dict[tuple, list[int]] = {}
        for i in range(len(names)):
            key = tuple(_value(ds, f, i) for f in (*CASES, *others) if f in ds.variables)
            groups.setdefault(key, []).append(i)
        for members in groups.values():
            floors = {_value(ds, var, i) for i in members}
            if len(floors) < 2:
                continue
            pts = []
            for i in members:
                s = names[i]
                floor = float(ds[var].values[i])
                share = float(ds["on_time_share_by_class"].isel(scenario=i).sel(
                    service_class=c))
                econ = float(ds["economic_cost"].values[i]) if "economic_cost" in ds \
                    else math.nan
                pts.append(CirclePoint(s, floor, share, econ, float(ds["total_cost"].values[i]),
                                       health[s].has_solution, not health[s].ok))
            pts.sort(key=lambda p: (not math.isnan(p.floor), p.floor if not
                                    math.isnan(p.floor) else 0.0, pos[p.scenario]))
            out.append(CircleSeries(c, tuple(pts)))
    return sorted(out, key=lambda r: (CLASSES.index(r.service_class),
                                      min(pos[p.scenario] for p in r.points)))


def _floor_text(floor: float, lang: str) -> str:
    return t("floor_none", lang) if math.isnan(floor) else f"≥{fmt_share(floor, 0)}"


def _point_text(p: CirclePoint, first: CirclePoint, lang: str) -> str:
    """A point's label: its floor and its economic cost against the series' first design
    (no floor, or the lowest), e.g. '≥95% · +7.9%'."""
    text = _floor_text(p.floor, lang)
    if p is first or not first.economic_cost > 0 or math.isnan(p.economic_cost):
        return text
    change = 100 * (p.economic_cost / first.economic_cost - 1)
    return f"{text} · {'+' if change >= 0 else '−'}{abs(change):.1f}%"


def fig_price_of_circle(ds: xr.Dataset, lang: str,
                        series: list[CircleSeries] | None = None) -> go.Figure | None:
    """The curves of `circle_series` (economic cost solid, total cost dashed), each point
    labelled with its floor; unreachable floors marked on the axis. None without a series."""
    series = circle_series(ds) if series is None else series
    if not series:
        return None
    uc = unit("cny_day", lang)
    labels = scenario_labels(ds, lang)
    fig = go.Figure()
    for k, ser in enumerate(series):
        colour = scenario_colour(k)
        ok = [p for p in ser.points if p.has_solution]
        name = term(ser.service_class, lang)
        if len(series) > 1:  # which series: the cases of its first design
            name = f"{name} · {labels[ser.points[0].scenario].replace(' ⚠', '')}"
        for cost, dash, key in (("economic_cost", "solid", "economic_cost"),
                                ("total_cost", "dash", "total_cost")):
            y = [getattr(p, cost) / uc.divisor for p in ok]
            if all(math.isnan(v) for v in y):
                continue
            fig.add_trace(go.Scatter(
                x=[100 * p.on_time for p in ok], y=y, mode="lines+markers+text",
                name=f"{t(key, lang)}{paren(name, lang)}",
                line={"color": colour, "dash": dash, "width": 2},
                marker={"size": 9, "color": colour,
                        "symbol": ["circle-open" if p.flagged else "circle" for p in ok]},
                text=[_point_text(p, ok[0], lang) if cost == "economic_cost" else ""
                      for p in ok],
                textposition="top left", cliponaxis=False,
                customdata=[[labels[p.scenario], p.scenario, _floor_text(p.floor, lang)]
                            for p in ok],
                hovertemplate=f"%{{customdata[0]}}<br>{t('floor', lang)}: %{{customdata[2]}}"
                              f"<br>{t('achieved', lang)}: %{{x:.1f}}%<br>{t(key, lang)}: "
                              f"%{{y:,.1f}} {uc.label}<br><i>%{{customdata[1]}}</i>"
                              "<extra></extra>"))
        for p in ser.points:
            if not p.has_solution and not math.isnan(p.floor):
                fig.add_vline(x=100 * p.floor, line={"color": colour, "dash": "dot"},
                              annotation_text=f"{_floor_text(p.floor, lang)}: "
                                              f"{t('infeasible_floor', lang)}",
                              annotation_position="top")
    fig.update_xaxes(title_text=f"{t('achieved', lang)}{paren('%', lang)}", ticksuffix="%")
    fig.update_yaxes(title_text=uc.label, rangemode="tozero")
    return _layout(fig, t("price_of_circle", lang), lang, height=460)


def circle_section(ctx: ReportContext) -> Section:
    """The price-of-the-circle curve, or how to produce one (a sentence) when the results
    hold no sweep over an on-time floor."""
    series = circle_series(ctx.ds)
    fig = fig_price_of_circle(ctx.ds, ctx.lang, series) if series else None
    if fig is None:
        return ctx.section("price_of_circle", ctx.note("no_circle_sweep", "note empty"))
    return ctx.section("price_of_circle", ctx.note("price_of_circle_note") +
                       ctx.chart("price_of_circle", fig, print_scale=0.6))
