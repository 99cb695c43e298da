"""A small generated study for the refresh tests (written into a tmp folder).

Network: two road hubs H1, H2; districts D1..D3 collect into H1; H1 -> H2 line-haul; H2 serves
cities C1..C4. Corridors Di>Cj (12 by default). History: 36 months of seasonal volumes
(parcels/month) from a fixed seed, ending `last_month`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]


def corridor_ids(n_districts: int = 3, n_cities: int = 4) -> list[str]:
    return [f"D{i}>C{j}" for i in range(1, n_districts + 1) for j in range(1, n_cities + 1)]


def series_value(k: int, month: pd.Period) -> float:
    """Deterministic volume of corridor number k in `month`, parcels/month (seasonal)."""
    level = 10_000.0 * (1 + k)
    season = 1.0 + 0.2 * np.sin(2 * np.pi * (month.month - 1) / 12)
    growth = 1.0 + 0.01 * (month.ordinal % 240)
    noise = 1.0 + 0.03 * np.sin(7.3 * month.ordinal + k)
    return round(level * season * growth * noise, 1)


def write_study(root: Path, *, last_month: str = "2024-12", months: int = 36,
                forecast: dict | None = None, refresh: dict | None = None,
                n_districts: int = 3, n_cities: int = 4) -> Path:
    """Write the network tables and study.yaml into `root/study`; return the config path."""
    d = root / "study"
    d.mkdir(parents=True, exist_ok=True)
    districts = [f"D{i}" for i in range(1, n_districts + 1)]
    cities = [f"C{j}" for j in range(1, n_cities + 1)]
    nodes = [("H1", "hub", 30.2, 120.1), ("H2", "hub", 31.2, 121.4)]
    nodes += [(n, "district", 30.2 + 0.01 * i, 120.1) for i, n in enumerate(districts)]
    nodes += [(n, "city", 32 + i, 118.0) for i, n in enumerate(cities)]
    pd.DataFrame([{"node_id": n, "name_en": n, "name_zh": n, "kind": k, "lat": la, "lon": lo,
                   "country": "CN", "region": "Hangzhou" if k != "city" else "Domestic"}
                  for n, k, la, lo in nodes]).to_csv(d / "nodes.csv", index=False)
    links = [(f"{n}-H1", n, "H1", "collection", 20) for n in districts]
    links += [("H1-H2", "H1", "H2", "linehaul", 180)]
    links += [(f"H2-{c}", "H2", c, "linehaul", 300) for c in cities]
    pd.DataFrame([{"link_id": i, "from_node": f, "to_node": t, "mode": "road", "role": r,
                   "distance_km": km, "cost_cny_per_parcel": 0.5 + km / 500,
                   "transit_h": km / 60, "co2_kg_per_tkm": 0.1,
                   "capacity_parcels_per_day": 1e6, "module_parcels_per_day": 1e4,
                   "module_cost_cny_per_year": 1e5, "min_weekly_frequency": ""}
                  for i, f, t, r, km in links]).to_csv(d / "links.csv", index=False)
    pd.DataFrame([{"hub_id": h, "capacity_parcels_per_day": 1e6,
                   "module_parcels_per_day": 1e5, "module_cost_cny_per_year": 1e6,
                   "handling_cost_cny_per_parcel": 0.2, "handling_h": 2,
                   "transfer_modes": "road"} for h in ("H1", "H2")]
                 ).to_csv(d / "hubs.csv", index=False)
    ids = corridor_ids(n_districts, n_cities)
    pd.DataFrame([{"corridor_id": c, "origin": c.split(">")[0], "destination": c.split(">")[1],
                   "service_class": "domestic"} for c in ids]).to_csv(d / "corridors.csv",
                                                                       index=False)
    end = pd.Period(last_month, freq="M")
    rng = pd.period_range(end=end, periods=months, freq="M")
    pd.DataFrame([{"corridor_id": c, "month": str(m), "parcels": series_value(k, m)}
                  for k, c in enumerate(ids) for m in rng]).to_csv(d / "history.csv",
                                                                   index=False)
    cfg = {
        "name": "refresh_test",
        "data": {"dir": "."},
        "forecast": {"workers": 1, "backtest_origins": 1, "backtest_horizon": 6,
                     "reconcile": True, **(forecast or {})},
        "scenarios": [{"year": end.year + 1}],
        "refresh": {"horizon_months": 12, **(refresh or {})},
    }
    path = d / "study.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return path


def month_file(path: Path, month: str, *, scale: float = 1.0, corridors: list[str] | None = None,
               n_districts: int = 3, n_cities: int = 4) -> Path:
    """A volume file (corridor, month, parcels) for one new month of every corridor."""
    ids = corridors or corridor_ids(n_districts, n_cities)
    all_ids = corridor_ids(n_districts, n_cities)
    m = pd.Period(month, freq="M")
    df = pd.DataFrame([{"corridor": c, "month": month,
                        "parcels": round(series_value(all_ids.index(c), m) * scale, 1)}
                       for c in ids])
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, index=False)
    return path


def cli_env(pause: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NETDESIGN_REFRESH_PAUSE"}
    path = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONPATH=path)
    if pause:
        env["NETDESIGN_REFRESH_PAUSE"] = pause
    return env


def refresh_cmd(config: Path, store: Path, data_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", "from netdesign.cli.main import app; app()", "refresh",
            str(config), "--store", str(store), "--data-dir", str(data_dir), *extra]


def run_cli(config: Path, store: Path, data_dir: Path, *extra: str,
            pause: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `netdesign refresh` in a subprocess; returns the completed process."""
    return subprocess.run(refresh_cmd(config, store, data_dir, *extra), capture_output=True,
                          text=True, env=cli_env(pause), timeout=timeout)


def summary_line(stdout: str) -> dict:
    """The one JSON line the command prints (asserts there is exactly one line)."""
    lines = [ln for ln in stdout.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one JSON line on stdout, got {lines!r}"
    return json.loads(lines[0])
