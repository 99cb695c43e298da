"""The fault-and-abuse suite (issue #18): every case of `tests/faults/cases.py` through the CLI,
plus the cases that need more than one command line (a hostile sweep cache, a killed run).

For each table case: the exit code, the expected words in the message (whitespace
normalised, printed literally: a value such as ``[/x]`` must appear as typed), and that
nothing was written under the case's folder except what the case allows.
"""

from __future__ import annotations

import fnmatch
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from faults.cases import CASES, RUN, Case, copy_tiny, edit_config
from typer.testing import CliRunner

from netdesign.cli.main import app

ROOT = Path(__file__).resolve().parents[1]


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            p = Path(dirpath) / name
            st = p.lstat()
            out[p.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


def _argv(case: Case, tmp: Path) -> list[str]:
    subs = {"cfg": str(tmp / "study" / "tiny.yaml"), "study": str(tmp / "study"),
            "out": str(tmp / "out"), "tmp": str(tmp)}
    return [a.format(**subs) for a in case.argv]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fault_case(case: Case, tmp_path: Path) -> None:
    if case.skip_as_root and os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    held = case.build(tmp_path)
    before = _snapshot(tmp_path)
    try:
        res = CliRunner().invoke(app, _argv(case, tmp_path))
    finally:
        for h in held if isinstance(held, list) else [held]:
            if hasattr(h, "release"):
                h.release()
    text = " ".join((res.output or "").split())
    assert res.exit_code == case.code, f"exit {res.exit_code}, expected {case.code}:\n{text}"
    assert "Traceback" not in text and "MarkupError" not in text, text
    for word in case.words:
        assert " ".join(word.split()) in text, f"{word!r} not in:\n{text}"
    after = _snapshot(tmp_path)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    unexpected = [k for k in changed if not any(fnmatch.fnmatch(k, g) for g in case.writes)]
    assert not unexpected, f"written although the command failed: {unexpected}"
    if case.check is not None:
        case.check(tmp_path)


def test_every_case_has_words_and_a_unique_name():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert all(c.words for c in CASES)


# ---------------------------------------------------------------------------------------------
# the sweep's forecast cache: data only, its key checked (issue #18 item 1)
# ---------------------------------------------------------------------------------------------
class _Payload:
    """Unpickling this creates a marker file: proof that a pickle was executed."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def _fake_forecasts(study) -> pd.DataFrame:
    ids = [str(c) for c in study.network.corridors.index]
    dates = pd.date_range("2025-01-01", periods=72, freq="MS")
    rows = [(s, d, 100.0, 90.0, 110.0, 80.0, 120.0, "test") for s in ids for d in dates]
    return pd.DataFrame(rows, columns=["series_id", "date", "mean", "lo_80", "hi_80", "lo_95",
                                       "hi_95", "model"])


def test_sweep_never_unpickles_and_checks_the_cache_key(tmp_path, monkeypatch, caplog):
    from netdesign.pipeline import load_study
    from netdesign.sweep import runner, store

    cfg = copy_tiny(tmp_path)
    study = load_study(cfg)
    out = tmp_path / "out"
    state = out / store.STATE_DIR
    state.mkdir(parents=True)
    marker = tmp_path / "pwned"
    (state / "forecasts-0123456789abcdef0123.pkl").write_bytes(
        pickle.dumps(_Payload(str(marker))))
    inputs = runner.forecast_cache_inputs(study)
    key = store.forecast_cache_key(inputs)
    good = _fake_forecasts(study)
    store.write_forecast_cache(out, key, inputs, good)

    def forecast_study(*_a, **_k):  # recomputing is what must happen for a bad cache
        calls.append(1)
        return type("R", (), {"forecasts": good.assign(model="recomputed")})()

    calls: list[int] = []
    monkeypatch.setattr("netdesign.pipeline.forecast_study", forecast_study)
    got = runner._forecasts(study, out, None, progress=False)
    assert not marker.exists() and not list(state.glob("*.pkl"))
    assert calls == [] and (got["model"] == "test").all()  # reused: key matched

    # a cache written for other inputs is ignored, recomputed and replaced
    store.write_forecast_cache(out, "0" * 64, inputs, good)
    got = runner._forecasts(study, out, None, progress=False)
    assert calls == [1] and (got["model"] == "recomputed").all()
    assert "made for other inputs" in caplog.text

    # a tampered data file (swapped after the key was written) is ignored
    good.assign(mean=-1.0).to_parquet(state / store.CACHE_DATA, index=False)
    assert store.read_forecast_cache(out, key) is None
    assert "does not match its key file" in caplog.text

    # an unreadable key file is ignored
    (state / store.CACHE_KEY).write_text("{not json", encoding="utf-8")
    assert store.read_forecast_cache(out, key) is None

    # no pickle, cloudpickle, eval or yaml.load in the package
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "netdesign").rglob("*.py"))
    for bad in ("import pickle", "pickle.load", "cloudpickle", "eval(", "exec(", "yaml.load(",
                "yaml.unsafe_load", "yaml.Loader"):
        assert bad not in src, bad


# ---------------------------------------------------------------------------------------------
# SIGKILL during a run: nothing half-written, and the next run cleans up
# ---------------------------------------------------------------------------------------------
def test_run_killed_while_solving_leaves_no_results(tmp_path):
    """Kill `netdesign run` once it prints that it is solving: no results.nc, summary.csv or
    forecasts.csv may exist (they are written only at the end, each atomically)."""
    edit_config(solver={"time_limit_s": 30})(tmp_path)
    exe = Path(sys.executable).parent / "netdesign"
    out = tmp_path / "out"
    proc = subprocess.Popen([str(exe), *[a.format(cfg=tmp_path / "study" / "tiny.yaml",
                                                  out=out) for a in RUN[:-1]]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = ""
    deadline = time.monotonic() + 300
    while "solving scenario" not in seen and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen += line
    assert "solving scenario" in seen, seen
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert not [n for n in left if not n.endswith(".tmp") and not n.endswith(".lp")], left
