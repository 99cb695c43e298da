"""Publishing protocol and lock of the refresh (refresh/publish.py, refresh/lock.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netdesign.errors import LockedError
from netdesign.refresh import publish
from netdesign.refresh.lock import RefreshLock


def _write(d: Path, run_id: str, value: str = "x") -> Path:
    return publish.write_run(d, run_id, {"data.txt": lambda p: p.write_text(value)},
                             {"run_id": run_id})


def test_run_is_complete_only_after_rename_and_latest_switches(tmp_path: Path) -> None:
    d = tmp_path / "forecasts"
    assert publish.read_latest(d) is None
    seen = {}

    def pause(point: str) -> None:  # inside write_run, before the manifest and the rename
        seen[point] = sorted(p.name for p in d.iterdir())

    run = publish.write_run(d, "r1", {"data.txt": lambda p: p.write_text("one")},
                            {"run_id": "r1"}, pause)
    assert seen == {"partial_written": [".r1.partial"]}
    assert publish.read_latest(d) is None            # written, not yet switched
    publish.switch_latest(d, "r1")
    assert publish.read_latest(d) == run
    assert os.readlink(d / "latest") == "r1"          # relative link
    manifest = publish.read_manifest(run)
    assert manifest["run_id"] == "r1"
    assert set(manifest["file_sha256"]) == {"data.txt"}
    _write(d, "r2", "two")
    publish.switch_latest(d, "r2")
    assert (publish.read_latest(d) / "data.txt").read_text() == "two"
    assert sorted(p.name for p in d.iterdir()) == ["latest", "r1", "r2"]


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    d = tmp_path / "forecasts"

    def boom(p: Path) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        publish.write_run(d, "r1", {"a.txt": lambda p: p.write_text("a"), "b.txt": boom}, {})
    assert list(d.iterdir()) == []


def test_leftovers_are_cleaned_and_never_look_complete(tmp_path: Path) -> None:
    d = tmp_path / "forecasts"
    _write(d, "r1")
    publish.switch_latest(d, "r1")
    (d / ".r2.partial").mkdir()
    (d / ".r2.partial" / "manifest.json").write_text("{}")  # even with a manifest
    (d / ".r0.deleting").mkdir()
    os.symlink("r1", d / ".latest.999.tmp")
    assert publish.complete_runs(d) == ["r1"]
    removed = publish.clean_leftovers(d)
    assert sorted(removed) == [".latest.999.tmp", ".r0.deleting", ".r2.partial"]
    assert sorted(p.name for p in d.iterdir()) == ["latest", "r1"]


def test_latest_pointing_at_a_missing_run_reads_as_none(tmp_path: Path) -> None:
    d = tmp_path / "forecasts"
    d.mkdir()
    os.symlink("gone", d / "latest")
    assert publish.read_latest(d) is None


def test_prune_keeps_newest_and_latest(tmp_path: Path) -> None:
    d = tmp_path / "forecasts"
    for r in ("r1", "r2", "r3", "r4", "r5"):
        _write(d, r)
    publish.switch_latest(d, "r2")                    # e.g. rolled back by hand
    removed = publish.prune_runs(d, keep=2)
    assert removed == ["r1", "r3"]
    assert publish.complete_runs(d) == ["r2", "r4", "r5"]


def test_run_ids_sort_in_time_and_never_collide(tmp_path: Path) -> None:
    d = tmp_path / "forecasts"
    now = datetime(2026, 11, 30, 2, 15, 0, tzinfo=UTC)
    first = publish.new_run_id(d, now)
    assert first == "20261130T021500Z"
    _write(d, first)
    second = publish.new_run_id(d, now)
    assert second == "20261130T021500Z-02" and second > first


def test_second_lock_fails_with_locked_error(tmp_path: Path) -> None:
    path = tmp_path / "state" / "refresh.lock"
    with RefreshLock(path):
        with pytest.raises(LockedError) as err:
            RefreshLock(path).acquire()
        assert err.value.exit_code == 3
        assert f"pid {os.getpid()}" in str(err.value)
    with RefreshLock(path):                           # released: can be taken again
        pass


def test_lock_of_a_killed_holder_is_released(tmp_path: Path) -> None:
    path = tmp_path / "refresh.lock"
    code = ("import sys, time; from netdesign.refresh.lock import RefreshLock\n"
            f"lk = RefreshLock({str(path)!r}); lk.acquire(); print('held', flush=True)\n"
            "time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(LockedError):
            RefreshLock(path).acquire()
        info = json.loads(path.read_text())
        assert info["pid"] == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    deadline = time.monotonic() + 10
    while True:                                       # the kernel drops the lock at exit
        lock = RefreshLock(path)
        try:
            lock.acquire()
        except LockedError:
            assert time.monotonic() < deadline
            time.sleep(0.05)
            continue
        lock.release()
        break
