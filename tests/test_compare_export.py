"""`compare` and `export` on a small synthetic sweep: figures equal the results file's values.

Expected values are computed here directly from the dataset (or worked by hand on a dataset
whose values are set explicitly), not taken from the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from report_fixtures import build_results
from typer.testing import CliRunner

import netdesign.cli.report  # noqa: F401 - registers the commands
from netdesign.cli.app import app
from netdesign.errors import InputError
from netdesign.report.compare import compare_scenarios, comparison_markdown
from netdesign.report.export import write_excel

runner = CliRunner(env={"COLUMNS": "200"})
SCENARIOS = (
    ("2030-base", 2030, "base", "base", 100.0, "none"),
    ("2035-base", 2035, "base", "base", 100.0, "none"),
    ("2035-high", 2035, "high", "base", 100.0, "none"),
    ("2035-high-co2_300", 2035, "high", "high", 300.0, "rail_push"),
)


@pytest.fixture(scope="module")
def sweep():
    return build_results(scenarios=SCENARIOS, seed=11)


@pytest.fixture()
def results_file(tmp_path, sweep):
    path = tmp_path / "results.nc"
    sweep.to_netcdf(path)
    return path


# ---------------------------------------------------------------- compare
def test_headline_figures_equal_the_dataset(sweep):
    base = "2035-base"
    cmp = compare_scenarios(sweep, base)
    h = cmp.headline.set_index("scenario")
    assert list(h.index) == list(sweep["scenario"].values)
    assert h["is_base"].to_dict() == {s: s == base for s in sweep["scenario"].values}
    for s in sweep["scenario"].values:
        one, ref = sweep.sel(scenario=s), sweep.sel(scenario=base)
        cost, cost0 = float(one["total_cost"]), float(ref["total_cost"])
        assert h.loc[s, "total_cost_cny_per_day"] == cost
        assert h.loc[s, "total_cost_cny_per_day_diff"] == pytest.approx(cost - cost0)
        assert h.loc[s, "total_cost_cny_per_day_diff_pct"] == pytest.approx(
            (cost - cost0) / cost0 * 100)
        assert h.loc[s, "co2_t_per_day_diff"] == pytest.approx(float(one["co2"] - ref["co2"]))
        unserved = float(np.sum(one["unserved"].values))
        assert h.loc[s, "unserved_parcels_per_day"] == pytest.approx(unserved)
        assert h.loc[s, "hub_capacity_added_parcels_per_day"] == pytest.approx(
            float(np.sum(one["hub_capacity_added"].values)))
        for m in ("road", "rail", "water", "air"):
            share = float(one["mode_share"].sel(mode=m))
            assert h.loc[s, f"share_{m}"] == pytest.approx(share)
            assert h.loc[s, f"share_{m}_diff"] == pytest.approx(
                share - float(ref["mode_share"].sel(mode=m)))
        assert h.loc[s, "status"] == str(one["status"].values)


def test_hand_worked_differences():
    ds = build_results(scenarios=SCENARIOS[:2])
    ds["total_cost"][:] = [2_000_000.0, 2_500_000.0]
    ds["co2"][:] = [800.0, 600.0]
    ds["unserved"][:] = 0.0
    ds["unserved"][1, 0] = 120.0
    ds["on_time_share"][:] = [0.90, 0.95]
    cmp = compare_scenarios(ds, "2030-base")
    row = cmp.headline.set_index("scenario").loc["2035-base"]
    assert row["total_cost_cny_per_day_diff"] == 500_000.0
    assert row["total_cost_cny_per_day_diff_pct"] == pytest.approx(25.0)
    assert row["co2_t_per_day_diff_pct"] == pytest.approx(-25.0)
    assert row["unserved_parcels_per_day"] == 120.0
    assert math.isnan(row["unserved_parcels_per_day_diff_pct"])  # base is 0
    assert row["on_time_share_diff"] == pytest.approx(0.05)
    md = comparison_markdown(cmp, "en")
    assert "2,500,000 [+500,000 (+25.0%)]" in md and "95.0% [+5.0 pp]" in md


def test_capacity_changes_equal_the_dataset(sweep):
    base = "2030-base"
    cmp = compare_scenarios(sweep, base)
    got = {(r.scenario, r.kind, r.id) for r in cmp.capacity_changes.itertuples()}
    expected = set()
    for s in sweep["scenario"].values:
        for h in sweep["hub"].values:
            cap = float(sweep["hub_capacity"].sel(scenario=s, hub=h))
            cap0 = float(sweep["hub_capacity"].sel(scenario=base, hub=h))
            if cap != cap0 or float(sweep["hub_capacity_added"].sel(scenario=s, hub=h)) > 0:
                expected.add((s, "hub", h))
        for lk in sweep["link"].values:
            cap = float(sweep["link_capacity"].sel(scenario=s, link=lk))
            cap0 = float(sweep["link_capacity"].sel(scenario=base, link=lk))
            if cap != cap0 or float(sweep["link_modules_added"].sel(scenario=s, link=lk)) > 0:
                expected.add((s, "link", lk))
    assert got == expected and expected
    for r in cmp.capacity_changes.itertuples():
        var = "hub_capacity" if r.kind == "hub" else "link_capacity"
        sel = {"hub": r.id} if r.kind == "hub" else {"link": r.id}
        now = float(sweep[var].sel(scenario=r.scenario, **sel))
        then = float(sweep[var].sel(scenario=base, **sel))
        assert r.capacity_parcels_per_day == now
        assert r.change_vs_base_parcels_per_day == pytest.approx(now - then)


def test_unknown_base_lists_scenarios(sweep):
    with pytest.raises(InputError) as err:
        compare_scenarios(sweep, "2040-x")
    assert "2030-base, 2035-base, 2035-high, 2035-high-co2_300" in str(err.value)


def test_cli_compare_writes_csv_and_markdown(tmp_path, results_file, sweep):
    csv, md = tmp_path / "out" / "cmp.csv", tmp_path / "out" / "cmp.md"
    res = runner.invoke(app, ["compare", str(results_file), "--base", "2030-base",
                              "--csv", str(csv), "--md", str(md), "--lang", "en"])
    assert res.exit_code == 6, res.output  # the synthetic scenarios leave demand unserved
    assert "2035-high-co2_300" in res.output
    df = pd.read_csv(csv)
    ref = float(sweep["total_cost"].sel(scenario="2030-base"))
    np.testing.assert_allclose(df["total_cost_cny_per_day"], sweep["total_cost"].values)
    np.testing.assert_allclose(df["total_cost_cny_per_day_diff"],
                               sweep["total_cost"].values - ref)
    cap = pd.read_csv(tmp_path / "out" / "cmp_capacity.csv")
    assert set(cap["kind"]) <= {"hub", "link"} and len(cap) > 0
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Headline figures: Base = 2030-base")
    assert "Hubs and links that change capacity" in text
    res = runner.invoke(app, ["compare", str(results_file), "--base", "nope",
                              "--csv", str(tmp_path / "no.csv")])
    assert res.exit_code == 2 and "2035-high" in res.output
    assert not (tmp_path / "no.csv").exists()


# ---------------------------------------------------------------- export
def test_excel_reopens_and_matches(tmp_path, sweep):
    path = write_excel(sweep, tmp_path / "out.xlsx", lang="en", forecast="monthly")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["summary", "costs", "CO2", "on-time by class", "on-time by segment",
                            "capacity",
                            "mode split", "hubs", "links", "corridors", "forecasts",
                            "provenance"]
    n_s = sweep.sizes["scenario"]

    summary = sheets["summary"]
    assert "Total cost (CNY/day)" in summary.columns
    assert "CO2 emissions (t CO2/day)" in summary.columns
    assert list(summary["Scenario"]) == list(sweep["scenario"].values)
    np.testing.assert_allclose(summary["Total cost (CNY/day)"], sweep["total_cost"].values)
    np.testing.assert_allclose(summary["Unserved demand (parcels/day)"],
                               sweep["unserved"].values.sum(axis=1))
    np.testing.assert_allclose(summary["Rail (share)"],
                               sweep["mode_share"].sel(mode="rail").values)

    modes = sheets["mode split"]
    assert len(modes) == n_s * sweep.sizes["mode"]
    np.testing.assert_allclose(modes["Line-haul parcel-km (parcel-km/day)"],
                               sweep["parcel_km"].values.ravel())

    hubs = sheets["hubs"]
    assert len(hubs) == n_s * sweep.sizes["hub"]
    np.testing.assert_allclose(hubs["Capacity after expansion (parcels/day)"],
                               sweep["hub_capacity"].values.ravel())
    np.testing.assert_allclose(hubs["Existing (parcels/day)"],
                               np.tile(sweep["hub_capacity_existing"].values, n_s))
    assert list(hubs["Name (中文)"][: sweep.sizes["hub"]]) == list(sweep["hub_name_zh"].values)

    links = sheets["links"]
    np.testing.assert_allclose(links["Flow (parcels/day)"], sweep["link_flow"].values.ravel())
    np.testing.assert_allclose(links["Departures per week (departures/week)"],
                               sweep["link_departures_per_week"].values.ravel())
    assert list(links["Mode"][: sweep.sizes["link"]]) == [
        m.capitalize() for m in sweep["link_mode"].values]  # Road, Rail, ... (translated)

    corridors = sheets["corridors"]
    np.testing.assert_allclose(corridors["Demand (parcels/day)"], sweep["demand"].values.ravel())
    np.testing.assert_allclose(corridors["Air (parcels/day)"],
                               sweep["flow"].sel(mode="air").values.ravel())
    assert "forecasts" in sheets and "provenance" in sheets
    fc = sheets["forecasts"]
    np.testing.assert_allclose(fc["Forecast (mean) (parcels/month)"],
                               sweep["forecast"].sel(stat="mean").values.ravel())


def test_cli_export_chinese_headers(tmp_path, results_file, sweep):
    out = tmp_path / "x" / "out.xlsx"
    res = runner.invoke(app, ["export", str(results_file), "--xlsx", str(out)])
    assert res.exit_code == 0, res.output
    summary = pd.read_excel(out, sheet_name="主要指标")
    assert "总成本（元/日）" in summary.columns
    assert set(summary["状态"]) == {"最优"} and "铁路份额下限" in set(summary["政策"])
    np.testing.assert_allclose(summary["总成本（元/日）"], sweep["total_cost"].values)
    assert [p.name for p in out.parent.iterdir()] == ["out.xlsx"]


def test_export_of_a_failed_scenario_keeps_it_empty(tmp_path):
    ds = build_results(scenarios=SCENARIOS[:2], failed="2035-base")
    sheets = pd.read_excel(write_excel(ds, tmp_path / "f.xlsx", lang="en"), sheet_name=None)
    row = sheets["summary"].set_index("Scenario").loc["2035-base"]
    assert row["Status"] == "Error" and math.isnan(row["Total cost (CNY/day)"])


def test_terminal_capacity_table_shows_the_largest_changes(sweep):
    from netdesign.report.compare import rich_tables

    cmp = compare_scenarios(sweep, "2030-base")
    _, capacity = rich_tables(cmp, "en", max_capacity_rows=3)
    assert capacity.row_count == 3 and f"of {len(cmp.capacity_changes)} rows" in capacity.title
    biggest = cmp.capacity_changes["change_vs_base_parcels_per_day"].abs().nlargest(3)
    shown = [c for c in capacity.columns if c.header.startswith("Change")][0]._cells
    assert sorted(abs(float(x.replace(",", "").replace("−", "-").replace("±", "")))
                  for x in shown) == sorted(biggest.tolist())


def test_excel_analyst_sheets_equal_the_dataset(tmp_path, sweep):
    """Costs, CO2, on-time by class and the annual forecast, checked against sums done here."""
    sheets = pd.read_excel(write_excel(sweep, tmp_path / "a.xlsx", lang="en"), sheet_name=None)
    costs = sheets["costs"].set_index("Scenario")
    np.testing.assert_allclose(costs["Late penalty (CNY/day)"],
                               sweep["cost"].sel(cost_component="late_penalty").values)
    co2 = sheets["CO2"].set_index("Scenario")
    served = (sweep["demand"] - sweep["unserved"]).sum("corridor").values
    np.testing.assert_allclose(co2["CO2 per parcel (kg CO2/parcel)"],
                               sweep["co2"].values * 1000 / served)
    on_time = sheets["on-time by class"]
    s0 = str(sweep["scenario"].values[0])
    dom = on_time[(on_time["Scenario"] == s0)
                  & (on_time["Service class"] == "Domestic, 1 day")].iloc[0]
    mask = sweep["corridor_service_class"].values == "domestic"
    assert dom["Late parcels (parcels/day)"] == pytest.approx(
        float(sweep["late"].isel(scenario=0).values[mask].sum()))
    assert dom["On-time share (share)"] == pytest.approx(
        float(sweep["on_time_share_by_class"].isel(scenario=0).sel(service_class="domestic")))
    fc = sheets["forecasts"]
    months = pd.DatetimeIndex(sweep["forecast_month"].values)
    first = str(sweep["corridor"].values[0])
    year = int(months.year[0])
    row = fc[(fc["Corridor"] == first) & (fc["Year"] == year)].iloc[0]
    expected = float(sweep["forecast"].sel(corridor=first, stat="mean").values[
        months.year == year].sum())
    assert row["Forecast (mean) (parcels/year)"] == pytest.approx(expected)
    assert row["Months forecast"] == int((months.year == year).sum())
    assert len(fc) == sweep.sizes["corridor"] * len(set(months.year))


def test_excel_number_formats_header_style_and_filters(tmp_path, sweep):
    from openpyxl import load_workbook

    wb = load_workbook(write_excel(sweep, tmp_path / "f.xlsx", lang="zh"))
    ws = wb["主要指标"]
    heads = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(heads)}
    row = ws[2]
    assert row[col["总成本（元/日）"]].number_format == "#,##0"
    assert row[col["铁路（比例）"]].number_format == "0.0%"
    assert row[col["MIP 间隙（比例）"]].number_format == "0.00%"
    assert ws[1][0].font.bold and ws.auto_filter.ref.startswith("A1:")
    assert ws.freeze_panes == "B2"


def test_formula_injection_is_written_as_text(tmp_path):
    """Names that a spreadsheet would evaluate (=, +, -, @ and a leading tab) come back as the
    literal text, as text cells: without the escaping openpyxl writes '=...' as a formula."""
    from openpyxl import load_workbook

    evil = ("=HYPERLINK(\"http://x.invalid\",\"click\")", "+1+1", "-2+3", "@SUM(A1)",
            "\t=1+1")
    ds = build_results(scenarios=SCENARIOS[:2], seed=3)
    ds = ds.assign_coords(node_name_zh=("node", [evil[i % len(evil)]
                                                 for i in range(ds.sizes["node"])]),
                          hub_name_zh=("hub", list(evil[1:1 + ds.sizes["hub"]])),
                          scenario=[evil[0], "ok"])
    wb = load_workbook(write_excel(ds, tmp_path / "e.xlsx", lang="zh"))
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value in evil:
                    found.setdefault(c.value, set()).add(c.data_type)
    assert set(found) == set(evil)
    assert all(types == {"s"} for types in found.values()), found
    cell = next(c for c in wb["主要指标"]["A"] if c.value == evil[0])
    assert cell.quotePrefix


def test_comparison_csv_neutralises_formulas(tmp_path):
    from netdesign.report.compare import write_comparison_csv

    ds = build_results(scenarios=SCENARIOS[:2], seed=3).assign_coords(
        scenario=["=1+1", "@cmd"])
    first, _ = write_comparison_csv(compare_scenarios(ds, "=1+1"), tmp_path / "c.csv")
    text = first.read_text(encoding="utf-8")
    assert "'=1+1" in text and "'@cmd" in text
    assert not any(line.startswith(("=", "@")) for line in text.splitlines())
