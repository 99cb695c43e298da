"""The report's "into factories" section (issue 15): one table per scenario, a row per park.

Reads the `park_*` variables of results.nc (`netdesign/results/parks.py`): volume by segment
(parcels/day), tonnes/day, mode split of the served parcels, on-time share, transport +
handling + carbon cost (CNY/day and CNY per line-haul tonne-km) and the park's warehouse-and-
distribute centre (capacity after expansion, or not opened). Labels come from the i18n
glossary; segment names from the study config's `segments.NAME.label` when it has one.
`parks_section` is a section builder (report/sections.py), listed in `html.SECTIONS`.
"""

from __future__ import annotations

import html
import math

import numpy as np
import xarray as xr

from netdesign.report.i18n import fmt_number, fmt_share, paren, t, term, unit
from netdesign.report.scenarios import scenario_labels, scenario_order
from netdesign.report.sections import ReportContext, Section
from netdesign.report.segments import segment_label

NEEDS = ("park_demand", "park_flow", "park_on_time_share", "park_cost")


def park_names(ds: xr.Dataset, lang: str) -> dict[str, str]:
    """park id -> its node name in `lang` (the id when the node table lacks it)."""
    var = "node_name_zh" if lang == "zh" else "node_name_en"
    names = {}
    nodes = set(ds["node"].values.astype(str)) if "node" in ds.coords else set()
    for p in ds["park"].values.astype(str):
        names[p] = str(ds[var].sel(node=p).values) if p in nodes and var in ds else p
    return names


def _num(v: float, lang: str, digits: int = 0) -> str:
    return fmt_number(v, lang, digits)


def _scenario_table(ds: xr.Dataset, s: str, lang: str, segments: list[str]) -> str:
    e = html.escape
    one = ds.sel(scenario=s)
    names = park_names(ds, lang)
    modes = [str(m) for m in ds["mode"].values]
    u_cost = unit("cny_day", lang)
    head = [t("park", lang)] + [segment_label(ds, g, lang) for g in segments] + [
        t("park_tonnes", lang) + paren(unit("tonnes_day", lang).label, lang),
        t("park_mode_split", lang),
        t("on_time_share", lang),
        t("park_cost", lang) + paren(u_cost.label, lang),
        t("park_cost_per_tkm", lang) + paren(unit("cny_tkm", lang).label, lang),
        t("park_dc", lang) + paren(unit("parcels_day", lang).label, lang)]
    rows = []
    for p in ds["park"].values.astype(str):
        r = one.sel(park=p)
        cells = [f"<td title='{e(p)}'>{e(names[p])}</td>"]
        for g in segments:
            cells.append(f"<td class='num'>{e(_num(float(r['park_demand'].sel(segment=g)), lang))}"
                         "</td>")
        tonnes = float(r["park_tonnes"]) if "park_tonnes" in r else math.nan
        cells.append(f"<td class='num'>{e(_num(tonnes, lang, 1))}</td>")
        flow = np.nan_to_num(r["park_flow"].values.astype(float))
        tot = flow.sum()
        split = "–" if tot <= 0 else " · ".join(
            f"{term(m, lang)} {fmt_share(f / tot, 0)}" for m, f in zip(modes, flow, strict=True)
            if f / tot >= 0.005)
        cells.append(f"<td>{e(split)}</td>")
        cells.append(f"<td class='num'>{e(fmt_share(float(r['park_on_time_share'])))}</td>")
        cost = float(r["park_cost"])
        cells.append(f"<td class='num'>{e(_num(u_cost.scale(cost), lang, 1))}</td>")
        tkm = float(r["park_tonne_km"]) if "park_tonne_km" in r else math.nan
        per = cost / tkm if tkm and tkm > 0 and not math.isnan(cost) else math.nan
        cells.append(f"<td class='num'>{e(_num(per, lang, 2))}</td>")
        cap = float(r["park_dc_capacity"]) if "park_dc_capacity" in r else math.nan
        dc = t("park_dc_none", lang) if math.isnan(cap) else (
            t("park_dc_closed", lang) if cap <= 0 else
            _num(unit("parcels_day", lang).scale(cap), lang, 1))
        cells.append(f"<td class='num'>{e(dc)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    title = scenario_labels(ds, lang)[s]
    return (f"<h3>{e(title)}</h3><div class='scroll'><table class='data parks'><thead><tr>"
            + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def parks_section(ctx: ReportContext) -> Section | None:
    """The "into factories" section, or None when the results have no parks."""
    ds, lang = ctx.ds, ctx.lang
    if "park" not in ds.dims or any(v not in ds.variables for v in NEEDS):
        return None
    demand = ds["park_demand"].fillna(0.0).max(dim=("scenario", "park"))
    segments = [str(g) for g, v in zip(ds["segment"].values, demand.values, strict=True)
                if v > 0]
    body = "".join(_scenario_table(ds, s, lang, segments) for s in scenario_order(ds))
    return ctx.section("parks", body + ctx.note("parks_note"))
