"""The scheduling files: the nightly wrapper script runs a refresh; units and cron are sane."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from refresh_fixtures import cli_env, summary_line, write_study

from netdesign.refresh import publish

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"


def _netdesign_bin() -> str:
    local = ROOT / ".venv" / "bin" / "netdesign"
    found = str(local) if local.exists() else shutil.which("netdesign")
    if not found:
        pytest.skip("the `netdesign` command is not installed (pip install -e .)")
    return found


def test_nightly_script_runs_a_refresh(tmp_path: Path) -> None:
    cfg = write_study(tmp_path, n_districts=1, n_cities=2)
    store = tmp_path / "store"
    store.mkdir()
    env = cli_env()
    env.update(NETDESIGN_HOME=str(ROOT), NETDESIGN_CONFIG=str(cfg), NETDESIGN_STORE=str(store),
               NETDESIGN_BIN=_netdesign_bin())
    res = subprocess.run(["bash", str(SCRIPTS / "nightly_refresh.sh")], env=env,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    line = summary_line(res.stdout)
    assert line["status"] == "published"
    assert (store / "incoming").is_dir()                 # default data folder created
    assert publish.read_latest(store / "forecasts").name == line["run_id"]
    assert os.access(SCRIPTS / "nightly_refresh.sh", os.X_OK)


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text())
    return parser


def test_systemd_units_point_at_the_script_and_each_other() -> None:
    service = _unit(SCRIPTS / "systemd" / "netdesign-refresh.service")
    timer = _unit(SCRIPTS / "systemd" / "netdesign-refresh.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"].endswith("/scripts/nightly_refresh.sh")
    assert timer["Timer"]["Unit"] == "netdesign-refresh.service"
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_cron_line_has_schedule_user_and_script() -> None:
    lines = [ln for ln in (SCRIPTS / "cron" / "netdesign-refresh.cron").read_text().splitlines()
             if ln.strip() and not ln.startswith("#") and "=" not in ln.split()[0]]
    assert len(lines) == 1
    fields = lines[0].split()
    minute, hour, dom, month, dow, user, command = fields[:7]
    assert 0 <= int(minute) < 60 and 0 <= int(hour) < 24 and (dom, month, dow) == ("*",) * 3
    assert user == "netdesign" and command.endswith("/scripts/nightly_refresh.sh")
