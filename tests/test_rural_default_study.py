"""The default study's rural tier (issue 15): its data, and every village served at least 3
times a week in every baseline scenario, with the coverage table in the report."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from netdesign.config.loader import load_config
from netdesign.data.loader import load_network

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "hangzhou.yaml"
DATA = ROOT / "netdesign" / "data" / "default" / "hangzhou"


@pytest.fixture(scope="module")
def network():
    return load_network(load_config(CONFIG))


def test_rural_tables_load_and_add_up(network) -> None:
    """Five rural counties, 95 townships, 1,499 villages (DATA_SOURCES.md, "Rural tier");
    every county is a rural node and its villages are the sum of its townships'."""
    counties, towns = network.rural["counties"], network.rural["townships"]
    assert sorted(counties.index) == ["HZ_CHUNAN", "HZ_FUYANG", "HZ_JIANDE", "HZ_LINAN",
                                      "HZ_TONGLU"]
    assert len(towns) == 95
    assert int(counties["villages"].sum()) == 1499 == int(towns["villages"].sum())
    assert counties.loc["HZ_TONGLU", "villages"] == 181  # Shanghai Daily 2021
    assert network.nodes.loc[counties.index, "rural"].all()


def test_builder_reproduces_the_files() -> None:
    """scripts/build_rural.py gives exactly the committed tables."""
    spec = importlib.util.spec_from_file_location("build_rural", ROOT / "scripts" /
                                                  "build_rural.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    counties, towns = mod.build()
    pd.testing.assert_frame_equal(
        counties, pd.read_csv(DATA / "rural_counties.csv", keep_default_na=False),
        check_dtype=False)
    pd.testing.assert_frame_equal(
        towns.astype(str), pd.read_csv(DATA / "rural_townships.csv", dtype=str,
                                       keep_default_na=False))


@pytest.mark.slow
@pytest.mark.timeout(2400)
def test_every_village_served_three_times_a_week_in_every_scenario() -> None:
    """Solve the baseline scenarios (forecasts from the shared cache; a 60 s limit per solve:
    the rural block is solved exactly before HiGHS starts, so its plan does not depend on the
    line-haul gap): village_coverage is 1 in every county and scenario, every route has 3..14
    departures/week, and the report shows the coverage table in both languages."""
    from netdesign import Study
    from netdesign.report.html import render_report

    run = Study.load(CONFIG).with_overrides({"solver.time_limit_s": 60}).run()
    ds = run.dataset
    assert set(ds["scenario"].values) == {"base_2025", "base_2035", "circle_2035"}
    assert (ds["status"].values != "infeasible").all()
    np.testing.assert_array_equal(ds["village_coverage"].values, 1.0)
    total = ds["rural_departures_per_week"].sum("rural_mode").values
    assert (total >= 3).all() and (total <= 14).all()
    page = render_report(ds, lang="en")
    assert "Into villages: coverage and cost" in page
    for name in ("Tonglu", "Chun&#x27;an", "Jiande", "Lin&#x27;an", "Fuyang"):
        assert name in page
    assert "每周≥3次的村占比" in render_report(ds, lang="zh")
