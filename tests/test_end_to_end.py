"""The whole pipeline through the real CLI on the tiny study: files, schema, conservation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from netdesign.results.schema import BY_NAME, schema_problems


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("netdesign")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=900)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, tiny_config):
    out = tmp_path_factory.mktemp("run") / "out"
    proc = _cli("run", str(tiny_config), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out, proc


def test_run_writes_every_output(tiny_run):
    out, proc = tiny_run
    for name in ("results.nc", "summary.csv", "forecasts.csv", "backtest.csv"):
        assert (out / name).is_file(), name
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left
    assert "on-time share" in proc.stdout


def test_results_follow_the_schema(tiny_run):
    out, _ = tiny_run
    with xr.open_dataset(out / "results.nc") as ds:
        assert schema_problems(ds, "results.nc") == []
        for name in ds.data_vars:
            assert ds[name].attrs["units"] == BY_NAME[name].units, name
        assert ds.sizes["scenario"] == 2
        assert sorted(ds["year"].values.tolist()) == [2025, 2030]
        for key in ("config_yaml", "config_hash", "data_version", "package_versions",
                    "solver_reports"):
            assert ds.attrs.get(key), key


def test_flows_conserve_demand_and_shares_sum_to_one(tiny_run):
    out, _ = tiny_run
    with xr.open_dataset(out / "results.nc") as ds:
        served = ds["flow"].sum("mode") + ds["unserved"]
        np.testing.assert_allclose(served.values, ds["demand"].values, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(ds["mode_share"].sum("mode").values, 1.0, rtol=1e-9)
        assert (ds["flow"].values >= -1e-9).all()
        # Later year, more demand: the tiny study's history grows.
        d = ds["demand"].sum("corridor")
        assert float(d.sel(scenario=ds["scenario"][ds["year"] == 2030][0])) > \
            float(d.sel(scenario=ds["scenario"][ds["year"] == 2025][0]))
        summary = pd.read_csv(out / "summary.csv")
        assert list(summary["scenario"]) == [str(s) for s in ds["scenario"].values]
        np.testing.assert_allclose(summary["total_cost_cny_per_day"], ds["total_cost"].values)


def test_summary_separates_economic_from_penalty_cost(tiny_run):
    """summary.csv (issue 13): economic + penalty = total, on-time share per class within
    [0, 1] and consistent with results.nc; mode shares by parcels per scope sum to 1."""
    out, _ = tiny_run
    summary = pd.read_csv(out / "summary.csv")
    for col in ("economic_cost_cny_per_day", "penalty_cost_cny_per_day",
                "on_time_share_domestic", "on_time_share_neighbouring", "on_time_share_global"):
        assert col in summary.columns, col
    np.testing.assert_allclose(summary["economic_cost_cny_per_day"]
                               + summary["penalty_cost_cny_per_day"],
                               summary["total_cost_cny_per_day"], rtol=1e-9)
    with xr.open_dataset(out / "results.nc") as ds:
        np.testing.assert_allclose(
            summary["on_time_share_domestic"],
            ds["on_time_share_by_class"].sel(service_class="domestic").values)
        shares = ds["mode_share_parcels"].sel(scope="all").sum("mode").values
        np.testing.assert_allclose(shares, 1.0)
        assert ds["on_time_share_by_segment"].dims == ("scenario", "segment")


def test_invalid_config_exits_2_and_writes_nothing(tmp_path, tiny_config):
    study = tmp_path / "study"
    shutil.copytree(tiny_config.parent, study)
    cfg = study / "tiny.yaml"
    cfg.write_text(cfg.read_text().replace("time_limit_s: 30", "time_limit_s: -5\n  typo_key: 1"))
    out = tmp_path / "out"
    proc = _cli("run", str(cfg), "--out", str(out))
    assert proc.returncode == 2
    assert "solver.time_limit_s" in proc.stderr and "solver.typo_key" in proc.stderr
    assert not out.exists()


def test_forecasts_are_coherent_across_levels(tiny_run, tiny_config):
    """Corridor forecasts add up to their origin region and to the network total."""
    out, _ = tiny_run
    fc = pd.read_csv(out / "forecasts.csv", parse_dates=["date"])
    corridors = pd.read_csv(tiny_config.parent / "corridors.csv")
    nodes = pd.read_csv(tiny_config.parent / "nodes.csv")
    region = corridors.merge(nodes, left_on="origin", right_on="node_id")[["corridor_id",
                                                                           "region"]]
    bottom = fc.merge(region, left_on="series_id", right_on="corridor_id")
    assert bottom["series_id"].nunique() == len(corridors)
    assert (bottom["mean"] >= 0).all()
    total = fc[fc["series_id"] == "total"].set_index("date")["mean"]
    np.testing.assert_allclose(bottom.groupby("date")["mean"].sum().reindex(total.index),
                               total, rtol=1e-6)
    for name, g in bottom.groupby("region"):
        reg = fc[fc["series_id"] == f"region:{name}"].set_index("date")["mean"]
        np.testing.assert_allclose(g.groupby("date")["mean"].sum().reindex(reg.index), reg,
                                   rtol=1e-6)


def test_run_reports_the_backtest_it_wrote(tiny_run):
    out, proc = tiny_run
    text = " ".join(proc.stderr.split())
    assert "backtest (" in text, proc.stderr
    scores = pd.read_csv(out / "backtest.csv")
    printed_mase = float(text.split("MASE ")[1].split(",")[0])
    printed_cov95 = float(text.split("95 % ")[1].split()[0])
    assert printed_mase == pytest.approx(scores["mase"].mean(), abs=5e-4)
    assert printed_cov95 == pytest.approx(scores["coverage_95"].mean(), abs=5e-4)
