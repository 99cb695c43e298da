"""`netdesign run`: the whole pipeline for a study's baseline scenarios."""

from __future__ import annotations

from pathlib import Path

import typer
import xarray as xr
from rich.console import Console
from rich.table import Table

from netdesign.cli.app import app, handle_errors, print_error


def print_summary(ds: xr.Dataset, console: Console | None = None) -> None:
    """Headline figures, one column per scenario: mode split, capacity, cost, CO2, on time."""
    console = console or Console()
    table = Table(title="netdesign results", show_lines=False)
    table.add_column("", justify="left", no_wrap=True)
    scenarios = [str(s) for s in ds["scenario"].values]
    for s in scenarios:
        table.add_column(s, justify="right", overflow="fold")

    def row(label: str, fmt) -> None:
        table.add_row(label, *(fmt(ds.sel(scenario=s)) for s in scenarios))

    def status(one: xr.Dataset) -> str:
        gap = float(one["mip_gap"])
        return str(one["status"].values) + (f" ({gap:.2%})" if gap == gap else "")

    row("status (MIP gap)", status)
    for m in ("road", "rail", "water", "air"):
        row(f"{m} share of parcel-km",
            lambda one, m=m: f"{float(one['mode_share'].sel(mode=m)):.1%}")
    row("hub capacity added, parcels/day",
        lambda one: f"{float(one['hub_capacity_added'].sum()):,.0f}")
    row("link departures added, per day",
        lambda one: f"{float(one['link_modules_added'].sum()):,.0f}")
    row("total cost, CNY/day", lambda one: f"{float(one['total_cost']):,.0f}")
    row("CO2, t/day", lambda one: f"{float(one['co2']):,.1f}")
    row("on-time share (1-2-3 day circle)", lambda one: f"{float(one['on_time_share']):.1%}")
    row("unserved, parcels/day", lambda one: f"{float(one['unserved_total']):,.0f}")
    console.print(table)


@app.command()
@handle_errors
def run(
    config: Path = typer.Argument(..., help="Study config (YAML)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
    save_lp: bool = typer.Option(False, "--save-lp", help="Also write each model as an LP file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
) -> None:
    """Forecast every corridor, solve the baseline scenarios, write results.nc and summary.csv.

    Exit code 4 when some scenario has no design (infeasible, error, stopped without a
    solution): each one's diagnosis is printed; the results are written all the same.
    """
    from netdesign.pipeline import run_study

    ds = run_study(config, out, progress=not quiet, save_lp=save_lp)
    print_summary(ds)
    from netdesign.results.calibration import CALIBRATION_FILE, print_calibration

    if (out / CALIBRATION_FILE).is_file():
        import pandas as pd

        print_calibration(pd.read_csv(out / CALIBRATION_FILE))
    Console().print(f"wrote {out / 'results.nc'} and {out / 'summary.csv'}", highlight=False,
                    markup=False)
    report_failures(ds)


def report_failures(ds: xr.Dataset) -> None:
    """Print each scenario without a design and its diagnosis; exit 4 if there is one."""
    from netdesign.errors import EXIT_SCENARIOS_FAILED
    from netdesign.results import summary_table
    from netdesign.results.io import failed_scenarios

    failed = failed_scenarios(summary_table(ds))
    if not failed:
        return
    print_error(f"{len(failed)} of {ds.sizes['scenario']} scenario(s) have no design "
                "(results written; status and message also in summary.csv):")
    for name, status, message in failed:
        print_error(f"{name}: {message or '(no diagnosis)'}", label=f"  {status}")
    raise typer.Exit(EXIT_SCENARIOS_FAILED)
