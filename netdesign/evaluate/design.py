"""A solved design read back from a results folder, and demand drawn for its design year.

`load_design(RESULTS, scenario)` rebuilds the study from the config stored in results.nc
(``config_yaml``, data from ``data_source``), the design's `Scenario` (its own demand from
results.nc) and its capacity decisions (`FixedCapacity`: link modules, hub modules = added
capacity / module size, optional hubs open). `draw_demands` turns the forecasts' joint
sample paths into parcels/day per corridor in the design year, one row per draw.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from netdesign.config.loader import parse_config
from netdesign.config.schema import ScenarioConfig
from netdesign.errors import InputError, Problem
from netdesign.optimise.resolve import FixedCapacity
from netdesign.pipeline import Study, build_scenario, load_study, scenario_display_name
from netdesign.scenario.grid import expand_sweep
from netdesign.scenario.scenario import Scenario

log = logging.getLogger(__name__)


@dataclass
class SolvedDesign:
    """What evaluation needs of a solved design.

    study: the config and network data; scenario: the design's `Scenario` (its demand the
    design's own, parcels/day); capacity: its `FixedCapacity`; forecasts: the study's corridor
    forecasts (long frame); correlation: ρ of the joint draws (the study's backtest); cost:
    the design's own cost components, CNY/day.
    """

    study: Study
    scenario: Scenario
    scenario_config: ScenarioConfig
    capacity: FixedCapacity
    forecasts: pd.DataFrame
    correlation: float
    cost: dict[str, float]
    results_dir: Path


def _study_from_results(ds: xr.Dataset, path: Path) -> Study:
    if "config_yaml" not in ds.attrs:
        raise InputError([Problem(str(path), "attributes", "config_yaml", None,
                                  "a results.nc written by `netdesign run` or `sweep`")],
                         "cannot evaluate")
    raw = yaml.safe_load(ds.attrs["config_yaml"])
    src = str(ds.attrs.get("data_source", ""))
    if not str(raw.get("data", {}).get("dir", "")).startswith("package:") and src:
        raw["data"]["dir"] = src  # absolute: the folder the design was solved with
    return load_study(parse_config(raw, source=f"{path} (config_yaml)"))


def _scenario_config(study: Study, name: str) -> ScenarioConfig:
    cands = list(study.cfg.scenarios) + (expand_sweep(study.cfg) if study.cfg.sweep else [])
    for sc in cands:
        if (sc.name or scenario_display_name(sc)) == name:
            return sc
    raise InputError([Problem("results.nc", "scenario", "scenario", name,
                              "a scenario of the study's config")], "cannot evaluate")


def _backtest_correlation(study: Study) -> float:
    """ρ of the study's joint draws: `error_correlation` of its backtest (the forecast cache
    normally holds it: the run that made the design computed it); 1 without a backtest."""
    from netdesign.forecast.paths import error_correlation
    from netdesign.pipeline import backtest_study

    bt = backtest_study(study, progress=False)
    if bt is None or bt.points.empty:
        log.warning("no backtest in the study config: joint draws with correlation 1")
        return 1.0
    return error_correlation(bt.points)


CAPACITY_MODES = ("physical", "planned")
"""How routing may use the fixed capacity: "physical" — an average day of the future using
all of it (peak factor 1, utilisation 1: unserved parcels do not fit at all); "planned" — the
design's own rule (design day = peak_factor x average day, at most max_utilisation of
capacity: draws equal to the design's demand reproduce its cost exactly)."""


