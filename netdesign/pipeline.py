"""The study pipeline as a Python API: load -> forecast -> scenarios -> solve -> results.

`run_study` is what `netdesign run` calls; sweeps and the nightly refresh reuse the pieces.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import nullcontext
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
    """Every design year the study may need (baseline scenarios, the sweep, the plan's
    periods)."""
    years = {sc.year for sc in cfg.scenarios} | set(cfg.planning.periods or ())
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
                            missing=f.missing, workers=f.workers, progress=progress,
                            calendar=f.calendar)


def forecast_study(study: Study, *, progress: bool = True, client=None, backtest=None):
    """Forecast every corridor (and the region/network totals, when reconciling) to December
    of the last design year; reconciled if configured; intervals calibrated on the backtest
    if configured (`backtest`, or `backtest_study` is run for it). Cached when
    `forecast.cache` is on (`forecast.cache`, keyed by the history and the settings)."""
    from netdesign.forecast import forecast_panel, reconcile_forecasts
    from netdesign.forecast.calibration import apply_calibration_by_horizon, fit_calibration
    from netdesign.forecast.reconcile import aggregate_history

    f = study.cfg.forecast
    years = design_years(study.cfg)
    history = history_long(study.network)
    hierarchy = corridor_hierarchy(study.network)
    if f.reconcile:
        # Forecast the region and network totals too, so that reconciliation weighs every
        # level's own forecast (MinT-diagonal) instead of only adding corridors up.
        history = pd.concat([history, aggregate_history(history, hierarchy)], ignore_index=True)
    settings = forecast_settings(study.cfg, progress)
    horizon = forecast_horizon(study.network, years)
    result = _cached(f.cache, "forecast", history, horizon, settings, {},
                     lambda: forecast_panel(history, horizon, settings, client=client))
    fc = result.forecasts
    if f.reconcile:
        fc = reconcile_forecasts(fc, hierarchy)
    cal = None
    if f.calibrate_intervals and f.backtest_origins > 0:
        if backtest is None:
            backtest = backtest_study(study, progress=progress, client=client)
        cal = fit_calibration(backtest.points) if backtest is not None else None
        if cal is None:
            log.warning("interval calibration skipped: too few backtest points")
    fc = apply_calibration_by_horizon(fc, cal, f.backtest_horizon)
    if backtest is not None and not backtest.points.empty:
        # Cross-corridor dependence of the errors, for the joint design-year quantiles
        # (scenario.build.design_year_demand, forecast.paths.sample_paths).
        from netdesign.forecast.paths import error_correlation

        fc.attrs["error_correlation"] = error_correlation(backtest.points)
    return replace(result, forecasts=fc)


def backtest_corridors(study: Study) -> list[str]:
    """The corridors the backtest scores: all, or `forecast.backtest_series` of them chosen
    by the SHA-256 of their ids (the same sample on every run and machine, whatever the order
    of the data)."""
    import hashlib

    ids = sorted(study.network.corridors.index.astype(str))
    n = study.cfg.forecast.backtest_series
    if n is None or n >= len(ids):
        return ids
    return sorted(sorted(ids, key=lambda c: hashlib.sha256(c.encode()).hexdigest())[:n])


def backtest_study(study: Study, *, progress: bool = True, client=None):
    """Rolling-origin backtest of the corridor forecasts (None when disabled in the config),
    on `backtest_corridors`; cached like `forecast_study`."""
    from netdesign.forecast import backtest_panel

    f = study.cfg.forecast
    if f.backtest_origins == 0:
        return None
    history = history_long(study.network)
    history = history[history["series_id"].isin(backtest_corridors(study))]
    settings = forecast_settings(study.cfg, progress)
    extra = {"kind": "backtest", "origins": f.backtest_origins}
    return _cached(f.cache, "backtest", history, f.backtest_horizon, settings, extra,
                   lambda: backtest_panel(history, f.backtest_horizon, settings,
                                          origins=f.backtest_origins, client=client))


def _cached(use: bool, kind: str, history: pd.DataFrame, horizon: int, settings, extra: dict,
            compute):
    """`compute()`, or its result from the forecast cache (`netdesign.forecast.cache`)."""
    if not use:
        return compute()
    from netdesign.forecast import cache

    key = cache.forecast_cache_key(history, settings, horizon, {"kind": kind, **extra})
    load, store = ((cache.load_forecast, cache.store_forecast) if kind == "forecast"
                   else (cache.load_backtest, cache.store_backtest))
    hit = load(key)
    if hit is not None:
        log.info("%s loaded from the cache (%s)", kind, cache.cache_dir() / f"{key}.json")
        return hit
    result = compute()
    try:
        store(key, result)
    except OSError as exc:  # a read-only or full cache folder never fails the run
        log.warning("could not write the forecast cache: %s", exc)
    return result


def scenario_display_name(sc: ScenarioConfig) -> str:
    from netdesign.scenario.grid import scenario_name

    return scenario_name(sc)


def build_scenario(study: Study, sc: ScenarioConfig, forecasts) -> Scenario:
    """The plain `Scenario` for `sc`: demand for its year from the forecasts, its cases."""
    fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
    return _build_scenario(study.cfg, sc, scenario_display_name(sc), fc, study.network)


def solve_scenario(network: Network, scenario: Scenario, solver: SolverConfig,
                   lp_path: Path | None = None) -> Design:
    """Solve the network design model for one scenario (MIP, HiGHS)."""
    from netdesign.optimise import design_network

    return design_network(network, scenario, solver, lp_path=lp_path)


def solve_order(scenarios: Sequence[Scenario]) -> list[int]:
    """Indices of `scenarios`, largest total demand (parcels/day) first, ties in study order:
    on a few workers, starting the longest solves first shortens the makespan."""
    return sorted(range(len(scenarios)), key=lambda i: (-float(scenarios[i].demand.sum()), i))


def solve_scenarios(network: Network, scenarios: Sequence[Scenario], solver: SolverConfig, *,
                    console=None, lp_dir: Path | None = None) -> list[Design]:
    """Solve every scenario (results in the order given): side by side on a local Dask
    cluster of `solver.scenario_workers` single-threaded process workers (null = one per
    core), or one after another in this process when that is 1 or there is one scenario.
    `lp_dir`: also write each model as `<scenario>.lp` there. `console`: a rich console for
    one line of progress per solve."""
    from netdesign.forecast.parallel import default_workers, local_client

    def say(msg: str) -> None:
        if console is not None:
            console.print(msg, highlight=False)

    def lp_path(sc: Scenario) -> Path | None:
        if lp_dir is None:
            return None
        lp_dir.mkdir(parents=True, exist_ok=True)
        return lp_dir / f"{sc.name}.lp"

    def done(i: int, design: Design) -> None:
        say(f"  {scenarios[i].name}: {design.report.status}, gap {_fmt_gap(design.report)}, "
            f"{design.report.total_s:.1f} s")

    n = len(scenarios)
    workers = min(n, solver.scenario_workers or default_workers())
    for i, sc in enumerate(scenarios, start=1):
        say(f"solving scenario {i}/{n}: {sc.name} ({sc.demand.sum():,.0f} parcels/day)")
    limit = f"MIP, HiGHS; time limit {solver.time_limit_s:g} s each"
    designs: list[Design | None] = [None] * n
    if workers <= 1:
        for i, sc in enumerate(scenarios):
            status = (console.status(f"solving {sc.name} ({limit}) ...") if console
                      else nullcontext())
            with status:
                designs[i] = solve_scenario(network, sc, solver, lp_path=lp_path(sc))
            done(i, designs[i])
        return designs
    from distributed import as_completed

    status = (console.status(f"solving {n} scenarios on {workers} process workers ({limit}) "
                             "...") if console else nullcontext())
    with local_client(workers) as client, status:
        net = client.scatter(network, broadcast=True)
        order = solve_order(scenarios)
        futures = {client.submit(solve_scenario, net, scenarios[i], solver,
                                 lp_path=lp_path(scenarios[i]), key=f"solve-{rank}-{i}",
                                 priority=n - rank): i
                   for rank, i in enumerate(order)}
        for fut in as_completed(futures):
            i = futures[fut]
            designs[i] = fut.result()
            done(i, designs[i])
    return designs


def _fmt_gap(report) -> str:
    gap = getattr(report, "mip_gap", None)
    return "-" if gap is None else f"{gap:.2%}"


def _print_backtest(console, study: Study, backtest) -> None:
    from netdesign.forecast.calibration import cross_validated_coverage

    b, f = backtest.summary, study.cfg.forecast
    console.print(f"  backtest ({f.backtest_origins} origin(s), {f.backtest_horizon} months, "
                  f"{int(b['n_series'])} corridors): MASE {b['mase']:.3f}, sMAPE "
                  f"{b['smape']:.2f} %, model interval coverage 80 % {b['coverage_80']:.3f}, "
                  f"95 % {b['coverage_95']:.3f}", highlight=False)
    if f.calibrate_intervals:
        cv = cross_validated_coverage(backtest.points)
        if cv:
            console.print(f"  calibrated intervals, each of the {int(cv['origins'])} origins "
                          "tested with factors fitted on the others: 80 % "
                          f"{cv['coverage_80_calibrated']:.3f} (years "
                          f"{cv['coverage_80_min']:.2f}-{cv['coverage_80_max']:.2f}), 95 % "
                          f"{cv['coverage_95_calibrated']:.3f} (years "
                          f"{cv['coverage_95_min']:.2f}-{cv['coverage_95_max']:.2f})",
                          highlight=False)
        if "coverage_80_latest" in cv:
            console.print("  of which the latest origin (factors from the older ones): 80 % "
                          f"{cv['coverage_80_latest']:.3f}, 95 % "
                          f"{cv['coverage_95_latest']:.3f}", highlight=False)


def _base_year_check(study: Study, forecasts, console, observed) -> pd.DataFrame | None:
    """The base-year check's table (None when the study ships no observed figures)."""
    from netdesign.results.calibration import base_year_check

    if observed is None:
        return None
    fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
    with console.status("base-year check: solving the last history year with existing "
                        "capacity ..."):
        out = base_year_check(study, fc, observed=observed)
    if out is None:
        return None
    table, design = out
    console.print(f"  base-year check: {design.report.status}, {design.report.total_s:.1f} s",
                  highlight=False)
    return table


