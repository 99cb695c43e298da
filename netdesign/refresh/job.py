"""The refresh job: lock -> ingest -> validate -> merge -> decide -> fit -> publish -> prune.

`run_refresh` is the Python API behind `netdesign refresh`. It returns a `RefreshOutcome`
whose `summary` is the one JSON line the command prints; it raises `InputError` (exit 2) for
invalid volume files, `LockedError` (exit 3) when another refresh runs, anything else is a
failure (exit 1). Nothing under `forecasts/` changes unless a run completes.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from netdesign.config.loader import load_config
from netdesign.config.schema import StudyConfig
from netdesign.errors import InputError, Problem, raise_if_errors
from netdesign.forecast.parallel import local_client
from netdesign.refresh import publish
from netdesign.refresh.checks import check_volumes
from netdesign.refresh.history import engine_history, history_hash, overlay, prior_history
from netdesign.refresh.ingest import VolumeFile, read_volume_file, scan_data_dir
from netdesign.refresh.lock import RefreshLock
from netdesign.refresh.manifest import build_manifest, fingerprint
from netdesign.refresh.store import Store

log = logging.getLogger("netdesign.refresh")

PAUSE_ENV = "NETDESIGN_REFRESH_PAUSE"


@dataclass
class RefreshOutcome:
    """status: ``"published"`` or ``"noop"``. summary: the JSON line (plain JSON types)."""

    status: str
    summary: dict[str, Any]
    run_dir: Path | None = None
    warnings: list[Problem] = field(default_factory=list)


def pause_point(point: str) -> None:
    """Test hook: ``NETDESIGN_REFRESH_PAUSE=<point>:<seconds>`` or ``<point>:until=<file>``
    makes the refresh wait at `point` (locked, backtested, fitted, partial_written,
    published), so that tests can kill it or race it at a known place. Unset in production."""
    spec = os.environ.get(PAUSE_ENV, "")
    want, _, arg = spec.partition(":")
    if want != point:
        return
    log.info("test hook: pausing at %s (%s)", point, arg)
    if arg.startswith("until="):
        flag = Path(arg[len("until="):])
        deadline = time.monotonic() + 600
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    else:
        time.sleep(float(arg or 0))


def default_horizon(cfg: StudyConfig, last_month: pd.Period) -> int:
    """Months after `last_month` through December of the latest scenario year (>= 12)."""
    if cfg.refresh.horizon_months is not None:
        return cfg.refresh.horizon_months
    years = [sc.year for sc in cfg.scenarios]
    if cfg.sweep is not None:
        years += [sc.year for sc in cfg.sweep.scenarios]
        years += [int(y) for y in cfg.sweep.axes.get("year", [])]
    if not years:
        return 12
    end = pd.Period(year=max(years), month=12, freq="M")
    return max(12, (end - last_month).n)


@contextmanager
def run_log(store: Store, name: str):
    """Attach a per-run log file (state/logs/<name>.log) to the netdesign loggers."""
    path = store.logs_dir / f"{name}.log"
    handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("netdesign")
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def prune_logs(store: Store, keep: int) -> None:
    logs = sorted(store.logs_dir.glob("*.log"))
    for p in logs[:-keep] if len(logs) > keep else []:
        p.unlink(missing_ok=True)


def _read_files(files: list[VolumeFile]) -> tuple[list[tuple[VolumeFile, pd.DataFrame]],
                                                  list[Problem]]:
    frames, problems = [], []
    for vf in files:
        frame, probs = read_volume_file(vf)
        problems += probs
        if frame is not None:
            frames.append((vf, frame))
    return frames, problems


def run_refresh(
    config_path: str | Path,
    *,
    store: str | Path = ".",
    data_dir: str | Path | None = None,
    resolve: bool = False,
    full_reselect: bool = False,
    now: datetime | None = None,
) -> RefreshOutcome:
    """Run one refresh of the study at `config_path` (see docs/refresh.md).

    store: folder holding models/, forecasts/ and state/ (default: the current directory).
    data_dir: where new volume files arrive (default: <store>/incoming, created if absent).
    resolve: after publishing, re-solve the baseline scenarios with the new forecasts.
    full_reselect: re-select every corridor's model now, whatever the schedule.
    now: the current time (UTC; tests only).
    """
    t_start = time.perf_counter()
    now = now or datetime.now(UTC)
    config_path = Path(config_path)
    cfg = load_config(config_path)
    st = Store(Path(store))
    if data_dir is None:
        data_path = st.root / "incoming"
        data_path.mkdir(parents=True, exist_ok=True)
    else:
        data_path = Path(data_dir)
        if not data_path.is_dir():
            raise InputError([Problem(str(data_path), "(folder)", "--data-dir", None,
                                      "an existing folder where volume files arrive")],
                             "invalid refresh input")
    st.ensure()
    with RefreshLock(st.lock_path):
        stamp = publish.new_run_id(st.forecasts_dir, now)
        with run_log(st, stamp) as log_path:
            log.info("refresh of %s started (store %s, data %s)", config_path, st.root, data_path)
            try:
                outcome = _refresh_locked(cfg, config_path, st, data_path, stamp, now,
                                          resolve, full_reselect, t_start)
            except InputError as exc:
                log.error("%s", exc.render())
                raise
            except Exception:
                log.exception("refresh failed")
                raise
            outcome.summary["log"] = str(log_path)
            log.info("summary: %s", json.dumps(outcome.summary, default=str))
        prune_logs(st, cfg.refresh.keep_logs)
    return outcome


def _refresh_locked(cfg: StudyConfig, config_path: Path, st: Store, data_path: Path,
                    run_id: str, now: datetime, resolve: bool, full_reselect: bool,
                    t_start: float) -> RefreshOutcome:
    from netdesign.data.loader import load_network

    pause_point("locked")
    timings: dict[str, float] = {}
    cleaned = publish.clean_leftovers(st.forecasts_dir)
    if cleaned:
        log.warning("removed leftovers of interrupted refreshes: %s", ", ".join(cleaned))

    t = time.perf_counter()
    network = load_network(cfg)
    corridors = [str(c) for c in network.corridors.index]
    state = st.read_state()
    stored_history = st.read_history()
    prior = prior_history(network.history, stored_history)
    files = scan_data_dir(data_path, state["ingested"])
    frames, problems = _read_files(files)
    timings["ingest"] = time.perf_counter() - t

    t = time.perf_counter()
    current_month = pd.Period(now.strftime("%Y-%m"), freq="M")
    rows, more = check_volumes(frames, corridors, prior, current_month=current_month,
                               implausible_factor=cfg.refresh.implausible_factor,
                               recent_months=cfg.refresh.recent_months)
    problems += more
    raise_if_errors(problems, f"refresh: invalid volume files in {data_path}")
    warnings = [p for p in problems if p.severity != "error"]
    for w in warnings:
        log.warning("%s", w)
    timings["validate"] = time.perf_counter() - t

    new_rows = rows[["corridor_id", "month", "parcels", "source"]].copy()
    new_rows["month"] = pd.PeriodIndex(new_rows["month"], freq="M")
    merged = overlay(prior, new_rows)
    merged = merged[merged["corridor_id"].isin(corridors)].reset_index(drop=True)
    counts = {vf.name: int((rows["source"] == vf.name).sum()) for vf in files}
    months_added = int(len(merged) - len(prior[prior["corridor_id"].isin(corridors)]))
    _record_ingest(st, state, stored_history, merged, files, counts, run_id, now)
    log.info("ingested %d file(s) (%d rows, %d new corridor-months)", len(files),
             len(rows), months_added)

    last_month = merged["month"].max()
    horizon = default_horizon(cfg, last_month)
    settings = forecast_settings(cfg)
    fp = fingerprint(merged, corridors, settings, horizon, cfg.forecast)
    latest = publish.read_latest(st.forecasts_dir)
    latest_fp = publish.read_manifest(latest).get("fingerprint") if latest else None
    base_summary = {
        "study": cfg.name, "corridors": len(corridors),
        "new_files": [vf.name for vf in files], "rows_ingested": int(len(rows)),
        "months_added": months_added, "history_last_month": str(last_month),
        "warnings": len(warnings),
    }
    if latest is not None and latest_fp == fp and not full_reselect:
        msg = f"nothing to do: no new or changed data since run {latest.name}"
        log.info(msg)
        summary = {"status": "noop", "exit_code": 0, "message": msg, "run_id": None,
                   "latest": latest.name, **base_summary,
                   "seconds": round(time.perf_counter() - t_start, 3)}
        return RefreshOutcome("noop", summary, None, warnings)

    return _fit_and_publish(cfg, config_path, st, state, network, merged, files, counts,
                            run_id, now, resolve, full_reselect, horizon, settings, fp,
                            warnings, timings, base_summary, t_start)


def forecast_settings(cfg: StudyConfig):
    """The study's engine settings, as `netdesign run` uses them (progress bar only on a
    terminal)."""
    import sys

    from netdesign.pipeline import forecast_settings as study_forecast_settings

    return study_forecast_settings(cfg, progress=sys.stderr.isatty())


def _record_ingest(st: Store, state: dict[str, Any], stored: pd.DataFrame | None,
                   merged: pd.DataFrame, files: list[VolumeFile], counts: dict[str, int],
                   run_id: str, now: datetime) -> None:
    """Store the merged history, then mark the files ingested (history first: a crash in
    between re-reads the files, which merge to the same history)."""
    if files or stored is None or history_hash(stored) != history_hash(merged):
        st.write_history(merged)
    if files:
        for vf in files:
            state["ingested"][vf.name] = {
                "sha256": vf.sha256, "size_bytes": vf.size_bytes, "rows": counts[vf.name],
                "status": vf.status, "ingested_utc": now.isoformat(timespec="seconds"),
                "refresh": run_id,
            }
        st.write_state(state)


def _fit_and_publish(cfg, config_path, st, state, network, merged, files, counts, run_id, now,
                     resolve, full_reselect, horizon, settings, fp, warnings, timings,
                     base_summary, t_start) -> RefreshOutcome:
    from netdesign.refresh.fit import fit_corridors, plan_fit, spec_records

    corridors = [str(c) for c in network.corridors.index]
    stored = st.read_specs()
    plan = plan_fit(stored, corridors, state.get("last_full_selection_utc"), now,
                    cfg.refresh.full_reselect_days, full_reselect)
    log.info("models: %s; horizon %d months", plan.reason, horizon)
    hist = engine_history(merged)
    with local_client(settings.workers) as client:  # one cluster: forecast + backtest
        outcome = fit_corridors(
            hist, plan, stored, settings, horizon=horizon,
            backtest_horizon=cfg.forecast.backtest_horizon,
            backtest_origins=cfg.forecast.backtest_origins,
            worse_tolerance=cfg.refresh.reselect_if_mase_worse, client=client,
            pause=pause_point)
    timings.update(outcome.seconds)
    if outcome.worsened:
        log.warning("re-selected %d corridor(s) whose backtest MASE worsened: %s",
                    len(outcome.worsened), ", ".join(outcome.worsened[:20]))
    pause_point("fitted")

    t = time.perf_counter()
    if cfg.forecast.reconcile:
        outcome.forecasts = reconciled(outcome.forecasts, network)
    # Published intervals calibrated on this refresh's backtest by default; `interval_basis`
    # says which rows are calibrated and which extrapolated (docs/forecasting.md).
    from netdesign.forecast.calibration import apply_calibration_by_horizon

    outcome.forecasts = apply_calibration_by_horizon(
        outcome.forecasts, outcome.calibration if cfg.forecast.calibrate_intervals else None,
        cfg.forecast.backtest_horizon)
    manifest = build_manifest(
        cfg=cfg, config_path=config_path, network=network, run_id=run_id, now=now,
        state=state, files=files, counts=counts, merged=merged, fingerprint=fp,
        horizon=horizon, settings=settings, plan=plan, outcome=outcome,
        warnings=warnings, timings=timings, started=t_start)
    fc = outcome.forecasts
    writers = {
        "forecasts.parquet": lambda p: fc.to_parquet(p, index=False),
        "forecasts.csv": lambda p: fc.assign(date=fc["date"].dt.strftime("%Y-%m-%d"))
                                     .to_csv(p, index=False, float_format="%.6g"),
        "backtest.csv": lambda p: outcome.backtest.to_csv(p, index=False, float_format="%.6g"),
        "history.parquet": lambda p: merged.assign(month=merged["month"].astype(str))
                                           .to_parquet(p, index=False),
    }
    run_dir = publish.write_run(st.forecasts_dir, run_id, writers, manifest, pause_point)
    pause_point("published")
    publish.switch_latest(st.forecasts_dir, run_id)
    log.info("published %s and switched latest", run_dir)

    for corridor, rec in spec_records(outcome, stored, now, run_id).items():
        st.write_spec(corridor, rec)
    if plan.full:
        state["last_full_selection_utc"] = now.isoformat(timespec="seconds")
        st.write_state(state)
    pruned = publish.prune_runs(st.forecasts_dir, cfg.refresh.retention_runs)
    for old_run in pruned:
        shutil.rmtree(st.root / "resolved" / old_run, ignore_errors=True)
    if pruned:
        log.info("pruned runs: %s", ", ".join(pruned))
    timings["publish"] = time.perf_counter() - t

    summary = {"status": "published", "exit_code": 0,
               "message": f"published run {run_id} ({plan.reason})", "run_id": run_id,
               "latest": run_id, **base_summary,
               "spec_reuse": manifest["spec_reuse"], "models": manifest["models_used"],
               "backtest": manifest["backtest"], "pruned": pruned,
               "seconds": round(time.perf_counter() - t_start, 3)}
    if resolve:
        summary["resolve"] = _resolve(cfg, config_path, network, merged, st, run_id, fc)
        if summary["resolve"]["status"] != "ok":
            summary["exit_code"] = 1
    return RefreshOutcome("published", summary, run_dir, warnings)


def reconciled(forecasts: pd.DataFrame, network) -> pd.DataFrame:
    """Corridor forecasts plus region and network-total rows that add up (as `netdesign run`
    does: regions are the corridors' origin regions)."""
    from netdesign.forecast import reconcile_forecasts
    from netdesign.pipeline import corridor_hierarchy

    return reconcile_forecasts(forecasts, corridor_hierarchy(network))


def _resolve(cfg: StudyConfig, config_path: Path, network, merged: pd.DataFrame, st: Store,
             run_id: str, forecasts: pd.DataFrame) -> dict:
    """Re-solve the baseline scenarios with the new forecasts into resolved/<run-id>/.

    The study's network is given the refreshed history, so that months of the design year
    already observed come from the data rather than the forecast.
    """
    try:
        from netdesign.pipeline import Study, run_study
    except ImportError as exc:
        log.error("--resolve: the pipeline API is not available (%s)", exc)
        return {"status": "unavailable", "error": str(exc)}
    out_dir = st.root / "resolved" / run_id
    study = Study(cfg=cfg, network=replace(network, history=merged[["corridor_id", "month",
                                                                    "parcels"]].copy()),
                  config_path=config_path)
    t = time.perf_counter()
    try:
        run_study(study, out_dir, forecasts=forecasts, progress=False)
    except Exception as exc:  # noqa: BLE001 - reported in the summary; forecasts stay published
        log.exception("--resolve failed")
        return {"status": "failed", "error": f"{type(exc).__name__}: {exc}",
                "out_dir": str(out_dir)}
    log.info("re-solved baseline scenarios into %s", out_dir)
    return {"status": "ok", "out_dir": str(out_dir),
            "seconds": round(time.perf_counter() - t, 3)}
