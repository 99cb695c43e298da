"""The study pipeline as a Python API: load -> forecast -> scenarios -> solve -> results.

`run_study` is what `netdesign run` calls; sweeps and the nightly refresh reuse the pieces.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd
import xarray as xr

from netdesign.config.schema import ScenarioConfig, SolverConfig, StudyConfig
from netdesign.data.inputs import StudyInputs, load_inputs
from netdesign.data.network import Network
from netdesign.optimise.solution import Design
from netdesign.scenario.build import build_scenario as _build_scenario
from netdesign.scenario.scenario import Scenario

log = logging.getLogger(__name__)


#: The validated config and network data (kept under its old name; `netdesign.Study`, the
#: scripting API, extends it).
Study = StudyInputs


def load_study(config: str | Path | StudyConfig) -> Study:
    """Load and validate the config and its network data (raises `InputError` with all problems)."""
    return load_inputs(config)


def design_years(cfg: StudyConfig) -> list[int]:
    """Every design year the study may need (baseline scenarios and the sweep)."""
    years = {sc.year for sc in cfg.scenarios}
    if cfg.sweep is not None:
        years |= {int(y) for y in cfg.sweep.axes.get("year", [])}
        years |= {sc.year for sc in cfg.sweep.scenarios}
    return sorted(years)


def history_long(network: Network) -> pd.DataFrame:
    """Corridor history in the forecast engine's long format (series_id, date, value)."""
    h = network.history
    return pd.DataFrame({
        "series_id": h["corridor_id"].astype(str).to_numpy(),
        "date": h["month"].dt.to_timestamp().to_numpy(),
        "value": h["parcels"].to_numpy(float),
    })


def forecast_horizon(network: Network, years: Sequence[int]) -> int:
    """Months from the end of the history to December of the last design year (at least 12)."""
    last = network.history["month"].max()
    end = pd.Period(f"{max(years)}-12", freq="M")
    return max(12, (end - last).n)


def corridor_hierarchy(network: Network) -> pd.DataFrame:
    """Bottom series (corridors) and their origin region, for reconciliation."""
    region = network.nodes["region"].reindex(network.corridors["origin"]).to_numpy()
    return pd.DataFrame({"series_id": network.corridors.index.to_numpy(str), "region": region})


def forecast_settings(cfg: StudyConfig, progress: bool = True):
    from netdesign.forecast import ForecastSettings

    f = cfg.forecast
    return ForecastSettings(season_length=f.season_length, frequency="M", method=f.method,
                            missing=f.missing, workers=f.workers, progress=progress)


def forecast_study(study: Study, *, progress: bool = True, client=None):
    """Forecast every corridor to December of the last design year (reconciled if configured)."""
    from netdesign.forecast import forecast_panel, reconcile_forecasts
    from netdesign.forecast.reconcile import aggregate_history

    years = design_years(study.cfg)
    history = history_long(study.network)
    hierarchy = corridor_hierarchy(study.network)
    if study.cfg.forecast.reconcile:
        # Forecast the region and network totals too, so that reconciliation weighs every
        # level's own forecast (MinT-diagonal) instead of only adding corridors up.
        history = pd.concat([history, aggregate_history(history, hierarchy)], ignore_index=True)
    result = forecast_panel(history, forecast_horizon(study.network, years),
                            forecast_settings(study.cfg, progress), client=client)
    if study.cfg.forecast.reconcile:
        result = replace(result, forecasts=reconcile_forecasts(result.forecasts, hierarchy))
    return result


def backtest_study(study: Study, *, progress: bool = True, client=None):
    """Rolling-origin backtest of the corridor forecasts (None when disabled in the config)."""
    from netdesign.forecast import backtest_panel

    f = study.cfg.forecast
    if f.backtest_origins == 0:
        return None
    return backtest_panel(history_long(study.network), f.backtest_horizon,
                          forecast_settings(study.cfg, progress), origins=f.backtest_origins,
                          client=client)


def scenario_display_name(sc: ScenarioConfig) -> str:
    from netdesign.scenario.grid import scenario_name

    return scenario_name(sc)


