"""`netdesign evaluate` and `netdesign stress`: a solved design under demand draws and outages."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from netdesign.cli.app import app, handle_errors, print_error


def _print_frame(title: str, df, console: Console) -> None:
    from rich.table import Table

    table = Table(title=title)
    table.add_column(df.index.name or "", justify="left")
    for c in df.columns:
        table.add_column(str(c), justify="right")
    for idx, row in df.iterrows():
        table.add_row(str(idx), *(f"{v:,.3f}" if abs(v) < 10 else f"{v:,.0f}"
                                  for v in row.to_numpy(float)))
    console.print(table)


@app.command()
@handle_errors
def evaluate(
    results: Path = typer.Argument(..., help="Results folder of `netdesign run` (results.nc, "
                                   "forecasts.csv)."),
    scenarios: int = typer.Option(..., "--scenarios", "-n", help="Demand draws N (>= 1)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder."),
    design: str | None = typer.Option(None, "--design", metavar="SCENARIO",
                                      help="Which scenario's design (default: the first)."),
    seed: int = typer.Option(20261206, "--seed", help="Seed of the joint draws."),
    capacity: str = typer.Option("physical", "--capacity", help="physical: an average day "
                                 "using all the capacity (default); planned: the design's "
                                 "peak-day rule (peak_factor, max_utilisation)."),
    workers: int | None = typer.Option(
        None, "--workers", "-w", min=0,
        help="Local process workers (default: one per core); 0 = in this process, no Dask."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", metavar="ADDRESS",
        help="Use an existing Dask scheduler (e.g. tcp://10.0.0.5:8786) instead."),
) -> None:
    """Fix a solved design's capacity and re-route N joint demand draws of its design year;
    write OUT/results.nc (dimension `draw`) and OUT/summary.csv (mean, p50, p95, worst of
    cost, unserved, late, hub utilisation, on-time share). Resumes: finished draws are not
    recomputed. Exit code 4 when some draws failed."""
    from netdesign.errors import EXIT_SCENARIOS_FAILED
    from netdesign.evaluate.runner import evaluate_design

    o = evaluate_design(results, out, scenarios, seed=seed, scenario=design, workers=workers,
                        scheduler=scheduler, capacity=capacity)
    err = Console(stderr=True)
    _print_frame(f"{o.results['design'].item()} under {scenarios} demand draws", o.summary,
                 Console())
    err.print(f"{len(o.computed)} draws solved, {len(o.reused)} reused; wrote "
              f"{out / 'results.nc'} and {out / 'summary.csv'}", highlight=False, markup=False)
    if o.failed:
        print_error(f"{len(o.failed)} draw(s) failed: {', '.join(o.failed[:20])}")
        raise typer.Exit(EXIT_SCENARIOS_FAILED)


@app.command()
@handle_errors
def stress(
    results: Path = typer.Argument(..., help="Results folder of `netdesign run`."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder."),
    disruptions: list[str] = typer.Option([], "--disruptions", "-d", metavar="NAME",
                                          help="Disruptions of the config's `disruptions:` "
                                          "(repeatable; default all)."),
    design: str | None = typer.Option(None, "--design", metavar="SCENARIO",
                                      help="Which scenario's design (default: the first)."),
    config: Path | None = typer.Option(None, "--config", help="Study config whose "
                                       "`disruptions:` to use (default: the results' own)."),
    capacity: str = typer.Option("physical", "--capacity", help="physical: an average day "
                                 "using all the capacity (default); planned: the design's "
                                 "peak-day rule (peak_factor, max_utilisation)."),
) -> None:
    """Re-route a solved design through named outages day by day, backlog carried; write
    OUT/results.nc (dimension `disruption`) and OUT/summary.csv (extra cost, unserved,
    backlog and late parcels per disruption)."""
    from netdesign.evaluate.stress import run_stress

    _, table = run_stress(results, out, disruptions, design, config, capacity)
    short = table.rename(columns={"extra_cost_cny": "extra CNY",
                                  "extra_cost_cny_per_outage_day": "per day CNY",
                                  "unserved_parcels": "unserved", "late_parcels": "late",
                                  "backlog_parcel_days": "backlog p-d"})
    _print_frame("outages through the fixed design (against the same days without them)",
                 short[["days", "extra CNY", "per day CNY", "unserved", "backlog p-d",
                        "late"]], Console())
    for name, status in table["status"].items():
        if status != "optimal":
            print_error(f"{name}: {status} (no figures; raise solver.time_limit_s)")
    Console(stderr=True).print(f"wrote {out / 'results.nc'} and {out / 'summary.csv'}",
                               highlight=False, markup=False)


@app.command("robust-design")
@handle_errors
def robust_design_cmd(
    results: Path = typer.Argument(..., help="Results folder of `netdesign run` (results.nc, "
                                   "forecasts.csv): the study and its mean-forecast design."),
    scenarios: int = typer.Option(..., "--scenarios", "-k", help="Demand draws K the "
                                  "capacity is planned over (SAA, >= 1)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder."),
    fresh: int = typer.Option(50, "--fresh", "-m", help="Fresh draws M both designs are "
                              "evaluated on (>= 1)."),
    hindsight: int = typer.Option(0, "--hindsight", help="Of the fresh draws, how many to "
                                  "design with hindsight for EVPI (one full design solve "
                                  "each; 0 = no EVPI)."),
    design: str | None = typer.Option(None, "--design", metavar="SCENARIO",
                                      help="Which scenario (default: the first)."),
    seed: int = typer.Option(20261206, "--seed", help="Seed of the K draws (the fresh draws "
                             "use seed + 1)."),
    capacity: str = typer.Option("planned", "--capacity", help="planned: the design's "
                                 "peak-day rule (default); physical: an average day using "
                                 "all the capacity."),
    time_limit: float | None = typer.Option(None, "--time-limit", min=1.0, help="Seconds "
                                            "for the SAA solve (default: the study's "
                                            "solver.time_limit_s)."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=0,
                                       help="Local process workers for the evaluations."),
    scheduler: str | None = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                         help="Use an existing Dask scheduler instead."),
    n_minus_1: float | None = typer.Option(None, "--n-minus-1", metavar="SHARE", help="Also "
                                           "plan the cheapest capacity that keeps unserved "
                                           "parcels <= SHARE of demand when any one hub is "
                                           "closed (N-1), evaluated on the same draws."),
    hub: list[str] = typer.Option([], "--hub", metavar="HUB", help="Hubs whose closure N-1 "
                                  "covers (repeatable; default every hub: one model copy "
                                  "each)."),
) -> None:
    """Plan capacity once over K demand draws (two-stage SAA), evaluate it and the mean-forecast
    design on the same M fresh draws, and write the value of the stochastic solution (VSS)
    and, with --hindsight, the expected value of perfect information (EVPI): OUT/results.nc
    (attributes value_*), OUT/value.csv, OUT/mean_forecast/ and OUT/saa/ (the evaluations;
    OUT/n_minus_1/ with --n-minus-1)."""
    import pandas as pd

    from netdesign.evaluate.robust_design import robust_design

    o = robust_design(results, out, scenarios, fresh=fresh, hindsight=hindsight, seed=seed,
                      scenario=design, capacity=capacity, time_limit_s=time_limit,
                      workers=workers, scheduler=scheduler, n_minus_1=n_minus_1,
                      hubs=hub or None)
    table = pd.DataFrame({"value": o.figures}).rename_axis("figure")
    _print_frame(f"SAA over {scenarios} draws vs the mean-forecast design, {fresh} fresh draws",
                 table, Console())
    Console(stderr=True).print(
        f"SAA extensive form {o.saa.rows:,} rows x {o.saa.cols:,} columns, {o.saa.status} "
        f"(gap {o.saa.mip_gap:.2%}); wrote {out / 'results.nc'} and {out / 'value.csv'}",
        highlight=False, markup=False)
