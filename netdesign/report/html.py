"""The self-contained HTML report: plotly.js inlined once, figure specs as JSON, no network.

The page opens offline: every script and datum is inside the file, a Content-Security-Policy
forbids any fetch, and no geo trace (which would download topojson) is used. A small script
renders each figure and records what was drawn in `window.__reportStatus` (and, as JSON, in
the element #report-status) so that a headless browser can check the page.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import xarray as xr
import yaml
from plotly.offline import get_plotlyjs

from netdesign.atomic import write_text_atomic
from netdesign.report import calibration, charts, circle, comparison, plan, segments
from netdesign.report.i18n import check_lang, colon, fmt_share, t, term, unit
from netdesign.report.load import check_scenario, open_results, select_scenarios
from netdesign.report.netmap import fig_network_map
from netdesign.report.parks import parks_section
from netdesign.report.provenance import provenance_body
from netdesign.report.robust import robust_builders
from netdesign.report.rural import rural_coverage_section
from netdesign.report.scenarios import scenario_labels, scenario_order
from netdesign.report.sections import ChartSection, ReportContext, Section, SectionBuilder
from netdesign.report.status import flag_text, scenario_health
from netdesign.results.statistics import statistics

CSP = ("default-src 'none'; script-src 'unsafe-inline'; "
       "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; worker-src blob:")

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei",
"PingFang SC","Helvetica Neue",Arial,sans-serif;margin:0;color:#222;background:#fff}
header{padding:18px 28px;background:#1f3b57;color:#fff}header h1{margin:4px 0 6px;font-size:26px}
header p{margin:2px 0;opacity:.92}header .pilot{font-size:14px;letter-spacing:.05em}
nav{padding:8px 28px;border-bottom:1px solid #ddd;font-size:14px}
nav a{margin-right:14px;color:#1f3b57;text-decoration:none}main{padding:0 28px 28px}
main{display:flex;flex-wrap:wrap;column-gap:2%}section{margin:22px 0;flex:0 0 100%;min-width:0}
section.half{flex:0 0 49%}h2{border-left:4px solid #4C78A8;padding-left:8px;font-size:20px}
table.data,table.kv{border-collapse:collapse;font-size:13px}table.data th,table.data td,
table.kv th,table.kv td{border:1px solid #ddd;padding:4px 8px}table.data th{background:#f3f5f8}
table.data th .unit{font-weight:normal;color:#555;font-size:11px}
table.data td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kv th{text-align:left;background:#f3f5f8}tr.flagged td{background:#fff4e5}
td.flag{color:#a0522d;font-size:12px}.chart{width:100%;min-height:300px}
.note{color:#666;font-style:italic}.note.empty{padding:18px;background:#f7f7f7;font-style:normal}
.kpis{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 14px}.kpi{border:1px solid #d5dde6;
border-radius:6px;padding:8px 14px;min-width:150px;background:#f7fafc}.kpi-label{font-size:12px;
color:#555}.kpi-value{font-size:20px;font-weight:600;color:#1f3b57}
#sec-comparison{display:flex;flex-wrap:wrap;column-gap:2%}#sec-comparison>h2,
#sec-comparison>h3,#sec-comparison>.kpis,#sec-comparison>.full,#sec-comparison>.note{flex:0 0 100%}
#sec-comparison>.half{flex:0 0 49%;min-width:0}
tr.subtotal td{background:#f7f9fb;font-weight:600}
table.calibration td.source{font-size:11px;color:#444;min-width:260px;max-width:520px}
.scroll{overflow-x:auto}pre{background:#f6f6f6;padding:8px;font-size:12px;white-space:pre-wrap}
footer{padding:0 28px 20px}
@page{size:A4;margin:12mm 10mm}
@media print{
 body{font-size:10pt}nav,.modebar-container,.updatemenu-container,details,.screen-only
 {display:none!important}
 header.title-page{background:#fff;color:#1f3b57;height:245mm;display:flex;flex-direction:column;
 justify-content:center;padding:0 12mm;break-after:page;border-top:8mm solid #1f3b57}
 header.title-page h1{font-size:28pt}header .subtitle{font-size:15pt}
 main{padding:0}section{margin:6mm 0 2mm}h2{font-size:13pt;margin:0 0 2mm;break-after:avoid}
 .chart{min-height:0;break-inside:avoid}section.half .chart{break-inside:avoid}
 .scroll{overflow:visible}table.data{font-size:7.5pt;width:100%}table.data th,
 table.data td{padding:2px 3px}table.summary{break-inside:avoid}
 #sec-provenance{break-before:page}
 tr.subtotal td{background:#f7f9fb;font-weight:600}
table.calibration td.source{font-size:6.5pt}
 .kpi{min-width:0;padding:4px 8px}.kpi-value{font-size:13pt}
}
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
  // printing: every chart redrawn at the page's width and its print height (spec.print_scale
  // of the screen height), without toolbars; back to the screen size afterwards
  function resize(printing) {
    ids.forEach(function (id) {
      var gd = document.getElementById('chart-' + id);
      if (!gd || !gd.layout) { return; }
      var s = specs[id];
      if (printing) {
        var half = gd.closest('.half') !== null;
        var w = half ? 345 : 700;
        Plotly.relayout(gd, {width: w, height: Math.round((s.layout.height || 420) *
                             (s.print_scale || 0.6) * (half ? 1.0 : 1.0)), autosize: false});
      } else {
        Plotly.relayout(gd, {width: null, height: s.layout.height || 420, autosize: true});
      }
    });
  }
  window.__reportPrint = resize;
  window.addEventListener('beforeprint', function () { resize(true); });
  window.addEventListener('afterprint', function () { resize(false); });
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


def study_title(ds: xr.Dataset, lang: str) -> str:
    """The study's own title in `lang` (config `title.zh` / `title.en`, stored in the
    `config_yaml` attribute), else the other language's, else the study name."""
    titles: dict = {}
    text = ds.attrs.get("config_yaml")
    if isinstance(text, str):
        try:
            cfg = yaml.safe_load(text)
        except yaml.YAMLError:
            cfg = None
        if isinstance(cfg, dict) and isinstance(cfg.get("title"), dict):
            titles = {str(k): str(v) for k, v in cfg["title"].items() if v}
    other = "en" if lang == "zh" else "zh"
    return titles.get(lang) or titles.get(other) or str(ds.attrs.get("study", "")) or \
        t("report_title", lang)


