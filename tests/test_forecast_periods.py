"""Frequencies other than monthly: the period grid is read from the dates, forecasts come back
in the same frequency and date convention, and the season length follows the frequency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from netdesign.cli.main import app
from netdesign.errors import InputError
from netdesign.forecast import ForecastSettings, backtest_panel, forecast_panel
from netdesign.forecast.io import read_history_csv
from netdesign.forecast.periods import FrequencyError, infer_grid

runner = CliRunner()
SERIAL = ForecastSettings(workers=1, progress=False)
QUARTER_PATTERN = np.array([0.8, 1.1, 1.2, 0.9])  # mean 1.0


def grid_of(dates: list[str]):
    return infer_grid(pd.Series(pd.to_datetime(dates)), pd.Series(["a"] * len(dates)))


@pytest.mark.parametrize(("dates", "freq", "anchor", "m"), [
    (["2020-01-01", "2020-04-01", "2020-07-01"], "Q-DEC", "start", 4),
    (["2020-03-31", "2020-06-30", "2020-09-30"], "Q-DEC", "end", 4),
    (["1990-01-01", "1991-01-01", "1993-01-01"], "Y-DEC", "start", 1),  # 1992 missing
    (["1990-12-31", "1991-12-31"], "Y-DEC", "end", 1),
    (["2024-01-01", "2024-02-01", "2024-05-01", "2024-06-01"], "M", "start", 12),
    (["2024-01-31", "2024-02-29", "2024-03-31"], "M", "end", 12),
    (["2024-01-15", "2024-02-15", "2024-03-15"], "M", "start", 12),
    (["2024-03-06", "2024-03-13", "2024-03-27"], "W-TUE", "start", 52),  # Wednesdays
    (["2024-01-01", "2024-01-02", "2024-01-03"], "D", "start", 7),
])
def test_grid_is_read_from_the_spacing_of_the_dates(dates, freq, anchor, m):
    g = grid_of(dates)
    assert (g.freq, g.anchor, g.season_length) == (freq, anchor, m)


def test_weekly_forecast_dates_fall_on_the_inputs_weekday():
    g = grid_of(["2024-03-06", "2024-03-13"])
    nxt = g.dates(g.periods(pd.Series(pd.to_datetime(["2024-03-13"]))) + 1)
    assert nxt[0] == pd.Timestamp("2024-03-20")


def test_unsupported_spacing_is_an_error():
    with pytest.raises(FrequencyError):
        grid_of(["2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01"])  # two-monthly


def test_reader_names_the_date_field_for_an_unsupported_spacing(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("series_id,date,value\nA,2024-01-01,1\nA,2024-03-01,2\nA,2024-05-01,3\n")
    with pytest.raises(InputError) as err:
        read_history_csv(path)
    text = str(err.value)
    assert "date" in text and "60 days" in text  # 2024-01-01 to 2024-03-01


def test_reader_rejects_two_rows_in_one_quarter(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("series_id,date,value\nA,2020-01-01,1\nA,2020-04-01,2\nA,2020-07-01,3\n"
                    "A,2020-08-15,4\nA,2020-10-01,5\n")
    with pytest.raises(InputError) as err:
        read_history_csv(path, "Q")
    assert "row 4" in str(err.value) and "quarter" in str(err.value)


def quarterly(n: int, trend: float = 0.0, start: str = "2010Q1") -> pd.DataFrame:
    q = pd.period_range(start, periods=n, freq="Q")
    t = np.arange(n)
    y = (1000 + trend * t) * QUARTER_PATTERN[t % 4]
    return pd.DataFrame({"series_id": "Q1", "date": q.to_timestamp(how="start"), "value": y})


def test_pure_quarterly_season_is_recovered_in_quarters():
    res = forecast_panel(quarterly(40), 8, SERIAL)
    assert res.grid.freq == "Q-DEC" and res.season_length == 4
    fc = res.forecasts
    expected_dates = pd.period_range("2020Q1", periods=8, freq="Q").to_timestamp(how="start")
    assert list(fc["date"]) == list(expected_dates)
    truth = 1000 * QUARTER_PATTERN[np.arange(40, 48) % 4]
    np.testing.assert_allclose(fc["mean"], truth, rtol=0.01)
    assert not res.diagnostics["imputed"].any()


def test_yearly_line_is_extrapolated_by_the_year():
    years = pd.period_range("1990", periods=30, freq="Y")
    y = 100 + 3.0 * np.arange(30)
    hist = pd.DataFrame({"series_id": "Y", "date": years.to_timestamp(how="end").normalize(),
                         "value": y})
    res = forecast_panel(hist, 3, SERIAL)
    fc = res.forecasts
    assert list(fc["date"].dt.strftime("%Y-%m-%d")) == ["2020-12-31", "2021-12-31",
                                                        "2022-12-31"]
    # Theta on an exact line adds half the slope a year, damped-trend ETS at most the whole
    # slope (3/year): the combination lies between the two.
    j = np.arange(1, 4)
    last = y[-1]
    assert (fc["mean"].to_numpy() >= last + 1.5 * j - 0.1).all()
    assert (fc["mean"].to_numpy() <= last + 3.0 * j + 0.1).all()


def test_quarterly_backtest_scores_a_pure_season_as_almost_perfect():
    bt = backtest_panel(quarterly(40, trend=0.0), 4, SERIAL, origins=2)
    assert bt.summary["mase"] < 0.05


def test_cli_quarterly_file_round_trip(tmp_path):
    hist = tmp_path / "q.csv"
    frame = quarterly(32, trend=5.0)
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    frame.to_csv(hist, index=False)
    out = tmp_path / "fc.csv"
    res = runner.invoke(app, ["forecast", str(hist), "--horizon", "4", "--out", str(out),
                              "--workers", "1", "--quiet"])
    assert res.exit_code == 0, res.output
    assert "quarterly, season 4" in " ".join(res.output.split())
    assert "imputed: 0" in res.output
    fc = pd.read_csv(out)
    assert list(fc["date"]) == ["2018-01-01", "2018-04-01", "2018-07-01", "2018-10-01"]
    # the next year's pattern: Q3 (1.2) is the highest quarter, Q1 (0.8) the lowest
    assert fc["mean"].idxmax() == 2 and fc["mean"].idxmin() == 0


def test_explicit_season_length_overrides_the_frequency_default():
    res = forecast_panel(quarterly(40), 4, ForecastSettings(workers=1, progress=False,
                                                            season_length=1))
    assert res.season_length == 1
    assert "season" not in res.forecasts["model"].iloc[0]
