"""The forecast cache: a key that follows the data and the settings, exact JSON round trips,
entries checked against their key, and a study rerun served from the cache."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from forecast_helpers import PATTERN, SERIAL, long

from netdesign.forecast import ForecastSettings, backtest_panel, forecast_panel
from netdesign.forecast import cache as fcache


def _history() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    t = np.arange(48)
    return long({"a": 1000 * np.tile(PATTERN, 4) * (1 + 0.01 * t) + rng.normal(0, 20, 48),
                 "b": 500 + rng.normal(0, 30, 48)})


def test_key_ignores_row_order_date_format_and_workers():
    h = _history()
    k = fcache.forecast_cache_key(h, SERIAL, 12)
    shuffled = h.sample(frac=1.0, random_state=1)
    as_text = h.assign(date=h["date"].dt.strftime("%Y-%m-%d"))
    assert fcache.forecast_cache_key(shuffled, SERIAL, 12) == k
    assert fcache.forecast_cache_key(as_text, SERIAL, 12) == k
    assert fcache.forecast_cache_key(h, ForecastSettings(workers=2, progress=True), 12) == k


def test_key_follows_data_and_settings():
    h = _history()
    k = fcache.forecast_cache_key(h, SERIAL, 12)
    changed = h.copy()
    changed.loc[5, "value"] += 1e-6
    assert fcache.forecast_cache_key(changed, SERIAL, 12) != k
    assert fcache.forecast_cache_key(h, SERIAL, 13) != k
    assert fcache.forecast_cache_key(h, ForecastSettings(method="ets", workers=1), 12) != k
    assert fcache.forecast_cache_key(h, SERIAL, 12, {"origins": 3}) != k
    renamed = h.assign(series_id=h["series_id"].replace({"b": "c"}))
    assert fcache.forecast_cache_key(renamed, SERIAL, 12) != k


def test_forecast_round_trip_is_exact(tmp_path):
    h = _history()
    res = forecast_panel(h, 14, SERIAL)
    key = fcache.forecast_cache_key(h, SERIAL, 14)
    path = fcache.store_forecast(key, res, tmp_path)
    assert json.loads(path.read_text())["key"] == key  # plain JSON, no pickle
    back = fcache.load_forecast(key, tmp_path)
    pd.testing.assert_frame_equal(back.forecasts, res.forecasts)
    pd.testing.assert_frame_equal(back.diagnostics, res.diagnostics, check_dtype=False)
    assert back.specs == res.specs
    assert back.grid == res.grid and back.season_length == res.season_length


def test_backtest_round_trip_is_exact(tmp_path):
    h = _history()
    bt = backtest_panel(h, 6, SERIAL, origins=2)
    key = fcache.forecast_cache_key(h, SERIAL, 6, {"kind": "backtest", "origins": 2})
    fcache.store_backtest(key, bt, tmp_path)
    back = fcache.load_backtest(key, tmp_path)
    pd.testing.assert_frame_equal(back.points, bt.points, check_dtype=False)
    pd.testing.assert_frame_equal(back.per_series, bt.per_series, check_dtype=False)
    assert back.summary == pytest.approx(bt.summary, nan_ok=True)


def test_entries_are_checked_against_their_key(tmp_path):
    h = _history()
    res = forecast_panel(h, 6, SERIAL)
    key = fcache.forecast_cache_key(h, SERIAL, 6)
    other = "0" * 64
    path = fcache.store_forecast(key, res, tmp_path)
    path.rename(tmp_path / f"{other}.json")  # a file under another key's name
    assert fcache.load_forecast(other, tmp_path) is None
    (tmp_path / f"{key}.json").write_text("{not json")
    assert fcache.load_forecast(key, tmp_path) is None
    assert fcache.load_forecast("1" * 64, tmp_path) is None  # absent
    assert fcache.load_backtest(other, tmp_path) is None  # wrong kind / key
    with pytest.raises(ValueError, match="64 lowercase hex"):
        fcache.load_forecast("../../etc/passwd", tmp_path)


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(fcache.ENV_VAR, str(tmp_path))
    assert fcache.cache_dir() == tmp_path / "forecasts"
    assert fcache.cache_dir(tmp_path / "x") == tmp_path / "x"


def test_study_rerun_is_served_from_the_cache(tiny_config, monkeypatch, tmp_path):
    import netdesign.forecast as fpkg
    from netdesign import pipeline

    monkeypatch.setenv(fcache.ENV_VAR, str(tmp_path))
    study = pipeline.load_study(tiny_config)
    first = pipeline.forecast_study(study, progress=False)
    assert len(list((tmp_path / "forecasts").glob("*.json"))) == 2  # forecast + backtest

    def boom(*args, **kwargs):
        raise AssertionError("refitted although cached")

    monkeypatch.setattr(fpkg, "forecast_panel", boom)
    monkeypatch.setattr(fpkg, "backtest_panel", boom)
    again = pipeline.forecast_study(study, progress=False)
    pd.testing.assert_frame_equal(again.forecasts, first.forecasts)
    off = study.cfg.model_copy(update={"forecast": study.cfg.forecast.model_copy(
        update={"cache": False})})
    with pytest.raises(AssertionError, match="refitted"):
        pipeline.forecast_study(pipeline.Study(off, study.network), progress=False)
