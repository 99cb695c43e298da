"""`netdesign forecast`: forecast any set of series (daily to yearly) from a long CSV."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from netdesign.cli.app import app, console, handle_errors, print_warning
from netdesign.errors import InputError, Problem


@app.command("forecast")
@handle_errors
def forecast_cmd(
    history: Path = typer.Argument(..., help="Long CSV: series_id,date,value (ISO dates, "
                                             "one row per period)."),
    horizon: int = typer.Option(..., "--horizon", "-h", min=1,
                                help="Periods to forecast (months for monthly data)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output CSV of forecasts."),
    season_length: int | None = typer.Option(
        None, "--season-length", "-m", min=1,
        help="Season length in periods (default: by frequency: 12 monthly, 4 quarterly, "
             "52 weekly, 7 daily, 1 yearly)."),
    frequency: str | None = typer.Option(
        None, "--frequency", "-f",
        help="D | W | M | Q | Y (default: inferred from the spacing of the dates)."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1,
                                       help="Dask process workers (default: one per core)."),
    method: str = typer.Option("auto", "--method",
                               help="auto | ets | theta | arima | seasonal_naive"),
    missing: str = typer.Option("impute", "--missing", help="impute | reject | report"),
    calendar: str = typer.Option(
        "none", "--calendar",
        help="china | none: adjust monthly series for the moving Spring Festival where the "
             "effect is significant (docs/forecasting.md, 'Chinese calendar')."),
    backtest_out: Path | None = typer.Option(None, "--backtest-out",
                                             help="Also run a rolling-origin backtest and "
                                                  "write per-series scores here (CSV)."),
    origins: int = typer.Option(3, "--origins", min=1, help="Backtest origins."),
    calibrate: bool = typer.Option(
        False, "--calibrate-intervals",
        help="Rescale the 80/95 % intervals by factors fitted on a rolling-origin backtest "
             "of the same series (split conformal, pooled over series; runs the backtest "
             "with --origins). See docs/forecasting.md."),
    specs_out: Path | None = typer.Option(None, "--specs-out",
                                          help="Write the chosen model specs (JSON)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Forecast every series in HISTORY; write series_id,date,mean,lo_80,hi_80,lo_95,hi_95,model."""
    from netdesign.atomic import write_csv_atomic
    from netdesign.forecast import (
        ForecastSettings,
        apply_calibration,
        backtest_panel,
        fit_calibration,
        forecast_panel,
    )
    from netdesign.forecast.calendar import CALENDARS
    from netdesign.forecast.calibration import MIN_POINTS
    from netdesign.forecast.engine import METHODS, MISSING
    from netdesign.forecast.io import read_history_csv
    from netdesign.forecast.parallel import local_client
    from netdesign.forecast.periods import FREQUENCIES

    problems = []
    if method not in METHODS:
        problems.append(Problem("command line", "--method", "method", method,
                                f"one of {', '.join(METHODS)}"))
    if missing not in MISSING:
        problems.append(Problem("command line", "--missing", "missing", missing,
                                f"one of {', '.join(MISSING)}"))
    if calendar not in CALENDARS:
        problems.append(Problem("command line", "--calendar", "calendar", calendar,
                                f"one of {', '.join(CALENDARS)}"))
    if frequency is not None and frequency.upper() not in FREQUENCIES:
        problems.append(Problem("command line", "--frequency", "frequency", frequency,
                                f"one of {', '.join(FREQUENCIES)}"))
    from netdesign.results.io import check_out_file

    for path, option in ((out, "--out"), (backtest_out, "--backtest-out"),
                         (specs_out, "--specs-out")):
        if path is not None:
            problems += check_out_file(path, option)
    if problems:
        raise InputError(problems, "invalid options")
    freq = frequency.upper() if frequency else None
    frame = read_history_csv(history, freq)
    settings = ForecastSettings(season_length=season_length, frequency=freq, method=method,
                                missing=missing, workers=workers, progress=not quiet,
                                calendar=calendar)
    bt = None
    with local_client(workers) as client:  # one cluster for the forecast and the backtest
        result = forecast_panel(frame, horizon, settings, client=client)
        if backtest_out is not None or calibrate:
            bt = backtest_panel(frame, horizon, settings, origins=origins, client=client)
    fc = result.forecasts.copy()
    calibration = fit_calibration(bt.points) if calibrate else None
    if calibration is not None:
        fc = apply_calibration(fc, calibration)
    fc["date"] = fc["date"].dt.strftime("%Y-%m-%d")
    write_csv_atomic(fc, out)
    if bt is not None and backtest_out is not None:
        write_csv_atomic(bt.per_series, backtest_out)
    if specs_out is not None:
        tmp = specs_out.with_name(f".{specs_out.name}.tmp")
        tmp.write_text(json.dumps(result.specs, indent=1, sort_keys=True))
        tmp.replace(specs_out)
    diag = result.diagnostics
    console.print(f"forecast {diag.shape[0]} series ({result.grid.name}, season "
                  f"{result.season_length}) x {horizon} {result.grid.unit}s in "
                  f"{result.seconds:.1f} s -> {out}; fallbacks: {int(diag['fallback'].sum())}, "
                  f"imputed: {int(diag['imputed'].sum())}, "
                  f"fit warnings: {int(diag['n_warnings'].sum())}", highlight=False, markup=False)
    for row in diag[diag["fallback"]].head(20).itertuples():
        print_warning(f"{row.series_id}: {row.message}")
    if bt is not None:
        s = bt.summary
        where = f" -> {backtest_out}" if backtest_out is not None else ""
        console.print(f"backtest ({origins} origins): MASE {s['mase']:.3f}, sMAPE "
                      f"{s['smape']:.2f} %, coverage 80 % {s['coverage_80']:.3f}, "
                      f"95 % {s['coverage_95']:.3f}{where}", highlight=False, markup=False)
    if calibrate and calibration is None:
        console.print(f"  warning: intervals not calibrated: fewer than {MIN_POINTS} "
                      "backtest points", highlight=False, markup=False)
    elif calibration is not None:
        factors = ", ".join(f"{lv} % x{f:.2f}" for lv, f in sorted(calibration.factors.items()))
        console.print(f"intervals calibrated on {calibration.n_points} backtest points: "
                      f"half-widths {factors}", highlight=False, markup=False)
