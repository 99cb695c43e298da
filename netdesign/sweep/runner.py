"""Run a scenario sweep: plan (names, keys, resume), forecast once, solve on Dask, combine.

`run_sweep` is what ``netdesign sweep`` calls. The forecasts are computed once per study (and
cached in ``DIR/.sweep/`` for a resumed run); each scenario's demand is built on the driver and
sent with its task, the network is scattered to every worker once. Each finished scenario is
written to ``DIR/scenarios/<name>.nc`` as soon as its result arrives; at the end all selected
scenarios are combined into ``DIR/results.nc`` and ``DIR/summary.csv`` (the schema of
``netdesign run``).
"""

from __future__ import annotations

import fnmatch
import logging
import time
import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr

from netdesign import __version__
from netdesign.config.loader import load_config
from netdesign.config.schema import ScenarioConfig, SolverConfig, StudyConfig
from netdesign.errors import (
    EXIT_SCENARIOS_FAILED,
    InputError,
    LockedError,
    Problem,
    raise_if_errors,
)
from netdesign.scenario.grid import expand_sweep, scenario_key, study_fingerprint
from netdesign.scenario.scenario import Scenario
from netdesign.sweep import store
from netdesign.sweep.execute import run_in_process, run_on_dask, shared_with_workers, start_client
from netdesign.sweep.progress import SweepProgress

log = logging.getLogger(__name__)


def select_scenarios(scenarios: list[ScenarioConfig], only: Sequence[str] | None,
                     source: str = "--only") -> list[ScenarioConfig]:
    """The scenarios whose name matches any glob in `only` (all when `only` is empty).

    Raises `InputError` naming each pattern that matches no scenario.
    """
    if not only:
        return list(scenarios)
    problems = [Problem(source, "--only", "pattern", pat,
                        "a glob matching at least one scenario name (see --list)")
                for pat in only if not any(fnmatch.fnmatchcase(s.name or "", pat)
                                           for s in scenarios)]
    if problems:
        raise InputError(problems, "invalid scenario selection")
    return [s for s in scenarios if any(fnmatch.fnmatchcase(s.name or "", p) for p in only)]


def _config_and_source(config: str | Path | StudyConfig) -> tuple[StudyConfig, str]:
    if isinstance(config, StudyConfig):
        return config, f"study {config.name}"
    return load_config(config), str(config)


def list_scenarios(config: str | Path | StudyConfig, only: Sequence[str] | None = None
                   ) -> list[str]:
    """Names of the sweep's scenarios (a plan sweep: its cases) after `only`, without
    loading data or solving."""
    cfg, source = _config_and_source(config)
    return [s.name or "" for s in select_scenarios(_entries(cfg, source), only)]


def _entries(cfg: StudyConfig, source: str) -> list:
    """The sweep's scenarios (`ScenarioConfig`), or a plan sweep's cases (`PlanCase`)."""
    from netdesign.sweep.plan_cases import expand_plan_sweep, is_plan_sweep

    return expand_plan_sweep(cfg, source) if is_plan_sweep(cfg) else expand_sweep(cfg, source)


@dataclass
class SweepOutcome:
    """What a sweep did.

    results/summary: the combined dataset and summary table (also written to `out_dir`).
    computed: scenarios solved in this run; reused: taken from disk (resume);
    failed: scenarios with no usable design (an error, infeasible, time limit without
    incumbent), whether computed now or earlier.
    timings: per computed scenario (see `tasks.solve_task`, plus ``received_unix``,
    ``write_s``); phases: wall seconds of cluster start, forecast, solve and combine.
    """

    out_dir: Path
    results: xr.Dataset
    summary: pd.DataFrame
    computed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    timings: dict[str, dict[str, Any]] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    workers: int = 0
    highs_threads: int = 1
    kind: str = "scenarios"
    """"scenarios", or "plans" for a plan sweep (then `results` is empty, each case's plan
    results are in ``DIR/plans/<name>.nc`` and `summary` has one row per case)."""

    @property
    def exit_code(self) -> int:
        """0 when every scenario has a design, 4 (`EXIT_SCENARIOS_FAILED`) otherwise."""
        return EXIT_SCENARIOS_FAILED if self.failed else 0


def forecast_cache_inputs(study) -> dict[str, Any]:
    """What the study's forecasts depend on: the data version (content hash of the input
    files), the forecast settings, the design years and the netdesign version."""
    from netdesign.pipeline import design_years

    return {"data_version": study.network.version,
            "forecast": study.cfg.forecast.model_dump(mode="json"),
            "years": design_years(study.cfg), "netdesign_version": __version__}


