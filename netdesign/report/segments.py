"""Demand segments in the report and the Excel export: volume, mode split and on-time share by
segment and service class (issue 13: domestic B2C parcels, cross-border direct mail,
overseas-warehouse restocking, ...).

Figures are sums over each (segment, service class)'s corridors of the corridor variables
(`demand`, `late`, `unserved`, `flow` by main line-haul mode), so they add up to the
segment totals of results.nc (`segment_demand`, `on_time_share_by_segment`):

    on-time share = (demand - unserved - late) / demand
    mode share    = flow of the mode / flow of all modes (parcels by main line-haul mode)
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
import yaml

from netdesign.report.charts import _layout, scenario_colour
from netdesign.report.i18n import LABELS, MISSING, fmt_share, t, term, unit
from netdesign.report.scenarios import scenario_labels, scenario_order
from netdesign.report.sections import ReportContext, Section

ALL = "all_classes"
MAX_TABLE_SCENARIOS = 4  # the HTML table shows the first ones; the Excel sheet has them all


def has_segments(ds: xr.Dataset) -> bool:
    """True when the results carry the corridors' segments (results from issue 13 on)."""
    return "corridor_segment" in ds.variables


def segment_label(ds: xr.Dataset, segment: str, lang: str) -> str:
    """The segment's label: `segments.<name>.label` of the study config (stored in the
    results), else the glossary's `segment_<name>`, else the name with '_' as spaces."""
    text = ds.attrs.get("config_yaml")
    try:
        cfg = yaml.safe_load(text) if isinstance(text, str) else None
    except yaml.YAMLError:
        cfg = None
    segs = cfg.get("segments") if isinstance(cfg, dict) else None
    entry = segs.get(segment) if isinstance(segs, dict) else None
    label = entry.get("label") if isinstance(entry, dict) else None
    if isinstance(label, dict) and label.get(lang):
        return str(label[lang])
    key = f"segment_{segment}"
    if key in LABELS:
        return t(key, lang)
    MISSING.add(key)
    return segment.replace("_", " ")


def segment_table(ds: xr.Dataset) -> pd.DataFrame:
    """scenario x segment x service class (classes with demand only, then one 'all_classes'
    row per segment): demand, late, unserved and on-time parcels/day, on-time share, and
    parcels/day and share of parcels by main line-haul mode. Empty without segments."""
    modes = [str(m) for m in ds["mode"].values]
    cols = ["scenario", "year", "segment", "service_class", "demand_parcels_per_day",
            "late_parcels_per_day", "unserved_parcels_per_day", "on_time_share",
            *(f"flow_{m}_parcels_per_day" for m in modes), *(f"share_{m}" for m in modes)]
    if not has_segments(ds):
        return pd.DataFrame(columns=cols)
    seg = ds["corridor_segment"].values.astype(str)
    cls = ds["corridor_service_class"].values.astype(str)
    segments = list(ds["segment"].values.astype(str)) if "segment" in ds.dims else []
    segments += [s for s in dict.fromkeys(seg) if s not in segments]
    classes = [str(c) for c in ds["service_class"].values]
    demand = ds["demand"].transpose("scenario", "corridor").values.astype(float)
    late = ds["late"].transpose("scenario", "corridor").values.astype(float)
    lost = ds["unserved"].transpose("scenario", "corridor").values.astype(float)
    flow = ds["flow"].transpose("scenario", "corridor", "mode").values.astype(float)
    rows = []
    for i, s in enumerate(str(v) for v in ds["scenario"].values):
        year = int(ds["year"].values[i])
        for g in segments:
            in_seg = seg == g
            if not in_seg.any():
                continue
            for c in [*classes, ALL]:
                mask = in_seg if c == ALL else in_seg & (cls == c)
                if not mask.any():
                    continue
                d = float(np.nansum(demand[i, mask]))
                if c != ALL and d <= 0:
                    continue
                solved = not np.isnan(flow[i, mask]).all()
                lt = float(np.nansum(late[i, mask])) if solved else math.nan
                un = float(np.nansum(lost[i, mask])) if solved else math.nan
                f = np.nansum(flow[i, mask], axis=0) if solved else np.full(len(modes), np.nan)
                tot = float(f.sum())
                row = {"scenario": s, "year": year, "segment": g, "service_class": c,
                       "demand_parcels_per_day": d, "late_parcels_per_day": lt,
                       "unserved_parcels_per_day": un,
                       "on_time_share": max(d - un - lt, 0.0) / d if d > 0 and solved
                       else math.nan}
                for k, m in enumerate(modes):
                    row[f"flow_{m}_parcels_per_day"] = float(f[k])
                    row[f"share_{m}"] = float(f[k]) / tot if tot > 0 else math.nan
                rows.append(row)
    return pd.DataFrame(rows, columns=cols)


