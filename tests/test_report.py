"""Report without a browser: schema checks, scenario selection, i18n, the HTML file itself."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from report_fixtures import build_results, write_results
from typer.testing import CliRunner

import netdesign.cli.report  # noqa: F401 - registers the commands
from netdesign.cli.app import app
from netdesign.errors import InputError
from netdesign.report import charts
from netdesign.report.html import render_report
from netdesign.report.i18n import fmt_number, fmt_share, fmt_signed, t
from netdesign.report.load import check_results, open_results, select_scenarios
from netdesign.report.netmap import fig_network_map

runner = CliRunner()


@pytest.fixture(scope="module")
def ds():
    return build_results()


# ---------------------------------------------------------------- loading and validation
def test_open_results_reads_a_schema_conformant_file(tmp_path):
    write_results(tmp_path / "results.nc")
    ds = open_results(tmp_path)  # the folder is accepted too
    assert list(ds["scenario"].values) == ["2030-base", "2035-high", "2035-high-co2_300"]


def test_missing_variables_are_all_named(ds):
    broken = ds.drop_vars(["co2", "hub_capacity_existing", "node_lat"])
    with pytest.raises(InputError) as err:
        check_results(broken, "x.nc")
    fields = {p.field for p in err.value.problems}
    assert fields == {"co2", "hub_capacity_existing", "node_lat"}
    assert "co2" in str(err.value) and "x.nc" in str(err.value)


def test_wrong_dims_are_reported(ds):
    broken = ds.copy()
    broken["co2"] = broken["co2"].expand_dims(mode=broken["mode"]).transpose("scenario", "mode")
    with pytest.raises(InputError) as err:
        check_results(broken)
    assert [p.location for p in err.value.problems] == ["variable 'co2'"]


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="cannot read results"):
        open_results(tmp_path / "nope.nc")
    bad = tmp_path / "bad.nc"
    bad.write_text("not netcdf")
    with pytest.raises(InputError, match="readable netCDF"):
        open_results(bad)


def test_unknown_scenarios_list_the_available_ones(ds):
    with pytest.raises(InputError) as err:
        select_scenarios(ds, ["2035-high", "2040-x", "nope"])
    assert [p.value for p in err.value.problems] == ["2040-x", "nope"]
    assert "2030-base, 2035-high, 2035-high-co2_300" in str(err.value)
    assert list(select_scenarios(ds, ["2035-high", "2030-base"])["scenario"].values) == [
        "2035-high", "2030-base"]


# ---------------------------------------------------------------- i18n
def test_number_formats():
    assert fmt_number(1_234_567, "en") == "1,234,567"
    assert fmt_number(1_234_567, "zh") == "123.46万"
    assert fmt_number(250_000_000, "zh") == "2.50亿"
    assert fmt_number(950, "zh") == "950"
    assert fmt_number(float("nan"), "en") == "–"
    assert fmt_share(0.1234) == "12.3%"
    assert fmt_signed(-1500, "en") == "−1,500"
    assert t("rail", "zh") == "铁路" and t("rail", "en") == "Rail"


# ---------------------------------------------------------------- charts hold the data
def test_mode_split_chart_shows_dataset_values(ds):
    fig = charts.fig_mode_split(ds, "en")
    rail = [tr for tr in fig.data if tr.name == "Rail"]
    parcels = np.array(rail[0].y, dtype=float) * 1e3  # shown in thousand parcels/day
    order = charts.scenario_order(ds)
    np.testing.assert_allclose(parcels, ds["mode_parcels"].sel(mode="rail", scenario=order))


def test_largest_corridors_by_mean_forecast(ds):
    mean = ds["forecast"].sel(stat="mean").mean("forecast_month").to_series()
    assert charts.largest_corridors(ds, 3) == list(mean.sort_values(ascending=False).index[:3])


def test_rural_routes_are_links_touching_rural_nodes(ds):
    rural = set(ds["node"].values[ds["node_rural"].values.astype(bool)])
    expected = [lk for lk, a, b in zip(ds["link"].values, ds["link_from"].values,
                                       ds["link_to"].values, strict=True)
                if a in rural or b in rural]
    assert charts.rural_links(ds) == expected and len(expected) == 2
    assert charts.fig_rural(ds.sel(link=[lk for lk in ds["link"].values
                                         if lk not in expected]), "en") is None


def test_map_puts_nodes_at_their_coordinates(ds):
    from netdesign.report.netmap import shift_lon

    fig = fig_network_map(ds, "2035-high", "zh")
    shown = [tr for tr in fig.data if tr.visible is not False]
    hubs = [tr for tr in shown if tr.name == "枢纽"]
    nodes = [tr for tr in shown if tr.name == "节点"]
    assert len(hubs) == 1 and len(nodes) == 1
    lookup = dict(zip(ds["node"].values, zip(ds["node_lon"].values, ds["node_lat"].values,
                                             strict=True), strict=True))
    seen = set()
    for tr in hubs + nodes:
        for x, y, text in zip(tr.x, tr.y, tr.hovertext, strict=True):
            node = re.search(r"\(([A-Z_]+)\)", text).group(1)
            lon, lat = lookup[node]
            assert (x, y) == pytest.approx((shift_lon(float(lon)), float(lat)))
            seen.add(node)
    assert seen == set(ds["node"].values)
    # New York (74.01 W) is drawn east of the Pacific, London (0.13 W) stays west of China
    assert shift_lon(-74.01) == pytest.approx(285.99) and shift_lon(-0.13) == -0.13
    # hover markers on the drawn legs and corridors of the scenario shown first: every place
    # a used leg reaches is named in them; legs drawn in mode colours
    flows = ds["link_flow"].sel(scenario="2035-high").values
    legs = [tr for tr in shown if tr.name == "线路"]
    names = dict(zip(ds["node"].values, ds["node_name_zh"].values, strict=True))
    text = " ".join(legs[0].hovertext)
    for a, b, f in zip(ds["link_from"].values, ds["link_to"].values, flows, strict=True):
        if f > 0:
            assert names[a] in text or names[b] in text, (a, b)
    unused = [str(n) for n, f in zip(ds["link_to"].values, flows, strict=True) if not f > 0]
    drawn = [tr for tr in shown if tr.mode == "lines" and tr.legendgroup in
             charts.MODE_COLOURS]
    assert drawn and {tr.line.color for tr in drawn} <= set(charts.MODE_COLOURS.values())
    assert unused  # the fixture has an unused leg; it is not drawn (checked by its flow)
    # the other scenarios' traces are hidden until chosen in the selector
    hidden = [tr for tr in fig.data if tr.visible is False and tr.name == "枢纽"]
    assert len(hidden) == ds.sizes["scenario"] - 1


def test_great_circle_arc_of_a_long_leg():
    """Hangzhou (120.2 E, 30.3 N) to London (0.13 W, 51.5 N): the great circle runs north of
    both ends (its vertex is near 60 N over Siberia/Scandinavia for this pair, hand-checked
    with the spherical formula for the vertex latitude: cos(lat_v) = cos(lat1) sin(azimuth1),
    azimuth1 ~ 330 deg from Hangzhou, so lat_v ~ 64 deg); a short leg stays straight."""
    from netdesign.report.netmap import great_circle

    xs, ys = great_circle(120.2, 30.3, -0.13, 51.5)
    assert max(ys) > 58 and xs[0] == pytest.approx(120.2)
    assert xs[-1] == pytest.approx(-0.13) and None not in xs  # no jump across the seam
    xs, ys = great_circle(120.2, 30.3, 121.47, 31.23)
    assert len(xs) == 2


# ---------------------------------------------------------------- the HTML file
def _outside_plotly(text: str) -> str:
    """The page without the inlined plotly.js bundle."""
    start = text.index("<script>/**\n* plotly.js") if "<script>/**\n* plotly.js" in text \
        else text.index("plotly.js v")
    end = text.index("</script>", start)
    return text[:start] + text[end:]


def test_report_is_self_contained(ds):
    page = render_report(ds, "en")
    assert page.count("plotly.js v") == 1  # the library inlined exactly once
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    rest = _outside_plotly(page)
    assert not re.search(r"https?://", rest), re.findall(r"https?://\S{0,60}", rest)[:5]
    specs = json.loads(re.search(r"id='report-specs'>(.*?)</script>", page, re.S).group(1)
                       .replace("<\\/", "</"))
    types = {tr.get("type") for spec in specs.values() for tr in spec["data"]}
    assert types <= {"bar", "scatter"}  # no geo/map traces (they fetch topojson/tiles)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_report_states_its_provenance(ds):
    page = render_report(ds, "en")
    assert ds.attrs["config_hash"] in page and ds.attrs["data_version"] in page
    assert "pyomo 6.8.0" in page and "highspy 1.16.0" in page
    for s in ds["scenario"].values:
        gap = float(ds["mip_gap"].sel(scenario=s)) * 100
        assert f"{gap:.3f}%" in page


def test_report_language_and_scenario_selection(ds):
    zh = render_report(ds, "zh", scenarios=["2035-high"])
    en = render_report(ds, "en")
    assert "<html lang='zh-CN'>" in zh and "运输方式结构" in zh and "杭州分拨中心" in zh
    assert "<html lang='en'>" in en and "Mode split" in en and "Hangzhou Sorting Hub" in en
    specs = json.loads(re.search(r"id='report-specs'>(.*?)</script>", zh, re.S).group(1)
                       .replace("<\\/", "</"))
    traces = specs["on_time"]["data"]
    assert len(traces) == 1 and "2035-high" in traces[0]["hovertemplate"]  # id on hover
    assert traces[0]["name"].startswith("2035")  # readable label


def test_report_handles_a_failed_scenario():
    ds = build_results(failed="2035-high")
    page = render_report(ds, "en", map_scenario="2035-high")
    assert "solver crashed (synthetic)" in page


def test_unknown_map_scenario(ds):
    with pytest.raises(InputError, match="2030-base"):
        render_report(ds, "zh", map_scenario="nope")


# ---------------------------------------------------------------- CLI
def test_cli_report_writes_file_and_reports_bad_input(tmp_path):
    write_results(tmp_path / "results.nc")
    out = tmp_path / "r" / "report.html"
    res = runner.invoke(app, ["report", str(tmp_path / "results.nc"), "--out", str(out),
                              "--lang", "en", "--scenarios", "2030-base,2035-high",
                              "--map-scenario", "2035-high"])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    specs = json.loads(re.search(r"id='report-specs'>(.*?)</script>", page, re.S).group(1)
                       .replace("<\\/", "</"))
    first = specs["network_map"]["layout"]["updatemenus"][1]["buttons"][0]
    assert first["label"].startswith("2035")  # --map-scenario drawn first
    res = runner.invoke(app, ["report", str(tmp_path / "results.nc"), "--out",
                              str(tmp_path / "x.html"), "--scenarios", "2030-base,bogus"])
    assert res.exit_code == 2 and "bogus" in res.output
    assert not (tmp_path / "x.html").exists()
    assert [p.name for p in (tmp_path / "r").iterdir()] == ["report.html"]  # no temp files
    res = runner.invoke(app, ["report", str(tmp_path / "results.nc"), "--lang", "fr",
                              "--out", str(tmp_path / "y.html")])
    assert res.exit_code == 2 and not (tmp_path / "y.html").exists()


def test_every_label_and_header_has_both_languages():
    from netdesign.report.i18n import LABELS, RAW_UNITS
    from netdesign.report.tables import COLUMN_LABELS, SUMMARY_COLUMNS

    for key, (zh, en) in LABELS.items():
        assert zh and en, key
        assert re.search(r"[\u4e00-\u9fff]", zh) or key in ("mip_gap", "netdesign_version"), key
    for col, (label, unit_key) in COLUMN_LABELS.items():
        assert label in LABELS and unit_key in RAW_UNITS, col
    assert set(SUMMARY_COLUMNS) <= set(COLUMN_LABELS)


def test_no_untranslated_keys_in_the_chinese_report(ds):
    """Every glossary look-up of the zh report finds its term (i18n.MISSING stays empty), no
    English label leaks, and no raw value key (base, none, optimal, rail_push, road,
    domestic, hub, ...) is shown as a word of the page's text or of a chart's text."""
    from netdesign.report import i18n

    i18n.MISSING.clear()
    page = render_report(ds, "zh")
    assert i18n.MISSING == set()
    specs = json.loads(re.search(r"id='report-specs'>(.*?)</script>", page, re.S).group(1)
                       .replace("<\\/", "</"))
    shown: list[str] = []
    for spec in specs.values():
        for tr in spec["data"]:
            for key in ("name", "text", "x", "y", "hovertext"):
                v = tr.get(key)
                shown += [str(u) for u in v] if isinstance(v, list) else [str(v or "")]
        lay = spec["layout"]
        shown.append(json.dumps(lay.get("title", ""), ensure_ascii=False))
        shown += [json.dumps(a, ensure_ascii=False) for a in lay.get("annotations", [])]
        for menu in lay.get("updatemenus", []):
            shown += [b["label"] for b in menu["buttons"]]
    body = re.sub(r"<(script|style).*?</\1>", "", page, flags=re.S)
    body = re.sub(r"<details>.*?</details>", "", body, flags=re.S)  # the config YAML itself
    body = re.sub(r"title='[^']*'", "", body)  # scenario ids kept on hover
    text = re.sub(r"<[^>]+>", " ", body) + " " + " ".join(shown)
    text = re.sub(r"<i>.*?</i>", " ", text)  # hover: the scenario id in italics
    for sid in ds["scenario"].values:  # ids are ids (the provenance lists them as such)
        text = text.replace(str(sid), " ")
    words = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", text))
    values = {str(v) for name in ("growth", "costs", "policy", "demand_quantile", "status",
                                  "mode", "service_class", "cost_component", "node_kind",
                                  "link_role") for v in np.unique(ds[name].values)}
    assert values & words == set(), sorted(values & words)
    english = {en for _, en in i18n.LABELS.values() if len(en) > 3}
    assert sorted(w for w in english if w in text) == []


def test_study_title_and_pilot_terms_on_the_page(ds):
    zh, en = render_report(ds, "zh"), render_report(ds, "en")
    assert "<h1>合成测试研究</h1>" in zh and "<h1>Synthetic test study</h1>" in en
    assert "全球123快货物流圈" in zh and "“两进一出”" in zh
    assert "由 netdesign 生成" not in zh and "本报告由 netdesign 0.1.0 生成" in zh
    header = re.search(r"<header.*?</header>", zh, re.S).group(0)
    assert ds.attrs["config_hash"] not in header  # the hash is in the provenance only


def test_sea_legs_follow_the_shipping_lanes():
    """Ningbo (121.9 E, 29.9 N) to London by water passes Malacca (103.8 E, 1.2 N) and
    Suez (32.3 E, 31.3 N) instead of crossing Siberia; to Los Angeles it stays a great circle
    over the Pacific; a road leg is never rerouted."""
    from netdesign.report.netmap import leg_path

    xs, ys = leg_path(121.9, 29.9, -0.13, 51.5, "water")
    pts = list(zip(xs, ys, strict=True))
    assert (103.8, 1.2) in pts and (32.3, 31.3) in pts and max(ys) < 52
    xs, ys = leg_path(121.9, 29.9, -118.24, 34.05, "water")
    assert min(ys) > 29 and xs[-1] == pytest.approx(360 - 118.24)
    xs, ys = leg_path(121.9, 29.9, -0.13, 51.5, "road")
    assert max(ys) > 58  # the great circle
