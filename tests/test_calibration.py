"""The base-year check (netdesign.results.calibration): arithmetic on a hand case, the observed
file's validation, and calibration.csv from `netdesign run`."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from netdesign.errors import InputError
from netdesign.results.calibration import (
    OBSERVED_COLUMNS,
    TABLE_COLUMNS,
    BaseYear,
    compare,
    read_observed,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "netdesign" / "data" / "default" / "hangzhou"


@pytest.fixture()
def hand() -> BaseYear:
    """Three corridors, four links, two airport hubs; every figure worked by hand:

    corridor  class     demand  unserved  main-mode flow
    A         domestic  100     10        road 60, rail 30
    B         domestic   50      0        road 40, air 10
    C         global     20      0        air 15, water 5

    links: L1 rail line-haul H1 -> X, 30 parcels at 2.00 CNY; L2 road line-haul P -> X, 60 at
    0.50; L3 road line-haul P -> Y, 40 at 0.25; L4 road collection, 100 at 0.10.
    Hubs HGH 1,000 and IEC 200 parcels/day; CO2 0.032 t/day; 1.2 kg/parcel; 365 days.
    """
    corr = pd.Index(["A", "B", "C"], name="corridor_id")
    links = pd.DataFrame({
        "from_node": ["H1", "P", "P", "Z"], "to_node": ["X", "X", "Y", "P"],
        "mode": ["rail", "road", "road", "road"],
        "role": ["linehaul", "linehaul", "linehaul", "collection"],
        "cost_cny_per_parcel": [2.0, 0.5, 0.25, 0.1]}, index=["L1", "L2", "L3", "L4"])
    flow = pd.DataFrame({"road": [60.0, 40.0, 0.0], "rail": [30.0, 0.0, 0.0],
                         "water": [0.0, 0.0, 5.0], "air": [0.0, 10.0, 15.0]}, index=corr)
    demand = pd.Series([100.0, 50.0, 20.0], index=corr)
    return BaseYear(
        demand=demand, served=demand - pd.Series([10.0, 0.0, 0.0], index=corr),
        main_mode_flow=flow, link_flow=pd.Series([30.0, 60.0, 40.0, 100.0], index=links.index),
        links=links, hub_throughput=pd.Series({"HGH": 1000.0, "IEC": 200.0, "P": 5000.0}),
        service_class=pd.Series(["domestic", "domestic", "global"], index=corr),
        co2_t_per_day=0.032, parcel_weight_kg=1.2, days_per_year=365.0)


def _observed(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(OBSERVED_COLUMNS))
    df["observed"] = df["observed"].astype(float)
    return df


def test_comparison_arithmetic_on_a_hand_case(hand):
    """Expected values (see the fixture):
    airport HGH+IEC: (1,000 + 200) x 1.2 kg / 1000 x 365 = 525.6 t/yr;
    road share of domestic parcels: (60 + 40) / (90 + 50) = 0.7142857;
    air share of all parcels: (10 + 15) / 160 = 0.15625;
    HSR share (rail line-haul at H1) of domestic: 30 / 140 = 0.2142857;
    CO2: 32 kg / 160 served = 0.2 kg/parcel;
    international share: 20 / 170 = 0.1176471;
    road line-haul cost per domestic road parcel: (60 x 0.5 + 40 x 0.25) / 100 = 0.40
    (the collection leg L4 is not line-haul)."""
    obs = _observed([
        ("airport", "airport_t_per_year", "HGH|IEC", "", "all", 500.0, "t/yr", "s1"),
        ("road", "share_of_parcels", "", "road", "domestic", 0.9, "share", "s2"),
        ("air", "share_of_parcels", "", "air", "all", 0.1, "share", "s3"),
        ("hsr", "link_share_of_parcels", "H1", "rail", "domestic", 0.001, "share", "s4"),
        ("co2", "co2_kg_per_parcel", "", "", "all", 0.27, "kg", "s5"),
        ("intl", "international_share", "", "", "all", 0.023, "share", "s6"),
        ("cost", "linehaul_cost_cny_per_parcel", "", "road", "domestic", 0.41, "CNY", "s7"),
    ])
    t = compare(hand, obs).set_index("figure")
    assert list(compare(hand, obs).columns) == list(TABLE_COLUMNS)
    expected = {"airport": 525.6, "road": 100 / 140, "air": 25 / 160, "hsr": 30 / 140,
                "co2": 0.2, "intl": 20 / 170, "cost": 0.40}
    for fig, v in expected.items():
        assert t.loc[fig, "model"] == pytest.approx(v, rel=1e-12), fig
    assert t.loc["co2", "observed"] == 0.27 and t.loc["cost", "source"] == "s7"


def test_a_share_of_nothing_is_nan(hand):
    empty = BaseYear(**{**hand.__dict__, "served": hand.served * 0.0})
    t = compare(empty, _observed([("r", "share_of_parcels", "", "road", "domestic", 0.9,
                                   "share", "s")]))
    assert math.isnan(t.loc[0, "model"])


def _write(tmp_path, rows) -> Path:
    p = tmp_path / "obs.csv"
    pd.DataFrame(rows, columns=list(OBSERVED_COLUMNS)).to_csv(p, index=False)
    return p


def test_read_observed_names_row_and_field(tmp_path):
    p = _write(tmp_path, [
        ("ok", "co2_kg_per_parcel", "", "", "all", "0.27", "kg", "Kang et al. 2021"),
        ("bad metric", "tonnes", "", "", "all", "1", "t", "x"),
        ("no hubs", "airport_t_per_year", "", "", "all", "1", "t", "x"),
        ("unknown hub", "airport_t_per_year", "NOPE", "", "all", "1", "t", "x"),
        ("no source", "co2_kg_per_parcel", "", "", "all", "1", "kg", ""),
        ("not a number", "co2_kg_per_parcel", "", "", "all", "lots", "kg", "x"),
    ])
    with pytest.raises(InputError) as err:
        read_observed(p, hub_ids={"HGH"})
    text = str(err.value)
    for where, field in (("row 2", "metric"), ("row 3", "hubs"), ("row 4", "hubs"),
                         ("row 5", "source"), ("row 6", "observed")):
        assert where in text and field in text, (where, field)
    assert "row 1" not in text


def test_unpublished_figure_reads_as_nan(tmp_path):
    p = _write(tmp_path, [("road", "share_of_parcels", "", "road", "domestic", "", "share",
                           "not published")])
    assert math.isnan(read_observed(p).loc[0, "observed"])


def test_base_year_is_solved_without_expansion(tmp_path, tiny_config):
    """The base-year check solves the last history year (2024 for the tiny study) with
    `expansion=False`, on the study's own network, and fills the model column from that
    design."""
    from netdesign.pipeline import load_study, solve_scenario
    from netdesign.results.calibration import base_year_check

    study_dir = tmp_path / "study"
    shutil.copytree(tiny_config.parent, study_dir)
    pd.DataFrame([("co2", "co2_kg_per_parcel", "", "", "all", "0.27", "kg", "src")],
                 columns=list(OBSERVED_COLUMNS)).to_csv(
        study_dir / "calibration_observed.csv", index=False)
    study = load_study(study_dir / tiny_config.name)
    seen = {}

    def solve(net, sc):
        seen.update(year=sc.year, expansion=sc.expansion, same=net is study.network)
        return solve_scenario(net, sc, study.cfg.solver)

    table, design = base_year_check(study, solve=solve)
    assert seen == {"year": 2024, "expansion": False, "same": True}
    assert (design.links["modules_added"].fillna(0) == 0).all()
    assert (design.hubs["modules_added"].fillna(0) == 0).all()
    served = float((design.corridor_flow.sum(axis=1)).sum())
    assert table.loc[0, "model"] == pytest.approx(design.co2_t_per_day * 1000 / served)


def test_base_year_check_ignores_the_design_day(tmp_path, tiny_config):
    """A study planned for a design day (peak factor 1.25, cap 0.85) still checks its base
    year on the average day: the observed year's flows used its existing capacity as it is
    (issue 14); the solved scenario has π = u = 1."""
    from netdesign.pipeline import load_study, solve_scenario
    from netdesign.results.calibration import base_year_check

    study_dir = tmp_path / "study"
    shutil.copytree(tiny_config.parent, study_dir)
    pd.DataFrame([("co2", "co2_kg_per_parcel", "", "", "all", "0.27", "kg", "src")],
                 columns=list(OBSERVED_COLUMNS)).to_csv(
        study_dir / "calibration_observed.csv", index=False)
    study = load_study(study_dir / tiny_config.name)
    study = replace(study, cfg=study.cfg.with_overrides(
        planning={"peak_factor": 1.25, "max_utilisation": 0.85}))
    seen = {}

    def solve(net, sc):
        seen.update(peak=sc.peak_factor, cap=sc.max_utilisation)
        return solve_scenario(net, sc, study.cfg.solver)

    base_year_check(study, solve=solve)
    assert seen == {"peak": 1.0, "cap": 1.0}


# --------------------------------------------------------------------- the default study
ISSUE_FIGURES = {  # issue 13: "at least" these, each with a source
    ("airport_t_per_year", "HGH|HGH_IEC"), ("link_share_of_parcels", "HZ_WEST_HSR"),
    ("share_of_parcels", ""), ("co2_kg_per_parcel", ""),
}


def test_default_study_observes_the_issue_figures():
    obs = read_observed(DEFAULT / "calibration_observed.csv")
    keys = set(zip(obs["metric"], obs["hubs"], strict=True))
    assert ISSUE_FIGURES <= keys
    assert set(obs.loc[obs["metric"] == "share_of_parcels", "mode"]) >= {"road", "rail", "air"}
    assert (obs["source"].str.len() > 20).all()


# --------------------------------------------------------------------- netdesign run
def test_run_writes_calibration_csv(tmp_path, tiny_config):
    """The tiny study with an observed file: `netdesign run` writes calibration.csv with every
    listed figure, a model value for each and the source column, and prints the check."""
    study = tmp_path / "study"
    shutil.copytree(tiny_config.parent, study)
    rows = [
        ("airport cargo", "airport_t_per_year", "AIR_HGH", "", "all", "732000", "t/yr", "src a"),
        ("road share", "share_of_parcels", "", "road", "domestic", "", "share", "src b"),
        ("CO2 per parcel", "co2_kg_per_parcel", "", "", "all", "0.27", "kg CO2e/parcel",
         "src c"),
    ]
    pd.DataFrame(rows, columns=list(OBSERVED_COLUMNS)).to_csv(
        study / "calibration_observed.csv", index=False)
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("netdesign")
    proc = subprocess.run([str(exe), "run", str(study / tiny_config.name), "--out", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out / "calibration.csv")
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert list(table["figure"]) == [r[0] for r in rows]
    assert list(table["source"]) == ["src a", "src b", "src c"]
    assert table["model"].notna().all() and (table["model"] >= 0).all()
    assert "base-year check" in proc.stdout


def test_no_observed_file_no_calibration(tmp_path, tiny_config):
    from netdesign.pipeline import load_study
    from netdesign.results.calibration import base_year_check

    assert base_year_check(load_study(tiny_config)) is None


def test_invalid_observed_file_stops_the_run_before_any_work(tmp_path, tiny_config):
    """A bad observed-figures file is an input error (exit 2) found before forecasting and
    solving: nothing is written, and the message names the file, row and field."""
    study = tmp_path / "study"
    shutil.copytree(tiny_config.parent, study)
    pd.DataFrame([("x", "tonnes", "", "", "all", "1", "t", "src")],
                 columns=list(OBSERVED_COLUMNS)).to_csv(study / "calibration_observed.csv",
                                                        index=False)
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("netdesign")
    proc = subprocess.run([str(exe), "run", str(study / tiny_config.name), "--out", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 2, proc.stderr
    text = proc.stdout + proc.stderr
    assert "calibration_observed.csv" in text and "row 1" in text and "metric" in text
    assert not out.exists() or not any(out.iterdir())
