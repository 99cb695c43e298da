"""`netdesign report`, `netdesign compare`, `netdesign export`: what users see of results."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from netdesign.cli.app import app, handle_errors
from netdesign.errors import InputError, Problem

LANG_HELP = "Language of labels, titles and number formats: zh (default) or en."


def _lang(value: str, option: str = "--lang") -> str:
    if value not in ("zh", "en"):
        raise InputError([Problem("command line", option, "lang", value, "zh or en")],
                         "invalid option")
    return value


@app.command()
@handle_errors
def report(
    results: Path = typer.Argument(..., help="results.nc (or the folder holding it)."),
    out: Path = typer.Option(Path("report.html"), "--out", "-o", help="HTML file to write."),
    lang: str = typer.Option("zh", "--lang", help=LANG_HELP),
    scenarios: str = typer.Option(None, "--scenarios",
                                  help="Comma-separated scenario names (default: all)."),
    map_scenario: str = typer.Option(None, "--map-scenario",
                                     help="Scenario drawn first on the network map "
                                          "(default: the first shown)."),
    base: str = typer.Option(None, "--base",
                             help="Base scenario of the comparison page (default: the one "
                                  "with base cases and the lowest carbon price)."),
    robust: list[Path] = typer.Option([], "--robust", help="Output folder of `netdesign "
                                      "evaluate` or `stress` to add (repeatable)."),
) -> None:
    """Write a self-contained HTML report (charts, network map, provenance); opens offline."""
    from netdesign.report.html import write_report
    from netdesign.report.load import parse_scenario_list

    path = write_report(results, out, lang=_lang(lang), scenarios=parse_scenario_list(scenarios),
                        map_scenario=map_scenario, base=base, robust=robust)
    Console().print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", highlight=False)


@app.command()
@handle_errors
def compare(
    results: Path = typer.Argument(..., help="results.nc (or the folder holding it)."),
    base: str = typer.Option(..., "--base", help="The scenario the others are compared with."),
    csv: Path = typer.Option(None, "--csv",
                             help="Write the headline table here and the capacity changes to "
                                  "NAME_capacity.csv beside it."),
    md: Path = typer.Option(None, "--md", help="Write both tables as Markdown here."),
    scenarios: str = typer.Option(None, "--scenarios",
                                  help="Comma-separated scenario names (default: all)."),
    lang: str = typer.Option("zh", "--lang", help=LANG_HELP),
) -> None:
    """Headline figures of each scenario, their difference from the base, capacity changes.

    Exit code 6 when some scenario compared is flagged (no solution, stopped at a time limit,
    MIP gap above solver.mip_rel_gap, demand unserved): the tables are printed and written
    all the same, and the flagged scenarios are named.
    """
    from netdesign.report.compare import (
        compare_scenarios,
        flagged_scenarios,
        rich_tables,
        write_comparison_csv,
        write_comparison_markdown,
    )
    from netdesign.report.load import open_results, parse_scenario_list

    lang = _lang(lang)
    ds = open_results(results)
    cmp = compare_scenarios(ds, base, parse_scenario_list(scenarios), source=str(results))
    console = Console()
    for table in rich_tables(cmp, lang):
        console.print(table)
    if csv is not None:
        first, second = write_comparison_csv(cmp, csv)
        console.print(f"wrote {first} and {second}", highlight=False)
    if md is not None:
        console.print(f"wrote {write_comparison_markdown(cmp, md, lang)}", highlight=False)
    flagged = flagged_scenarios(cmp)
    if flagged:
        from netdesign.cli.app import print_error
        from netdesign.errors import EXIT_FLAGGED

        print_error(f"{len(flagged)} of {len(cmp.headline)} scenario(s) compared are flagged "
                    f"(exit code {EXIT_FLAGGED}); read their figures with care:",
                    label="flagged", style="bold yellow")
        for name, why in flagged:
            print_error(why, label=f"  {name}", style="yellow")
        raise typer.Exit(EXIT_FLAGGED)


@app.command()
@handle_errors
def export(
    results: Path = typer.Argument(..., help="results.nc (or the folder holding it)."),
    xlsx: Path = typer.Option(..., "--xlsx", help="Excel workbook to write."),
    lang: str = typer.Option("zh", "--lang", help="Language of the column headers: zh or en."),
    scenarios: str = typer.Option(None, "--scenarios",
                                  help="Comma-separated scenario names (default: all)."),
    forecast: str = typer.Option("annual", "--forecast",
                                 help="Forecast sheet: annual (default, corridor x year) or "
                                      "monthly (corridor x month with interval bounds)."),
) -> None:
    """Excel workbook: summary, costs, CO2, on-time, capacity, mode split, hubs, links,
    corridors, forecasts, provenance; formatted numbers, filters, text never a formula."""
    from netdesign.report.export import export_results
    from netdesign.report.load import parse_scenario_list

    path = export_results(results, xlsx, lang=_lang(lang),
                          scenarios=parse_scenario_list(scenarios), forecast=forecast)
    Console().print(f"wrote {path}", highlight=False)
