"""`netdesign sweep`: run a study's scenario grid on Dask (local cluster or a scheduler)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from netdesign.cli.app import app, handle_errors, print_error, print_warning
from netdesign.errors import EXIT_GAP_NOT_MET

MAX_TABLE_ROWS = 12  # larger sweeps: status counts only (the table is in summary.csv)


@app.command()
@handle_errors
def sweep(
    config: Path = typer.Argument(..., help="Study config (YAML) with a `sweep:` section."),
    out: Path | None = typer.Option(None, "--out", "-o",
                                    help="Output folder (required unless --list)."),
    list_only: bool = typer.Option(False, "--list",
                                   help="Print the scenario names, one per line, and exit."),
    only: list[str] = typer.Option([], "--only", metavar="GLOB",
                                   help="Run only scenarios whose name matches (repeatable)."),
    workers: int | None = typer.Option(
        None, "--workers", "-w", min=0,
        help="Local process workers (default: one per core); 0 = in this process, no Dask."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", metavar="ADDRESS",
        help="Use an existing Dask scheduler (e.g. tcp://10.0.0.5:8786) instead."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Solve every scenario of the sweep; resume skips scenarios already solved for the same
    inputs. Exit code 4 when some scenarios failed (the others are complete); 5 when every
    scenario has a solution but some stopped before their MIP gap (time limit, or gap above
    solver.mip_rel_gap)."""
    from netdesign.errors import InputError, Problem
    from netdesign.sweep import list_scenarios, run_sweep

    if list_only:
        for name in list_scenarios(config, only):
            typer.echo(name)
        return
    if out is None:
        raise InputError([Problem("command line", "--out", "out", None,
                                  "an output folder (--out DIR)")], "invalid arguments")
    outcome = run_sweep(config, out, only=only, workers=workers, scheduler=scheduler,
                        progress=not quiet)
    err = Console(stderr=True)
    if outcome.kind == "plans":
        _finish_plans(outcome, out, err, quiet)
        return
    if len(outcome.summary) <= MAX_TABLE_ROWS:
        from netdesign.cli.run import print_summary

        print_summary(outcome.results)
    else:
        counts = outcome.summary["status"].value_counts()
        err.print("status: " + ", ".join(f"{n} {s}" for s, n in counts.items()),
                  highlight=False, markup=False)
    err.print(f"{len(outcome.computed)} solved, {len(outcome.reused)} reused from "
              f"{out / 'scenarios'}; wrote {out / 'results.nc'} and {out / 'summary.csv'}",
              highlight=False, markup=False)
    from netdesign.report.status import gap_not_reached

    missed = gap_not_reached(outcome.results)
    if missed:
        print_warning(f"{len(missed)} scenario(s) did not reach their MIP gap (stopped at a "
                      "time limit or gap above solver.mip_rel_gap; figures are not proven "
                      f"near-optimal): {', '.join(missed)}")
    if outcome.failed:
        print_error(f"{len(outcome.failed)} scenario(s) failed (status and message in "
                    f"summary.csv): {', '.join(outcome.failed)}")
        raise typer.Exit(outcome.exit_code)
    if missed:
        raise typer.Exit(EXIT_GAP_NOT_MET)


def print_plan_cases(summary, console: Console) -> None:
    """One row per plan case: status, net present cost, the myopic plan's extra cost, and
    per period the capex committed and the hub capacity added."""
    from rich.table import Table

    years = [c.split("_")[1] for c in summary.columns
             if c.startswith("capex_") and c.endswith("_cny") and c != "capex_cny"]
    table = Table(title="plan sweep (net present cost, bn CNY; capex, M CNY; hub capacity "
                  "added, parcels/day)")
    for col in ("case", "status", "NPV", "myopic +", *[f"capex {y}" for y in years],
                *[f"added {y}" for y in years]):
        left = col in ("case", "status")
        table.add_column(col, justify="left" if left else "right", no_wrap=left)

    def num(v, scale, fmt):
        return "-" if v != v else format(round(v / scale, 3) + 0.0, fmt)  # no "-0.000"

    for r in summary.to_dict(orient="records"):
        table.add_row(str(r["plan_case"]), str(r["status"]),
                      num(r["npv_total_cny"], 1e9, ",.3f"),
                      num(r["myopic_extra_cny"], 1e9, ",.3f"),
                      *[num(r[f"capex_{y}_cny"], 1e6, ",.1f") for y in years],
                      *[num(r[f"hub_capacity_added_{y}_parcels_per_day"], 1, ",.0f")
                        for y in years])
    console.print(table)


def _finish_plans(outcome, out: Path, err: Console, quiet: bool) -> None:
    """Table, files written and exit code of a plan sweep (4: some case has no plan; 5:
    some stopped before its MIP gap)."""
    if not quiet or len(outcome.summary) <= MAX_TABLE_ROWS:
        print_plan_cases(outcome.summary, Console())
    err.print(f"{len(outcome.computed)} plan(s) solved, {len(outcome.reused)} reused from "
              f"{out / 'plans'}; wrote {out / 'summary.csv'}", highlight=False, markup=False)
    missed = [str(r.plan_case) for r in outcome.summary.itertuples()
              if str(r.status) == "feasible"]
    if missed:
        print_warning(f"{len(missed)} plan(s) did not reach their MIP gap: {', '.join(missed)}")
    if outcome.failed:
        why = outcome.summary.set_index("plan_case")["message"].fillna("").astype(str)
        print_error(f"{len(outcome.failed)} plan(s) failed (status and message in "
                    f"summary.csv): " + "; ".join(f"{n}: {why.get(n, '')[:400]}"
                                                   for n in outcome.failed))
        raise typer.Exit(outcome.exit_code)
    if missed:
        raise typer.Exit(EXIT_GAP_NOT_MET)