def fig_on_time_by_segment(ds: xr.Dataset, lang: str,
                           table: pd.DataFrame | None = None) -> go.Figure | None:
    """On-time share per (segment, service class), one bar per scenario, every bar
    labelled; None without segments."""
    table = segment_table(ds) if table is None else table
    parts = table[table["service_class"] != ALL]
    if parts.empty:
        return None
    order = scenario_order(ds)
    labels = scenario_labels(ds, lang)
    keys = list(dict.fromkeys(zip(parts["segment"], parts["service_class"], strict=True)))
    x = [f"{segment_label(ds, g, lang)}<br>{term(c, lang)}" for g, c in keys]
    fig = go.Figure()
    by = parts.set_index(["scenario", "segment", "service_class"])
    for i, s in enumerate(order):
        y = [100 * float(by.loc[(s, g, c), "on_time_share"]) if (s, g, c) in by.index
             else None for g, c in keys]
        y = [None if v is not None and math.isnan(v) else v for v in y]
        fig.add_trace(go.Bar(x=x, y=y, name=labels[s], marker={"color": scenario_colour(i)},
                             text=["–" if v is None else f"{v:.1f}%" for v in y],
                             textposition="outside", cliponaxis=False,
                             textfont={"size": 10 if len(order) > 3 else 12},
                             hovertemplate=f"{labels[s]}<br>%{{x}}: %{{y:.1f}}%<br><i>{s}</i>"
                                           "<extra></extra>"))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="%", range=[0, 112])
    return _layout(fig, t("on_time_by_segment", lang), lang, height=440)


def _table_html(ds: xr.Dataset, table: pd.DataFrame, lang: str) -> str:
    """Rows scenario x segment x class (first MAX_TABLE_SCENARIOS scenarios): demand, on-time
    share, share of parcels by main mode."""
    e = html.escape
    order = scenario_order(ds)[:MAX_TABLE_SCENARIOS]
    labels = scenario_labels(ds, lang)
    modes = [str(m) for m in ds["mode"].values]
    up = unit("parcels_day", lang)
    head = [t("scenario", lang), t("segment", lang), t("service_class", lang),
            f"{t('demand', lang)}<br><span class='unit'>{e(up.label)}</span>",
            f"{t('on_time_share', lang)}<br><span class='unit'>%</span>",
            *(f"{term(m, lang)}<br><span class='unit'>%</span>" for m in modes)]
    rows = []
    for s in order:
        part = table[table["scenario"] == s]
        n_cls = part[part["service_class"] != ALL].groupby("segment").size()
        # a segment of one class: its subtotal repeats that row
        part = part[(part["service_class"] != ALL) | (part["segment"].map(n_cls) > 1)]
        first = True
        for r in part.itertuples(index=False):
            cls = t(ALL, lang) if r.service_class == ALL else term(r.service_class, lang)
            style = " class='subtotal'" if r.service_class == ALL else ""
            cells = [f"<td rowspan='{len(part)}' title='{e(s)}'>{e(labels[s])}</td>"] \
                if first else []
            first = False
            cells += [f"<td>{e(segment_label(ds, r.segment, lang))}</td>", f"<td>{e(cls)}</td>",
                     f"<td class='num'>{r.demand_parcels_per_day / up.divisor:,.2f}</td>",
                     f"<td class='num'>{e(fmt_share(r.on_time_share))}</td>"]
            cells += [f"<td class='num'>{e(fmt_share(getattr(r, f'share_{m}')))}</td>"
                      for m in modes]
            rows.append(f"<tr{style}>{''.join(cells)}</tr>")
    more = ""
    if len(scenario_order(ds)) > len(order):
        more = (f"<p class='note'>{e(t('segment_more', lang).format(n=len(order)))}</p>")
    return ("<div class='scroll'><table class='data segments'><thead><tr>"
            + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(rows) + f"</tbody></table></div>{more}")


def segments_section(ctx: ReportContext) -> Section:
    """On-time share by segment and class (chart) and the segment table (volume, on-time,
    mode split), or a sentence when the results hold no segments."""
    table = segment_table(ctx.ds)
    if table.empty:
        return ctx.section("segments", ctx.note("no_segments", "note empty"))
    fig = fig_on_time_by_segment(ctx.ds, ctx.lang, table)
    body = ""
    if fig is not None and ctx.any_solution:
        body += ctx.chart("on_time_by_segment", fig, print_scale=0.6)
    body += ctx.note("segment_table_note") + _table_html(ctx.ds, table, ctx.lang)
    return ctx.section("segments", body)
