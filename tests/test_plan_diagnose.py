"""Diagnosis of an infeasible plan (`optimise.plan_diagnose`): the period and the family that
make it infeasible, on the hand case of tests/test_model_plan.py (A -> H1 -> H2 -> B; H1 sorts
30 parcels/day and adds modules of 25; demand 50 parcels/day in 2025 and 100 in 2030; no
unserved slack). With r = 0 and the data's basis, one module's capex is K = 20 x 365 =
7,300 CNY. 2025 needs ceil((50 − 30)/25) = 1 module, 2030 ceil((100 − 30)/25) = 3 in all.
"""

from __future__ import annotations

import json

import xarray as xr
import yaml
from model_fixtures import exact_solver
from test_model_plan import _costs, _datas, _net
from test_plan_cli import _config
from test_study_api import flat_forecasts
from typer.testing import CliRunner

from netdesign.cli.main import app
from netdesign.optimise.multiperiod import Commitment, solve_plan
from netdesign.optimise.plan_diagnose import diagnose_plan, explain_infeasible_plan

K = 7_300.0  # CNY of capex per H1 module


def _plan_datas(demands=(50, 100)):
    return _datas(_net(), list(demands), allow_unserved=False)


def test_a_budget_too_small_in_2030_is_named():
    """Budgets 2025: K (1 module), 2030: K (1 module): 2 modules by 2030 where 3 are needed.
    Each period alone is feasible, so is the plan with the 2025 budget only (1 + 2); the
    2030 budget breaks it: "budget 2030"."""
    datas, costs = _plan_datas(), _costs()
    budgets = {2025: K, 2030: K}
    plan = solve_plan(datas, costs, exact_solver(), budgets=budgets)
    assert plan.report.status == "infeasible"
    d = diagnose_plan(datas, costs, exact_solver(), budgets=budgets)
    assert (d.family, d.name, d.period) == ("budget", "budget 2030", 2030)
    assert [(c.what, c.outcome) for c in d.checks] == [
        ("period 2025 alone", "feasible"), ("period 2030 alone", "feasible"),
        ("all periods, no budget, no commitment", "feasible"),
        ("with budget 2025", "feasible"), ("with budget 2030", "infeasible")]
    assert "2025: 7,300 CNY" in d.message  # the earlier budget it is read with
    plan = explain_infeasible_plan(plan, datas, costs, exact_solver(), budgets=budgets)
    assert plan.report.message.startswith("infeasible (budget 2030): budget 2030 (7,300 CNY")
    assert "budget 2030" in plan.report.diagnosis.message


def test_a_commitment_that_cannot_be_built_by_its_year_is_named():
    """3 modules committed at H1 by 2025 with a 2025 budget of one module's capex: the budget
    alone is fine (1 in 2025, 2 in 2030), the commitment is not; without budgets it is."""
    datas, costs = _plan_datas(), _costs()
    commit = Commitment("H1", 2025, 3)
    d = diagnose_plan(datas, costs, exact_solver(), budgets={2025: K}, commitments=[commit])
    assert (d.family, d.name, d.period) == ("commitment", "commitment H1 (3 modules) by 2025",
                                            2025)
    assert d.checks[-1].what == "commitment H1 (3 modules) by 2025, no budget"
    assert d.checks[-1].outcome == "feasible"
    assert "within the budgets of the periods up to 2025 (2025: 7,300 CNY)" in d.message


def test_an_infeasible_period_is_named_with_its_own_diagnosis():
    """H1 may have at most 2 modules (30 + 2 x 25 = 80 parcels/day): 2025 (50) is feasible,
    2030 (100) is not, even alone; the single-period diagnosis names H1's capacity row."""
    net = _net()
    net.hubs.loc["H1", "max_modules"] = 2
    datas = _datas(net, [50, 100], allow_unserved=False)
    d = diagnose_plan(datas, _costs(), exact_solver())
    assert (d.family, d.name, d.period) == ("period", "period 2030", 2030)
    assert [c.outcome for c in d.checks] == ["feasible", "infeasible"]
    assert d.message.startswith("period 2030: its own demand and capacity")
    assert "H1" in d.period_diagnosis.hubs


def test_cli_names_the_commitment_and_exits_4(tmp_path, tiny_config):
    """`netdesign plan` on the tiny study with PORT_NGB's module committed by 2025 and no
    capex allowed in 2025: exit 4 (as any infeasible run); the error, the solve report in
    plan_report.json and each period's message in results.nc (shown by the report) name the
    commitment."""
    cfg = _config(tmp_path, tiny_config, periods=[2025, 2030], budget_cny={2025: 0},
                  committed=[{"hub": "PORT_NGB", "by": 2025, "modules": 1}])
    from netdesign.config.loader import load_config
    from netdesign.pipeline import load_study

    study = load_study(load_config(cfg))
    fc = tmp_path / "forecasts.csv"
    flat_forecasts(study.network).to_csv(fc, index=False)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["plan", str(cfg), "--out", str(out), "--forecasts",
                                   str(fc), "-q", "--no-myopic"])
    assert res.exit_code == 4, res.output
    text = " ".join(res.output.split())
    assert "commitment PORT_NGB (1 module) by 2025" in text
    rep = json.loads((out / "plan_report.json").read_text())
    assert "commitment PORT_NGB (1 module) by 2025" in rep["report"]["message"]
    assert "commitment PORT_NGB" in rep["report"]["diagnosis"]["message"]
    with xr.open_dataset(out / "results.nc") as ds:  # each period's status message (report)
        assert all("commitment PORT_NGB (1 module) by 2025" in str(m)
                   for m in ds["message"].values)
    assert yaml.safe_load(cfg.read_text())["planning"]["budget_cny"] == {2025: 0}
