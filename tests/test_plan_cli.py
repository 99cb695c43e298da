"""`netdesign plan` on the tiny study: bad input exits 2 naming the key and writes nothing;
a plan writes results.nc with a `period` dimension and build_schedule.csv, and the myopic plan
never costs less than perfect foresight."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from test_study_api import flat_forecasts
from typer.testing import CliRunner

from netdesign.cli.main import app
from netdesign.config.loader import load_config
from netdesign.errors import InputError
from netdesign.pipeline import load_study
from netdesign.plan import run_plan


def _config(tmp_path, tiny_config, **planning):
    cfg = yaml.safe_load(tiny_config.read_text())
    cfg["data"] = {"dir": str(tiny_config.parent)}
    cfg["planning"] = planning
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(cfg))
    return path


def test_periods_not_ascending_and_budget_of_no_period(tmp_path, tiny_config):
    cfg = _config(tmp_path, tiny_config, periods=[2030, 2025], budget_cny={2040: 1e9})
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["plan", str(cfg), "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "planning" in res.output and "periods" in res.output
    assert "strictly ascending (2030 -> 2025)" in res.output
    assert "budget_cny.2040" in res.output
    assert not out.exists()


def test_unknown_committed_hub_and_period_before_history_at_once(tmp_path, tiny_config):
    """The hub and the period are both named in one error (history starts 2019-01)."""
    cfg = _config(tmp_path, tiny_config, periods=[2010, 2025],
                  committed=[{"hub": "NOPE", "by": 2025}])
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["plan", str(cfg), "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "planning.committed[0].hub" in res.output and "'NOPE'" in res.output
    assert "planning.periods[0]" in res.output and "2010" in res.output
    assert not out.exists()


def test_period_without_forecasts(tmp_path, tiny_config):
    """Saved forecasts cover 2025-2030: the 2035 period is named, nothing is written."""
    cfg = _config(tmp_path, tiny_config, periods=[2025, 2030, 2035])
    study = load_study(load_config(cfg))
    out = tmp_path / "out"
    with pytest.raises(InputError) as err:
        run_plan(study, out, forecasts=flat_forecasts(study.network))
    assert err.value.exit_code == 2
    where = {p.location for p in err.value.problems}
    assert where == {"planning.periods[2]"}
    assert not out.exists() or not any(out.iterdir())


@pytest.fixture(scope="module")
def tiny_plan(tmp_path_factory, tiny_config):
    tmp = tmp_path_factory.mktemp("plan")
    cfg = _config(tmp, tiny_config, periods=[2025, 2030], peak_factor=1.3,
                  max_utilisation=0.85, cases={"growth": "high"},
                  committed=[{"hub": "PORT_NGB", "by": 2025, "modules": 1}])
    text = yaml.safe_load(cfg.read_text())
    text["solver"]["mip_rel_gap"] = 0.0
    cfg.write_text(yaml.safe_dump(text))
    study = load_study(load_config(cfg))
    out = tmp / "out"
    run = run_plan(study, out, forecasts=flat_forecasts(study.network))
    return run, out


def test_plan_outputs(tiny_plan):
    """results.nc: one scenario per period, `period` x hub capacity and throughput, the
    plan's JSON; build_schedule.csv as the schedule; capacity never decreases and holds the
    design day (1.3 / 0.85 x the average day) at every capacitated hub; the committed module
    at PORT_NGB is built by 2025."""
    run, out = tiny_plan
    assert run.plan.report.status == "optimal"
    ds = xr.open_dataset(out / "results.nc")
    assert list(ds["period"].values) == [2025, 2030]
    assert list(ds["scenario"].values.astype(str)) == ["plan_2025", "plan_2030"]
    cap = ds["period_hub_capacity"].to_numpy()
    thr = ds["period_hub_throughput"].to_numpy()
    assert ((cap[1:] >= cap[:-1] - 1e-9) | np.isposinf(cap[1:])).all()
    links = ds["period_link_capacity"].to_numpy()
    assert ((links[1:] >= links[:-1] - 1e-9) | np.isposinf(links[1:])).all()
    finite = np.isfinite(cap)
    assert (cap[finite] >= 1.3 / 0.85 * thr[finite] - 1e-6).all()
    assert ds["period_hub_capacity"].attrs["units"] == "parcels/day"
    plan = json.loads(ds.attrs["plan"])
    assert plan["periods"] == [2025, 2030]
    sched = pd.read_csv(out / "build_schedule.csv")
    assert list(sched.columns) == ["what", "where", "period", "modules",
                                   "capacity_parcels_per_day", "capital_cost_cny", "npv_cny"]
    port = sched[(sched["where"] == "PORT_NGB") & (sched["period"] == 2025)]
    assert port["modules"].sum() >= 1
    summary = pd.read_csv(out / "plan_summary.csv")
    assert list(summary["plan"]) == ["perfect_foresight", "myopic"]
    ds.close()


def test_myopic_costs_at_least_perfect_foresight_on_the_tiny_study(tiny_plan):
    """Solved to a zero gap: the myopic plan is a feasible plan of the perfect-foresight MIP,
    so its net present cost cannot be lower."""
    run, _out = tiny_plan
    assert run.myopic is not None
    assert run.myopic.npv["total"] >= run.plan.npv["total"] * (1 - 1e-9)
    assert run.plan.report.objective == pytest.approx(run.plan.npv["total"], rel=1e-6)


def test_report_draws_the_build_schedule(tiny_plan):
    """A plan's report has the build-schedule section with one capacity bar trace per
    period; a normal run's report has none (report/plan.has_plan)."""
    from netdesign.report.html import render_report
    from netdesign.report.plan import fig_build_schedule, has_plan
    from netdesign.results.io import read_results

    _run, out = tiny_plan
    ds = read_results(out)
    assert has_plan(ds)
    html = render_report(ds, "en")
    assert "sec-build_schedule" in html and "Build schedule" in html
    fig = fig_build_schedule(ds, "en")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert [b.name for b in bars] == ["2025 capacity", "2030 capacity"]
    assert not has_plan(ds.drop_vars(["period_hub_capacity", "period_hub_throughput",
                                      "period_link_capacity", "myopic_hub_capacity"])
                        .drop_dims("period"))


def test_excel_export_has_the_build_schedule(tiny_plan, tmp_path):
    """The workbook of a plan gets a `build schedule` sheet equal to build_schedule.csv."""
    from openpyxl import load_workbook

    from netdesign.report.export import write_excel
    from netdesign.results.io import read_results

    _run, out = tiny_plan
    path = write_excel(read_results(out), tmp_path / "plan.xlsx", lang="en")
    sheet = load_workbook(path, read_only=True)["build schedule"]
    rows = list(sheet.iter_rows(values_only=True))
    csv = pd.read_csv(out / "build_schedule.csv")
    assert len(rows) == len(csv) + 1
    assert [r[1] for r in rows[1:]] == list(csv["where"])
