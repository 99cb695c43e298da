"""`pipeline.solve_scenarios`: the study's scenarios solved side by side on Dask process
workers give the same designs as one after another, and the longest solves start first."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from netdesign.pipeline import (
    build_scenario,
    forecast_study,
    load_study,
    solve_order,
    solve_scenarios,
)


def _scenario(total: float) -> SimpleNamespace:
    return SimpleNamespace(demand=pd.Series([total / 2, total / 2]))


def test_largest_demand_starts_first_ties_in_study_order():
    # totals 9.0, 16.5, 16.5, 3.0 M parcels/day -> 16.5 (2nd), 16.5 (3rd), 9.0, 3.0
    scenarios = [_scenario(9.0e6), _scenario(16.5e6), _scenario(16.5e6), _scenario(3.0e6)]
    assert solve_order(scenarios) == [1, 2, 0, 3]


@pytest.fixture(scope="module")
def tiny_scenarios(tiny_config):
    study = load_study(tiny_config)
    forecasts = forecast_study(study, progress=False)
    return study, [build_scenario(study, sc, forecasts) for sc in study.cfg.scenarios]


@pytest.mark.distributed
def test_side_by_side_matches_one_after_another(tiny_scenarios):
    study, scenarios = tiny_scenarios
    assert len(scenarios) == 2
    solver = study.cfg.solver.model_copy(update={"scenario_workers": 1})
    serial = solve_scenarios(study.network, scenarios, solver)
    parallel = solve_scenarios(study.network, scenarios,
                               solver.model_copy(update={"scenario_workers": 2}))
    for s, p, sc in zip(serial, parallel, scenarios, strict=True):
        assert p.report.status == s.report.status == "optimal", sc.name
        # the same model and HiGHS seed, so the same optimum in another process
        np.testing.assert_allclose(p.report.objective, s.report.objective, rtol=1e-9)
    # results come back in the order given, not in the order the solves finished
    assert serial[0].report.objective < serial[1].report.objective  # 2025 < 2030 demand
