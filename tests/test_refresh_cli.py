"""`netdesign refresh` as the scheduler runs it: subprocesses, exit codes, SIGKILL, races."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from refresh_fixtures import (
    cli_env,
    month_file,
    refresh_cmd,
    run_cli,
    summary_line,
    write_study,
)

from netdesign.refresh import publish


@pytest.fixture()
def study(tmp_path: Path):
    cfg = write_study(tmp_path, n_districts=2, n_cities=3)   # 6 corridors: subprocess tests
    store, data = tmp_path / "store", tmp_path / "incoming"
    data.mkdir()
    return cfg, store, data


def _wait_for(predicate, timeout: float = 300, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_exit_codes_json_line_and_bad_input(study) -> None:
    cfg, store, data = study
    ok = run_cli(cfg, store, data)
    assert ok.returncode == 0, ok.stderr
    first = summary_line(ok.stdout)
    assert first["status"] == "published" and first["exit_code"] == 0
    run1 = publish.read_latest(store / "forecasts")
    assert run1.name == first["run_id"]
    assert Path(first["log"]).is_file() and first["run_id"] in Path(first["log"]).read_text()

    noop = run_cli(cfg, store, data)
    assert noop.returncode == 0, noop.stderr
    line = summary_line(noop.stdout)
    assert line["status"] == "noop" and "nothing to do" in line["message"]

    bad = data / "2025-01.csv"
    bad.write_text("corridor,month,parcels\nD1>C1,2025-01,30000\nD1>C2,2025-01,\n")
    res = run_cli(cfg, store, data)
    assert res.returncode == 2, res.stderr
    assert summary_line(res.stdout)["status"] == "invalid_input"
    assert str(bad) in res.stderr and "row 2" in res.stderr and "parcels" in res.stderr
    assert publish.read_latest(store / "forecasts") == run1
    assert publish.complete_runs(store / "forecasts") == [run1.name]

    missing = run_cli(cfg, store, data.parent / "no-such-dir")
    assert missing.returncode == 2 and "no-such-dir" in missing.stderr


@pytest.mark.parametrize("point", ["backtested", "partial_written"])
def test_sigkill_mid_refresh_keeps_latest_and_next_run_completes(study, point) -> None:
    cfg, store, data = study
    assert run_cli(cfg, store, data).returncode == 0
    forecasts = store / "forecasts"
    run1 = publish.read_latest(forecasts)
    month_file(data / "2025-01.csv", "2025-01", n_districts=2, n_cities=3)
    # the test hook makes the refresh wait at `point` (mid-fit, or run folder half written)
    proc = subprocess.Popen(refresh_cmd(cfg, store, data), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=cli_env(f"{point}:600"))
    try:
        log_dir = store / "state" / "logs"
        _wait_for(lambda: any(f"pausing at {point}" in p.read_text()
                              for p in log_dir.glob("*.log")), what=f"pause at {point}")
        if point == "partial_written":
            assert any(p.name.endswith(".partial") for p in forecasts.iterdir())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert publish.read_latest(forecasts) == run1
    assert publish.complete_runs(forecasts) == [run1.name]   # nothing that looks complete

    res = run_cli(cfg, store, data)
    assert res.returncode == 0, res.stderr
    line = summary_line(res.stdout)
    assert line["status"] == "published"
    run2 = publish.read_latest(forecasts)
    assert run2.name == line["run_id"] != run1.name
    assert publish.read_manifest(run2)["history"]["last_month"] == "2025-01"
    assert not [p for p in forecasts.iterdir() if p.name.endswith(".partial")]


def test_two_refreshes_started_together_one_exits_3(study, tmp_path: Path) -> None:
    cfg, store, data = study
    go = tmp_path / "go"
    env = cli_env(f"locked:until={go}")               # the winner waits, holding the lock
    procs = [subprocess.Popen(refresh_cmd(cfg, store, data), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    try:
        _wait_for(lambda: any(p.poll() is not None for p in procs), what="one to exit")
        loser = next(p for p in procs if p.poll() is not None)
        winner = next(p for p in procs if p is not loser)
        out, err = loser.communicate()
        assert loser.returncode == 3, err
        assert "another refresh is running" in err
        line = summary_line(out)
        assert line["status"] == "locked" and line["exit_code"] == 3
        assert winner.poll() is None                    # still holding the lock
    finally:
        go.touch()
    out, err = winner.communicate(timeout=600)
    assert winner.returncode == 0, err
    assert summary_line(out)["status"] == "published"


def test_resolve_re_solves_baseline_scenarios(tmp_path: Path) -> None:
    try:
        from netdesign.optimise import design_network  # noqa: F401
        from netdesign.pipeline import run_study  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"pipeline/optimiser not available: {exc}")
    cfg = write_study(tmp_path, n_districts=1, n_cities=2)
    store, data = tmp_path / "store", tmp_path / "incoming"
    data.mkdir()
    res = run_cli(cfg, store, data, "--resolve")
    assert res.returncode == 0, res.stderr
    line = summary_line(res.stdout)                      # solver output kept off stdout
    assert line["status"] == "published" and line["resolve"]["status"] == "ok"
    out = store / "resolved" / line["run_id"]
    assert (out / "results.nc").is_file() and (out / "summary.csv").is_file()


def test_failure_lines_carry_status_and_exit_code() -> None:
    from netdesign.cli.refresh import _failure
    from netdesign.errors import InputError, LockedError, Problem

    bad = _failure(InputError([Problem("f.csv", "row 3", "parcels", -1, ">= 0")]))
    assert (bad["status"], bad["exit_code"]) == ("invalid_input", 2)
    assert "f.csv: row 3" in bad["message"]
    assert _failure(LockedError("busy")) == {"status": "locked", "exit_code": 3,
                                             "message": "busy"}
    assert _failure(RuntimeError("boom"))["exit_code"] == 1