# headline table: (column, label key, unit key or None, numeric)
SUMMARY_VIEW = (
    ("economic_cost_cny_per_day", "economic_cost", "cny_day"),
    ("penalty_cost_cny_per_day", "penalty_cost", "cny_day"),
    ("co2_t_per_day", "co2", "t_day"),
    ("on_time_share", "on_time_share", "share"),
    ("unserved_parcels_per_day", "unserved_total", "parcels_day"),
    ("hub_capacity_added_parcels_per_day", "hub_capacity_added", "parcels_day"),
    ("share_road", "road", "share"),
    ("share_rail", "rail", "share"),
    ("share_water", "water", "share"),
    ("share_air", "air", "share"),
)


def _summary_body(ds: xr.Dataset, lang: str) -> str:
    """The headline table: readable scenario label (id on hover), status, figures in display
    units, and a flags column saying why a scenario's figures need care (status.py)."""
    df = statistics(ds).headline().set_index("scenario")
    order = scenario_order(ds)
    labels = scenario_labels(ds, lang)
    health = scenario_health(ds)
    e = html.escape
    head = [f"<th>{e(t('scenario', lang))}</th>", f"<th>{e(t('status', lang))}</th>"]
    for _, key, unit_key in SUMMARY_VIEW:
        u = "%" if unit_key == "share" else unit(unit_key, lang).label
        head.append(f"<th>{e(t(key, lang))}<br><span class='unit'>{e(u)}</span></th>")
    head.append(f"<th>{e(t('flags', lang))}</th>")
    body = []
    for s in order:
        row = df.loc[s]
        h = health[s]
        cls = " class='flagged'" if not h.ok else ""
        cells = [f"<td title='{e(s)}'>{e(labels[s])}</td>",
                 f"<td>{e(term(h.status, lang))}</td>"]
        for col, _, unit_key in SUMMARY_VIEW:
            v = float(row[col])
            if unit_key == "share":
                text = fmt_share(v)
            else:
                u = unit(unit_key, lang)
                text = "–" if math.isnan(v) else f"{v / u.divisor:,.{1 if u.divisor == 1 else 2}f}"
            cells.append(f"<td class='num'>{e(text)}</td>")
        cells.append(f"<td class='flag'>{e(flag_text(h, lang))}</td>")
        body.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    notes = [t("summary_note", lang)]
    if any(not h.ok for h in health.values()):
        notes.insert(0, t("flags_note", lang))
    note = "".join(f"<p class='note'>{e(n)}</p>" for n in notes)
    return (f"<div class='scroll'>"
            f"<table class='data summary'><thead><tr>{''.join(head)}</tr></thead><tbody>"
            f"{''.join(body)}</tbody></table></div>{note}")