def _forecasts(study, out_dir: Path, client, progress: bool) -> pd.DataFrame:
    """The study's forecasts frame: from the data-only cache in ``DIR/.sweep/`` when its key
    matches, else computed once and cached (`store.read_forecast_cache`)."""
    from netdesign.pipeline import forecast_study

    for name in store.remove_legacy_pickles(out_dir):
        log.warning("removed %s/%s/%s without opening it (pickle caches are no longer used)",
                    out_dir, store.STATE_DIR, name)
    inputs = forecast_cache_inputs(study)
    key = store.forecast_cache_key(inputs)
    series = set(map(str, study.network.corridors.index))
    cached = store.read_forecast_cache(out_dir, key, series=series)
    if cached is not None:
        return cached
    forecasts = forecast_study(study, progress=progress, client=client).forecasts
    store.write_forecast_cache(out_dir, key, inputs, forecasts)
    return forecasts


def _stub_scenario(study, sc: ScenarioConfig) -> Scenario:
    """A placeholder `Scenario` for one whose demand could not be built (NaN demand)."""
    return Scenario(name=sc.name or "", year=sc.year,
                    demand=pd.Series(float("nan"), index=study.network.corridors.index),
                    params=sc.model_dump(mode="json", exclude={"name"}),
                    carbon_price_cny_per_t=sc.carbon_price_cny_per_t)


def _solver_for(cfg: StudyConfig, cap: int) -> SolverConfig:
    """The solver options with HiGHS threads set: the configured count (if any) capped at
    `cap`, else `cap`."""
    threads = min(cfg.solver.threads, cap) if "threads" in cfg.solver.model_fields_set else cap
    return cfg.solver.model_copy(update={"threads": max(1, threads)})


def _failure_dataset(study, scenario: Scenario, exc: BaseException) -> xr.Dataset:
    from distributed import KilledWorker

    from netdesign.results import failed_scenario_dataset

    if isinstance(exc, KilledWorker):
        status, msg = "killed", f"the worker solving it died repeatedly ({exc})"
    else:
        status, msg = "error", f"{type(exc).__name__}: {exc}"
    return failed_scenario_dataset(study.network, scenario, status, msg)


def run_sweep(config: str | Path | StudyConfig, out_dir: str | Path, *,
              only: Sequence[str] | None = None, workers: int | None = None,
              scheduler: str | None = None, progress: bool = True,
              forecasts: Any = None, worker_writes: bool | None = None) -> SweepOutcome:
    """Run (or resume) the study's sweep into `out_dir`; see the module docstring.

    workers: local process workers (default: one per core, at most one per scenario to solve);
        0 solves in this process, one scenario after another, without Dask.
    scheduler: address of an existing Dask scheduler (``tcp://host:8786``); overrides workers.
    forecasts: precomputed `ForecastResult` (else computed once, or read from the cache).
    worker_writes: whether workers write their scenario files themselves (None: when they see
        `out_dir`, checked with a probe file); False sends every result back to this process.
    Returns a `SweepOutcome`; its `exit_code` is 4 when some scenario failed.
    Raises `InputError` for an invalid config, data or selection (nothing is written),
    `LockedError` when another sweep is writing to `out_dir`.
    """
    from filelock import FileLock, Timeout

    from netdesign.pipeline import load_study
    from netdesign.results.io import check_out_dir
    from netdesign.sweep.plan_cases import committed_hub_problems, is_plan_sweep

    cfg, source = _config_and_source(config)
    selected = select_scenarios(_entries(cfg, source), only)
    study = load_study(config)
    if is_plan_sweep(cfg):
        raise_if_errors(committed_hub_problems(selected, set(study.network.hubs.index), source),
                        "invalid plan sweep")
    out_dir = Path(out_dir)
    raise_if_errors(check_out_dir(out_dir), "invalid output folder")
    lock_path = out_dir / store.STATE_DIR / "lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LockedError(f"another sweep is writing to {out_dir} (lock {lock_path})") from None
    try:
        if is_plan_sweep(cfg):
            from netdesign.sweep.plan_run import run_plans

            outcome = SweepOutcome(out_dir=out_dir, results=xr.Dataset(),
                                   summary=pd.DataFrame(), kind="plans")
            return run_plans(study, selected, out_dir, outcome, workers=workers,
                             scheduler=scheduler, progress=progress, forecasts=forecasts,
                             get_forecasts=lambda client: _forecasts(study, out_dir, client,
                                                                     progress=False),
                             solver_for=lambda n: _solver_for(study.cfg, n),
                             worker_writes=worker_writes)
        return _run_locked(study, selected, out_dir, workers=workers, scheduler=scheduler,
                           progress=progress, forecasts=forecasts, worker_writes=worker_writes)
    finally:
        lock.release()


