"""Plotly figures of a results dataset, scenarios side by side, labelled in zh or en.

Each `fig_*` function takes a (scenario-selected) results dataset and a language and returns
a `plotly.graph_objects.Figure`, or None when the data holds nothing to show (e.g. no rural
routes). Values are shown in the display units of `i18n.unit` (e.g. 万件/日).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import xarray as xr
from plotly.subplots import make_subplots

from netdesign.report.i18n import fmt_number, paren, t, term, unit
from netdesign.report.load import hub_names, link_labels, months, node_names
from netdesign.report.scenarios import axis_label, scenario_labels, scenario_order
from netdesign.report.status import scenario_health

MODE_COLOURS = {"road": "#E45756", "rail": "#4C78A8", "water": "#54A24B", "air": "#B279A2"}
COST_COLOURS = {"transport": "#4C78A8", "handling": "#F58518", "capacity": "#54A24B",
                "carbon": "#B279A2", "late_penalty": "#FF9DA6", "unserved_penalty": "#9D755D"}
CLASS_COLOURS = {"domestic": "#4C78A8", "neighbouring": "#F58518", "global": "#54A24B"}
SCENARIO_COLOURS = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2",
                    "#EECA3B", "#FF9DA6", "#9D755D", "#BAB0AC")
# the layout part of plotly_white only (its per-trace-type defaults would bloat every figure)
TEMPLATE = go.layout.Template(layout=pio.templates["plotly_white"].layout)
MAX_RURAL_LINKS = 30  # rural routes shown at most (the tightest against their minimum)
MAX_RURAL_SCENARIOS = 4  # more: one bar per route, the lowest frequency across scenarios
MAX_LABELLED_SCENARIOS = 6  # more: only zero values carry a text label (on-time chart)
UNSERVED_DRAW_TOL = 0.5  # parcels/day; less in every scenario: no chart, a sentence
FONT = ('"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", '
        '"PingFang SC", "Helvetica Neue", Arial, sans-serif')


def scenario_colour(i: int) -> str:
    return SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)]


def _axis(ds: xr.Dataset, lang: str) -> tuple[list[str], list[str], dict[str, str]]:
    """(scenario order, wrapped axis labels, scenario -> one-line label) of the charts."""
    order = scenario_order(ds)
    labels = scenario_labels(ds, lang)
    return order, [axis_label(labels[s]) for s in order], labels


def _hatch(ds: xr.Dataset, order: list[str]) -> list[str]:
    """Bar pattern per scenario: hatched ('/') when the scenario is flagged (status.py)."""
    health = scenario_health(ds)
    return ["/" if not health[s].ok else "" for s in order]


def _values(da: xr.DataArray, divisor: float = 1.0) -> list[float | None]:
    """Plain floats for JSON (NaN -> None so that plotly leaves a gap)."""
    out: list[float | None] = []
    for v in np.asarray(da.values, dtype=float).ravel():
        out.append(None if math.isnan(v) else float(v) / divisor)
    return out


def _layout(fig: go.Figure, title: str, lang: str, height: int = 420,
            subplot_titles: bool = False) -> go.Figure:
    """Common look; figures with subplot titles get their legend above those titles."""
    top = 120 if subplot_titles else 80
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "y": 1.0, "yanchor": "top",
               "pad": {"t": 12}},
        template=TEMPLATE, height=height, font={"family": FONT, "size": 13},
        separators=".,", margin={"l": 70, "r": 30, "t": top, "b": 60},
        legend={"orientation": "h", "yanchor": "bottom", "x": 1, "xanchor": "right",
                "y": 1.0 + (50 if subplot_titles else 8) / max(height - top - 60, 100)},
        hoverlabel={"font": {"family": FONT}},
    )
    if lang == "zh":  # full-width colons in Chinese hover texts and legend names
        for tr in fig.data:
            for attr in ("hovertemplate", "hovertext", "name"):
                v = getattr(tr, attr, None)
                if isinstance(v, str):
                    setattr(tr, attr, v.replace(": ", "："))
                elif isinstance(v, (list, tuple)) and v and isinstance(v[0], str):
                    setattr(tr, attr, [u.replace(": ", "：") for u in v])
    return fig


HOVER_ID = "<br><i>%{customdata}</i>"  # the scenario id, under the readable label


def fig_mode_split(ds: xr.Dataset, lang: str) -> go.Figure:
    """Parcels/day by main line-haul mode and line-haul parcel-km/day, stacked, per scenario."""
    order, x, _ = _axis(ds, lang)
    up, uk = unit("parcels_day", lang), unit("pkm_day", lang)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                        subplot_titles=(f"{t('mode_parcels', lang)}{paren(up.label, lang)}",
                                        f"{t('mode_pkm', lang)}{paren(uk.label, lang)}"))
    for mode in ds["mode"].values.astype(str):
        parcels = ds["mode_parcels"].sel(mode=mode, scenario=order)
        pkm = ds["parcel_km"].sel(mode=mode, scenario=order)
        share = _values(ds["mode_share"].sel(mode=mode, scenario=order), 0.01)
        common = {"name": term(mode, lang), "legendgroup": mode,
                  "marker": {"color": MODE_COLOURS.get(mode)}}
        fig.add_trace(go.Bar(x=x, y=_values(parcels, up.divisor), **common,
                             customdata=order,
                             hovertemplate=f"%{{x}}<br>{term(mode, lang)}: %{{y:,.2f}} "
                                           f"{up.label}{HOVER_ID}<extra></extra>"), row=1, col=1)
        fig.add_trace(go.Bar(x=x, y=_values(pkm, uk.divisor), showlegend=False, **common,
                             customdata=[[o, v] for o, v in zip(order, share, strict=True)],
                             hovertemplate=f"%{{x}}<br>{term(mode, lang)}: %{{y:,.2f}} "
                                           f"{uk.label}<br>{t('share', lang)} "
                                           "%{customdata[1]:.1f}%<br><i>%{customdata[0]}</i>"
                                           "<extra></extra>"), row=1, col=2)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=up.label, row=1, col=1)
    fig.update_yaxes(title_text=uk.label, row=1, col=2)
    return _layout(fig, t("mode_split", lang), lang, height=460, subplot_titles=True)


def fig_hub_capacity(ds: xr.Dataset, lang: str) -> go.Figure:
    """Hub capacity existing + added (stacked) per hub and scenario, and utilisation (%)."""
    order, _, labels = _axis(ds, lang)
    names = hub_names(ds, lang)
    hubs = ds["hub"].values.astype(str)
    up = unit("parcels_day", lang)
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.14, row_heights=[0.6, 0.4],
                        subplot_titles=(f"{t('existing', lang)} + {t('added', lang)}"
                                        f"{paren(up.label, lang)}",
                                        f"{t('hub_utilisation_pair', lang)}"
                                        f"{paren('%', lang)}"
                                        if "hub_utilisation_peak" in ds.variables else
                                        f"{t('hub_utilisation', lang)}{paren('%', lang)}"))
    x = [names[h] for h in hubs]
    existing = _values(ds["hub_capacity_existing"].sel(hub=list(hubs)), up.divisor)
    for i, s in enumerate(order):
        added = _values(ds["hub_capacity_added"].sel(scenario=s, hub=list(hubs)), up.divisor)
        fig.add_trace(go.Bar(x=x, y=existing, name=t("existing", lang), legendgroup="existing",
                             showlegend=i == 0, offsetgroup=str(i),
                             marker={"color": "#C9C9C9", "line": {"color": scenario_colour(i),
                                                                  "width": 1.5}},
                             hovertemplate=f"{labels[s]}<br>%{{x}}<br>{t('existing', lang)}: "
                                           f"%{{y:,.2f}} {up.label}<br><i>{s}</i>"
                                           "<extra></extra>"),
                      row=1, col=1)
        fig.add_trace(go.Bar(x=x, y=added, base=existing, offsetgroup=str(i),
                             name=f"{t('added', lang)}: {labels[s]}", legendgroup=f"s{i}",
                             marker={"color": scenario_colour(i)},
                             hovertemplate=f"{labels[s]}<br>%{{x}}<br>{t('added', lang)}: "
                                           f"%{{y:,.2f}} {up.label}<br><i>{s}</i>"
                                           "<extra></extra>"),
                      row=1, col=1)
    peak = "hub_utilisation_peak" in ds.variables
    for i, s in enumerate(order):
        avg = _values(ds["hub_utilisation"].sel(scenario=s, hub=list(hubs)), 0.01)
        if not peak:
            fig.add_trace(go.Bar(x=x, y=avg, name=labels[s], showlegend=False,
                                 legendgroup=f"s{i}", marker={"color": scenario_colour(i)},
                                 offsetgroup=str(i),
                                 hovertemplate=f"{labels[s]}<br>%{{x}}: %{{y:.1f}}%<br>"
                                               f"<i>{s}</i><extra></extra>"), row=2, col=1)
            continue
        # design day (the day capacity is sized for) as the bar, average day as a tick on it
        day = _values(ds["hub_utilisation_peak"].sel(scenario=s, hub=list(hubs)), 0.01)
        fig.add_trace(go.Bar(x=x, y=day, name=labels[s], showlegend=False,
                             legendgroup=f"s{i}", marker={"color": scenario_colour(i)},
                             offsetgroup=str(i), customdata=[[a] for a in avg],
                             hovertemplate=f"{labels[s]}<br>%{{x}}<br>"
                                           f"{t('hub_utilisation_peak', lang)}: %{{y:.1f}}%<br>"
                                           f"{t('hub_utilisation_avg', lang)}: "
                                           "%{customdata[0]:.1f}%"
                                           f"<br><i>{s}</i><extra></extra>"), row=2, col=1)
        fig.add_trace(go.Scatter(x=x, y=avg, mode="markers", offsetgroup=str(i),
                                 name=t("hub_utilisation_avg", lang), legendgroup="avg",
                                 showlegend=i == 0, hoverinfo="skip",
                                 marker={"symbol": "line-ew-open", "size": 12,
                                         "color": "#222", "line": {"width": 2.5}}),
                      row=2, col=1)
    if peak:
        cap = _values(ds["max_utilisation"].sel(scenario=order), 0.01) \
            if "max_utilisation" in ds.variables else []
        caps = {v for v in cap if v is not None}
        if len(caps) == 1:  # one cap for all scenarios: a line across
            c = caps.pop()
            fig.add_trace(go.Scatter(x=[x[0], x[-1]], y=[c, c], mode="lines",
                                     name=f"{t('hub_utilisation_cap', lang)} {c:.0f}%",
                                     line={"color": "#D62728", "dash": "dash", "width": 1.5},
                                     hoverinfo="skip"), row=2, col=1)
        fig.update_layout(scattermode="group")
    fig.update_layout(barmode="group")
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    fig.update_yaxes(title_text=up.label, row=1, col=1)
    fig.update_yaxes(title_text="%", row=2, col=1)
    return _layout(fig, t("hub_capacity", lang), lang, height=680, subplot_titles=True)


def fig_costs(ds: xr.Dataset, lang: str) -> go.Figure:
    """Cost by component (CNY/day), stacked, per scenario; flagged scenarios hatched."""
    order, x, _ = _axis(ds, lang)
    hatch = _hatch(ds, order)
    uc = unit("cny_day", lang)
    fig = go.Figure()
    for comp in ds["cost_component"].values.astype(str):
        fig.add_trace(go.Bar(x=x, y=_values(ds["cost"].sel(cost_component=comp, scenario=order),
                                            uc.divisor),
                             name=term(comp, lang), customdata=order,
                             marker={"color": COST_COLOURS.get(comp),
                                     "pattern": {"shape": hatch}},
                             hovertemplate=f"%{{x}}<br>{term(comp, lang)}: %{{y:,.1f}} "
                                           f"{uc.label}{HOVER_ID}<extra></extra>"))
    totals = _values(ds["total_cost"].sel(scenario=order), uc.divisor)
    fig.add_trace(go.Scatter(x=x, y=totals, mode="markers+text", name=t("total_cost", lang),
                             marker={"symbol": "line-ew-open", "size": 30, "color": "#333"},
                             texttemplate="%{y:,.0f}", textposition="top center",
                             customdata=order,
                             hovertemplate=f"%{{x}}<br>{t('total_cost', lang)}: %{{y:,.1f}} "
                                           f"{uc.label}{HOVER_ID}<extra></extra>"))
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=uc.label)
    return _layout(fig, t("cost_breakdown", lang), lang)


def fig_co2(ds: xr.Dataset, lang: str) -> go.Figure:
    """CO2 emissions (t/day) per scenario, each bar labelled (0 too); flagged ones hatched."""
    order, x, _ = _axis(ds, lang)
    ut = unit("t_day", lang)
    y = _values(ds["co2"].sel(scenario=order), ut.divisor)
    fig = go.Figure(go.Bar(
        x=x, y=y, name=t("co2", lang),
        marker={"color": "#72B7B2", "pattern": {"shape": _hatch(ds, order)}},
        text=[fmt_number(v, lang, 1) for v in y], textposition="outside", cliponaxis=False,
        customdata=order,
        hovertemplate=f"%{{x}}<br>%{{y:,.1f}} {ut.label}{HOVER_ID}<extra></extra>"))
    fig.update_yaxes(title_text=ut.label)
    return _layout(fig, f"{t('co2', lang)}{paren(ut.label, lang)}", lang)


def fig_on_time(ds: xr.Dataset, lang: str) -> go.Figure:
    """The 全球123快货物流圈: on-time share by service class (and overall) per scenario; every
    bar carries its value, so a class at 0 % reads '0.0%' instead of an empty slot."""
    order, _, labels = _axis(ds, lang)
    classes = ds["service_class"].values.astype(str)
    x = [term(c, lang) for c in classes] + [t("all_classes", lang)]
    fig = go.Figure()
    for i, s in enumerate(order):
        y = _values(ds["on_time_share_by_class"].sel(scenario=s, service_class=list(classes)),
                    0.01) + _values(ds["on_time_share"].sel(scenario=[s]), 0.01)
        fig.add_trace(go.Bar(x=x, y=y, name=labels[s], marker={"color": scenario_colour(i)},
                             text=["–" if v is None else f"{v:.1f}%"
                                   if len(order) <= MAX_LABELLED_SCENARIOS or v == 0 else ""
                                   for v in y],
                             textposition="outside", cliponaxis=False,
                             textfont={"size": 10 if len(order) > 3 else 12},
                             hovertemplate=f"{labels[s]}<br>%{{x}}: %{{y:.1f}}%<br><i>{s}</i>"
                                           "<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="%", range=[0, 112])
    return _layout(fig, t("on_time", lang), lang)


def rural_links(ds: xr.Dataset) -> list[str]:
    """Links that start or end at a rural node (node_rural true)."""
    rural = {n for n, r in zip(ds["node"].values.astype(str), ds["node_rural"].values,
                               strict=True) if bool(r)}
    return [lid for lid, a, b in zip(ds["link"].values.astype(str),
                                     ds["link_from"].values.astype(str),
                                     ds["link_to"].values.astype(str), strict=True)
            if a in rural or b in rural]


def unopened_hub_legs(ds: xr.Dataset) -> xr.DataArray:
    """(scenario, link) True where the link starts or ends at a hub that is not open in that
    scenario: `hub_open` == 0 when the results carry it, else an optional hub (no existing
    capacity) that sorts nothing. Such legs cannot run; a 0 there is not a violation."""
    hubs = [str(h) for h in ds["hub"].values]
    if "hub_open" in ds.variables:
        closed = ds["hub_open"].fillna(1.0) < 0.5
    else:
        optional = ds["hub_capacity_existing"].fillna(0.0) <= 0
        closed = optional & (ds["hub_throughput"].fillna(0.0) <= 0)
    closed = closed.transpose("scenario", "hub").values.astype(bool)
    col = {h: k for k, h in enumerate(hubs)}
    ends = [(str(a), str(b)) for a, b in zip(ds["link_from"].values, ds["link_to"].values,
                                             strict=True)]
    out = np.zeros((ds.sizes["scenario"], ds.sizes["link"]), dtype=bool)
    for j, (a, b) in enumerate(ends):
        for end in (a, b):
            if end in col:
                out[:, j] |= closed[:, col[end]]
    return xr.DataArray(out, dims=("scenario", "link"),
                        coords={"scenario": ds["scenario"], "link": ds["link"]})


def fig_rural(ds: xr.Dataset, lang: str) -> go.Figure | None:
    """Into villages: departures/week provided on each rural route (horizontal bars, one per
    scenario) against the frequency required (red tick). Legs of a hub not open in a scenario
    are left out for that scenario (they cannot run, so 0 there is no violation); routes no
    scenario uses are dropped. At most MAX_RURAL_LINKS routes, the tightest first."""
    links = rural_links(ds)
    if not links:
        return None
    closed = unopened_hub_legs(ds).sel(link=links)
    dep = ds["link_departures_per_week"].sel(link=links).where(~closed)
    req = ds["link_min_weekly_frequency"].sel(link=links)
    usable = (~closed).any("scenario").values
    links = [lk for lk, u in zip(links, usable, strict=True) if u]
    if not links:
        return None
    dep, req = dep.sel(link=links), req.sel(link=links)
    n_all = len(links)
    slack = (dep.min("scenario", skipna=True) - req.fillna(0)).values.astype(float)
    keep = sorted(np.argsort(np.nan_to_num(slack, nan=np.inf), kind="stable")[:MAX_RURAL_LINKS])
    links = [links[i] for i in keep]
    dep, req = dep.sel(link=links), req.sel(link=links)
    order, _, labels = _axis(ds, lang)
    names = link_labels(ds, lang)
    y = [f"{names[lk]}{paren(term(str(ds['link_mode'].sel(link=lk).values), lang), lang)}"
         for lk in links]
    uw = unit("per_week", lang)
    fig = go.Figure()
    if len(order) <= MAX_RURAL_SCENARIOS:
        series = [(labels[s], _values(dep.sel(scenario=s)), f"<br><i>{s}</i>",
                   scenario_colour(i)) for i, s in enumerate(order)]
    else:  # many scenarios: the lowest frequency any scenario provides, per route
        series = [(t("rural_lowest", lang), _values(dep.min("scenario", skipna=True)), "",
                   scenario_colour(0))]
    for name, vals, extra, colour in series:
        fig.add_trace(go.Bar(y=y, x=vals, orientation="h", name=name,
                             marker={"color": colour},
                             text=["" if v is None else f"{v:.0f}" for v in vals],
                             textposition="outside", cliponaxis=False,
                             hovertemplate=f"{name}<br>%{{y}}: %{{x:.1f}} {uw.label}"
                                           f"{extra}<extra></extra>"))
    fig.add_trace(go.Scatter(y=y, x=_values(req), mode="markers",
                             name=t("rural_required", lang),
                             marker={"symbol": "line-ns-open", "size": 18, "color": "#D62728",
                                     "line": {"width": 3}},
                             hovertemplate=f"%{{y}}<br>{t('rural_required', lang)}: %{{x:.1f}} "
                                           f"{uw.label}<extra></extra>"))
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title_text=uw.label, rangemode="tozero")
    shown = "" if n_all == len(links) else f" – {len(links)} / {n_all}"
    height = 150 + len(links) * max(22, 12 * len(series) + 8)
    title = f"{t('rural', lang)}{paren(uw.label, lang)}{shown}"
    fig = _layout(fig, title, lang, height=min(height, 2400))
    fig.update_layout(margin={"l": 10})
    fig.add_annotation(text=t("rural_unopened", lang), xref="paper", yref="paper", x=1,
                       y=0, yshift=-40, xanchor="right", showarrow=False,
                       font={"size": 11, "color": "#666"})
    return fig


def fig_unserved(ds: xr.Dataset, lang: str) -> go.Figure | None:
    """Unserved demand (parcels/day) per scenario, stacked by service class; None when no
    scenario leaves any demand unserved (the report then says so instead of an empty axis)."""
    total = ds["unserved"].sum("corridor", min_count=1)
    if not (total.fillna(0.0) > UNSERVED_DRAW_TOL).any():
        return None
    order, x, _ = _axis(ds, lang)
    up = unit("parcels_day", lang)
    cls = ds["corridor_service_class"].values.astype(str)
    fig = go.Figure()
    for c in ds["service_class"].values.astype(str):
        corr = ds["corridor"].values[cls == c]
        sub = ds["unserved"].sel(scenario=order, corridor=corr)
        part = sub.sum("corridor", min_count=1) if len(corr) else sub.sum("corridor") * np.nan
        fig.add_trace(go.Bar(x=x, y=_values(part, up.divisor), customdata=order,
                             name=term(c, lang), marker={"color": CLASS_COLOURS.get(c)},
                             hovertemplate=f"%{{x}}<br>{term(c, lang)}: %{{y:,.3f}} "
                                           f"{up.label}{HOVER_ID}<extra></extra>"))
    totals = _values(total.sel(scenario=order), up.divisor)
    fig.add_trace(go.Scatter(x=x, y=totals, mode="text", showlegend=False, hoverinfo="skip",
                             text=["–" if v is None else f"{v:,.2f}" for v in totals],
                             textposition="top center"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text=up.label, rangemode="tozero")
    return _layout(fig, f"{t('unserved', lang)}{paren(up.label, lang)}", lang)


def largest_corridors(ds: xr.Dataset, n: int = 6) -> list[str]:
    """The `n` corridors with the largest mean forecast (history over the last 12 months
    when there is no forecast), largest first."""
    if "forecast" in ds and ds.sizes.get("forecast_month", 0):
        size = ds["forecast"].sel(stat="mean").mean("forecast_month", skipna=True)
    else:
        size = ds["history"].isel(month=slice(-12, None)).mean("month", skipna=True)
    vals = np.nan_to_num(size.values.astype(float), nan=-1.0)
    idx = np.argsort(-vals, kind="stable")[:n]
    return [str(ds["corridor"].values[i]) for i in idx]


def corridor_label(ds: xr.Dataset, corridor: str, lang: str) -> str:
    names = node_names(ds, lang)
    o = str(ds["corridor_origin"].sel(corridor=corridor).values)
    d = str(ds["corridor_destination"].sel(corridor=corridor).values)
    return f"{names.get(o, o)} → {names.get(d, d)}"


def _add_band(fig: go.Figure, x: list, lo: list, hi: list, colour: str, name: str,
              show_legend: bool, row: int, col: int) -> None:
    """A shaded interval between `lo` and `hi` (two traces, the second filled to the first)."""
    fig.add_trace(go.Scatter(x=x, y=lo, mode="lines", line={"width": 0}, showlegend=False,
                             legendgroup=name, hoverinfo="skip"), row=row, col=col)
    fig.add_trace(go.Scatter(x=x, y=hi, mode="lines", line={"width": 0}, fill="tonexty",
                             fillcolor=colour, name=name, legendgroup=name,
                             showlegend=show_legend, hoverinfo="skip"), row=row, col=col)


def fig_forecasts(ds: xr.Dataset, lang: str, n: int = 6) -> go.Figure | None:
    """History and forecast (mean, 80 % and 95 % intervals) of the largest corridors."""
    if "forecast" not in ds or ds.sizes.get("forecast_month", 0) == 0:
        return None
    corridors = largest_corridors(ds, n)
    um = unit("parcels_month", lang)
    cols = 2
    rows = math.ceil(len(corridors) / cols)
    fig = make_subplots(rows=rows, cols=cols, vertical_spacing=0.12 if rows > 1 else 0.1,
                        horizontal_spacing=0.08,
                        subplot_titles=[corridor_label(ds, c, lang) for c in corridors])
    hist_x = [d.strftime("%Y-%m-%d") for d in months(ds["month"].values)]
    fc_x = [d.strftime("%Y-%m-%d") for d in months(ds["forecast_month"].values)]
    for k, c in enumerate(corridors):
        r, col = k // cols + 1, k % cols + 1
        first = k == 0
        fc = ds["forecast"].sel(corridor=c)

        for lo, hi, colour, key in (("lo_95", "hi_95", "rgba(76,120,168,0.18)", "pi_95"),
                                    ("lo_80", "hi_80", "rgba(76,120,168,0.35)", "pi_80")):
            _add_band(fig, fc_x, _values(fc.sel(stat=lo), um.divisor),
                      _values(fc.sel(stat=hi), um.divisor), colour, t(key, lang), first, r, col)
        fig.add_trace(go.Scatter(x=fc_x, y=_values(fc.sel(stat="mean"), um.divisor),
                                 mode="lines", line={"color": "#4C78A8", "width": 2},
                                 name=t("forecast_mean", lang), legendgroup="mean",
                                 showlegend=first,
                                 hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.2f}} {um.label}"
                                               "<extra></extra>"), row=r, col=col)
        fig.add_trace(go.Scatter(x=hist_x, y=_values(ds["history"].sel(corridor=c), um.divisor),
                                 mode="lines", line={"color": "#333", "width": 1.5},
                                 name=t("history", lang), legendgroup="history",
                                 showlegend=first,
                                 hovertemplate=f"%{{x|%Y-%m}}: %{{y:,.2f}} {um.label}"
                                               "<extra></extra>"), row=r, col=col)
        fig.update_yaxes(title_text=um.label if col == 1 else None, row=r, col=col)
    fig.update_xaxes(tickformat="%Y-%m")
    return _layout(fig, f"{t('forecasts', lang)}{paren(um.label, lang)}", lang,
                   height=max(420, 300 * rows + 120), subplot_titles=True)