def summary_section(ctx: ReportContext) -> Section:
    """The headline table (see `_summary_body`)."""
    return ctx.section("summary", _summary_body(ctx.ds, ctx.lang))


def comparison_section(ctx: ReportContext) -> Section | None:
    """The comparison page (>= 2 scenarios): KPI cards, change versus base, trade-offs."""
    ds, lang, base = ctx.ds, ctx.lang, ctx.base
    if ds.sizes["scenario"] < 2:
        return None
    parts = [comparison.kpi_cards_html(ds, base, lang)]
    figs = [("change_vs_base", comparison.fig_change_vs_base(ds, base, lang), 0.6, False),
            ("tradeoff_co2", comparison.fig_tradeoff(ds, base, lang, "co2"), 0.7, True),
            ("tradeoff_on_time", comparison.fig_tradeoff(ds, base, lang, "on_time"), 0.7,
             True)]
    for cid, fig, scale, half in figs:
        if fig is None:
            parts.append(ctx.note("no_solution_any"))
            continue
        parts.append(f"<div class='{'half' if half else 'full'}'>"
                     f"{ctx.chart(cid, fig, scale)}</div>")
    return ctx.section("comparison", "".join(parts), "page")


def provenance_section(ctx: ReportContext) -> Section:
    """Config hash, data source and version, solver table, package versions, config YAML."""
    return ctx.section("provenance", provenance_body(ctx.ds, ctx.lang), "provenance")


def _chart(build: Callable[[xr.Dataset, str], object]) -> Callable:
    """A ChartSection builder from a `charts.fig_*(ds, lang)` function."""
    return lambda ds, lang, ctx: build(ds, lang)


# The report, in order: each entry is a section builder `f(ctx) -> Section | None`
# (report/sections.py). To add a section, add its builder here: one line.
SECTIONS: list[SectionBuilder] = [
    summary_section,
    comparison_section,
    ChartSection("mode_split", _chart(charts.fig_mode_split),
                 ("mode_parcels", "parcel_km", "mode_share")),
    ChartSection("hub_capacity", _chart(charts.fig_hub_capacity),
                 ("hub_capacity_existing", "hub_capacity_added", "hub_utilisation"),
                 print_scale=0.5),
    plan.plan_section,
    ChartSection("cost_breakdown", _chart(charts.fig_costs), ("cost", "total_cost"),
                 half=True, print_scale=0.75),
    ChartSection("co2", _chart(charts.fig_co2), ("co2",), half=True, print_scale=0.75),
    ChartSection("on_time", _chart(charts.fig_on_time),
                 ("on_time_share", "on_time_share_by_class"), half=True, print_scale=0.75),
    segments.segments_section,
    circle.circle_section,
    ChartSection("unserved", _chart(charts.fig_unserved), ("unserved",), empty="no_unserved",
                 half=True, print_scale=0.75),
    ChartSection("rural", _chart(charts.fig_rural),
                 ("link_departures_per_week", "link_min_weekly_frequency", "node_rural"),
                 empty="no_rural", print_scale=0.5),
    rural_coverage_section,  # "into villages": coverage and cost per county (report/rural.py)
    parks_section,  # into factories (report/parks.py): a table per scenario, None without parks
    ChartSection("forecasts", _chart(charts.fig_forecasts), ("history",),
                 empty="no_forecasts", print_scale=0.45, without_solution=True),
    ChartSection("network_map", lambda ds, lang, ctx: fig_network_map(
        ds, ctx.map_scenario, lang), ("link_flow", "node_lat", "node_lon"),
        print_scale=0.7, note="map_note", without_solution=True),
    calibration.calibration_section,
    provenance_section,
]


def build_figures(ds: xr.Dataset, lang: str, map_scenario: str) -> dict[str, object]:
    """chart id -> Figure (or None when there is nothing to show) of the chart sections, in
    report order."""
    ctx = ReportContext(ds, lang, comparison.default_base(ds), map_scenario)
    return {s.cid: s.figure(ctx)[0] for s in SECTIONS if isinstance(s, ChartSection)}