def _run_locked(study, selected: list[ScenarioConfig], out_dir: Path, *, workers: int | None,
                scheduler: str | None, progress: bool, forecasts: Any,
                worker_writes: bool | None = None) -> SweepOutcome:
    from netdesign.pipeline import build_scenario
    from netdesign.results import combine_results, summary_table, write_results
    from netdesign.results.io import remove_stale_temporaries, write_frame_atomic

    cfg = study.cfg
    store.remove_stale_temporaries(out_dir)
    remove_stale_temporaries(out_dir, older_than_s=0)  # the lock is ours: no live writer
    fp = study_fingerprint(cfg, study.network.version)
    keys = {sc.name: scenario_key(fp, sc, cfg) for sc in selected}
    reused = [sc.name for sc in selected
              if store.reusable(store.read_stored(out_dir, sc.name), keys[sc.name])]
    todo = [sc for sc in selected if sc.name not in set(reused)]
    run_log = store.RunLog(out_dir, uuid.uuid4().hex[:8])
    run_log.write("start", selected=len(selected), reused=len(reused), todo=len(todo),
                  scheduler=scheduler, workers=workers, netdesign_version=__version__)
    for name in reused:
        run_log.write("skipped", scenario=name, key=keys[name])
    outcome = SweepOutcome(out_dir=out_dir, results=xr.Dataset(), summary=pd.DataFrame(),
                           reused=reused)
    phases = outcome.phases

    with SweepProgress(len(selected), done=len(reused), enabled=progress) as bar, \
            ExitStack() as stack:
        t0 = time.perf_counter()
        bar.stage("starting workers")
        client, outcome.workers, slots, outcome.highs_threads = start_client(
            stack, cfg, workers, scheduler, len(todo))
        bar.set_slots(slots)
        phases["cluster_start_s"] = time.perf_counter() - t0

        t1 = time.perf_counter()
        bar.stage("forecasting")
        if forecasts is None:
            forecasts = _forecasts(study, out_dir, client, progress=False)
        phases["forecast_s"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        solver = _solver_for(cfg, outcome.highs_threads)
        jobs, scenarios = [], {}
        for sc in todo:
            try:
                scenarios[sc.name] = build_scenario(study, sc, forecasts)
            except Exception as exc:  # noqa: BLE001 - isolate this scenario
                ds = _failure_dataset(study, _stub_scenario(study, sc), exc)
                bar.finished(failed=_record(out_dir, sc.name, ds, keys, {}, run_log,
                                            outcome).failed)
                continue
            jobs.append((sc.name, scenarios[sc.name], float(scenarios[sc.name].demand.sum())))
        bar.stage("solving")
        if client is None:
            results = run_in_process(jobs, study.network, solver)
        else:
            if worker_writes is None:
                worker_writes = shared_with_workers(client, out_dir)
            worker_dir = str(out_dir.resolve()) if worker_writes else None
            results = run_on_dask(client, jobs, study.network, solver,
                                   cfg.sweep.retries if cfg.sweep else 2, keys, worker_dir)
        for name, result, timings in results:
            timings["received_unix"] = time.time()
            if isinstance(result, BaseException):
                result = _failure_dataset(study, scenarios[name], result)
            bar.finished(failed=_record(out_dir, name, result, keys, timings, run_log,
                                        outcome).failed)
        phases["solve_s"] = time.perf_counter() - t2
        stack.close()

        bar.stage("combining")
        t3 = time.perf_counter()
        parts = [store.load_scenario(out_dir, sc.name) for sc in selected]
        ds = combine_results(parts, study, forecasts)
        write_results(ds, out_dir)
        fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
        if isinstance(fc, pd.DataFrame):
            write_frame_atomic(fc, out_dir / "forecasts.csv")
        phases["combine_s"] = time.perf_counter() - t3

    outcome.results = ds
    outcome.summary = summary_table(ds)
    outcome.failed = [str(r.scenario) for r in outcome.summary.itertuples()
                      if store.is_failure(str(r.status), float(r.total_cost_cny_per_day))]
    run_log.write("done", computed=len(outcome.computed), reused=len(reused),
                  failed=outcome.failed, phases=phases)
    return outcome


def _record(out_dir: Path, name: str, result: xr.Dataset | store.StoredScenario,
            keys: dict[str, str], timings: dict[str, Any], run_log: store.RunLog,
            outcome: SweepOutcome) -> store.StoredScenario:
    """Write a scenario's dataset (unless its worker already did) and log it."""
    if isinstance(result, store.StoredScenario):
        rec = result
    else:
        t, c = time.perf_counter(), time.process_time()
        rec = store.write_scenario(out_dir, name, result, keys[name], timings)
        timings["write_s"] = time.perf_counter() - t
        timings["write_cpu_s"] = time.process_time() - c
    outcome.computed.append(name)
    outcome.timings[name] = timings
    run_log.write("failed" if rec.failed else "computed", scenario=name, key=keys[name],
                  status=rec.status, message=rec.message, timings=timings)
    return rec
