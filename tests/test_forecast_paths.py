"""Joint demand scenarios: the error correlation recovered from simulated backtest errors,
sampled paths with the published marginals and the requested correlation, coherent sums, and
the design-year quantile from the joint distribution."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from netdesign.forecast.paths import aggregate_paths, error_correlation, sample_paths

Z975, Z90 = norm.ppf(0.975), norm.ppf(0.90)


def _normal_forecasts(n_series: int, months: int, mean: float = 1000.0, sd: float = 100.0
                      ) -> pd.DataFrame:
    dates = pd.date_range("2030-01-01", periods=months, freq="MS")
    rows = []
    for i in range(n_series):
        rows.append(pd.DataFrame({"series_id": f"c{i:02d}", "date": dates, "mean": mean,
                                  "lo_80": mean - Z90 * sd, "hi_80": mean + Z90 * sd,
                                  "lo_95": mean - Z975 * sd, "hi_95": mean + Z975 * sd}))
    return pd.concat(rows, ignore_index=True)


def _backtest_points(rho: float, n_series: int, origins: int, steps: int, seed: int
                     ) -> pd.DataFrame:
    """Errors with a known pairwise correlation rho and s.d. 10 (intervals say so)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(1, origins + 1):
        for j in range(1, steps + 1):
            z = np.sqrt(rho) * rng.standard_normal() + np.sqrt(1 - rho) * \
                rng.standard_normal(n_series)
            rows.append(pd.DataFrame({"series_id": [f"c{i}" for i in range(n_series)],
                                      "origin": k, "step": j, "actual": 100 + 10 * z,
                                      "mean": 100.0, "lo_95": 100 - 10 * Z975,
                                      "hi_95": 100 + 10 * Z975}))
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.7])
def test_error_correlation_recovers_a_known_correlation(rho):
    # 200 corridors, 3 origins x 12 steps = 36 joint months, mean over 3 seeds. The common
    # factor is seen 36 times, so the estimate's s.d. is about rho * sqrt(2 / 35) per seed
    # (0.17 at rho = 0.7), about 0.1 for the mean of three: +-0.12 allows for that.
    est = [error_correlation(_backtest_points(rho, 200, 3, 12, seed)) for seed in range(3)]
    assert np.mean(est) == pytest.approx(rho, abs=0.12)


def test_paths_have_the_published_marginals_and_correlation():
    fc = _normal_forecasts(6, 3)
    paths = sample_paths(fc, 20000, seed=1, correlation=0.4)
    assert paths.dims == ("draw", "series_id", "date") and paths.shape == (20000, 6, 3)
    x = paths.isel(date=0).to_numpy()
    # marginals: the linear interpolation between published quantiles has the right
    # quantiles at the published levels (sampling s.e. of a 97.5 % quantile ~ 2.3 parcels)
    assert np.percentile(x[:, 0], 97.5) == pytest.approx(1000 + Z975 * 100, abs=8)
    assert np.percentile(x[:, 0], 10) == pytest.approx(1000 - Z90 * 100, abs=6)
    assert np.mean((x >= 1000 - Z975 * 100) & (x <= 1000 + Z975 * 100)) == \
        pytest.approx(0.95, abs=0.005)
    # correlation of the scores: 0.4 (s.e. ~0.006 per pair; mean of 15 pairs)
    z = norm.ppf(np.clip(np.argsort(np.argsort(x, axis=0), axis=0) / 20000 + 1 / 40000,
                         1e-9, 1 - 1e-9))
    c = np.corrcoef(z.T)
    assert c[np.triu_indices(6, 1)].mean() == pytest.approx(0.4, abs=0.02)
    # the same seed gives the same paths
    again = sample_paths(fc, 20000, seed=1, correlation=0.4)
    np.testing.assert_array_equal(again.to_numpy(), paths.to_numpy())


def test_total_quantile_matches_theory():
    # n = 10 equicorrelated normal corridors, sd 100, rho 0.25: the total has sd
    # 100 * sqrt(n (1 + (n - 1) rho)) = 100 * sqrt(32.5) = 570.1; its 97.5 % quantile is
    # 10,000 + 1.96 * 570.1 = 11,117.4 (linear interpolation of a normal's quantiles adds a
    # little error between the published levels; sampling s.e. ~ 15).
    fc = _normal_forecasts(10, 1)
    total = sample_paths(fc, 40000, seed=2, correlation=0.25).sum("series_id").to_numpy()
    assert np.percentile(total, 97.5) == pytest.approx(10000 + Z975 * 100 * np.sqrt(32.5),
                                                       abs=60)


def test_aggregate_paths_are_coherent():
    fc = _normal_forecasts(4, 2)
    paths = sample_paths(fc, 50, seed=3, correlation=0.2)
    hier = pd.DataFrame({"series_id": ["c00", "c01", "c02", "c03"],
                         "region": ["east", "east", "west", "west"]})
    allp = aggregate_paths(paths, hier)
    east = allp.sel(series_id="region:east")
    np.testing.assert_allclose(east, paths.sel(series_id=["c00", "c01"]).sum("series_id"))
    np.testing.assert_allclose(allp.sel(series_id="total"),
                               allp.sel(series_id=["region:east", "region:west"])
                               .sum("series_id"))


def test_bad_arguments():
    fc = _normal_forecasts(1, 1)
    with pytest.raises(ValueError, match="n_paths"):
        sample_paths(fc, 0)
    with pytest.raises(ValueError, match="correlation"):
        sample_paths(fc, 5, correlation=1.5)


def test_joint_design_demand_between_independent_and_comonotone():
    from netdesign.scenario.build import joint_design_demand

    fc = _normal_forecasts(20, 12)
    sum_of_bounds = 20 * 12 * (1000 + Z975 * 100)  # the old rule: every bound summed
    como = joint_design_demand(fc, 0.975, 1.0).to_numpy().sum()
    indep = joint_design_demand(fc, 0.975, 0.0).to_numpy().sum()
    # comonotone: the sum of the corridors' own 97.5 % quantiles (window average, +-0.5 %)
    assert como == pytest.approx(sum_of_bounds, rel=0.005)
    # independent corridors (months comonotone within a corridor): the total's sd is
    # 12 * 100 * sqrt(20) = 5,366.6, its 97.5 % quantile 240,000 + 1.96 * 5,366.6 = 250,518
    assert indep == pytest.approx(240000 + Z975 * 1200 * np.sqrt(20), rel=0.01)
    assert indep < como
