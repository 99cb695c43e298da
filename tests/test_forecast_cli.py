"""`netdesign forecast` on small files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from netdesign.cli.main import app

runner = CliRunner()


def write_history(path, n=36):
    rng = np.random.default_rng(0)
    rows = []
    for sid in ("HGH-PEK", "HGH-CAN"):
        for i, month in enumerate(pd.period_range("2021-01", periods=n, freq="M")):
            rows.append((sid, month.to_timestamp().strftime("%Y-%m-%d"),
                         round(1000 + 10 * i + rng.normal(0, 20), 1)))
    pd.DataFrame(rows, columns=["series_id", "date", "value"]).to_csv(path, index=False)


def test_cli_forecasts_a_small_file(tmp_path):
    hist = tmp_path / "history.csv"
    out = tmp_path / "fc.csv"
    bt = tmp_path / "bt.csv"
    write_history(hist)
    res = runner.invoke(app, ["forecast", str(hist), "--horizon", "6", "--out", str(out),
                              "--workers", "1", "--quiet", "--backtest-out", str(bt)])
    assert res.exit_code == 0, res.output
    fc = pd.read_csv(out)
    assert list(fc.columns) == ["series_id", "date", "mean", "lo_80", "hi_80", "lo_95",
                                "hi_95", "model"]
    assert len(fc) == 12
    assert fc["date"].iloc[0] == "2024-01-01"
    assert (fc["lo_95"] >= 0).all() and (fc["lo_95"] <= fc["mean"]).all()
    scores = pd.read_csv(bt)
    assert set(scores["series_id"]) == {"HGH-PEK", "HGH-CAN"}


def test_cli_reports_bad_rows_and_writes_nothing(tmp_path):
    hist = tmp_path / "bad.csv"
    hist.write_text("series_id,date,value\nA,2024-01-01,10\nA,2024-02-30,11\n"
                    "A,2024-03-01,abc\n,2024-04-01,3\n")
    out = tmp_path / "fc.csv"
    res = runner.invoke(app, ["forecast", str(hist), "--horizon", "3", "--out", str(out)])
    assert res.exit_code == 2
    text = " ".join(res.output.split())
    assert "row 2, field 'date'" in text
    assert "row 3, field 'value'" in text
    assert "row 4, field 'series_id'" in text
    assert not out.exists()


def test_cli_missing_column_is_reported(tmp_path):
    hist = tmp_path / "bad.csv"
    hist.write_text("id,date,volume\nA,2024-01-01,10\n")
    res = runner.invoke(app, ["forecast", str(hist), "--horizon", "3", "--out",
                              str(tmp_path / "o.csv")])
    assert res.exit_code == 2
    assert "series_id" in res.output and "value" in res.output


def test_cli_calibrates_intervals_on_its_backtest(tmp_path):
    # 2 series x 3 origins x 6 months = 36 backtest points (>= MIN_POINTS): the output's
    # half-widths are the plain run's times the printed factors.
    hist = tmp_path / "history.csv"
    write_history(hist, n=48)
    plain, cal = tmp_path / "plain.csv", tmp_path / "cal.csv"
    base = ["forecast", str(hist), "--horizon", "6", "--workers", "1", "--quiet"]
    assert runner.invoke(app, [*base, "--out", str(plain)]).exit_code == 0
    res = runner.invoke(app, [*base, "--out", str(cal), "--calibrate-intervals"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "intervals calibrated on 36 backtest points" in text
    f80 = float(text.split("80 % x")[1].split(",")[0])
    p, c = pd.read_csv(plain), pd.read_csv(cal)
    np.testing.assert_allclose(c["mean"], p["mean"])
    ratio = (c["hi_80"] - c["mean"]) / (p["hi_80"] - p["mean"])
    np.testing.assert_allclose(ratio, ratio.iloc[0], rtol=1e-6)  # one factor for all rows
    assert ratio.iloc[0] == pytest.approx(f80, abs=0.005)        # the printed one (2 d.p.)
    assert (c["lo_95"] <= c["lo_80"]).all() and (c["hi_80"] <= c["hi_95"]).all()
