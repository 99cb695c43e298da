"""Report sections for a design under uncertainty and outages (issue 17).

Inputs are the results.nc files of `netdesign evaluate` (dimension `draw`), `netdesign
stress` (dimension `disruption`) and `netdesign robust-design` (dimensions `plan` × `draw`,
attributes ``value_*``). `robust_sections(datasets, lang)` gives, per file, one section: box
plots of the draws' cost, unserved and late parcels and busiest-hub utilisation, the
disruption table, or the VSS / EVPI table with both plans' cost per fresh draw. The report
(`html.render_report(robust=...)`) places them before the provenance; `export_robust` writes
the same tables to Excel.
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
    "value": {"en": "Planning over demand scenarios (SAA): VSS and EVPI",
              "zh": "多情景规划（样本平均近似）：随机解价值与完全信息期望价值"},
    "mean_forecast": {"en": "Mean-forecast design", "zh": "均值预测方案"},
    "saa": {"en": "SAA design", "zh": "样本平均近似方案"},
    "n_minus_1": {"en": "N-1 design", "zh": "N-1 方案"},
    "figure": {"en": "Figure", "zh": "指标"},
    "cny_day": {"en": "CNY/day", "zh": "元/日"},
    "note_value": {"en": "Capacity planned once over {k} demand draws (sample average "
                         "approximation); both designs routed through the same {m} fresh "
                         "draws. VSS = E cost(mean design) − E cost(SAA design).",
                   "zh": "容量按 {k} 个需求情景一次规划（样本平均近似）；两个方案在同样的 {m} "
                         "个新情景下重新路由。随机解价值 = 均值方案期望成本 − SAA 方案期望成本。"},
    "note_evpi": {"en": " EVPI = E cost(SAA design) − E cost(design made with hindsight), over "
                        "the first {h} fresh draws.",
                  "zh": "完全信息期望价值 = SAA 方案期望成本 − 事后最优方案期望成本（前 {h} "
                        "个新情景）。"},
}

VALUE_ROWS = {
    "mean_design_cost_cny_per_day": {"en": "E cost, mean-forecast design",
                                     "zh": "均值方案期望成本"},
    "saa_design_cost_cny_per_day": {"en": "E cost, SAA design", "zh": "SAA 方案期望成本"},
    "vss_cny_per_day": {"en": "VSS", "zh": "随机解价值"},
    "vss_std_error_cny_per_day": {"en": "VSS, standard error", "zh": "随机解价值标准误"},
    "wait_and_see_cost_cny_per_day": {"en": "E cost with hindsight", "zh": "事后最优期望成本"},
    "evpi_cny_per_day": {"en": "EVPI", "zh": "完全信息期望价值"},
    "evpi_upper_cny_per_day": {"en": "EVPI, upper end (hindsight bounds)",
                               "zh": "完全信息期望价值上限"},
    "saa_in_sample_cny_per_day": {"en": "SAA objective (in sample)", "zh": "SAA 样本内目标值"},
    "n_minus_1_design_cost_cny_per_day": {"en": "E cost, N-1 design", "zh": "N-1 方案期望成本"},
}
"""The figures of a `netdesign robust-design` results.nc shown in the report (CNY/day)."""


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


def is_value_dataset(ds: xr.Dataset) -> bool:
    """A results.nc of `netdesign robust-design` (plan × draw, value_* attributes)."""
    return "plan" in ds.dims and "value_vss_cny_per_day" in ds.attrs


def value_table(ds: xr.Dataset, lang: str) -> pd.DataFrame:
    """VSS, EVPI and the expected costs behind them, million CNY/day."""
    rows = {VALUE_ROWS[k]["zh" if lang == "zh" else "en"]: float(ds.attrs[f"value_{k}"]) / 1e6
            for k in VALUE_ROWS if f"value_{k}" in ds.attrs}
    col = f"M {_t('cny_day', lang)}" if lang != "zh" else "百万元/日"
    return pd.DataFrame({col: rows}).rename_axis(_t("figure", lang)).round(3)


def fig_value_boxes(ds: xr.Dataset, lang: str) -> go.Figure:
    """Total cost per fresh draw of each plan (box), million CNY/day."""
    fig = go.Figure()
    for plan in ds["plan"].values.astype(str):
        fig.add_trace(go.Box(y=ds["total_cost"].sel(plan=plan).values / 1e6,
                             name=_t(plan, lang) if plan in LABELS else plan,
                             boxpoints="all", jitter=0.3))
    fig.update_layout(height=360, yaxis_title=_t("total_cost", lang), showlegend=False,
                      margin={"l": 50, "r": 20, "t": 30, "b": 30}, template="plotly_white")
    return fig


def robust_sections(datasets: Sequence[xr.Dataset], lang: str
                    ) -> list[tuple[str, str, go.Figure | None, str]]:
    """(id, title, figure or None, HTML) per dataset: draws as box plots with a note,
    disruptions as a table."""
    e = html.escape
    out = []
    for i, ds in enumerate(datasets):
        design = str(ds["design"].values) if "design" in ds.coords \
            else str(ds.attrs.get("evaluated_design", ""))
        if is_value_dataset(ds):
            h = int(ds.attrs.get("value_hindsight_draws", 0))
            note = _t("note_value", lang).format(
                k=int(ds.attrs.get("saa_scenarios", ds.sizes.get("sample", 0))),
                m=ds.sizes["draw"]) + (_t("note_evpi", lang).format(h=h) if h else "")
            out.append((f"robust_value_{i}", f"{_t('value', lang)} · {design}",
                        fig_value_boxes(ds, lang), value_table(ds, lang).to_html(
                            classes="table", border=0) + f"<p class='note'>{e(note)}</p>"))
        elif "draw" in ds.dims:
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
            if is_value_dataset(ds):
                value_table(ds, "en").to_excel(xl, sheet_name=f"value_{i}")
                ds["total_cost"].to_pandas().T.to_excel(xl, sheet_name=f"value_draws_{i}")
            elif "draw" in ds.dims:
                _draw_figures(ds).to_excel(xl, sheet_name=f"draws_{i}")
                if "draw_summary" in ds:
                    ds["draw_summary"].to_pandas().to_excel(xl, sheet_name=f"summary_{i}")
            elif "disruption" in ds.dims:
                disruption_table(ds, "en").to_excel(xl, sheet_name=f"stress_{i}")
    return path
