"""The Chinese calendar: the shipped festival table against published dates, the window share
worked by hand, an injected Spring Festival effect recovered, and no change where there is
no effect."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from netdesign.config import parse_config
from netdesign.errors import InputError
from netdesign.forecast import ForecastSettings, forecast_panel
from netdesign.forecast.calendar import (
    WINDOW,
    calendar_effect,
    festival_table,
    spring_festival_dates,
    spring_festival_share,
)
from netdesign.forecast.model import forecast_one

SEASON = np.array([1.00, 1.00, 0.97, 0.96, 0.98, 1.04, 0.94, 0.96, 1.00, 0.98, 1.30, 1.12])


def test_festival_table_matches_published_dates():
    dates = spring_festival_dates()
    # Lunar New Year's days announced in the State Council's holiday notices
    assert dates[2024] == dt.date(2024, 2, 10)
    assert dates[2025] == dt.date(2025, 1, 29)
    assert dates[2026] == dt.date(2026, 2, 17)
    assert dates[2020] == dt.date(2020, 1, 25)
    assert sorted(dates) == list(range(2000, 2041))
    # the festival always falls between 21 January and 20 February
    assert all(dt.date(y, 1, 21) <= d <= dt.date(y, 2, 20) for y, d in dates.items())


def test_official_holiday_2025():
    # 国务院办公厅关于2025年部分节假日安排的通知: 1月28日（除夕）至2月4日（初七）放假调休, 共8天
    row = festival_table().set_index("year").loc[2025]
    assert row["holiday_first"].date() == dt.date(2025, 1, 28)
    assert row["holiday_last"].date() == dt.date(2025, 2, 4)


def test_window_share_by_hand():
    assert WINDOW == (-7, 14)  # 22 days
    per = pd.period_range("2025-01", "2025-03", freq="M")
    # 2025-01-29 - 7 = 22 January: 22..31 January = 10 days, 1..12 February = 12 days
    np.testing.assert_allclose(spring_festival_share(per), [10 / 22, 12 / 22, 0.0])
    per = pd.period_range("2013-01", "2013-03", freq="M")
    # 2013-02-10: window 3..24 February, all in February
    np.testing.assert_allclose(spring_festival_share(per), [0.0, 1.0, 0.0])
    per = pd.period_range("2015-01", "2015-12", freq="M")
    # 2015-02-19: 12 February .. 5 March: 17 days in February, 5 in March
    x = spring_festival_share(per)
    np.testing.assert_allclose(x[:3], [0.0, 17 / 22, 5 / 22])
    assert x.sum() == pytest.approx(1.0)


def test_window_share_outside_table_raises():
    with pytest.raises(ValueError, match="2000-2040"):
        spring_festival_share(pd.period_range("2041-01", periods=2, freq="M"))


def _series(beta: float, start: str = "2013-01", end: str = "2023-12", seed: int = 3,
            noise: float = 0.03) -> tuple[pd.PeriodIndex, np.ndarray, np.ndarray]:
    per = pd.period_range(start, end, freq="M")
    n = len(per)
    x = spring_festival_share(per)
    rng = np.random.default_rng(seed)
    season = np.tile(SEASON, n // 12 + 1)[:n]
    y = 5000.0 * np.exp(0.008 * np.arange(n)) * season * np.exp(beta * x) \
        * np.exp(rng.normal(0.0, noise, n))
    return per, y, x


def test_injected_effect_recovered():
    _, y, x = _series(-0.5)
    eff = calendar_effect(y, x)
    assert eff is not None and eff.used
    assert eff.beta == pytest.approx(-0.5, abs=0.05)


def test_no_effect_not_used():
    used = 0
    for seed in range(20):
        _, y, x = _series(0.0, seed=seed)
        eff = calendar_effect(y, x)
        used += bool(eff is not None and eff.used)
    assert used <= 2  # 1 % test: rarely a false positive


def test_too_short_or_not_positive_gives_none():
    _, y, x = _series(-0.5)
    assert calendar_effect(y[:30], x[:30]) is None
    y0 = y.copy()
    y0[5] = 0.0
    assert calendar_effect(y0, x) is None


def _history(per: pd.PeriodIndex, y: np.ndarray, sid: str = "c") -> pd.DataFrame:
    return pd.DataFrame({"series_id": sid, "date": per.to_timestamp(), "value": y})


def test_calendar_improves_january_february_forecast():
    # train to 2023-12, forecast 2024 (festival 10 February: the whole window in February)
    per, y, _ = _series(-0.6, end="2024-12", noise=0.02)
    hist = _history(per[:-12], y[:-12])
    actual = y[-12:]
    errs = {}
    for cal in ("none", "china"):
        res = forecast_panel(hist, 12, ForecastSettings(workers=1, progress=False,
                                                        calendar=cal))
        errs[cal] = np.abs(res.forecasts["mean"].to_numpy() - actual)
        if cal == "china":
            assert res.forecasts["model"].iloc[0].endswith("+calendar")
            assert res.specs["c"]["calendar_effect"] == pytest.approx(-0.6, abs=0.08)
    assert errs["china"][:2].sum() < 0.5 * errs["none"][:2].sum()


def test_no_effect_leaves_forecast_unchanged():
    per, y, _ = _series(0.0, seed=1)
    x = spring_festival_share(pd.period_range(per[0], periods=len(per) + 12, freq="M"))
    assert not calendar_effect(y, x[:len(y)]).used
    plain = forecast_one("c", y, 12)
    with_cal = forecast_one("c", y, 12, regressor=x)
    assert with_cal.model == plain.model
    np.testing.assert_array_equal(with_cal.table["mean"], plain.table["mean"])


def test_quarterly_data_ignores_calendar():
    per = pd.period_range("2015Q1", periods=40, freq="Q")
    hist = pd.DataFrame({"series_id": "q", "date": per.to_timestamp(),
                         "value": 100.0 + np.arange(40)})
    res = forecast_panel(hist, 4, ForecastSettings(workers=1, progress=False,
                                                   calendar="china"))
    assert "calendar" not in res.forecasts["model"].iloc[0]


def test_settings_and_config_validate_calendar():
    with pytest.raises(InputError, match="calendar"):
        forecast_panel(_history(*_series(0.0)[:2]), 3,
                       ForecastSettings(workers=1, progress=False, calendar="lunar"))
    with pytest.raises(InputError) as err:
        parse_config({"name": "s", "forecast": {"calendar": "lunar"}}, "inline.yaml")
    assert any(p.location == "forecast.calendar" for p in err.value.problems)
