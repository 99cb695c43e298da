"""`netdesign robust-design`: SAA over K draws, both designs on the same fresh draws, VSS and
EVPI (`evaluate.robust_design`), and the evaluation's batches (`evaluate.runner`).

The figures are checked against the hand case of tests/test_saa.py (VSS 50, EVPI 150
CNY/day) through `value_figures`, then on the tiny study end to end: the command writes
results.nc (value_* attributes), value.csv and both evaluations, and its figures are the
differences of the per-draw costs it wrote; bad counts exit 2 with nothing written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import test_evaluate
import xarray as xr

from netdesign.evaluate.robust_design import check_counts, check_n_minus_1, value_figures
from netdesign.evaluate.runner import batch_sizes

tiny_results = test_evaluate.tiny_results  # the fixture: the tiny study run once
NETDESIGN = str(Path(sys.executable).parent / "netdesign")


def test_value_figures_on_the_hand_case():
    """tests/test_saa.py: demand 0 or 200 parcels/day. Mean design (1 rail module): 250 and
    2,650 → 1,450 on average; SAA design (road only): 0 and 2,800 → 1,400. VSS = 50. With
    hindsight: 0 and 2,500 (2 modules) → 1,250; EVPI = 1,400 − 1,250 = 150. With bounds 0
    and 2,400 (a solve stopped early) EVPI lies in [150, 1,400 − 1,200 = 200]."""
    mean = np.array([250.0, 2650.0])
    saa = np.array([0.0, 2800.0])
    v = value_figures(mean, saa, (np.array([0.0, 2500.0]), np.array([0.0, 2400.0])))
    assert v["mean_design_cost_cny_per_day"] == pytest.approx(1450.0)
    assert v["saa_design_cost_cny_per_day"] == pytest.approx(1400.0)
    assert v["vss_cny_per_day"] == pytest.approx(50.0)
    # differences 250, −150: mean 50, sd 282.84, standard error 200
    assert v["vss_std_error_cny_per_day"] == pytest.approx(200.0)
    assert v["evpi_cny_per_day"] == pytest.approx(150.0)
    assert v["evpi_upper_cny_per_day"] == pytest.approx(200.0)
    # EVPI over the first H draws only: H = 1 (demand 0): 0 − 0
    one = value_figures(mean, saa, (np.array([0.0]), np.array([0.0])))
    assert one["evpi_cny_per_day"] == pytest.approx(0.0)
    assert one["hindsight_draws"] == 1.0
    assert "evpi_cny_per_day" not in value_figures(mean, saa, None)


def test_counts_are_checked_together():
    assert check_counts(3, 10, 2) == []
    bad = check_counts(0, 0, -1)
    assert [p.location for p in bad] == ["--scenarios", "--fresh", "--hindsight"]
    assert [p.location for p in check_counts(2, 3, 4)] == ["--hindsight"]
    assert [p.location for p in check_counts(True, 3, 0)] == ["--scenarios"]


def test_batches_shrink_to_single_draws_and_cover_every_draw():
    """Guided self-scheduling, 20 draws on 2 slots (4 batches per slot): ceil(20/8) = 3,
    ceil(17/8) = 3, then 2 for 14, 12, 10 left, then 1 from 8 left on."""
    assert batch_sizes(20, 2) == [3, 3, 2, 2, 2] + [1] * 8
    for n, slots in ((1, 1), (7, 3), (200, 2), (1000, 40)):
        b = batch_sizes(n, slots)
        assert sum(b) == n and max(b) <= 16 and b[-1] == 1
        assert b == sorted(b, reverse=True)
    assert batch_sizes(200, 2)[:5] == [16] * 5  # capped: a lost worker loses ≤ 16 draws


def test_bad_counts_exit_2_and_write_nothing(tmp_path: Path):
    out = tmp_path / "out"
    proc = subprocess.run([NETDESIGN, "robust-design", str(tmp_path), "-k", "0", "--fresh",
                           "3", "--hindsight", "5", "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "--scenarios" in proc.stderr and "--hindsight" in proc.stderr
    assert not out.exists()


@pytest.mark.slow
def test_robust_design_on_the_tiny_study(tiny_results: Path, tmp_path: Path):
    out = tmp_path / "rd"
    proc = subprocess.run([NETDESIGN, "robust-design", str(tiny_results), "-k", "3",
                           "--fresh", "6", "--hindsight", "2", "--workers", "0", "--out",
                           str(out), "--n-minus-1", "1.0", "--hub", "AIR_HGH"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    ds = xr.open_dataset(out / "results.nc")
    cost = ds["total_cost"]
    assert list(ds["plan"].values) == ["mean_forecast", "saa", "n_minus_1"]
    assert ds.sizes["draw"] == 6 and ds.sizes["sample"] == 3
    # the figures are the per-draw costs' differences, on the same draws for both designs
    vss = float((cost.sel(plan="mean_forecast") - cost.sel(plan="saa")).mean())
    assert ds.attrs["value_vss_cny_per_day"] == pytest.approx(vss, rel=1e-9)
    ws = ds["hindsight_cost"].values
    assert np.isfinite(ws[:2]).all() and np.isnan(ws[2:]).all()
    evpi = float(cost.sel(plan="saa").values[:2].mean() - ws[:2].mean())
    assert ds.attrs["value_evpi_cny_per_day"] == pytest.approx(evpi, rel=1e-9)
    # with hindsight each draw gets its own best design: never dearer than a fixed one
    assert (ws[:2] <= cost.sel(plan="saa").values[:2] * (1 + 1e-6)).all()
    # in sample the SAA design is optimal over its K draws
    assert ds.attrs["value_saa_in_sample_cny_per_day"] > 0
    # N-1 with share 1 binds nothing: the mean design's own day, at most its cost
    own = ds.attrs["value_mean_design_own_cost_cny_per_day"]
    assert ds.attrs["value_n_minus_1_own_cost_cny_per_day"] <= own * (1 + 1e-6)
    assert (out / "value.csv").is_file()
    for plan in ("mean_forecast", "saa", "n_minus_1"):
        assert (out / plan / "results.nc").is_file()
    ds.close()


def test_n_minus_1_options_are_checked_against_the_network():
    from model_fixtures import line_network

    net = line_network()
    assert check_n_minus_1(0.1, ["H1"], net) == []
    assert check_n_minus_1(None, None, net) == []
    bad = check_n_minus_1(1.5, ["H1", "NOWHERE"], net)
    assert [(p.location, p.value) for p in bad] == [("--n-minus-1", 1.5), ("--hub", "NOWHERE")]
    assert [p.location for p in check_n_minus_1(None, ["H1"], net)] == ["--hub"]
