"""Honest status: a scenario stopped at a time limit, with a gap above the configured
tolerance or with unserved demand is flagged in the report, in `compare`, and in the exit code
of `netdesign sweep` (5: every scenario has a solution but some did not reach their gap).

The time-limited solve is made by wrapping the real `solve_scenario` so that one scenario's
report says what HiGHS says when it stops at its time limit with an incumbent (status
"feasible", termination "Time limit reached", a 58 % gap, the case of issue 19); the other
scenarios are solved normally.
"""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from report_fixtures import build_results
from typer.testing import CliRunner

from netdesign.cli.main import app
from netdesign.report import status
from netdesign.report.compare import compare_scenarios, headline_rows
from netdesign.report.html import render_report

runner = CliRunner()


def _time_limited(ds: xr.Dataset, name: str, gap: float = 0.58) -> xr.Dataset:
    ds = ds.copy(deep=True)
    ds["status"].loc[{"scenario": name}] = "feasible"
    ds["mip_gap"].loc[{"scenario": name}] = gap
    reports = json.loads(ds.attrs["solver_reports"])
    reports[name].update(status="feasible", termination="Time limit reached", gap=gap,
                         options={"mip_rel_gap": 0.005})
    ds.attrs["solver_reports"] = json.dumps(reports)
    return ds


def test_flags_from_status_gap_and_unserved():
    ds = build_results()
    ds["unserved"][:] = 0.0
    ds["unserved"].loc[{"scenario": "2035-high"}] = 3.0  # 3 parcels/day over 8 corridors
    ds = _time_limited(ds, "2035-high-co2_300")
    ds["mip_gap"].loc[{"scenario": "2030-base"}] = 0.02  # above the config's 0.01, no limit
    health = status.scenario_health(ds)
    assert health["2030-base"].flags == ("gap",)
    assert health["2035-high"].flags == ("unserved",)
    assert health["2035-high"].unserved_parcels_per_day == pytest.approx(24.0)
    assert health["2035-high-co2_300"].flags == ("time_limit", "gap")
    assert health["2035-high-co2_300"].gap_tolerance == 0.005  # the solve's own option
    assert health["2030-base"].gap_tolerance == 0.01  # config_yaml solver.mip_rel_gap
    assert status.gap_not_reached(ds) == ["2030-base", "2035-high-co2_300"]


def test_failed_scenario_is_no_solution_not_gap():
    ds = build_results(failed="2035-high")
    health = status.scenario_health(ds)
    assert health["2035-high"].flags == ("no_solution",)
    assert "2035-high" not in status.gap_not_reached(ds)


def test_time_limited_scenario_flagged_in_table_charts_and_compare():
    ds = _time_limited(build_results(), "2035-high")
    page = render_report(ds, "en")
    table = re.search(r"<table class='data summary'>.*?</table>", page, re.S).group(0)
    row = re.search(r"<tr class='flagged'><td title='2035-high'>.*?</tr>", table, re.S)
    assert row is not None
    assert "stopped at the solver&#x27;s time limit" in row.group(0)
    assert "gap 58.0% above the configured 0.5%" in row.group(0)
    assert "Feasible (not proven optimal)" in row.group(0)
    specs = json.loads(re.search(r"id='report-specs'>(.*?)</script>", page, re.S).group(1)
                       .replace("<\\/", "</"))
    co2 = specs["co2"]["data"][0]
    k = co2["customdata"].index("2035-high")
    assert co2["marker"]["pattern"]["shape"][k] == "/"  # hatched bar
    assert "⚠" in co2["x"][k]
    head, rows = headline_rows(compare_scenarios(ds, "2030-base"), "en")
    flagged = next(r for r in rows if r[0] == "2035-high")
    assert "time limit" in flagged[1] and "Feasible" in flagged[1]


@pytest.mark.slow
def test_sweep_exits_5_and_names_the_time_limited_scenario(tiny_config, tmp_path, monkeypatch):
    import netdesign.pipeline as pipeline

    raw = yaml.safe_load(tiny_config.read_text(encoding="utf-8"))
    raw["data"]["dir"] = str(tiny_config.parent.resolve())
    raw["forecast"]["backtest_origins"] = 0
    raw["sweep"] = {"axes": {"year": [2025], "carbon_price_cny_per_t": [0, 200]}}
    cfg = tmp_path / "sweep.yaml"
    cfg.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    names = runner.invoke(app, ["sweep", str(cfg), "--list"]).output.split()
    assert len(names) == 2
    stopped = names[1]
    real = pipeline.solve_scenario

    def solve(network, scenario, solver, lp_path=None):
        design = real(network, scenario, solver, lp_path=lp_path)
        if scenario.name == stopped:
            design.report = dataclasses.replace(
                design.report, status="feasible", termination="Time limit reached",
                mip_gap=0.58, message="stopped (Time limit reached) with an incumbent")
        return design

    monkeypatch.setattr(pipeline, "solve_scenario", solve)
    out = tmp_path / "out"
    res = runner.invoke(app, ["sweep", str(cfg), "--out", str(out), "--workers", "0", "-q"])
    assert res.exit_code == 5, res.output
    assert "did not reach their MIP gap" in res.output and stopped in res.output
    summary = pd.read_csv(out / "summary.csv").set_index("scenario")
    assert summary.loc[stopped, "status"] == "feasible"
    assert np.isfinite(summary.loc[stopped, "total_cost_cny_per_day"])
    page = out / "r.html"
    res = runner.invoke(app, ["report", str(out), "--out", str(page), "--lang", "zh"])
    assert res.exit_code == 0, res.output
    html = page.read_text(encoding="utf-8")
    row = re.search(rf"<tr class='flagged'><td title='{re.escape(stopped)}'>.*?</tr>", html,
                    re.S)
    assert row is not None and "达到求解时限后停止" in row.group(0)
    other = re.search(rf"<tr[^>]*><td title='{re.escape(names[0])}'>", html)
    assert other is not None


def test_compare_exits_6_naming_flagged_scenarios_and_0_when_none(tmp_path):
    """`netdesign compare` prints and writes its tables in both cases; it exits
    EXIT_FLAGGED (6) when a compared scenario is flagged (here: one stopped at its time limit
    with a 58 % gap), naming it and not the others, and 0 on the same results once nothing
    is flagged (no unserved demand, every gap within the tolerance)."""
    from netdesign.errors import EXIT_FLAGGED

    ds = build_results()
    ds["unserved"][:] = 0.0
    ds["mip_gap"][:] = 0.001  # below the config's 0.01
    reports = json.loads(ds.attrs["solver_reports"])
    for r in reports.values():
        r["gap"] = 0.001
    ds.attrs["solver_reports"] = json.dumps(reports)
    clean = tmp_path / "clean.nc"
    ds.to_netcdf(clean)
    res = runner.invoke(app, ["compare", str(clean), "--base", "2030-base", "--lang", "en",
                              "--csv", str(tmp_path / "clean.csv")])
    assert res.exit_code == 0, res.output
    limited = tmp_path / "limited.nc"
    _time_limited(ds, "2035-high").to_netcdf(limited)
    res = runner.invoke(app, ["compare", str(limited), "--base", "2030-base", "--lang", "en",
                              "--csv", str(tmp_path / "limited.csv")])
    assert EXIT_FLAGGED == 6 and res.exit_code == 6, res.output
    assert (tmp_path / "limited.csv").is_file()  # the tables are written all the same
    flagged = [ln for ln in res.output.splitlines() if ln.strip().startswith("2035")]
    assert len(flagged) == 1 and "2035-high:" in flagged[0]
    assert "time limit" in flagged[0] and "58.0%" in flagged[0]
