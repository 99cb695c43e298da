"""The self-contained HTML report: plotly.js inlined once, figure specs as JSON, no network.

The page opens offline: every script and datum is inside the file, a Content-Security-Policy
forbids any fetch, and no geo trace (which would download topojson) is used. A small script
renders each figure and records what was drawn in `window.__reportStatus` (and, as JSON, in
the element #report-status) so that a headless browser can check the page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

import plotly.io as pio
import xarray as xr
from plotly.offline import get_plotlyjs

from netdesign.atomic import write_text_atomic
from netdesign.report import charts
from netdesign.report.i18n import check_lang, fmt_number, fmt_share, raw_unit, t
from netdesign.report.load import check_scenario, open_results, select_scenarios
from netdesign.report.netmap import fig_network_map
from netdesign.report.provenance import provenance_html
from netdesign.report.tables import summary_table

CSP = ("default-src 'none'; script-src 'unsafe-inline'; "
       "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; worker-src blob:")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "showLink": False,
                 "toImageButtonOptions": {"format": "png", "scale": 2}}

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei",
"PingFang SC","Helvetica Neue",Arial,sans-serif;margin:0;color:#222;background:#fff}
header{padding:18px 28px;background:#1f3b57;color:#fff}header h1{margin:0 0 6px;font-size:24px}
header p{margin:2px 0;opacity:.9}nav{padding:8px 28px;border-bottom:1px solid #ddd;font-size:14px}
nav a{margin-right:14px;color:#1f3b57;text-decoration:none}main{padding:0 28px 28px}
section{margin:26px 0;page-break-inside:avoid}h2{border-left:4px solid #4C78A8;padding-left:8px}
table.data,table.kv{border-collapse:collapse;font-size:13px}table.data th,table.data td,
table.kv th,table.kv td{border:1px solid #ddd;padding:4px 8px}table.data th{background:#f3f5f8}
table.data td.num{text-align:right;font-variant-numeric:tabular-nums}table.kv th{text-align:left;
background:#f3f5f8}.chart{width:100%;min-height:380px}.note{color:#666;font-style:italic}
.scroll{overflow-x:auto}pre{background:#f6f6f6;padding:8px;font-size:12px;white-space:pre-wrap}
@media print{nav{display:none}.chart{page-break-inside:avoid}}
"""

RENDER_JS = """
(function () {
  var status = window.__reportStatus;
  var specs = JSON.parse(document.getElementById('report-specs').textContent);
  var ids = Object.keys(specs);
  status.expected = ids;
  function finite(v) { return typeof v === 'number' && isFinite(v); }
  function summarise(gd) {
    var cd = gd.calcdata || [], withData = 0, points = 0;
    cd.forEach(function (trace) {
      var n = 0;
      (trace || []).forEach(function (p) {
        if (p && (finite(p.y) || finite(p.s) || finite(p.x))) { n += 1; }
      });
      points += n; if (n > 0) { withData += 1; }
    });
    return {traces: (gd.data || []).length, tracesWithData: withData, points: points,
            svgTraces: gd.querySelectorAll('g.trace').length,
            marks: gd.querySelectorAll('g.trace path, g.trace text').length};
  }
  var jobs = ids.map(function (id) {
    var gd = document.getElementById('chart-' + id);
    var s = specs[id];
    return Plotly.newPlot(gd, s.data, s.layout, s.config).then(function () {
      status.charts[id] = summarise(gd);
    }, function (err) { status.errors.push('chart ' + id + ': ' + err); });
  });
  Promise.all(jobs).then(function () {
    status.done = true;
    var el = document.getElementById('report-status');
    el.textContent = JSON.stringify(status);
    el.setAttribute('data-done', 'true');
  });
})();
"""

STATUS_JS = """
window.__reportStatus = {done: false, errors: [], charts: {}, expected: [], lang: %s};
window.addEventListener('error', function (e) {
  window.__reportStatus.errors.push(String(e.message || e.type || e));
}, true);
window.addEventListener('unhandledrejection', function (e) {
  window.__reportStatus.errors.push('unhandled rejection: ' + String(e.reason));
});
"""


def _json_for_script(obj: object) -> str:
    """JSON safe to embed in a <script> element."""
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _summary_html(ds: xr.Dataset, lang: str) -> str:
    """The headline-figures table, numbers formatted for `lang`, units in the headers."""
    df = summary_table(ds)
    cols = [
        ("scenario", t("scenario", lang), lambda v: str(v)),
        ("year", t("year", lang), lambda v: str(v)),
        ("growth", t("growth", lang), str),
        ("costs", t("costs", lang), str),
        ("carbon_price", f"{t('carbon_price', lang)} ({raw_unit('cny_t', lang)})",
         lambda v: fmt_number(v, lang)),
        ("policy", t("policy", lang), str),
        ("status", t("status", lang), str),
        ("total_cost_cny_per_day", f"{t('total_cost', lang)} ({raw_unit('cny_day', lang)})",
         lambda v: fmt_number(v, lang)),
        ("co2_t_per_day", f"{t('co2', lang)} ({raw_unit('t_day', lang)})",
         lambda v: fmt_number(v, lang, 1)),
        ("on_time_share", f"{t('on_time_share', lang)} (%)", fmt_share),
        ("unserved_parcels_per_day",
         f"{t('unserved_total', lang)} ({raw_unit('parcels_day', lang)})",
         lambda v: fmt_number(v, lang)),
        ("hub_capacity_added_parcels_per_day",
         f"{t('hub_capacity_added', lang)} ({raw_unit('parcels_day', lang)})",
         lambda v: fmt_number(v, lang)),
    ] + [(f"share_{m}", f"{t(m, lang)} (%)", fmt_share)
         for m in ("road", "rail", "water", "air")]
    e = html.escape
    head = "".join(f"<th>{e(label)}</th>" for _, label, _ in cols)
    body = []
    for _, row in df.iterrows():
        cells = []
        for key, _, fmt in cols:
            cls = " class='num'" if key not in ("scenario", "growth", "costs", "policy",
                                                "status") else ""
            cells.append(f"<td{cls}>{e(fmt(row[key]))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = (f"<p class='note'>{e(t('mode_split', lang))}: "
            f"{e('干线件公里份额' if lang == 'zh' else 'share of line-haul parcel-km')}</p>")
    return (f"<section id='sec-summary'><h2>{e(t('summary', lang))}</h2><div class='scroll'>"
            f"<table class='data'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}"
            f"</tbody></table></div>{note}</section>")