def build_scenario(study: Study, sc: ScenarioConfig, forecasts) -> Scenario:
    """The plain `Scenario` for `sc`: demand for its year from the forecasts, its cases."""
    fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
    return _build_scenario(study.cfg, sc, scenario_display_name(sc), fc, study.network)


def solve_scenario(network: Network, scenario: Scenario, solver: SolverConfig,
                   lp_path: Path | None = None) -> Design:
    """Solve the network design model for one scenario (Pyomo model, HiGHS)."""
    from netdesign.optimise import design_network

    return design_network(network, scenario, solver, lp_path=lp_path)


def _fmt_gap(report) -> str:
    gap = getattr(report, "mip_gap", None)
    return "-" if gap is None else f"{gap:.2%}"


def run_study(config: str | Path | StudyConfig | Study, out_dir: str | Path, *,
              forecasts=None, progress: bool = True, save_lp: bool = False) -> xr.Dataset:
    """Run the whole pipeline for the study's baseline scenarios and write the outputs.

    Before any work: the config and data are validated (config <-> data included) and
    `out_dir` is checked writable; either raises `InputError` and writes nothing.
    Temporaries a killed earlier run left in `out_dir` are removed.
    Writes into `out_dir`: results.nc, summary.csv, forecasts.csv (corridor, region and total
    forecasts, parcels/month) and, when the backtest is enabled, backtest.csv. Every file is
    written atomically, and only after all scenarios have been solved.
    Returns the results Dataset.
    """
    from rich.console import Console

    from netdesign.errors import raise_if_errors
    from netdesign.results import combine_results, design_to_dataset, write_results
    from netdesign.results.io import check_out_dir, remove_stale_temporaries, write_frame_atomic

    console = Console(stderr=True, quiet=not progress)
    study = config if isinstance(config, Study) else load_study(config)
    out_dir = Path(out_dir)
    raise_if_errors(check_out_dir(out_dir), "invalid output folder")
    for name in remove_stale_temporaries(out_dir):
        log.warning("removed %s, left in %s by an interrupted run", name, out_dir)
    net = study.network
    console.print(f"[bold]{study.cfg.name}[/]: {len(net.nodes)} nodes, {len(net.links)} links, "
                  f"{len(net.hubs)} hubs, {len(net.corridors)} corridors "
                  f"(data {net.version})", highlight=False)
    backtest = None
    if forecasts is None:
        console.print("forecasting corridor volumes ...")
        from netdesign.forecast.parallel import local_client

        with local_client(study.cfg.forecast.workers) as client:  # one cluster for both
            forecasts = forecast_study(study, progress=progress, client=client)
            backtest = backtest_study(study, progress=progress, client=client)
        if backtest is not None:
            b, f = backtest.summary, study.cfg.forecast
            console.print(f"  backtest ({f.backtest_origins} origin(s), {f.backtest_horizon} "
                          f"months): MASE {b['mase']:.3f}, sMAPE {b['smape']:.2f} %, interval "
                          f"coverage 80 % {b['coverage_80']:.3f}, 95 % {b['coverage_95']:.3f}",
                          highlight=False)
    parts = []
    for i, sc in enumerate(study.cfg.scenarios, start=1):
        scenario = build_scenario(study, sc, forecasts)
        console.print(f"solving scenario {i}/{len(study.cfg.scenarios)}: {scenario.name} "
                      f"({scenario.demand.sum():,.0f} parcels/day)", highlight=False)
        lp = out_dir / f"{scenario.name}.lp" if save_lp else None
        if lp is not None:
            lp.parent.mkdir(parents=True, exist_ok=True)
        with console.status(f"solving {scenario.name} (Pyomo model, HiGHS; time limit "
                            f"{study.cfg.solver.time_limit_s:g} s) ..."):
            design = solve_scenario(net, scenario, study.cfg.solver, lp_path=lp)
        console.print(f"  {design.report.status}, gap {_fmt_gap(design.report)}, "
                      f"{design.report.total_s:.1f} s", highlight=False)
        parts.append(design_to_dataset(net, scenario, design))
    ds = combine_results(parts, study, forecasts)
    write_results(ds, out_dir)
    fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
    write_frame_atomic(fc, out_dir / "forecasts.csv")
    if backtest is not None:
        write_frame_atomic(backtest.per_series, out_dir / "backtest.csv")
    return ds
