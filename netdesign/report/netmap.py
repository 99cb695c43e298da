"""Network map of one scenario: nodes at their lon/lat, legs coloured by mode, width by flow.

A plain Plotly scatter on longitude/latitude axes with an equal-area-looking aspect (one degree
of latitude drawn 1/cos(mean latitude) times as tall as one degree of longitude, i.e. a local
equirectangular projection). No basemap and no geo trace, so nothing is fetched from the
network when the report is opened.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import xarray as xr

from netdesign.report.charts import MODE_COLOURS, _layout
from netdesign.report.i18n import fmt_number, raw_unit, t
from netdesign.report.load import link_labels, node_names

WIDTH_BINS = 5  # line widths used for flows (plotly draws one width per trace)
MIN_WIDTH, MAX_WIDTH = 1.5, 10.0
HUB_KINDS = ("hub", "airport", "rail_terminal", "port", "overseas_gateway")
MAX_NODE_LABELS = 60  # more non-hub nodes than this: names on hover only
CHINA_BOX = ((73.0, 135.5), (17.5, 54.0))  # lon range, lat range


def _width(flow: float, max_flow: float) -> float:
    """Line width (px) for a flow: square-root scale between MIN_WIDTH and MAX_WIDTH."""
    if max_flow <= 0 or not flow > 0:
        return MIN_WIDTH
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * math.sqrt(flow / max_flow)


def _bin_width(flow: float, max_flow: float) -> float:
    """Width rounded to one of WIDTH_BINS steps so that legs share traces."""
    w = _width(flow, max_flow)
    step = (MAX_WIDTH - MIN_WIDTH) / (WIDTH_BINS - 1)
    return MIN_WIDTH + round((w - MIN_WIDTH) / step) * step


def _ranges(lon: np.ndarray, lat: np.ndarray, pad: float = 0.15) -> dict[str, list[float]]:
    lo_x, hi_x, lo_y, hi_y = lon.min(), lon.max(), lat.min(), lat.max()
    dx, dy = max(hi_x - lo_x, 0.5) * pad, max(hi_y - lo_y, 0.5) * pad
    return {"xaxis.range": [lo_x - dx, hi_x + dx], "yaxis.range": [lo_y - dy, hi_y + dy]}


def _initial_view(lon: np.ndarray, lat: np.ndarray) -> dict[str, list[float]]:
    """Start on the nodes inside China when most nodes are there (overseas destinations would
    otherwise shrink the domestic network to a dot); the 'All' button shows everything."""
    (x0, x1), (y0, y1) = CHINA_BOX
    inside = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
    if inside.all() or inside.mean() < 0.5:
        return _ranges(lon, lat)
    return _ranges(lon[inside], lat[inside])


def fig_network_map(ds: xr.Dataset, scenario: str, lang: str) -> go.Figure:
    """The network map of `scenario` (a name in ds.scenario) with labels in `lang`."""
    names = node_names(ds, lang)
    labels = link_labels(ds, lang)
    node_ids = ds["node"].values.astype(str)
    lon = dict(zip(node_ids, ds["node_lon"].values.astype(float), strict=True))
    lat = dict(zip(node_ids, ds["node_lat"].values.astype(float), strict=True))
    kinds = dict(zip(node_ids, ds["node_kind"].values.astype(str), strict=True))
    one = ds.sel(scenario=scenario)
    flows = np.nan_to_num(one["link_flow"].values.astype(float), nan=0.0)
    caps = one["link_capacity"].values.astype(float)
    max_flow = float(flows.max()) if flows.size else 0.0
    pd_unit = raw_unit("parcels_day", lang)

    groups: dict[tuple[str, float], list[int]] = {}
    unused: list[int] = []
    for i, flow in enumerate(flows):
        if flow > 0:
            mode = str(ds["link_mode"].values[i])
            groups.setdefault((mode, _bin_width(flow, max_flow)), []).append(i)
        else:
            unused.append(i)

    fig = go.Figure()
    link_from = ds["link_from"].values.astype(str)
    link_to = ds["link_to"].values.astype(str)

    def segments(idx: list[int]) -> tuple[list, list]:
        xs: list = []
        ys: list = []
        for i in idx:
            a, b = link_from[i], link_to[i]
            xs += [lon.get(a), lon.get(b), None]
            ys += [lat.get(a), lat.get(b), None]
        return xs, ys

    if unused:
        xs, ys = segments(unused)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=t("unused_link", lang),
                                 line={"color": "#BBBBBB", "width": 1, "dash": "dot"},
                                 hoverinfo="skip", legendgroup="unused"))
    shown: set[str] = set()
    for (mode, width), idx in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        xs, ys = segments(idx)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=t(mode, lang),
                                 legendgroup=mode, showlegend=mode not in shown,
                                 line={"color": MODE_COLOURS.get(mode, "#666"), "width": width},
                                 opacity=0.8, hoverinfo="skip"))
        shown.add(mode)

    # invisible markers at leg midpoints carry the hover text of every leg
    mid_x, mid_y, hover = [], [], []
    for i, lid in enumerate(ds["link"].values.astype(str)):
        a, b = link_from[i], link_to[i]
        if a not in lon or b not in lon:
            continue
        mid_x.append((lon[a] + lon[b]) / 2)
        mid_y.append((lat[a] + lat[b]) / 2)
        mode = t(str(ds["link_mode"].values[i]), lang)
        hover.append(f"{labels[lid]} ({mode})<br>{t('flow', lang)}: "
                     f"{fmt_number(flows[i], lang)} {pd_unit}<br>"
                     f"{t('link_capacity', lang)}: {fmt_number(caps[i], lang)} {pd_unit}")
    fig.add_trace(go.Scatter(x=mid_x, y=mid_y, mode="markers", showlegend=False,
                             marker={"size": 8, "opacity": 0}, hovertext=hover,
                             hoverinfo="text", name=t("link", lang)))

    for is_hub in (False, True):
        ids = [n for n in node_ids if (kinds[n] in HUB_KINDS) == is_hub]
        if not ids:
            continue
        fig.add_trace(go.Scatter(
            x=[lon[n] for n in ids], y=[lat[n] for n in ids], mode="markers+text",
            name=t("hub", lang) if is_hub else t("nodes", lang),
            text=[names[n] for n in ids] if is_hub or len(ids) <= MAX_NODE_LABELS else None,
            textposition="top center",
            textfont={"size": 11 if is_hub else 10},
            marker={"size": 12 if is_hub else 7, "color": "#222" if is_hub else "#FFFFFF",
                    "symbol": "square" if is_hub else "circle",
                    "line": {"color": "#222", "width": 1.5}},
            hovertext=[f"{names[n]} ({n})<br>{kinds[n]}" for n in ids], hoverinfo="text"))

    all_lon = np.array(list(lon.values()))
    all_lat = np.array(list(lat.values()))
    lat0 = float(np.nanmedian(all_lat)) if all_lat.size else 30.0
    hub_ids = [n for n in node_ids if kinds[n] in HUB_KINDS and abs(lon[n] - np.nanmedian(
        all_lon)) < 10]
    local = hub_ids or list(node_ids)
    buttons = [
        {"label": t("map_all", lang), "method": "relayout", "args": [_ranges(all_lon, all_lat)]},
        {"label": t("map_china", lang), "method": "relayout",
         "args": [{"xaxis.range": list(CHINA_BOX[0]), "yaxis.range": list(CHINA_BOX[1])}]},
        {"label": t("map_local", lang), "method": "relayout",
         "args": [_ranges(np.array([lon[n] for n in local]),
                          np.array([lat[n] for n in local]), pad=0.6)]},
    ]
    start = _initial_view(all_lon, all_lat)
    fig.update_xaxes(title_text="°E", zeroline=False, showgrid=True, gridcolor="#EEE",
                     range=start["xaxis.range"])
    fig.update_yaxes(title_text="°N", zeroline=False, showgrid=True, gridcolor="#EEE",
                     scaleanchor="x", scaleratio=1 / max(math.cos(math.radians(lat0)), 0.2),
                     range=start["yaxis.range"])
    fig.update_layout(updatemenus=[{"type": "buttons", "direction": "right", "x": 0.0,
                                    "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                                    "buttons": buttons, "showactive": True}],
                      plot_bgcolor="#F7FAFC")
    title = f"{t('network_map', lang)}: {scenario}"
    fig = _layout(fig, title, lang, height=640)
    fig.update_layout(margin={"t": 110})
    return fig
