"""The comparison page of the report (>= 2 scenarios): KPI cards of the base scenario,
change-versus-base bars and the two trade-offs a bureau debates (cost vs CO2, cost vs on-time).

The base is the scenario with every case at "base"/"none" and the lowest carbon price of the
earliest year, else the first scenario in report order. Scenarios without a solution are left
out of the figures (their figures are NaN); flagged scenarios are drawn as open markers.
"""

from __future__ import annotations

import html
import math

import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

from netdesign.report.charts import _layout, scenario_colour
from netdesign.report.i18n import colon, fmt_share, paren, t, unit
from netdesign.report.scenarios import axis_label, scenario_labels, scenario_order
from netdesign.report.status import scenario_health
from netdesign.results.statistics import statistics

# metric column -> (label key, unit key, change shown as relative %, or share points)
KPIS: dict[str, tuple[str, str]] = {
    "economic_cost_cny_per_day": ("economic_cost", "cny_day"),
    "co2_t_per_day": ("co2", "t_day"),
    "on_time_share": ("on_time_share", "share"),
    "unserved_parcels_per_day": ("unserved_total", "parcels_day"),
    "share_rail": ("rail", "share"),
    "hub_capacity_added_parcels_per_day": ("hub_capacity_added", "parcels_day"),
}
CHANGE_METRICS = ("economic_cost_cny_per_day", "co2_t_per_day", "on_time_share",
                  "share_rail")


def default_base(ds: xr.Dataset) -> str:
    """The base scenario (see module docstring)."""
    order = scenario_order(ds)

    def is_base(s: str) -> bool:
        one = ds.sel(scenario=s)
        return (str(one["growth"].values) in ("base", "") and
                str(one["costs"].values) in ("base", "") and
                str(one["policy"].values) in ("none", ""))

    first_year = int(ds["year"].sel(scenario=order[0]))
    cands = [s for s in order if is_base(s) and int(ds["year"].sel(scenario=s)) == first_year]
    if cands:
        return min(cands, key=lambda s: float(ds["carbon_price"].sel(scenario=s)))
    return order[0]


def _kpi_value(value: float, unit_key: str, lang: str) -> str:
    if unit_key == "share":
        return fmt_share(value)
    u = unit(unit_key, lang)
    if math.isnan(value):
        return "–"
    return f"{value / u.divisor:,.{1 if u.divisor == 1 else 2}f} {u.label}"


def kpi_cards_html(ds: xr.Dataset, base: str, lang: str) -> str:
    """One card per KPI of the base scenario (value in display units)."""
    e = html.escape
    row = statistics(ds).headline().set_index("scenario").loc[base]
    label = scenario_labels(ds, lang)[base]
    cards = []
    for col, (key, unit_key) in KPIS.items():
        name = t(key, lang) + (paren(t("share", lang), lang) if key == "rail" else "")
        cards.append(f"<div class='kpi'><div class='kpi-label'>{e(name)}</div>"
                     f"<div class='kpi-value'>{e(_kpi_value(float(row[col]), unit_key, lang))}"
                     "</div></div>")
    return f"<h3>{e(t('kpi_base', lang) + colon(lang) + label)}</h3>" + \
        f"<div class='kpis' title='{e(base)}'>{''.join(cards)}</div>"


def _solved(ds: xr.Dataset, order: list[str]) -> list[str]:
    health = scenario_health(ds)
    return [s for s in order if health[s].has_solution]