def build_figures(ds: xr.Dataset, lang: str, map_scenario: str) -> dict[str, object]:
    """chart id -> Figure (or None when there is nothing to show), in report order."""
    return {
        "mode_split": charts.fig_mode_split(ds, lang),
        "hub_capacity": charts.fig_hub_capacity(ds, lang),
        "cost_breakdown": charts.fig_costs(ds, lang),
        "co2": charts.fig_co2(ds, lang),
        "on_time": charts.fig_on_time(ds, lang),
        "rural": charts.fig_rural(ds, lang),
        "unserved": charts.fig_unserved(ds, lang),
        "forecasts": charts.fig_forecasts(ds, lang),
        "network_map": fig_network_map(ds, map_scenario, lang),
    }


EMPTY_NOTES = {"rural": "no_rural", "forecasts": "no_forecasts"}


def render_report(ds: xr.Dataset, lang: str = "zh", scenarios: Sequence[str] | None = None,
                  map_scenario: str | None = None, source: str = "results") -> str:
    """The report of `ds` (restricted to `scenarios`, in that order) as one HTML string.

    map_scenario: the scenario drawn on the network map (default: the first shown).
    Raises `InputError` for unknown scenario names, ValueError for an unsupported language.
    """
    lang = check_lang(lang)
    ds = select_scenarios(ds, scenarios, source)
    if map_scenario is None:
        map_scenario = str(ds["scenario"].values[0])
    check_scenario(ds, map_scenario, "--map-scenario", source)
    figures = build_figures(ds, lang, map_scenario)
    e = html.escape

    specs: dict[str, object] = {}
    sections = [_summary_html(ds, lang)]
    nav = [f"<a href='#sec-summary'>{e(t('summary', lang))}</a>"]
    for cid, fig in figures.items():
        title = t(cid, lang)
        nav.append(f"<a href='#sec-{cid}'>{e(title)}</a>")
        if fig is None:
            body = f"<p class='note'>{e(t(EMPTY_NOTES.get(cid, 'unknown'), lang))}</p>"
        else:
            spec = json.loads(pio.to_json(fig, validate=False, remove_uids=True))
            spec["config"] = PLOTLY_CONFIG
            specs[cid] = spec
            body = f"<div class='chart' id='chart-{cid}' data-chart='{cid}'></div>"
            if cid == "network_map":
                body = f"<p class='note'>{e(t('map_note', lang))}</p>" + body
        sections.append(f"<section id='sec-{cid}'><h2>{e(title)}</h2>{body}</section>")
    sections.append(provenance_html(ds, lang))
    nav.append(f"<a href='#sec-provenance'>{e(t('provenance', lang))}</a>")

    names = ", ".join(str(s) for s in ds["scenario"].values)
    study = str(ds.attrs.get("study", ""))
    html_lang = "zh-CN" if lang == "zh" else "en"
    return "\n".join([
        "<!DOCTYPE html>",
        f"<html lang='{html_lang}'><head><meta charset='utf-8'>",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{e(t('report_title', lang))} – {e(study)}</title>",
        f"<style>{CSS}</style>",
        f"<script>{STATUS_JS % json.dumps(lang)}</script>",
        "</head><body>",
        f"<header><h1>{e(t('report_title', lang))}</h1>",
        f"<p>{e(t('study', lang))}: {e(study)} · {e(t('config_hash', lang))}: "
        f"<code>{e(str(ds.attrs.get('config_hash', t('unknown', lang))))}</code> · "
        f"{e(t('data_version', lang))}: {e(str(ds.attrs.get('data_version', '–')))}</p>",
        f"<p>{e(t('scenarios', lang))}: {e(names)}</p></header>",
        f"<nav>{''.join(nav)}</nav><main>",
        *sections,
        "</main>",
        f"<footer><main><p class='note'>{e(t('generated_by', lang))} "
        f"{e(str(ds.attrs.get('netdesign_version', '')))}</p></main></footer>",
        "<pre id='report-status' hidden></pre>",
        f"<script type='application/json' id='report-specs'>{_json_for_script(specs)}</script>",
        f"<script>{get_plotlyjs()}</script>",
        f"<script>{RENDER_JS}</script>",
        "</body></html>",
    ])


def write_report(results: str | Path, out: str | Path, lang: str = "zh",
                 scenarios: Sequence[str] | None = None,
                 map_scenario: str | None = None) -> Path:
    """Read `results` (results.nc or its folder), write the HTML report to `out` atomically."""
    ds = open_results(results)
    text = render_report(ds, lang=lang, scenarios=scenarios, map_scenario=map_scenario,
                         source=str(results))
    return write_text_atomic(out, text)
