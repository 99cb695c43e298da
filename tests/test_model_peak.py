"""Peak-season sizing with a utilisation cap (issue 14): capacity rows hold on the design day
(average day x peak factor π) at no more than u of capacity; routing stays on the average day.

Hand-worked cases on `model_fixtures.line_network` (A -> H1 -> H2 -> B, 100 parcels/day) and a
property check on the tiny fixture study (docs/model.md, "Peak-season sizing").
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from model_fixtures import exact_solver, line_network, make_scenario

from netdesign.optimise import design_network
from netdesign.optimise.build import build
from netdesign.optimise.model_data import build_model_data
from netdesign.scenario.build import seasonal_peak_factor
from netdesign.scenario.scenario import Scenario

TINY = Path(__file__).resolve().parent / "fixtures" / "tiny" / "tiny.yaml"


def _with_history(net):
    """`net` with one history month (Dec 2022, 1 parcel on A>B): the results and scenario
    builders need a last history month."""
    import pandas as pd

    return replace(net, history=pd.DataFrame({"corridor_id": ["A>B"], "parcels": [1.0],
                                              "month": [pd.Period("2022-12", "M")]}))


def _hub_line():
    """line_network with H1 sorting 30 parcels/day + modules of 25 (1 CNY/day each)."""
    net = line_network()
    net.hubs.loc["H1", ["capacity_parcels_per_day", "module_parcels_per_day",
                        "module_cost_cny_per_year"]] = [30.0, 25.0, 365.0]
    return net


@pytest.mark.parametrize(("peak", "cap", "modules", "total"), [
    # average day: ceil((100 - 30) / 25) = ceil(2.8) = 3 modules -> 105; 100 x 10 + 3
    (1.0, 1.0, 3, 1003.0),
    # design day 130: ceil((130 - 30) / 25) = 4 modules -> 130 (exactly full); 1,000 + 4
    (1.3, 1.0, 4, 1004.0),
    # 130 at <= 85 %: capacity >= 130 / 0.85 = 152.94; ceil(122.94 / 25) = ceil(4.92) = 5
    # modules -> 155 (4 would give 130 < 152.94); 1,000 + 5
    (1.3, 0.85, 5, 1005.0),
])
def test_hub_modules_follow_the_design_day(peak, cap, modules, total) -> None:
    """Modules at H1 as worked in the parameters; routing (all 100 parcels by rail, 10
    CNY/parcel door to door) and throughput stay on the average day."""
    sc = make_scenario({"A>B": 100}, peak_factor=peak, max_utilisation=cap)
    d = design_network(_hub_line(), sc, exact_solver())
    assert d.hubs.loc["H1", "modules_added"] == modules
    assert d.hubs.loc["H1", "throughput_parcels_per_day"] == pytest.approx(100.0)
    assert d.corridor_flow.loc["A>B", "rail"] == pytest.approx(100.0)
    assert d.costs["total"] == pytest.approx(total)


def test_link_capacity_holds_on_the_design_day() -> None:
    """Rail H1->H2: 60 parcels/day + modules of 50 at 150 CNY/day; rail saves 4 CNY/parcel
    against road (10 vs 14 door to door).
    Average day: m = 1 carries all 100 by rail: 1,000 + 150 = 1,150 (m = 0: 60 rail + 40 road
    = 1,000 + 160 = 1,160).
    π = 1.3: 1.3 f <= 60 + 50 m. m = 0: f = 46.15, road 53.85 -> +215.38; m = 1: f = 110/1.3
    = 84.615, road 15.385 -> 150 + 61.54 = +211.54; m = 2: all rail -> +300. So m = 1, rail
    84.615 parcels/day, total 1,000 + 211.54 = 1,211.54 CNY/day."""
    net = line_network(rail_cap=60, rail_module=50, rail_module_cost_per_day=150)
    base = design_network(net, make_scenario({"A>B": 100}), exact_solver())
    assert base.links.loc["rail", "modules_added"] == 1
    assert base.costs["total"] == pytest.approx(1150.0)
    d = design_network(net, make_scenario({"A>B": 100}, peak_factor=1.3), exact_solver())
    assert d.links.loc["rail", "modules_added"] == 1
    assert d.links.loc["rail", "flow_parcels_per_day"] == pytest.approx(110.0 / 1.3)
    assert d.costs["total"] == pytest.approx(1000.0 + 150.0 + 4.0 * (100.0 - 110.0 / 1.3))


def _tiny():
    from netdesign.pipeline import load_study

    net = load_study(TINY).network
    h = net.history
    demand = h[h["month"].dt.year == 2024].groupby("corridor_id")["parcels"].sum() / 366.0
    return net, demand


def _hub_ratios(peak: float, cap: float):
    net, demand = _tiny()
    sc = Scenario(name="tiny", year=2024, demand=demand, peak_factor=peak, max_utilisation=cap)
    d = design_network(net, sc, exact_solver())
    assert d.report.status == "optimal"
    hubs = d.hubs[np.isfinite(d.hubs["capacity_parcels_per_day"])
                  & (d.hubs["throughput_parcels_per_day"] > 0)]
    return hubs["capacity_parcels_per_day"] / hubs["throughput_parcels_per_day"]


def test_tiny_study_hubs_sized_for_the_design_day() -> None:
    """Every hub with finite capacity and throughput: capacity / average-day throughput
    >= 1.3 with π = 1.3, u = 1, and >= 1.3 / 0.85 = 1.529 with u = 0.85. On the average day
    some hub is fuller than 1/1.3 (ratio < 1.3), so the first check is not vacuous."""
    assert (_hub_ratios(1.0, 1.0) < 1.3).any()
    assert (_hub_ratios(1.3, 1.0) >= 1.3 - 1e-6).all()
    assert (_hub_ratios(1.3, 0.85) >= 1.3 / 0.85 - 1e-6).all()


def _matrix(sc: Scenario):
    net, _ = _tiny()
    model = build(build_model_data(net, sc), "path").model
    return model, model.compile()


def test_defaults_give_the_old_matrix_and_peak_scales_only_capacity_flows() -> None:
    """π = u = 1 (explicit) is the default model entry by entry; π = 1.3 multiplies exactly the
    flow coefficients of `hub_capacity` and `link_capacity` rows by 1.3 and changes nothing
    else in the matrix, row bounds or costs (column bounds: only module upper bounds)."""
    net, demand = _tiny()
    base_m, base = _matrix(Scenario(name="t", year=2024, demand=demand))
    one_m, one = _matrix(Scenario(name="t", year=2024, demand=demand, peak_factor=1.0,
                                  max_utilisation=1.0))
    assert one_m.row_names() == base_m.row_names()
    assert (one.A != base.A).nnz == 0
    for f in ("c", "row_lower", "row_upper", "col_lower", "col_upper", "integrality"):
        assert np.array_equal(getattr(one, f), getattr(base, f))
    pk_m, pk = _matrix(Scenario(name="t", year=2024, demand=demand, peak_factor=1.3))
    assert pk_m.row_names() == base_m.row_names()
    assert pk_m.column_names() == base_m.column_names()
    rows = np.array([n.startswith(("hub_capacity[", "link_capacity[")) for n in
                     base_m.row_names()])
    flow_cols = np.array([n.startswith(("x[", "link_flow[")) for n in base_m.column_names()])
    a, b = base.A.tocoo(), pk.A.tocoo()
    assert np.array_equal(a.row, b.row) and np.array_equal(a.col, b.col)
    scaled = rows[a.row] & flow_cols[a.col]
    assert scaled.sum() > 0
    assert np.allclose(b.data[scaled], 1.3 * a.data[scaled])
    assert np.array_equal(b.data[~scaled], a.data[~scaled])
    assert np.array_equal(pk.row_upper, base.row_upper)
    assert np.array_equal(pk.c, base.c)


def test_seasonal_peak_factor_hand_year() -> None:
    """One corridor, 2023 (365 days): every month 30.5 x 100 parcels except a 30-day November
    at 30 x 124 = 3,720. Year: 11 x 3,050 + 3,720 = 37,270 -> 102.11/day; November 124/day:
    factor 124 / 102.11 = 1.2144. A flat year (every month 100/day) gives exactly 1."""
    import pandas as pd

    net = line_network()
    months = pd.date_range("2023-01-01", periods=12, freq="MS")
    vals = [124.0 * 30 if m.month == 11 else 3050.0 for m in months]
    fc = pd.DataFrame({"series_id": "A>B", "date": months, "mean": vals})
    assert seasonal_peak_factor(fc, net, 2023) == pytest.approx(124.0 / (37270.0 / 365.0))
    flat = fc.assign(mean=[100.0 * m.days_in_month for m in months])
    assert seasonal_peak_factor(flat, net, 2023) == pytest.approx(1.0)


def test_forecast_peak_factor_reaches_the_scenario() -> None:
    """`planning.peak_factor: forecast` puts the hand year's 1.2144 (previous test) into the
    scenario built for 2023; the cap passes through unchanged."""
    import pandas as pd

    from netdesign.config.schema import ScenarioConfig, StudyConfig
    from netdesign.scenario.build import build_scenario

    net = _with_history(line_network())
    months = pd.date_range("2023-01-01", periods=12, freq="MS")
    vals = [124.0 * 30 if m.month == 11 else 3050.0 for m in months]
    fc = pd.DataFrame({"series_id": "A>B", "date": months, "mean": vals})
    cfg = StudyConfig(name="t", planning={"peak_factor": "forecast", "max_utilisation": 0.9})
    sc = build_scenario(cfg, ScenarioConfig(year=2023), "t", fc, net)
    assert sc.peak_factor == pytest.approx(124.0 / (37270.0 / 365.0))
    assert sc.max_utilisation == 0.9
    assert sc.demand["A>B"] == pytest.approx(37270.0 / 365.0)


def test_results_report_average_and_peak_utilisation() -> None:
    """π = 1.3, u = 0.85 on the hub line (5 modules, H1 capacity 155): average-day use
    100/155 = 0.645, design-day use 130/155 = 0.839 <= 0.85; summary.csv columns carry
    π, u and the largest design-day hub use (H2 is uncapacitated: use 0)."""
    from netdesign.results.dataset import design_to_dataset, summary_table

    net = _hub_line()
    sc = make_scenario({"A>B": 100}, peak_factor=1.3, max_utilisation=0.85)
    ds = design_to_dataset(net, sc, design_network(net, sc, exact_solver()))
    h1 = ds.sel(scenario="test", hub="H1")
    assert float(h1["hub_utilisation"]) == pytest.approx(100.0 / 155.0)
    assert float(h1["hub_utilisation_peak"]) == pytest.approx(130.0 / 155.0)
    row = summary_table(ds).iloc[0]
    assert row["peak_factor"] == 1.3 and row["max_utilisation"] == 0.85
    assert row["max_hub_utilisation_peak"] == pytest.approx(130.0 / 155.0)
    # results.nc attributes: the configured planning section ("forecast" kept as the word)
    from netdesign.config.schema import StudyConfig
    from netdesign.pipeline import Study
    from netdesign.results.dataset import combine_results

    cfg = StudyConfig(name="t", planning={"peak_factor": 1.3, "max_utilisation": 0.85})
    both = combine_results([ds], Study(cfg, _with_history(net)), None)
    assert (both.attrs["peak_factor"], both.attrs["max_utilisation"]) == (1.3, 0.85)
    cfg = StudyConfig(name="t", planning={"peak_factor": "forecast"})
    word = combine_results([ds], Study(cfg, _with_history(net)), None)
    assert word.attrs["peak_factor"] == "forecast"