def fig_change_vs_base(ds: xr.Dataset, base: str, lang: str) -> go.Figure | None:
    """Per scenario: economic cost and CO2 change in % of the base, on-time and rail share
    change in percentage points (horizontal bars, one panel per metric, values printed)."""
    order = [s for s in _solved(ds, scenario_order(ds)) if s != base]
    if not order or base not in _solved(ds, [base]):
        return None
    table = statistics(ds).headline().set_index("scenario")
    labels = scenario_labels(ds, lang)
    ref = table.loc[base]
    titles = []
    for col in CHANGE_METRICS:
        key, unit_key = KPIS[col]
        name = t(key, lang) + (t("share", lang) if key == "rail" and lang == "zh" else
                               (" share" if key == "rail" else ""))
        titles.append(f"{name}{paren('pp' if unit_key == 'share' else '%', lang)}")
    fig = make_subplots(rows=1, cols=len(CHANGE_METRICS), shared_yaxes=True,
                        horizontal_spacing=0.07, subplot_titles=titles)
    y = [axis_label(labels[s], 28) for s in order]
    for k, col in enumerate(CHANGE_METRICS, start=1):
        _, unit_key = KPIS[col]
        vals = []
        for s in order:
            v, b = float(table.loc[s, col]), float(ref[col])
            if unit_key == "share":
                vals.append((v - b) * 100)
            else:
                vals.append((v - b) / abs(b) * 100 if b else math.nan)
        clean = [None if math.isnan(v) else v for v in vals]
        fig.add_trace(go.Bar(
            y=y, x=clean, orientation="h", showlegend=False, customdata=order,
            marker={"color": ["#54A24B" if (v or 0) * (1 if col == "on_time_share" or
                                                        col == "share_rail" else -1) > 0
                              else "#E45756" for v in clean]},
            text=["–" if v is None else f"{v:+.1f}" for v in clean], textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:+.2f}<br><i>%{customdata}</i><extra></extra>"),
            row=1, col=k)
        fig.update_xaxes(zeroline=True, zerolinecolor="#888", row=1, col=k)
    fig.update_yaxes(autorange="reversed", automargin=True)
    base_label = scenario_labels(ds, lang, flag=False)[base]
    title = t("change_vs_base", lang) + paren(t("base", lang) + colon(lang) + base_label, lang)
    return _layout(fig, title, lang, height=150 + 46 * len(order), subplot_titles=True)


def _side(xs: list[float], i: int) -> str:
    """Label position of point i: to the left of points in the right half of the axis, to
    the right otherwise, so that labels stay inside the plot."""
    lo, hi = min(xs), max(xs)
    return "top left" if hi > lo and xs[i] > (lo + hi) / 2 else "top right"


def fig_tradeoff(ds: xr.Dataset, base: str, lang: str, y_metric: str) -> go.Figure | None:
    """Cost (x) versus CO2 or on-time share (y), one labelled point per solved scenario; the
    base drawn as a star, flagged scenarios as open markers."""
    order = _solved(ds, scenario_order(ds))
    if len(order) < 2:
        return None
    table = statistics(ds).headline().set_index("scenario")
    labels = scenario_labels(ds, lang)
    health = scenario_health(ds)
    uc = unit("cny_day", lang)
    if y_metric == "co2":
        col, yu, key = "co2_t_per_day", unit("t_day", lang), "tradeoff_co2"
        ys = [float(table.loc[s, col]) / yu.divisor for s in order]
        ylab, fmt = yu.label, ":,.1f"
    else:
        col, key = "on_time_share", "tradeoff_on_time"
        ys = [float(table.loc[s, col]) * 100 for s in order]
        ylab, fmt = f"{t('on_time_share', lang)} (%)", ":.1f"
    xs = [float(table.loc[s, "economic_cost_cny_per_day"]) / uc.divisor for s in order]
    fig = go.Figure()
    for i, s in enumerate(order):
        symbol = "star" if s == base else "circle"
        if not health[s].ok:
            symbol += "-open"
        fig.add_trace(go.Scatter(
            x=[xs[i]], y=[ys[i]], mode="markers+text", name=labels[s], showlegend=False,
            text=[labels[s].replace(" ⚠", "") if len(order) <= 12 else ""],
            textposition=_side(xs, i), textfont={"size": 10 if len(order) <= 6 else 8},
            marker={"size": 16 if s == base else 11, "symbol": symbol,
                    "color": scenario_colour(i), "line": {"width": 2,
                                                          "color": scenario_colour(i)}},
            hovertemplate=f"{html.escape(labels[s])}<br>{t('economic_cost', lang)}: "
                          f"%{{x:,.1f}} {uc.label}<br>%{{y{fmt}}} {ylab}<br><i>{s}</i>"
                          "<extra></extra>"))
    fig.update_xaxes(title_text=f"{t('economic_cost', lang)}{paren(uc.label, lang)}")
    fig.update_yaxes(title_text=ylab)
    return _layout(fig, t(key, lang), lang, height=420)