def load_design(results_dir: str | Path, scenario: str | None = None,
                correlation: float | None = None, capacity: str = "physical") -> SolvedDesign:
    """The design of `scenario` (default: the first in results.nc) in `results_dir`;
    `correlation` overrides ρ of the draws (default: from the study's backtest); `capacity`:
    "physical" (default) or "planned" (`CAPACITY_MODES`).

    Raises `InputError` (exit 2) when the folder, file or scenario is missing or the scenario
    has no design."""
    from netdesign.results.io import read_results

    results_dir = Path(results_dir)
    path = results_dir / "results.nc"
    if not path.is_file():
        raise InputError([Problem(str(results_dir), "RESULTS", "results.nc", str(path),
                                  "a results folder written by `netdesign run`")],
                         "cannot evaluate")
    ds = read_results(path)
    names = [str(s) for s in ds["scenario"].values]
    name = scenario or names[0]
    if name not in names:
        raise InputError([Problem(str(path), "scenario", "--scenario", name,
                                  f"one of {', '.join(names)}")], "cannot evaluate")
    one = ds.sel(scenario=name)
    if not np.isfinite(float(one["total_cost"])):
        raise InputError([Problem(str(path), f"scenario {name}", "status",
                                  str(one["status"].values), "a solved design")],
                         "cannot evaluate")
    study = _study_from_results(ds, path)
    fc_path = results_dir / "forecasts.csv"
    if not fc_path.is_file():
        raise InputError([Problem(str(results_dir), "RESULTS", "forecasts.csv", str(fc_path),
                                  "the forecasts the design was made from")], "cannot evaluate")
    fc = pd.read_csv(fc_path, parse_dates=["date"])
    fc["series_id"] = fc["series_id"].astype(str)
    rho = correlation if correlation is not None else _backtest_correlation(study)
    fc.attrs["error_correlation"] = rho
    sc_cfg = _scenario_config(study, name)
    sc = build_scenario(study, sc_cfg, fc)
    own = one["demand"].to_series().reindex(study.network.corridors.index).fillna(0.0)
    # unserved slack on: a fixed design facing more demand, or an outage, leaves parcels
    # unserved rather than being infeasible
    sc = replace(sc, demand=own.astype(float), allow_unserved=True)
    if capacity == "physical":
        sc = replace(sc, peak_factor=1.0, max_utilisation=1.0)
    elif capacity != "planned":
        raise InputError([Problem("command line", "--capacity", "capacity", capacity,
                                  " or ".join(CAPACITY_MODES))], "cannot evaluate")
    hubs = study.network.hubs
    size = hubs["module_parcels_per_day"].astype(float).reindex(one["hub"].values)
    added = one["hub_capacity_added"].to_series()
    hub_mod = (added / size.replace(0, np.nan)).fillna(0.0).round()
    is_open = one["hub_open"].to_series().astype(bool) if "hub_open" in one \
        else (one["hub_capacity"].to_series() > 0)
    cap = FixedCapacity(link_modules=one["link_modules_added"].to_series().fillna(0).to_dict(),
                        hub_modules=hub_mod.to_dict(), hub_open=is_open.to_dict())
    comps = [str(c) for c in one["cost_component"].values]
    cost = dict(zip(comps, one["cost"].values.astype(float), strict=True))
    return SolvedDesign(study=study, scenario=sc, scenario_config=sc_cfg, capacity=cap,
                        forecasts=fc, correlation=rho, cost=cost, results_dir=results_dir)


def draw_demands(design: SolvedDesign, n: int, seed: int) -> pd.DataFrame:
    """`n` joint draws of the design year's demand, parcels/day (draw × corridor).

    Each draw: the corridors' monthly paths of `forecast.paths.sample_paths` (one-factor
    copula, ρ = `design.correlation`) over the months of the design year (months still in
    the history are the history), summed and divided by the days of the year, times the
    scenario's growth case as in `scenario.build.design_year_demand`."""
    from netdesign.forecast.paths import sample_paths

    net, sc = design.study.network, design.scenario
    corridors = [str(c) for c in net.corridors.index]
    year = sc.year
    fc = design.forecasts
    fc = fc[fc["series_id"].isin(corridors) & (pd.to_datetime(fc["date"]).dt.year == year)]
    paths = sample_paths(fc, n, seed, correlation=design.correlation, series=corridors)
    total = paths.sum("date").reindex(series_id=corridors).fillna(0.0).to_numpy()
    months = {pd.Timestamp(d).month for d in paths["date"].values}
    hist = net.history
    in_year = hist[(hist["month"].dt.year == year) & ~hist["month"].dt.month.isin(months)]
    from_hist = in_year.groupby("corridor_id")["parcels"].sum().reindex(corridors).fillna(0.0)
    total = total + from_hist.to_numpy(float)[None, :]
    days = 366 if calendar.isleap(year) else 365
    growth = design.study.cfg.growth_cases[design.scenario_config.growth]
    ahead = max(0, year - int(hist["month"].max().year))
    per_day = np.clip(total / days * (1.0 + growth) ** ahead, 0.0, None)
    return pd.DataFrame(per_day, index=pd.RangeIndex(n, name="draw"),
                        columns=pd.Index(corridors, name="corridor_id"))