def run_study(config: str | Path | StudyConfig | Study, out_dir: str | Path, *,
              forecasts=None, progress: bool = True, save_lp: bool = False) -> xr.Dataset:
    """Run the whole pipeline for the study's baseline scenarios and write the outputs.

    Before any work: the config and data are validated (config <-> data included) and
    `out_dir` is checked writable; either raises `InputError` and writes nothing.
    Temporaries a killed earlier run left in `out_dir` are removed.
    Writes into `out_dir`: results.nc, summary.csv, forecasts.csv (corridor, region and total
    forecasts, parcels/month), calibration.csv when the study ships observed base-year figures
    (`netdesign.results.calibration`; the file is checked before any work) and, when the
    backtest is enabled, backtest.csv. Every file is written atomically, and only after all
    scenarios have been solved.
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
    from netdesign.results.calibration import study_observed

    observed = study_observed(study)  # an invalid observed-figures file stops the run here
    net = study.network
    console.print(f"[bold]{study.cfg.name}[/]: {len(net.nodes)} nodes, {len(net.links)} links, "
                  f"{len(net.hubs)} hubs, {len(net.corridors)} corridors "
                  f"(data {net.version})", highlight=False)
    backtest = None
    if forecasts is None:
        console.print("forecasting corridor volumes ...")
        from netdesign.forecast.parallel import local_client

        with local_client(study.cfg.forecast.workers) as client:  # one cluster for both
            backtest = backtest_study(study, progress=progress, client=client)
            forecasts = forecast_study(study, progress=progress, client=client,
                                       backtest=backtest)
        if backtest is not None:
            _print_backtest(console, study, backtest)
    scenarios = [build_scenario(study, sc, forecasts) for sc in study.cfg.scenarios]
    designs = solve_scenarios(net, scenarios, study.cfg.solver, console=console,
                              lp_dir=out_dir if save_lp else None)
    parts = [design_to_dataset(net, s, d) for s, d in zip(scenarios, designs, strict=True)]
    calibration = _base_year_check(study, forecasts, console, observed)
    ds = combine_results(parts, study, forecasts)
    if calibration is not None:  # in results.nc too, so that the report shows it
        ds.attrs["calibration"] = calibration.to_json(orient="records", force_ascii=False)
    write_results(ds, out_dir)
    if calibration is not None:
        from netdesign.results.calibration import CALIBRATION_FILE

        write_frame_atomic(calibration, out_dir / CALIBRATION_FILE)
    fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
    write_frame_atomic(fc, out_dir / "forecasts.csv")
    if backtest is not None:
        write_frame_atomic(backtest.per_series, out_dir / "backtest.csv")
    return ds
