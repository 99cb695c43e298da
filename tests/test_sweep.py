"""End-to-end sweeps on the tiny study: local Dask cluster, an external scheduler, resume after
SIGKILL, failure isolation (exit code 4).

Every sweep runs the real command (`.venv/bin/netdesign sweep`) in a subprocess. The sweep is
2 years x 2 carbon prices x 2 policies + one scenario made infeasible on purpose (a CO2 cap of
0 t/day with the elastic unserved slack switched off), so 9 scenarios of about a second each.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from distributed.diagnostics.plugin import WorkerPlugin

from netdesign.sweep.store import read_log

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
NETDESIGN = str(BIN / "netdesign")
FAILING = "impossible_co2"
GRID = [f"{y}_g-base_c-base_co2-{c}_p-{p}" for y in (2025, 2030) for c in (0, 200)
        for p in ("none", "co2_cap")]


@pytest.fixture(scope="module")
def sweep_config(tiny_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny study with a 9-scenario sweep, one of which cannot be solved."""
    raw = yaml.safe_load(tiny_config.read_text(encoding="utf-8"))
    raw["data"]["dir"] = str(tiny_config.parent.resolve())
    raw["network"]["allow_unserved"] = False
    raw["policies"]["impossible"] = {"co2_cap_t_per_day": 0}
    raw["forecast"]["backtest_origins"] = 0
    raw["sweep"] = {
        "axes": {"year": [2025, 2030], "carbon_price_cny_per_t": [0, 200],
                 "policy": ["none", "co2_cap"]},
        "scenarios": [{"name": FAILING, "year": 2030, "policy": "impossible"}],
        "retries": 1,
    }
    path = tmp_path_factory.mktemp("sweepcfg") / "sweep.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def _sweep(cfg: Path, out: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([NETDESIGN, "sweep", str(cfg), "--out", str(out), "-q", *args],
                          capture_output=True, text=True, timeout=timeout)


def _comparable(out: Path) -> xr.Dataset:
    """results.nc without what legitimately differs between runs (times, provenance)."""
    ds = xr.load_dataset(out / "results.nc")
    ds.attrs = {}
    return ds.drop_vars("solve_seconds")


def assert_same_results(got: xr.Dataset, want: xr.Dataset) -> None:
    """Same variables, coordinates, names, statuses and attributes; the same numbers up to
    floating-point rounding (sums over a model's terms may differ in the last bit between
    processes)."""
    assert set(got.variables) == set(want.variables)
    for name, var in want.variables.items():
        other = got[name]
        assert other.dims == var.dims, name
        assert other.attrs == var.attrs, name
        if var.dtype.kind == "f":
            np.testing.assert_allclose(other.values, var.values, rtol=1e-9, atol=1e-9,
                                       err_msg=name)
        else:
            np.testing.assert_array_equal(other.values, var.values, err_msg=name)


def assert_same_summary(got: Path, want: Path) -> None:
    pd.testing.assert_frame_equal(pd.read_csv(got), pd.read_csv(want), check_exact=False,
                                  rtol=1e-9, atol=1e-9)


@pytest.fixture(scope="module")
def reference(sweep_config: Path, tmp_path_factory: pytest.TempPathFactory):
    """An uninterrupted sweep on a local cluster of 2 process workers."""
    out = tmp_path_factory.mktemp("reference")
    proc = _sweep(sweep_config, out, "--workers", "2")
    return out, proc


