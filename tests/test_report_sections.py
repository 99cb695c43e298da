"""The report's section registry and the sections of issues 13/19: base-year check, demand
segments, the price of the circle, design-day hub utilisation, the map's corridors.

Expected values are worked by hand or computed here from the dataset's own variables, never
taken from the code under test.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from report_fixtures import build_results

from netdesign.report import flowmap
from netdesign.report import html as report_html
from netdesign.report.circle import circle_series, fig_price_of_circle
from netdesign.report.export import write_excel
from netdesign.report.html import render_report
from netdesign.report.sections import ReportContext, Section
from netdesign.report.segments import segment_table

SEGMENTS = ("parcel", "parcel", "parcel", "direct_mail", "direct_mail", "direct_mail",
            "parcel", "parcel")  # per fixture corridor (classes: dom dom dom nb nb gl dom dom)


def _with_segments(ds: xr.Dataset) -> xr.Dataset:
    ds = ds.assign_coords(corridor_segment=("corridor", list(SEGMENTS)))
    return ds


# ------------------------------------------------------------------ the registry
def test_a_section_plugs_in_with_one_entry_in_the_list():
    """A builder appended to html.SECTIONS appears on the page, in list order, with its
    chart drawn and listed in the navigation; a builder returning None leaves no trace."""
    import plotly.graph_objects as go

    def extra(ctx: ReportContext) -> Section:
        fig = go.Figure(go.Bar(x=["a"], y=[1.0]))
        return Section("extra_test", "Extra test section", ctx.chart("extra_chart", fig))

    def nothing(ctx: ReportContext) -> None:
        return None

    ds = build_results()
    before = render_report(ds, "en")
    report_html.SECTIONS.insert(1, extra)
    report_html.SECTIONS.append(nothing)
    try:
        page = render_report(ds, "en")
    finally:
        report_html.SECTIONS.remove(extra)
        report_html.SECTIONS.remove(nothing)
    assert "extra_test" not in before
    assert "<section id='sec-extra_test' class='full'><h2>Extra test section</h2>" in page
    assert "id='chart-extra_chart'" in page and '"extra_chart"' in page
    assert "<a href='#sec-extra_test'>" in page
    assert page.index("id='sec-summary'") < page.index("id='sec-extra_test'") < \
        page.index("id='sec-comparison'")
    assert page.count("<section ") == before.count("<section ") + 1


# ------------------------------------------------------------------ base-year check
def test_calibration_table_shown_from_the_results_attribute(tmp_path):
    ds = build_results()
    rows = [{"figure": "CO2 per parcel", "model": 0.25, "observed": 0.27,
             "unit": "kg CO2e/parcel", "source": "Kang et al. 2021"},
            {"figure": "HSR share", "model": 0.0013, "observed": None, "unit": "share",
             "source": "none published <yet>"}]
    ds.attrs["calibration"] = json.dumps(rows)
    page = render_report(ds, "en")
    sec = page[page.index("id='sec-calibration'"):page.index("id='sec-provenance'")]
    assert "CO2 per parcel" in sec and ">0.25<" in sec and ">0.27<" in sec
    assert ">0.93<" in sec  # model / observed = 0.25 / 0.27, by hand
    assert ">0.13%<" in sec and ">–<" in sec  # a share as %, nothing observed as –
    assert "Kang et al. 2021" in sec and "&lt;yet&gt;" in sec  # sources escaped
    del ds.attrs["calibration"]
    page = render_report(ds, "en")
    sec = page[page.index("id='sec-calibration'"):page.index("id='sec-provenance'")]
    assert "no base-year check" in sec


def test_calibration_csv_beside_older_results_is_read(tmp_path):
    ds = build_results()
    ds.to_netcdf(tmp_path / "results.nc")
    pd.DataFrame([{"figure": "Airport t/yr", "model": 79327.0, "observed": 732000.0,
                   "unit": "t/yr", "source": "Xinhua"}]).to_csv(tmp_path / "calibration.csv",
                                                                 index=False)
    out = report_html.write_report(tmp_path / "results.nc", tmp_path / "r.html", lang="en")
    page = out.read_text(encoding="utf-8")
    assert ">79,327<" in page and ">732,000<" in page and ">0.11<" in page


# ------------------------------------------------------------------ segments
def test_segment_table_sums_the_corridors_by_segment_and_class():
    ds = _with_segments(build_results())
    table = segment_table(ds).set_index(["scenario", "segment", "service_class"])
    s = "2035-high"
    one = ds.sel(scenario=s)
    cls = ds["corridor_service_class"].values
    seg = np.array(SEGMENTS)
    for g, c in (("parcel", "domestic"), ("direct_mail", "neighbouring"),
                 ("direct_mail", "global"), ("direct_mail", "all_classes")):
        mask = (seg == g) & ((cls == c) if c != "all_classes" else True)
        d = float(one["demand"].values[mask].sum())
        late = float(one["late"].values[mask].sum())
        lost = float(one["unserved"].values[mask].sum())
        row = table.loc[(s, g, c)]
        assert row["demand_parcels_per_day"] == pytest.approx(d)
        assert row["on_time_share"] == pytest.approx((d - lost - late) / d)
        flow = one["flow"].values[mask].sum(axis=0)
        assert row["share_air"] == pytest.approx(flow[3] / flow.sum())
    assert ("2035-high", "parcel", "global") not in table.index  # no demand there
    # the parcel segment has one class (domestic): its all-classes row repeats it
    assert table.loc[(s, "parcel", "all_classes"), "demand_parcels_per_day"] == \
        pytest.approx(table.loc[(s, "parcel", "domestic"), "demand_parcels_per_day"])


def test_segment_section_and_excel_sheet(tmp_path):
    ds = _with_segments(build_results())
    ds.attrs["config_yaml"] += ("segments:\n  direct_mail:\n    label: {en: Cross-border "
                                "direct mail, zh: 跨境直邮}\n")
    page = render_report(ds, "en")
    sec = page[page.index("id='sec-segments'"):page.index("id='sec-price_of_circle'")]
    assert "Cross-border direct mail" in sec and "id='chart-on_time_by_segment'" in sec
    assert "parcel" in sec.lower()
    zh = render_report(ds, "zh")
    assert "跨境直邮" in zh and "国内电商包裹" in zh  # config label, then the glossary
    path = write_excel(ds, tmp_path / "x.xlsx", lang="en")
    sheet = pd.read_excel(path, sheet_name="on-time by segment")
    dm = sheet[(sheet.iloc[:, 2] == "Cross-border direct mail") &
               (sheet.iloc[:, 0] == "2030-base") &
               (sheet.iloc[:, 3] == "Major world cities, 3 days")]
    assert len(dm) == 1
    corr = 5  # the one global corridor of the fixture, a direct_mail one
    one = ds.sel(scenario="2030-base")
    d = float(one["demand"].values[corr])
    expect = (d - float(one["unserved"].values[corr]) - float(one["late"].values[corr])) / d
    assert dm.iloc[0]["On-time share (share)"] == pytest.approx(expect)
    no_seg = render_report(build_results(), "en")
    assert "The results hold no demand segments." in no_seg


# ------------------------------------------------------------------ price of the circle
def _floor_sweep() -> xr.Dataset:
    """Four 2035 designs differing only in the global floor (none, 0.9, 0.95, 0.99, the last
    infeasible), and one 2030 design: one series of four."""
    sc = [("2030-base", 2030, "base", "base", 0.0, "none"),
          ("2035-f0", 2035, "base", "base", 0.0, "none"),
          ("2035-f90", 2035, "base", "base", 0.0, "none"),
          ("2035-f95", 2035, "base", "base", 0.0, "none"),
          ("2035-f99", 2035, "base", "base", 0.0, "none")]
    ds = build_results(scenarios=sc, failed="2035-f99")
    floors = [np.nan, np.nan, 0.9, 0.95, 0.99]
    ds["on_time_floor_global"] = ("scenario", floors)
    ds["on_time_floor_domestic"] = ("scenario", [np.nan] * 5)
    ds["economic_cost"] = ("scenario", [1.0e6, 2.0e6, 2.1e6, 2.3e6, np.nan])
    ds["on_time_share_by_class"].loc[{"scenario": ["2035-f0", "2035-f90", "2035-f95"],
                                      "service_class": "global"}] = [0.65, 0.9, 0.95]
    return ds


def test_price_of_the_circle_finds_the_floor_series_and_draws_it():
    ds = _floor_sweep()
    series = circle_series(ds)
    assert len(series) == 1 and series[0].service_class == "global"
    pts = series[0].points
    assert [p.scenario for p in pts] == ["2035-f0", "2035-f90", "2035-f95", "2035-f99"]
    assert math.isnan(pts[0].floor) and [p.floor for p in pts[1:]] == [0.9, 0.95, 0.99]
    assert [p.has_solution for p in pts] == [True, True, True, False]
    fig = fig_price_of_circle(ds, "en", series)
    econ = next(tr for tr in fig.data if tr.name.startswith("Economic cost"))
    assert list(econ.x) == pytest.approx([65.0, 90.0, 95.0])
    assert list(econ.y) == pytest.approx([2000.0, 2100.0, 2300.0])  # thousand CNY/day
    assert econ.text[0] == "no floor" and econ.text[1] == "≥90% · +5.0%"
    assert econ.text[2].endswith("+15.0%")
    # the unreachable floor is marked at 99 %
    assert any(abs(sh.x0 - 99.0) < 1e-9 for sh in fig.layout.shapes)
    page = render_report(ds, "en")
    assert "id='chart-price_of_circle'" in page
    assert "Global on time ≥ 95%" in page  # scenario labels name the floor


def test_no_floor_sweep_says_how_to_make_one():
    page = render_report(build_results(), "zh")
    sec = page[page.index("id='sec-price_of_circle'"):]
    assert "on_time_floor_global" in sec[:2000] and "netdesign sweep" in sec[:2000]


# ------------------------------------------------------------------ hub utilisation
def test_hub_chart_shows_design_day_beside_average_day():
    from netdesign.report.charts import fig_hub_capacity

    ds = build_results()
    ds["hub_utilisation_peak"] = ds["hub_utilisation"] * 1.25
    ds["max_utilisation"] = ("scenario", [0.85] * ds.sizes["scenario"])
    fig = fig_hub_capacity(ds, "en")
    bars = [tr for tr in fig.data if tr.type == "bar" and tr.yaxis == "y2"]
    ticks = [tr for tr in fig.data if tr.type == "scatter" and tr.name == "Average day"]
    s = "2035-high"
    bar = next(b for b in bars if f"<i>{s}</i>" in b.hovertemplate)
    assert list(bar.y) == pytest.approx(
        (ds["hub_utilisation"].sel(scenario=s).values * 125).tolist())
    assert len(ticks) == ds.sizes["scenario"]
    assert any(tr.name == "Utilisation cap 85%" for tr in fig.data)


# ------------------------------------------------------------------ map corridors
def test_corridors_keep_every_parcel_and_merge_directions():
    """Hand case: a core hub H (at the centre) and a second core hub G 20 km east send to
    two northern cities (N1, N2: one bundle) and one southern city S; N1 also sends back to
    H. Each bundle's trunk carries the sum of its feeders and of its tails; A->B and B->A are
    one leg; the local leg H-G is drawn straight."""
    lon = {"H": 120.0, "G": 120.2, "N1": 116.4, "N2": 117.2, "S": 113.3}
    lat = {"H": 30.0, "G": 30.0, "N1": 39.9, "N2": 39.1, "S": 23.1}
    legs = flowmap.merge_directions(["H", "N1", "G", "H", "H", "H"],
                                    ["N1", "H", "N2", "S", "G", "N2"],
                                    ["road"] * 6, np.array([100.0, 40.0, 30.0, 50.0, 7.0, 0.0]),
                                    ["a", "b", "c", "d", "e", "f"])
    assert legs[("H", "N1", "road")] == (140.0, ["a", "b"])
    assert ("H", "N2", "road") not in legs  # no flow, not drawn
    pieces = flowmap.flow_pieces(legs, lon, lat, {"H", "G"}, (120.0, 30.0))
    trunks = [p for p in pieces if p.kind == "trunk"]
    assert sorted(p.flow for p in trunks) == [50.0, 170.0]
    north = next(p for p in trunks if p.flow == 170.0)
    feeders = {p.ends[0]: p.flow for p in pieces if p.kind == "feeder" and
               p.bundle == north.bundle}
    tails = {p.ends[1]: p.flow for p in pieces if p.kind == "tail" and
             p.bundle == north.bundle}
    assert feeders == {"H": 140.0, "G": 30.0} and tails == {"N1": 140.0, "N2": 30.0}
    direct = [p for p in pieces if p.kind == "direct"]
    assert [(p.ends, p.flow) for p in direct] == [(("G", "H"), 7.0)]
    drawn, rest = flowmap.largest(pieces, n=2)
    assert {p.flow for p in rest} == {30.0, 7.0}  # the smallest tails and legs
    assert len([p for p in drawn if p.kind in ("tail", "direct")]) == 2
