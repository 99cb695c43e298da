"""Report sections for a design under uncertainty and outages (issue 17).

Inputs are the results.nc files of `netdesign evaluate` (dimension `draw`) and `netdesign
stress` (dimension `disruption`). `robust_sections(datasets, lang)` gives, per file, one
section: box plots of the draws' cost, unserved and late parcels and busiest-hub
utilisation, or the disruption table. The report (`html.render_report(robust=...)`) places
them before the provenance; `export_robust` writes the same tables to Excel.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import xarray as xr
from plotly.subplots import make_subplots

LABELS = {
    "draws": {"en": "Design under demand uncertainty", "zh": "需求不确定下的方案表现"},
    "stress": {"en": "Outage stress test", "zh": "中断压力测试"},
    "total_cost": {"en": "Total cost, million CNY/day", "zh": "总成本（百万元/日）"},
    "unserved": {"en": "Unserved, 10k parcels/day", "zh": "未服务（万件/日）"},
    "late": {"en": "Late, 10k parcels/day", "zh": "延误（万件/日）"},
    "max_hub_utilisation": {"en": "Busiest hub utilisation", "zh": "最繁忙枢纽利用率"},
    "note_draws": {"en": "{n} joint demand draws of {design}'s design year, routed through "
                           "its fixed capacity (box: quartiles, whiskers: 1.5 IQR).",
                   "zh": "{design} 设计年份的 {n} 个联合需求情景，在其固定容量下重新路由"
                         "（箱体：四分位，须：1.5 倍四分位距）。"},
    "disruption": {"en": "Disruption", "zh": "中断情景"},
    "days": {"en": "Days", "zh": "天数"},
    "extra_cost": {"en": "Extra cost, M CNY", "zh": "额外成本（百万元）"},
    "per_day": {"en": "per outage day, M CNY", "zh": "每中断日（百万元）"},
    "unserved_p": {"en": "Unserved, parcels", "zh": "未服务（件）"},
    "backlog": {"en": "Backlog, parcel-days", "zh": "积压（件·日）"},
    "late_p": {"en": "Late, parcels", "zh": "延误（件）"},
}


def _t(key: str, lang: str) -> str:
    return LABELS[key]["zh" if lang == "zh" else "en"]


def _draw_figures(ds: xr.Dataset) -> pd.DataFrame:
    """draw × figure, as `evaluate.summary.draw_figures` computes them (the report reads the
    file only; it does not import the evaluation)."""
    util = ds["hub_utilisation"].where(np.isfinite(ds["hub_utilisation"]))
    return pd.DataFrame({
        "total_cost": ds["total_cost"].values / 1e6,
        "unserved": ds["unserved"].sum("corridor", min_count=1).values / 1e4,
        "late": ds["late"].sum("corridor", min_count=1).values / 1e4,
        "max_hub_utilisation": util.max("hub").values,
    })


def fig_draw_boxes(ds: xr.Dataset, lang: str) -> go.Figure:
    """Box plots over the draws: total cost, unserved, late, busiest-hub utilisation."""
    fig_data = _draw_figures(ds)
    cols = list(fig_data.columns)
    fig = make_subplots(rows=1, cols=len(cols), subplot_titles=[_t(c, lang) for c in cols])
    for i, c in enumerate(cols, start=1):
        fig.add_trace(go.Box(y=fig_data[c].to_numpy(float), name="", boxpoints="outliers",
                             marker_color="#4C78A8", showlegend=False), row=1, col=i)
    fig.update_layout(height=380, margin={"l": 40, "r": 20, "t": 60, "b": 30},
                      template="plotly_white")
    return fig


def disruption_table(ds: xr.Dataset, lang: str) -> pd.DataFrame:
    """One row per disruption: days, extra cost (total and per outage day), unserved,
    backlog and late parcels."""
    days = ds["stress_days"].values.astype(float)
    extra = ds["stress_extra_cost"].values / 1e6
    return pd.DataFrame({
        _t("days", lang): days.astype(int),
        _t("extra_cost", lang): extra.round(2),
        _t("per_day", lang): (extra / days).round(2),
        _t("unserved_p", lang): ds["stress_unserved"].values.round(0),
        _t("backlog", lang): ds["stress_backlog"].values.round(0),
        _t("late_p", lang): ds["stress_late"].values.round(0),
    }, index=pd.Index(ds["disruption"].values.astype(str), name=_t("disruption", lang)))


def robust_sections(datasets: Sequence[xr.Dataset], lang: str
                    ) -> list[tuple[str, str, go.Figure | None, str]]:
    """(id, title, figure or None, HTML) per dataset: draws as box plots with a note,
    disruptions as a table."""
    e = html.escape
    out = []
    for i, ds in enumerate(datasets):
        design = str(ds["design"].values) if "design" in ds.coords else ""
        if "draw" in ds.dims:
            note = _t("note_draws", lang).format(n=ds.sizes["draw"], design=design)
            out.append((f"robust_draws_{i}", f"{_t('draws', lang)} · {design}",
                        fig_draw_boxes(ds, lang), f"<p class='note'>{e(note)}</p>"))
        elif "disruption" in ds.dims:
            table = disruption_table(ds, lang)
            desc = "".join(f"<li><b>{e(n)}</b>: {e(str(d))}</li>" for n, d in zip(
                ds["disruption"].values.astype(str), ds["stress_description"].values.astype(
                    str), strict=True))
            out.append((f"robust_stress_{i}", f"{_t('stress', lang)} · {design}", None,
                        table.to_html(classes="table", border=0) + f"<ul>{desc}</ul>"))
    return out


def robust_builders(datasets: Sequence[xr.Dataset]) -> list:
    """One section builder (report/sections.py) per dataset of `robust_sections`."""
    from netdesign.report.sections import ReportContext, Section

    def builder(i: int, ds: xr.Dataset):
        def build(ctx: ReportContext) -> Section | None:
            secs = robust_sections([ds], ctx.lang)
            if not secs:
                return None
            cid, title, fig, body = secs[0]
            cid = cid.rsplit("_", 1)[0] + f"_{i}"
            if fig is not None:
                body = ctx.chart(cid, fig, print_scale=0.5) + body
            return Section(cid, title, body)
        return build

    return [builder(i, ds) for i, ds in enumerate(datasets)]


def export_robust(datasets: Sequence[xr.Dataset], path: str | Path) -> Path:
    """The draws' figures and the disruption tables as sheets of one Excel file."""
    path = Path(path)
    with pd.ExcelWriter(path) as xl:
        for i, ds in enumerate(datasets):
            if "draw" in ds.dims:
                _draw_figures(ds).to_excel(xl, sheet_name=f"draws_{i}")
                if "draw_summary" in ds:
                    ds["draw_summary"].to_pandas().to_excel(xl, sheet_name=f"summary_{i}")
            elif "disruption" in ds.dims:
                disruption_table(ds, "en").to_excel(xl, sheet_name=f"stress_{i}")
    return path
