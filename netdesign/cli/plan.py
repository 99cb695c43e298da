"""`netdesign plan`: a staged investment plan over the study's periods."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from netdesign.cli.app import app, handle_errors, print_error


def print_plan(run, console: Console | None = None) -> None:
    """What is built when, the capacity standing per period, and both net present costs."""
    console = console or Console()
    plan, my = run.plan, run.myopic
    table = Table(title="build schedule (perfect foresight)")
    for col in ("period", "what", "where", "modules", "parcels/day", "capex, M CNY"):
        table.add_column(col, justify="right" if col not in ("what", "where") else "left")
    for r in plan.schedule.itertuples(index=False):
        table.add_row(str(r.period), r.what, r.where, f"{r.modules:g}",
                      f"{r.capacity_parcels_per_day:,.0f}", f"{r.capital_cost_cny / 1e6:,.1f}")
    console.print(table)
    rep = plan.report
    gap = "-" if rep.mip_gap is None else f"{rep.mip_gap:.2%}"
    console.print(f"plan: {rep.status} (gap {gap}), {rep.total_s:.1f} s; net present cost "
                  f"{plan.npv['total'] / 1e9:,.2f} bn CNY (operating "
                  f"{plan.npv['operating'] / 1e9:,.2f}, capital {plan.npv['capital'] / 1e9:,.2f})",
                  highlight=False, markup=False)
    if my is not None:
        extra = my.npv["total"] - plan.npv["total"]
        console.print(f"myopic: {my.report.status}, net present cost "
                      f"{my.npv['total'] / 1e9:,.2f} bn CNY ({extra / 1e9:+,.2f} bn against "
                      "perfect foresight)", highlight=False, markup=False)


@app.command()
@handle_errors
def plan(
    config: Path = typer.Argument(..., help="Study config (YAML) with a `planning:` section."),
    out: Path = typer.Option(Path("out/plan"), "--out", "-o", help="Output folder."),
    forecasts: Path = typer.Option(None, "--forecasts",
                                   help="Saved forecasts.csv to use instead of forecasting."),
    no_myopic: bool = typer.Option(False, "--no-myopic",
                                   help="Skip the myopic comparison (periods one by one)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines, no tables."),
) -> None:
    """Solve the staged investment plan (all periods in one MIP, net present cost) and its
    myopic counterpart; write results.nc (with a `period` dimension), build_schedule.csv,
    plan_summary.csv and plan_report.json.

    Exit 2 on invalid input (nothing written); exit 4 when the plan has no solution
    (infeasible, or stopped without one): the diagnosis is printed, the files written.
    """
    from netdesign.errors import EXIT_SCENARIOS_FAILED
    from netdesign.plan import run_plan

    saved = None
    if forecasts is not None:
        from netdesign.pipeline import load_study
        from netdesign.study import read_forecasts

        study = load_study(config)
        saved = read_forecasts(forecasts, study.network.corridors.index)
        config = study
    run = run_plan(config, out, forecasts=saved, myopic=not no_myopic, progress=not quiet)
    if not quiet:
        print_plan(run)
    Console().print(f"wrote {out / 'results.nc'} and {out / 'build_schedule.csv'}",
                    highlight=False, markup=False)
    if run.plan.report.objective is None or not run.plan.designs \
            or run.plan.report.status not in ("optimal", "feasible"):
        print_error(f"the plan has no solution: {run.plan.report.message}",
                    label=run.plan.report.status)
        raise typer.Exit(EXIT_SCENARIOS_FAILED)