def test_list_prints_the_names_one_per_line(sweep_config: Path):
    proc = subprocess.run([NETDESIGN, "sweep", str(sweep_config), "--list"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == GRID + [FAILING]
    proc = subprocess.run([NETDESIGN, "sweep", str(sweep_config), "--list",
                           "--only", "2030_*_p-none", "--only", "impossible*"],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.splitlines() == ["2030_g-base_c-base_co2-0_p-none",
                                        "2030_g-base_c-base_co2-200_p-none", FAILING]
    proc = subprocess.run([NETDESIGN, "sweep", str(sweep_config), "--list", "--only", "20[4]*"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "--only" in proc.stderr


def test_failed_scenario_is_isolated_and_reported(reference):
    out, proc = reference
    assert proc.returncode == 4, proc.stderr
    assert FAILING in proc.stderr
    summary = pd.read_csv(out / "summary.csv", keep_default_na=False)
    assert list(summary["scenario"]) == GRID + [FAILING]
    bad = summary.set_index("scenario").loc[FAILING]
    assert bad["status"] == "infeasible"
    assert bad["message"] != ""
    assert bad["total_cost_cny_per_day"] == ""  # NaN: no design
    good = summary[summary["scenario"] != FAILING]
    assert set(good["status"]) <= {"optimal", "feasible"}
    assert (good["total_cost_cny_per_day"].astype(float) > 0).all()
    # a carbon price can only raise the optimal cost of the same scenario
    cost = good.set_index("scenario")["total_cost_cny_per_day"].astype(float)
    for y in (2025, 2030):
        for p in ("none", "co2_cap"):
            assert cost[f"{y}_g-base_c-base_co2-200_p-{p}"] >= \
                cost[f"{y}_g-base_c-base_co2-0_p-{p}"] * (1 - 0.01)
    # every scenario has its own file, and results.nc holds them all along `scenario`
    files = sorted(p.stem for p in (out / "scenarios").glob("*.nc"))
    assert files == sorted(GRID + [FAILING])
    ds = xr.load_dataset(out / "results.nc")
    assert list(ds["scenario"].values) == GRID + [FAILING]
    assert {"flow", "hub_capacity", "forecast", "history"} <= set(ds.data_vars)
    assert np.isnan(ds["total_cost"].sel(scenario=FAILING))


def test_rerun_reuses_everything_but_keeps_the_exit_code(sweep_config: Path, reference,
                                                         tmp_path: Path):
    ref, _ = reference
    out = tmp_path / "copy"
    shutil.copytree(ref, out)
    before = {p.name: p.stat().st_mtime_ns for p in (out / "scenarios").glob("*.nc")}
    proc = _sweep(sweep_config, out, "--workers", "1")
    assert proc.returncode == 4, proc.stderr
    after = {p.name: p.stat().st_mtime_ns for p in (out / "scenarios").glob("*.nc")}
    assert after == before
    last_run = read_log(out)[-1]["run"]
    events = [e for e in read_log(out) if e["run"] == last_run]
    assert {e["event"] for e in events} == {"start", "skipped", "done"}
    xr.testing.assert_identical(_comparable(out), _comparable(ref))


def _scenario_files(out: Path) -> dict[str, tuple[int, int]]:
    return {p.stem: (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (out / "scenarios").glob("*.nc")}


def test_resume_after_sigkill(sweep_config: Path, reference, tmp_path: Path):
    ref, _ = reference
    out = tmp_path / "killed"
    # one worker: the scenarios finish one after another, leaving time to kill mid-sweep
    proc = subprocess.Popen([NETDESIGN, "sweep", str(sweep_config), "--out", str(out), "-q",
                             "--workers", "1"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            if (out / "scenarios").is_dir() and len(_scenario_files(out)) >= 2:
                break
            time.sleep(0.02)
    finally:
        # the whole process group: the sweep, its nannies and worker processes
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    done = _scenario_files(out)
    total = len(GRID) + 1
    assert 2 <= len(done) < total, f"kill came too late or too early: {sorted(done)}"
    # a half-written result must never be taken for a finished one
    missing = sorted(set(GRID + [FAILING]) - set(done))
    (out / "scenarios" / f"{missing[0]}.nc").write_bytes(b"CDF\x01 truncated")

    proc2 = _sweep(sweep_config, out, "--workers", "2")
    assert proc2.returncode == 4, proc2.stderr
    now = _scenario_files(out)
    assert set(now) == set(GRID + [FAILING])
    for name, stamp in done.items():
        assert now[name] == stamp, f"{name} was recomputed"
    runs = [e for e in read_log(out) if e["event"] == "start"]
    last = [e for e in read_log(out) if e["run"] == runs[-1]["run"]]
    computed = {e["scenario"] for e in last if e["event"] in ("computed", "failed")}
    assert computed == set(missing)
    assert {e["scenario"] for e in last if e["event"] == "skipped"} == set(done)
    assert not list((out / "scenarios").glob(".*.tmp"))
    assert_same_results(_comparable(out), _comparable(ref))
    assert_same_summary(out / "summary.csv", ref / "summary.csv")


def _wait_for(path: Path, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file():
            try:
                return json.loads(path.read_text())
            except json.JSONDecodeError:
                pass
        time.sleep(0.1)
    raise TimeoutError(f"{path} did not appear")


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory):
    """A real `dask scheduler` and two `dask worker` processes on 127.0.0.1 (random ports)."""
    tmp_path = tmp_path_factory.mktemp("dask")
    sched_file = tmp_path / "scheduler.json"
    # a task whose worker died twice is given up (the test of lost workers relies on it)
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                               "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(sched_file)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True, env=env)]
    try:
        address = _wait_for(sched_file)["address"]
        for i in range(2):
            procs.append(subprocess.Popen(
                [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                 "--host", "127.0.0.1", "--no-dashboard", "--name", f"w{i}",
                 "--local-directory", str(tmp_path / f"w{i}")],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=180)
        yield address
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in reversed(procs):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=30)


@pytest.mark.distributed
def test_external_scheduler_gives_the_local_results(sweep_config: Path, reference,
                                                    dask_cluster: str, tmp_path: Path):
    ref, _ = reference
    out = tmp_path / "remote"
    proc = _sweep(sweep_config, out, "--scheduler", dask_cluster)
    assert proc.returncode == 4, proc.stderr
    assert_same_results(_comparable(out), _comparable(ref))
    assert_same_summary(out / "summary.csv", ref / "summary.csv")
    # the scenarios were solved by the two external workers, not by a local cluster
    start = [e for e in read_log(out) if e["event"] == "start"][-1]
    assert start["scheduler"] == dask_cluster
    pids = {e["timings"]["pid"] for e in read_log(out) if e["event"] in ("computed", "failed")}
    assert 1 <= len(pids) <= 2


@pytest.mark.distributed
def test_results_travel_back_when_workers_cannot_write(sweep_config: Path, reference,
                                                       dask_cluster: str, tmp_path: Path):
    """Workers without access to the output folder: the driver writes what they return."""
    from netdesign.sweep import run_sweep
    from netdesign.sweep.store import load_scenario

    ref, _ = reference
    forecasts = pd.read_parquet(ref / ".sweep" / "forecasts.parquet")
    names = ["2030_g-base_c-base_co2-200_p-none", FAILING]
    out = tmp_path / "driver"
    outcome = run_sweep(sweep_config, out, only=names, scheduler=dask_cluster, progress=False,
                        forecasts=forecasts, worker_writes=False)
    assert outcome.exit_code == 4 and outcome.failed == [FAILING]
    assert sorted(outcome.computed) == sorted(names)
    assert all(t["pid"] != os.getpid() for t in outcome.timings.values())
    for name in names:
        got, want = (load_scenario(d, name).drop_vars("solve_seconds") for d in (out, ref))
        got.attrs, want.attrs = {}, {}  # the solver report holds timings
        assert_same_results(got, want)


def test_a_second_sweep_into_the_same_folder_is_refused(sweep_config: Path, tmp_path: Path):
    from filelock import FileLock

    from netdesign.errors import LockedError
    from netdesign.sweep import run_sweep

    (tmp_path / ".sweep").mkdir()
    with FileLock(str(tmp_path / ".sweep" / "lock")):
        with pytest.raises(LockedError, match="another sweep"):
            run_sweep(sweep_config, tmp_path, workers=0, progress=False)
    assert not (tmp_path / "scenarios").exists()


class KillWorkerOnTask(WorkerPlugin):
    """Dask worker plugin: the worker process exits (as if OOM-killed) when it starts solving
    the scenario `name`; only the first `times` times (counted in files under `marks`)."""

    def __init__(self, name: str, marks: str, times: int):
        self.name, self.marks, self.times = name, marks, times

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing" and str(key).startswith(f"solve-{self.name}-"):
            marks = Path(self.marks)
            if len(list(marks.glob("kill-*"))) < self.times:
                (marks / f"kill-{os.getpid()}").touch()
                os._exit(1)


@pytest.mark.distributed
@pytest.mark.parametrize("kills", [1, 5])
def test_a_lost_worker_is_replaced_and_its_scenario_retried(
        sweep_config: Path, reference, dask_cluster: str, tmp_path: Path, kills: int):
    """Killed once: the scenario is rerun elsewhere and solved. Killed every time: after
    `allowed-failures` (1 here) retries it is reported as `killed`, the rest completes."""
    import cloudpickle
    from distributed import Client

    from netdesign.sweep import run_sweep
    from netdesign.sweep.store import load_scenario

    ref, _ = reference
    forecasts = pd.read_parquet(ref / ".sweep" / "forecasts.parquet")
    victim = "2025_g-base_c-base_co2-200_p-none"
    names = [victim, "2030_g-base_c-base_co2-0_p-none"]
    marks = tmp_path / "marks"
    marks.mkdir()
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with Client(dask_cluster, timeout=60) as client:
        client.register_plugin(KillWorkerOnTask(victim, str(marks), kills), name="killer")
        try:
            outcome = run_sweep(sweep_config, tmp_path / "out", only=names,
                                scheduler=dask_cluster, progress=False, forecasts=forecasts)
        finally:
            client.unregister_worker_plugin("killer")
            client.wait_for_workers(2, timeout=180)
    killed = len(list(marks.glob("kill-*")))
    status = dict(zip(outcome.summary["scenario"], outcome.summary["status"], strict=True))
    assert status["2030_g-base_c-base_co2-0_p-none"] == "optimal"
    if kills == 1:
        assert killed == 1
        assert outcome.exit_code == 0 and status[victim] == "optimal"
        got = load_scenario(tmp_path / "out", victim).drop_vars("solve_seconds")
        want = load_scenario(ref, victim).drop_vars("solve_seconds")
        got.attrs, want.attrs = {}, {}
        assert_same_results(got, want)
    else:
        assert killed == 2  # the first try and one retry
        assert outcome.exit_code == 4 and outcome.failed == [victim]
        assert status[victim] == "killed"
        msg = outcome.summary.set_index("scenario").loc[victim, "message"]
        assert "died" in msg