def assemble(ctx: ReportContext, builders: Sequence[SectionBuilder] | None = None
             ) -> list[Section]:
    """The sections of the report in order (`SECTIONS`, or `builders`); the builders
    register their charts in `ctx.specs`."""
    out = []
    for build in SECTIONS if builders is None else builders:
        sec = build(ctx)
        if sec is not None:
            out.append(sec)
    return out


def render_report(ds: xr.Dataset, lang: str = "zh", scenarios: Sequence[str] | None = None,
                  map_scenario: str | None = None, source: str = "results",
                  base: str | None = None, robust: Sequence[xr.Dataset] = ()) -> str:
    """The report of `ds` (restricted to `scenarios`, in that order) as one HTML string.

    map_scenario: the scenario drawn first on the network map (default: the first shown; the
    map's selector switches between all). base: the comparison page's base scenario
    (default: `comparison.default_base`). robust: results of `netdesign evaluate` / `stress`,
    shown before the provenance (report/robust.py).
    Raises `InputError` for unknown scenario names, ValueError for an unsupported language.
    """
    lang = check_lang(lang)
    ds = select_scenarios(ds, scenarios, source)
    if map_scenario is None:
        map_scenario = scenario_order(ds)[0]
    check_scenario(ds, map_scenario, "--map-scenario", source)
    if base is None:
        base = comparison.default_base(ds)
    check_scenario(ds, base, "--base", source)
    e = html.escape
    ctx = ReportContext(ds, lang, base, map_scenario, source)
    built = assemble(ctx, [*SECTIONS[:-1], *robust_builders(robust), SECTIONS[-1]])
    sections = [sec.html() for sec in built]
    nav = [f"<a href='#sec-{e(sec.sid)}'>{e(sec.title)}</a>" for sec in built if sec.nav]
    specs = ctx.specs

    title = study_title(ds, lang)
    order = scenario_order(ds)
    html_lang = "zh-CN" if lang == "zh" else "en"
    c = colon(lang)
    created = str(ds.attrs.get("created_utc", ""))[:10]
    version = str(ds.attrs.get("netdesign_version", ""))
    meta = (f"{e(t('scenarios', lang))}{c}{len(order)} · {e(t('data_version', lang))}{c}"
            f"{e(str(ds.attrs.get('data_version', '–')))} · {e(created)}")
    return "\n".join([
        "<!DOCTYPE html>",
        f"<html lang='{html_lang}'><head><meta charset='utf-8'>",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{e(title)} – {e(t('report_title', lang))}</title>",
        f"<style>{CSS}</style>",
        f"<script>{STATUS_JS % json.dumps(lang)}</script>",
        "</head><body>",
        f"<header class='title-page'><p class='pilot'>{e(t('pilot', lang))}</p>"
        f"<h1>{e(title)}</h1><p class='subtitle'>{e(t('report_title', lang))}</p>",
        f"<p class='meta'>{meta}</p></header>",
        f"<nav>{''.join(nav)}</nav><main>",
        *sections,
        "</main>",
        f"<footer><p class='note'>{e(t('generated_by', lang).format(version=version))}"
        f"</p></footer>",
        "<pre id='report-status' hidden></pre>",
        f"<script type='application/json' id='report-specs'>{_json_for_script(specs)}</script>",
        f"<script>{get_plotlyjs()}</script>",
        f"<script>{RENDER_JS}</script>",
        "</body></html>",
    ])


def write_report(results: str | Path, out: str | Path, lang: str = "zh",
                 scenarios: Sequence[str] | None = None,
                 map_scenario: str | None = None, base: str | None = None,
                 robust: Sequence[str | Path] = ()) -> Path:
    """Read `results` (results.nc or its folder), write the HTML report to `out` atomically;
    `robust`: output folders (or results.nc) of `netdesign evaluate` / `stress` to add."""
    ds = open_results(results)
    extra = [xr.load_dataset(Path(p) / "results.nc" if Path(p).is_dir() else p)
             for p in robust]
    text = render_report(ds, lang=lang, scenarios=scenarios, map_scenario=map_scenario,
                         source=str(results), base=base, robust=extra)
    return write_text_atomic(out, text)
