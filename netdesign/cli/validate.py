"""`netdesign validate CONFIG`: check the study config and its network data without solving.

Prints a short summary when everything is valid (exit 0), or every problem found in the
config (its sweep grid included), in any data file, or between the two (exit 2). Writes
nothing.
"""

from __future__ import annotations

from pathlib import Path

import typer

from netdesign.cli.app import app, handle_errors, print_warning
from netdesign.config.loader import load_config
from netdesign.data.loader import collect_network, display_path, resolve_data_dir
from netdesign.errors import InputError


@app.command("validate")
@handle_errors
def validate(
    config: Path = typer.Argument(..., help="Study config (YAML).", show_default=False),
) -> None:
    """Check a study config and its network data (nodes, links, hubs, corridors, history)."""
    cfg = load_config(config)
    net, problems = collect_network(cfg)
    if cfg.sweep is not None:  # the sweep grid: axis values, names (as `netdesign sweep`)
        from netdesign.scenario.grid import expand_sweep

        try:
            expand_sweep(cfg, str(config))
        except InputError as exc:
            problems = list(exc.problems) + problems
    data_dir = display_path(resolve_data_dir(cfg))
    if net is None or any(p.severity == "error" for p in problems):
        raise InputError(problems, f"invalid network data in {data_dir}")
    for p in problems:
        print_warning(str(p))
    months = net.history["month"]
    span = f"{months.min()}..{months.max()}" if len(months) else "none"
    typer.echo(f"OK: {config} (study '{cfg.name}')")
    typer.echo(f"  data      {data_dir} ({net.source}), version {net.version}")
    typer.echo(f"  nodes     {len(net.nodes)} ({(net.nodes['rural']).sum()} rural)")
    typer.echo(f"  links     {len(net.links)} (modes: "
               f"{', '.join(sorted(net.links['mode'].unique()))})")
    typer.echo(f"  hubs      {len(net.hubs)}")
    typer.echo(f"  corridors {len(net.corridors)}")
    typer.echo(f"  history   {months.nunique()} months ({span}), {len(net.history)} rows")
    if net.rural is not None:
        towns = net.rural["townships"]
        typer.echo(f"  rural     {len(net.rural['counties'])} counties, {len(towns)} townships, "
                   f"{int(towns['villages'].sum())} villages")
    if problems:
        typer.echo(f"  warnings  {len(problems)}")
