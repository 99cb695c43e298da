"""The base-year check: the model's last history year beside what was observed.

A study may ship `calibration_observed.csv` beside its network tables (the default study
does). Each row names an observed figure, the metric that computes the model's counterpart
and the source of the observation:

    figure   label shown in calibration.csv
    metric   one of METRICS (below)
    hubs     '|'-separated hub ids (metrics on hubs or links at hubs), else empty
    mode     a mode (road, rail, water, air) for mode metrics, else empty
    scope    'domestic' (service class domestic) or 'all' corridors
    observed the observed value in `unit` (empty when nothing is published)
    unit     unit of both values
    source   where the observed value comes from (and how it was derived)

`base_year_check` solves the last history year with existing capacity only
(`Scenario.expansion = False`: no link or hub modules, no optional hub opened) and returns
the table `figure, model, observed, unit, source` (`netdesign run` writes it as
calibration.csv). No file, no check.

Units: flows parcels/day, tonnes t/yr (parcels x `parcel_weight_kg` / 1000 x days_per_year),
shares as fractions of parcels, CO2 kg per parcel, costs CNY per parcel.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from netdesign.errors import InputError, Problem

OBSERVED_FILE = "calibration_observed.csv"
CALIBRATION_FILE = "calibration.csv"
OBSERVED_COLUMNS = ("figure", "metric", "hubs", "mode", "scope", "observed", "unit", "source")
TABLE_COLUMNS = ("figure", "model", "observed", "unit", "source")
SCOPES = ("domestic", "all")


@dataclass(frozen=True)
class BaseYear:
    """What the metrics read from one solved base year (plain tables, parcels/day).

    demand, served:   parcels/day per corridor (served = demand - unserved).
    main_mode_flow:   corridor x mode, parcels/day by the path's main line-haul mode.
    link_flow:        parcels/day per link id.
    links:            the network's links table (from_node, to_node, mode, role,
                      cost_cny_per_parcel).
    hub_throughput:   parcels/day per hub id (the model's capacity basis).
    service_class:    service class per corridor.
    co2_t_per_day:    total CO2, t/day.
    parcel_weight_kg: kg per (reference) parcel.
    days_per_year:    days per year.
    """

    demand: pd.Series
    served: pd.Series
    main_mode_flow: pd.DataFrame
    link_flow: pd.Series
    links: pd.DataFrame
    hub_throughput: pd.Series
    service_class: pd.Series
    co2_t_per_day: float
    parcel_weight_kg: float
    days_per_year: float


def _scope_mask(b: BaseYear, scope: str) -> pd.Series:
    return b.service_class == "domestic" if scope == "domestic" else \
        pd.Series(True, index=b.service_class.index)


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def airport_t_per_year(b: BaseYear, hubs: list[str], mode: str, scope: str) -> float:
    """Tonnes per year handled at `hubs`: throughput x kg/parcel / 1000 x days/year."""
    thr = float(b.hub_throughput.reindex(hubs).fillna(0.0).sum())
    return thr * b.parcel_weight_kg / 1000.0 * b.days_per_year


def share_of_parcels(b: BaseYear, hubs: list[str], mode: str, scope: str) -> float:
    """Share of the scope's served parcels whose main line-haul mode is `mode`."""
    m = _scope_mask(b, scope)
    return _ratio(float(b.main_mode_flow.loc[m, mode].sum()), float(b.served[m].sum()))


def link_share_of_parcels(b: BaseYear, hubs: list[str], mode: str, scope: str) -> float:
    """Parcels on line-haul links of `mode` leaving or entering `hubs`, as a share of the
    scope's served parcels (e.g. HSR express: rail links of the HSR terminal)."""
    lk = b.links
    sel = (lk["role"] == "linehaul") & (lk["mode"] == mode) & \
        (lk["from_node"].isin(hubs) | lk["to_node"].isin(hubs))
    flow = float(b.link_flow.reindex(lk.index[sel]).fillna(0.0).sum())
    return _ratio(flow, float(b.served[_scope_mask(b, scope)].sum()))


def co2_kg_per_parcel(b: BaseYear, hubs: list[str], mode: str, scope: str) -> float:
    """CO2 of all legs per served parcel, kg."""
    return _ratio(b.co2_t_per_day * 1000.0, float(b.served.sum()))


def international_share(b: BaseYear, hubs: list[str], mode: str, scope: str) -> float:
    """Share of demand (parcels) on corridors that are not domestic."""
    return _ratio(float(b.demand[b.service_class != "domestic"].sum()), float(b.demand.sum()))


def linehaul_cost_cny_per_parcel(b: BaseYear, hubs: list[str], mode: str, scope: str) -> float:
    """Variable transport cost of the line-haul legs of `mode` (flow x cost_cny_per_parcel)
    per served parcel of the scope whose main mode is `mode`, CNY/parcel."""
    lk = b.links
    sel = (lk["role"] == "linehaul") & (lk["mode"] == mode)
    flow = b.link_flow.reindex(lk.index[sel]).fillna(0.0)
    cost = float((flow * lk.loc[sel, "cost_cny_per_parcel"]).sum())
    return _ratio(cost, float(b.main_mode_flow.loc[_scope_mask(b, scope), mode].sum()))


METRICS: dict[str, Callable[[BaseYear, list[str], str, str], float]] = {
    "airport_t_per_year": airport_t_per_year,
    "share_of_parcels": share_of_parcels,
    "link_share_of_parcels": link_share_of_parcels,
    "co2_kg_per_parcel": co2_kg_per_parcel,
    "international_share": international_share,
    "linehaul_cost_cny_per_parcel": linehaul_cost_cny_per_parcel,
}
NEEDS = {"airport_t_per_year": ("hubs",), "link_share_of_parcels": ("hubs", "mode"),
         "share_of_parcels": ("mode",), "linehaul_cost_cny_per_parcel": ("mode",)}


# ------------------------------------------------------------------------------- observed
def read_observed(path: Path, modes: tuple[str, ...] = ("road", "rail", "water", "air"),
                  hub_ids: set[str] | None = None) -> pd.DataFrame:
    """Read and check an observed-figures file; raises `InputError` naming row and field."""
    source = str(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InputError([Problem(source, "(file)", None, None, f"a readable CSV ({exc})")],
                         "cannot read the observed base-year figures") from None
    problems = [Problem(source, "header", c, None, f"a column named {c!r}")
                for c in OBSERVED_COLUMNS if c not in df.columns]
    if problems:
        raise InputError(problems, "cannot read the observed base-year figures")
    df = df[list(OBSERVED_COLUMNS)].copy()
    values = []
    for i, r in df.iterrows():
        where = f"row {i + 1}"
        if r["metric"] not in METRICS:
            problems.append(Problem(source, where, "metric", r["metric"],
                                    f"one of {', '.join(METRICS)}"))
        if r["scope"] not in SCOPES:
            problems.append(Problem(source, where, "scope", r["scope"], "domestic or all"))
        need = NEEDS.get(r["metric"], ())
        if "mode" in need and r["mode"] not in modes:
            problems.append(Problem(source, where, "mode", r["mode"], f"one of {modes}"))
        hubs = [h for h in r["hubs"].split("|") if h]
        if "hubs" in need and not hubs:
            problems.append(Problem(source, where, "hubs", r["hubs"], "'|'-separated hub ids"))
        for h in hubs:
            if hub_ids is not None and h not in hub_ids:
                problems.append(Problem(source, where, "hubs", h, "a hub_id of hubs.csv"))
        if not r["source"].strip():
            problems.append(Problem(source, where, "source", "", "where the figure comes from"))
        try:
            v = float(r["observed"]) if r["observed"].strip() else math.nan
        except ValueError:
            problems.append(Problem(source, where, "observed", r["observed"],
                                    "a number, or empty when not published"))
            v = math.nan
        values.append(v)
    if problems:
        raise InputError(problems, "invalid observed base-year figures")
    df["observed"] = values
    return df


def compare(base: BaseYear, observed: pd.DataFrame) -> pd.DataFrame:
    """The calibration table: one row per observed figure, its model value beside it."""
    rows = []
    for _, r in observed.iterrows():
        hubs = [h for h in r["hubs"].split("|") if h]
        model = METRICS[r["metric"]](base, hubs, r["mode"], r["scope"])
        rows.append({"figure": r["figure"], "model": model, "observed": r["observed"],
                     "unit": r["unit"], "source": r["source"]})
    return pd.DataFrame(rows, columns=list(TABLE_COLUMNS))


# ------------------------------------------------------------------------------- solving
def base_year(network, scenario, design) -> BaseYear:
    """Collect what the metrics need from a solved design."""
    corr = network.corridors.index
    demand = scenario.demand.reindex(corr).fillna(0.0)
    unserved = design.unserved.reindex(corr).fillna(0.0)
    flow = design.corridor_flow.reindex(index=corr).fillna(0.0)
    return BaseYear(
        demand=demand, served=(demand - unserved).clip(lower=0.0), main_mode_flow=flow,
        link_flow=design.links["flow_parcels_per_day"].astype(float).fillna(0.0),
        links=network.links, hub_throughput=design.hubs["throughput_parcels_per_day"]
        .astype(float).fillna(0.0),
        service_class=network.corridors["service_class"].astype(str),
        co2_t_per_day=float(design.co2_t_per_day), parcel_weight_kg=scenario.parcel_weight_kg,
        days_per_year=scenario.days_per_year)


def study_observed(study) -> pd.DataFrame | None:
    """The study's checked observed figures (`calibration_observed.csv` in its data folder),
    or None when it has none; raises `InputError` when the file is invalid."""
    from netdesign.data.loader import resolve_data_dir

    path = resolve_data_dir(study.cfg) / OBSERVED_FILE
    if not path.is_file():
        return None
    return read_observed(path, hub_ids=set(study.network.hubs.index))


def base_year_check(study, forecasts=None, solve=None, observed=None):
    """Solve the last history year with existing capacity and compare it with the study's
    observed figures. Returns (table, design) or None when the study has no observed file.

    solve: (network, scenario) -> Design (default: the pipeline's solver with the study's
    solver settings). observed: the figures, if already read (`study_observed`)."""
    from netdesign.config.schema import ScenarioConfig
    from netdesign.optimise import design_network
    from netdesign.scenario.build import build_scenario

    if observed is None:
        observed = study_observed(study)
    if observed is None:
        return None
    year = int(study.network.history["month"].max().year)
    if forecasts is None:
        forecasts = pd.DataFrame(columns=["series_id", "date", "mean", "lo_80", "hi_80",
                                          "lo_95", "hi_95"])
    sc = ScenarioConfig(name=f"base_year_{year}", year=year)
    fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
    scenario = replace(build_scenario(study.cfg, sc, sc.name, fc, study.network),
                       expansion=False)
    # the observed base year ran on its average days: no design-day sizing (planning:, #14)
    scenario = replace(scenario, peak_factor=1.0, max_utilisation=1.0)
    net = study.network
    if solve is None:
        def solve(n, s):
            return design_network(n, s, study.cfg.solver)
    design = solve(net, scenario)
    if not getattr(design.report, "has_solution", True):
        table = compare_nan(observed)
    else:
        table = compare(base_year(net, scenario, design), observed)
    return table, design


def compare_nan(observed: pd.DataFrame) -> pd.DataFrame:
    """The table with the model column empty (the base year could not be solved)."""
    t = observed[["figure", "observed", "unit", "source"]].copy()
    t.insert(1, "model", np.nan)
    return t[list(TABLE_COLUMNS)]


def format_value(v: float, unit: str) -> str:
    """A figure for the console: shares as %, large numbers with separators."""
    if v != v:
        return "-"
    if unit == "share":
        return f"{v:.2%}"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def print_calibration(table: pd.DataFrame, console=None) -> None:
    """The base-year check as a console table."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    t = Table(title="base-year check (existing capacity, last history year)")
    for c in ("figure", "model", "observed", "unit", "source"):
        t.add_column(c, overflow="fold", justify="right" if c in ("model", "observed") else
                     "left", max_width=60 if c == "source" else None)
    for _, r in table.iterrows():  # Text: a study's labels and sources are not rich markup
        t.add_row(Text(str(r["figure"])), format_value(float(r["model"]), r["unit"]),
                  format_value(float(r["observed"]), r["unit"]), Text(str(r["unit"])),
                  Text(str(r["source"])))
    console.print(t)
