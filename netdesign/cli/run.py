"""`netdesign run`: the whole pipeline for a study's baseline scenarios."""

from __future__ import annotations

from pathlib import Path

import typer
import xarray as xr
from rich.console import Console
from rich.table import Table

from netdesign.cli.app import app, handle_errors


def print_summary(ds: xr.Dataset, console: Console | None = None) -> None:
    """Headline figures per scenario: mode split, capacity added, cost, CO2, on-time share."""
    console = console or Console()
    table = Table(title="netdesign results", show_lines=False)
    for col in ("scenario", "status", "road", "rail", "water", "air", "hub cap. added",
                "cost", "CO2", "on time", "unserved"):
        table.add_column(col, justify="left" if col in ("scenario", "status") else "right")
    for s in ds["scenario"].values:
        one = ds.sel(scenario=s)
        share = {m: float(one["mode_share"].sel(mode=m)) for m in ("road", "rail", "water", "air")}
        gap = float(one["mip_gap"])
        status = str(one["status"].values) + (f" (gap {gap:.2%})" if gap == gap else "")
        table.add_row(
            str(s), status, *(f"{share[m]:.1%}" for m in ("road", "rail", "water", "air")),
            f"{float(one['hub_capacity_added'].sum()):,.0f} parcels/day",
            f"{float(one['total_cost']) / 1e6:,.2f} M CNY/day",
            f"{float(one['co2']):,.0f} t/day",
            f"{float(one['on_time_share']):.1%}",
            f"{float(one['unserved_total']):,.0f} parcels/day",
        )
    console.print(table)
    console.print("mode split = share of line-haul parcel-km", style="dim")


@app.command()
@handle_errors
def run(
    config: Path = typer.Argument(..., help="Study config (YAML)."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder."),
    save_lp: bool = typer.Option(False, "--save-lp", help="Also write each model as an LP file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
) -> None:
    """Forecast every corridor, solve the baseline scenarios, write results.nc and summary.csv."""
    from netdesign.pipeline import run_study

    ds = run_study(config, out, progress=not quiet, save_lp=save_lp)
    print_summary(ds)
    Console().print(f"wrote {out / 'results.nc'} and {out / 'summary.csv'}", highlight=False)
