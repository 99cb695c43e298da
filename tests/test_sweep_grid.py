"""Sweep grid expansion, scenario names and resume keys (pure, fast)."""

from __future__ import annotations

import re

import pytest

from netdesign.config.loader import parse_config
from netdesign.config.schema import ScenarioConfig
from netdesign.errors import InputError
from netdesign.scenario.grid import expand_sweep, scenario_key, scenario_name, study_fingerprint


def _cfg(sweep: dict | None = None, **extra):
    raw = {
        "name": "t",
        "growth_cases": {"base": 0.0, "high": 0.03},
        "cost_cases": {"base": {}, "dear_road": {"road": 1.3}},
        "policies": {"none": {}, "rail_push": {"mode_share": {"rail": {"min": 0.2}}}},
        **extra,
    }
    if sweep is not None:
        raw["sweep"] = sweep
    return parse_config(raw, "study.yaml")


def test_name_lists_every_case_in_fixed_order():
    sc = ScenarioConfig(year=2035, growth="high", costs="base", carbon_price_cny_per_t=200,
                        policy="rail_push")
    assert scenario_name(sc) == "2035_g-high_c-base_co2-200_p-rail_push"
    assert scenario_name(sc.model_copy(update={"carbon_price_cny_per_t": 12.5})) == \
        "2035_g-high_c-base_co2-12.5_p-rail_push"
    assert scenario_name(sc.model_copy(update={"demand_quantile": "hi_95"})).endswith("_q-hi_95")


def test_explicit_name_wins_and_unsafe_chars_are_replaced():
    assert scenario_name(ScenarioConfig(name="my_run.v2", year=2025)) == "my_run.v2"
    sc = ScenarioConfig(year=2025, policy="green/2030 plan")
    assert scenario_name(sc) == "2025_g-base_c-base_co2-0_p-green-2030-plan"


def test_grid_is_cartesian_product_year_outermost():
    cfg = _cfg({"axes": {"policy": ["none", "rail_push"], "year": [2025, 2035],
                         "growth": ["base", "high"], "carbon_price_cny_per_t": [0, 200]}})
    scs = expand_sweep(cfg)
    assert len(scs) == 2 * 2 * 2 * 2
    assert [s.year for s in scs[:8]] == [2025] * 8
    assert scs[0].name == "2025_g-base_c-base_co2-0_p-none"
    assert scs[1].name == "2025_g-base_c-base_co2-0_p-rail_push"
    assert scs[2].name == "2025_g-base_c-base_co2-200_p-none"
    assert scs[-1].name == "2035_g-high_c-base_co2-200_p-rail_push"
    assert len({s.name for s in scs}) == 16
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+", s.name) for s in scs)
    # stable: expanding again gives the same list
    assert [s.name for s in expand_sweep(cfg)] == [s.name for s in scs]


def test_years_default_to_baseline_scenarios_and_explicit_scenarios_follow():
    cfg = _cfg({"axes": {"growth": ["base", "high"]},
                "scenarios": [{"name": "stress", "year": 2035, "growth": "high",
                               "demand_quantile": "hi_95"},
                              {"year": 2030, "costs": "dear_road"}]})
    names = [s.name for s in expand_sweep(cfg)]
    assert names == ["2025_g-base_c-base_co2-0_p-none", "2025_g-high_c-base_co2-0_p-none",
                     "2035_g-base_c-base_co2-0_p-none", "2035_g-high_c-base_co2-0_p-none",
                     "stress", "2030_g-base_c-dear_road_co2-0_p-none"]


def test_no_sweep_section_sweeps_the_baseline():
    assert [s.name for s in expand_sweep(_cfg())] == ["2025_g-base_c-base_co2-0_p-none",
                                                      "2035_g-base_c-base_co2-0_p-none"]


def test_bad_axis_values_are_all_reported_with_key_paths():
    cfg = _cfg({"axes": {"year": [2025, 2025, 1800], "carbon_price_cny_per_t": [-5, 100, 100.0],
                         "demand_quantile": ["median"]}})
    with pytest.raises(InputError) as exc:
        expand_sweep(cfg, "study.yaml")
    where = {p.location for p in exc.value.problems}
    assert where == {"sweep.axes.year[1]", "sweep.axes.year[2]",
                     "sweep.axes.carbon_price_cny_per_t[0]",
                     "sweep.axes.carbon_price_cny_per_t[2]", "sweep.axes.demand_quantile[0]"}
    assert all(p.source == "study.yaml" for p in exc.value.problems)


def test_unknown_case_is_rejected():
    # The config validator already rejects unknown cases at load time ...
    with pytest.raises(InputError, match="sweep.axes.growth"):
        _cfg({"axes": {"growth": ["base", "boom"]}})


def test_duplicate_names_are_rejected():
    cfg = _cfg({"axes": {"year": [2025]},
                "scenarios": [{"year": 2025}, {"name": "x", "year": 2035},
                              {"name": "x", "year": 2030}]})
    with pytest.raises(InputError) as exc:
        expand_sweep(cfg)
    locs = [p.location for p in exc.value.problems]
    assert "sweep.scenarios[0]" in locs      # same name as the grid's 2025 scenario
    assert "sweep.scenarios[2]" in locs      # second "x"


def test_unsafe_explicit_name_is_rejected_with_the_config():
    """The name rule is part of the config (every command), not only of the sweep."""
    with pytest.raises(InputError) as exc:
        _cfg({"axes": {"year": [2025]}, "scenarios": [{"name": "../etc", "year": 2030}]})
    (p,) = exc.value.problems
    assert (p.location, p.value) == ("sweep.scenarios[0].name", "../etc")
    assert "letters, digits" in p.expected


def test_key_depends_on_inputs_not_on_name_or_unrelated_cases():
    cfg = _cfg({"axes": {"year": [2025]}})
    fp = study_fingerprint(cfg, "v1")
    sc = ScenarioConfig(year=2035, growth="high", policy="rail_push")
    k = scenario_key(fp, sc, cfg)
    assert k == scenario_key(fp, sc.model_copy(update={"name": "renamed"}), cfg)
    assert k != scenario_key(fp, sc.model_copy(update={"carbon_price_cny_per_t": 1}), cfg)
    assert k != scenario_key(study_fingerprint(cfg, "v2"), sc, cfg)
    assert k != scenario_key(fp, sc, cfg, version="9.9")
    # a changed definition of the policy the scenario uses changes the key ...
    cfg2 = _cfg({"axes": {"year": [2025]}},
                policies={"none": {}, "rail_push": {"mode_share": {"rail": {"min": 0.3}}}})
    assert k != scenario_key(study_fingerprint(cfg2, "v1"), sc, cfg2)
    # ... a new, unused case or a different solver thread count does not
    cfg3 = _cfg({"axes": {"year": [2025]}}, growth_cases={"base": 0.0, "high": 0.03, "low": -0.01},
                solver={"threads": 2})
    assert k == scenario_key(study_fingerprint(cfg3, "v1"), sc, cfg3)
    # but a different time limit does
    cfg4 = _cfg({"axes": {"year": [2025]}}, solver={"time_limit_s": 5})
    assert k != scenario_key(study_fingerprint(cfg4, "v1"), sc, cfg4)
    # and so does the design day (issue 14: planning.peak_factor sizes every hub)
    cfg5 = _cfg({"axes": {"year": [2025]}}, planning={"peak_factor": 1.25})
    assert k != scenario_key(study_fingerprint(cfg5, "v1"), sc, cfg5)
