"""The report's "into villages" coverage section (issue 15): per scenario and rural county, the
villages served at least the minimum times a week, departures per village route by mode, cost
per village and per parcel, and the rural vs urban on-time share.

Reads only results.nc variables of the rural tier (`results.rural`); a results file without
them gives no section. Labels go through the report's glossary (`i18n.t`): this module adds
its own keys to it.
"""

from __future__ import annotations

import html
import math

import numpy as np
import xarray as xr

from netdesign.report.i18n import LABELS, fmt_number, fmt_share, paren, t, term
from netdesign.report.scenarios import scenario_labels, scenario_order
from netdesign.report.sections import ReportContext, Section

RURAL_LABELS: dict[str, tuple[str, str]] = {
    "rural_coverage": ("快递进村：建制村服务覆盖与成本", "Into villages: coverage and cost"),
    "rural_county": ("县（市、区）", "County"),
    "rural_villages": ("建制村数", "Villages"),
    "rural_coverage_share": ("每周≥{n}次的村占比", "Villages served ≥ {n}×/week"),
    "rural_dep_village": ("每村每周班次", "Departures/week per village"),
    "rural_bus_share": ("其中客运班车", "of which rural bus"),
    "rural_cost_village": ("每村年成本（元）", "Cost per village (CNY/yr)"),
    "rural_cost_parcel": ("每件成本（元）", "Cost per parcel (CNY)"),
    "rural_on_time": ("农村准时率", "Rural on-time"),
    "urban_on_time": ("城区准时率", "Urban on-time"),
    "rural_note": ("村级线路按乡镇汇总：一行代表该乡镇每个建制村一条相同线路，频次逐村精确。"
                   "农村准时率＝到县准时率×村级班次在到站一日内发出的比例（班次均匀时为"
                   "min(1, 每周班次/7)，估计值）。",
                   "Village routes are aggregated per township: one row stands for one "
                   "identical route per village, so frequencies are exact per village. Rural "
                   "on-time = on-time to the county x the share of parcels whose village "
                   "departure leaves within a day (min(1, departures/week / 7) with evenly "
                   "spaced departures; an estimate)."),
    "van": ("快递自有货车", "Courier's van"),
    "cold_van": ("冷链车", "Cold-chain van"),
    "bus": ("农村客运班车（客货邮融合）", "Rural bus (co-loading)"),
    "truck": ("厢式货车", "Box truck"),
    "cold_truck": ("冷藏车", "Refrigerated truck"),
}
LABELS.update(RURAL_LABELS)

NEEDS = ("village_coverage", "rural_departures_per_week", "rural_cost_per_village",
         "rural_cost_per_parcel", "rural_on_time_share", "urban_on_time_share")


def county_table(ds: xr.Dataset, scenario: str) -> list[dict[str, float | str]]:
    """One row per county for `scenario`: villages, coverage, mean departures/week per
    village route (village-weighted) and the rural bus's share of them, cost per village
    (CNY/yr) and per parcel (CNY), rural and urban on-time share."""
    one = ds.sel(scenario=scenario)
    dep = one["rural_departures_per_week"]
    village = ds["route_tier"].values.astype(str) == "village"
    n = ds["route_villages"].values.astype(float)
    county_of = ds["route_county"].values.astype(str)
    total = dep.sum("rural_mode", min_count=1).values
    modes = list(ds["rural_mode"].values.astype(str))
    bus = dep.sel(rural_mode="bus").values if "bus" in modes else np.zeros(len(total))
    rows = []
    for i, c in enumerate(ds["county"].values.astype(str)):
        v = village & (county_of == c)
        w = n[v].sum()
        mean_dep = float((n[v] * total[v]).sum() / w) if w else math.nan
        bus_dep = float((n[v] * bus[v]).sum() / w) if w else math.nan
        rows.append({
            "county": c, "villages": float(ds["county_villages"].values[i]),
            "coverage": float(one["village_coverage"].values[i]),
            "departures": mean_dep,
            "bus_share": bus_dep / mean_dep if mean_dep and not math.isnan(mean_dep) else math.nan,
            "cost_village": float(one["rural_cost_per_village"].values[i]),
            "cost_parcel": float(one["rural_cost_per_parcel"].values[i]),
            "rural_on_time": float(one["rural_on_time_share"].values[i]),
            "urban_on_time": float(one["urban_on_time_share"].values),
        })
    return rows


def rural_coverage_section(ctx: ReportContext) -> Section | None:
    """The report section (`html.SECTIONS`): the coverage tables, or None without a rural
    tier in the results."""
    body = rural_section_html(ctx.ds, ctx.lang)
    return None if body is None else ctx.section("rural_coverage", body)


def rural_section_html(ds: xr.Dataset, lang: str) -> str | None:
    """The coverage section's body (one table per scenario), or None without a rural tier."""
    if any(v not in ds.variables for v in NEEDS):
        return None
    e = html.escape
    f_min = ds["route_min_weekly_frequency"].values if "route_min_weekly_frequency" in ds \
        else np.array([3.0])
    n_min = f"{np.nanmin(f_min):g}"
    names = dict(zip(ds["county"].values.astype(str),
                     ds[f"county_name_{'zh' if lang == 'zh' else 'en'}"].values.astype(str),
                     strict=True))
    head = [t("rural_county", lang), t("rural_villages", lang),
            t("rural_coverage_share", lang).format(n=n_min), t("rural_dep_village", lang),
            t("rural_bus_share", lang), t("rural_cost_village", lang),
            t("rural_cost_parcel", lang), t("rural_on_time", lang), t("urban_on_time", lang)]
    parts = []
    labels = scenario_labels(ds, lang, flag=False)
    for sc in scenario_order(ds):
        rows = county_table(ds, sc)
        body = []
        for r in rows:
            cells = [e(names.get(str(r["county"]), str(r["county"]))),
                     fmt_number(r["villages"], lang), fmt_share(r["coverage"]),
                     fmt_number(r["departures"], lang, 1), fmt_share(r["bus_share"]),
                     fmt_number(r["cost_village"], lang), fmt_number(r["cost_parcel"], lang, 2),
                     fmt_share(r["rural_on_time"]), fmt_share(r["urban_on_time"])]
            body.append("<tr>" + "".join(
                f"<td{'' if k == 0 else ' class=num'}>{c}</td>" for k, c in enumerate(cells))
                + "</tr>")
        parts.append(f"<h3>{e(labels.get(sc, sc))}</h3><div class='scroll'><table class='data'>"
                     f"<thead><tr>{''.join(f'<th>{e(h)}</th>' for h in head)}</tr></thead>"
                     f"<tbody>{''.join(body)}</tbody></table></div>")
    modes = ", ".join(term(m, lang) for m in ds["rural_mode"].values.astype(str))
    parts.append(f"<p class='note'>{e(t('rural_note', lang))}{e(paren(modes, lang))}</p>")
    return "".join(parts)
