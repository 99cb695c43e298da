"""The schema of results.nc, written once: dimensions, variables (dims, units, long names),
coordinates and dataset attributes.

The writer (`results.dataset`) takes units and long names from here; the reader
(`report.load.check_results`) checks files against it; the table in docs/architecture.md is
generated from it (`markdown_table`, checked by `tests/test_results_schema.py`); the tests
compare a real run with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import xarray as xr

from netdesign.errors import Problem
from netdesign.vocabulary import COST_COMPONENTS, FORECAST_STATS, SOLVE_STATUSES


@dataclass(frozen=True)
class Variable:
    """One variable or non-index coordinate of results.nc.

    name: as in the file. dims: its dimensions, in order. units: a UDUNITS-like string
    ("1" = dimensionless, "" = names/labels). long_name: what it is. doc_units: the unit as
    the docs table shows it, when not `units` ("–" for names and years).
    required: a results file without it is rejected by the reader (False for additions that
    older files lack).
    """

    name: str
    dims: tuple[str, ...]
    units: str
    long_name: str
    doc_units: str | None = None
    required: bool = True


S = ("scenario",)

#: Dimensions and what one element of each is.
DIMENSIONS: dict[str, str] = {
    "scenario": "one solved scenario (name)",
    "corridor": "an origin-destination corridor (corridor_id)",
    "mode": "a transport mode (road, rail, water, air)",
    "hub": "a hub (hub_id)",
    "link": "a directed link (link_id)",
    "node": "a node (node_id)",
    "service_class": "a service class (domestic, neighbouring, global)",
    "cost_component": "a cost component (" + ", ".join(COST_COMPONENTS) + ")",
    "month": "a month of history (month start)",
    "forecast_month": "a forecast month (month start)",
    "stat": "a forecast statistic (" + ", ".join(FORECAST_STATS) + ")",
    "segment": "a demand segment (corridors.csv `segment`, config order)",
    "scope": "corridors by scope: all, domestic (one country), international (two)",
    "park": "an industrial park (node_id of an industrial_park node that ends a corridor)",
    "county": "a rural county of the rural tier (county_node)",
    "route": "a rural route: a township's trunk (county hub -> township station) or its "
             "village route (township station -> one village, standing for N identical ones)",
    "rural_mode": "a rural vehicle type (rural.modes: van, cold-chain van, rural bus ...)",
    "period": "a period of a staged plan (its year; `netdesign plan`)",
}

#: Data variables and scenario coordinates.
VARIABLES: tuple[Variable, ...] = (
    Variable("year", S, "1", "design year", "–"),
    Variable("growth", S, "", "growth case (name in growth_cases)"),
    Variable("costs", S, "", "cost case (name in cost_cases)"),
    Variable("policy", S, "", "policy (name in policies)"),
    Variable("demand_quantile", S, "", "forecast the design is for (mean, hi_80, hi_95)"),
    Variable("carbon_price", S, "CNY/t CO2", "carbon price"),
    Variable("demand", (*S, "corridor"), "parcels/day", "corridor demand in the design year"),
    Variable("flow", (*S, "corridor", "mode"), "parcels/day",
             "corridor flow by main line-haul mode"),
    Variable("unserved", (*S, "corridor"), "parcels/day", "unserved corridor demand"),
    Variable("late", (*S, "corridor"), "parcels/day",
             "parcels delivered later than the service standard"),
    Variable("parcel_km", (*S, "mode"), "parcel-km/day", "line-haul parcel-km"),
    Variable("mode_share", (*S, "mode"), "1", "share of line-haul parcel-km (sums to 1)"),
    Variable("mode_parcels", (*S, "mode"), "parcels/day", "parcels by main line-haul mode"),
    Variable("hub_capacity", (*S, "hub"), "parcels/day", "hub sorting capacity after expansion"),
    Variable("hub_capacity_existing", ("hub",), "parcels/day", "existing hub sorting capacity"),
    Variable("hub_capacity_added", (*S, "hub"), "parcels/day", "hub sorting capacity added"),
    Variable("hub_throughput", (*S, "hub"), "parcels/day", "parcels sorted at the hub"),
    Variable("hub_utilisation", (*S, "hub"), "1", "hub throughput / capacity"),
    Variable("hub_utilisation_peak", (*S, "hub"), "1",
             "design-day hub use: peak_factor x throughput / capacity (at most "
             "max_utilisation)", required=False),
    Variable("peak_factor", S, "1", "design day / average day: capacity rows hold on the "
             "design day, routing on the average day", required=False),
    Variable("max_utilisation", S, "1", "largest planned use of capacity on the design day",
             required=False),
    Variable("hub_open", (*S, "hub"), "1", "hub open (1) or closed (0)", required=False),
    Variable("period_hub_capacity", ("period", "hub"), "parcels/day",
             "hub sorting capacity standing in the period (staged plan; sized for the design "
             "day: attributes peak_factor, max_utilisation)", required=False),
    Variable("period_hub_throughput", ("period", "hub"), "parcels/day",
             "parcels sorted at the hub on the period's average day (staged plan)",
             required=False),
    Variable("period_link_capacity", ("period", "link"), "parcels/day",
             "link capacity standing in the period (staged plan)", required=False),
    Variable("myopic_hub_capacity", ("period", "hub"), "parcels/day",
             "hub capacity standing in the period when each period is planned alone, keeping "
             "what the earlier built (staged plan, myopic)", required=False),
    Variable("link_flow", (*S, "link"), "parcels/day", "parcels on the link"),
    Variable("link_capacity", (*S, "link"), "parcels/day", "link capacity after expansion"),
    Variable("link_modules_added", (*S, "link"), "modules",
             "modules (departures/day) added on the link"),
    Variable("link_departures_per_week", (*S, "link"), "departures/week",
             "link departures per week"),
    Variable("cost", (*S, "cost_component"), "CNY/day",
             "cost by component (" + ", ".join(COST_COMPONENTS) + ")"),
    Variable("total_cost", S, "CNY/day", "total cost (objective)"),
    Variable("economic_cost", S, "CNY/day", "transport + handling + capacity + carbon",
             required=False),
    Variable("penalty_cost", S, "CNY/day", "late + unserved penalties (total = economic + "
             "penalty)", required=False),
    Variable("mode_parcels_by_scope", (*S, "scope", "mode"), "parcels/day",
             "parcels by main line-haul mode and scope", required=False),
    Variable("parcel_km_by_scope", (*S, "scope", "mode"), "parcel-km/day",
             "line-haul parcel-km by mode and scope", required=False),
    Variable("tonne_km_by_scope", (*S, "scope", "mode"), "t-km/day",
             "line-haul tonne-km by mode and scope (parcel-km x segment weight)",
             required=False),
    Variable("mode_share_parcels", (*S, "scope", "mode"), "1",
             "share of parcels by main line-haul mode within the scope", required=False),
    Variable("mode_share_parcel_km", (*S, "scope", "mode"), "1",
             "share of line-haul parcel-km within the scope", required=False),
    Variable("mode_share_tonne_km", (*S, "scope", "mode"), "1",
             "share of line-haul tonne-km within the scope", required=False),
    Variable("segment_demand", (*S, "segment"), "parcels/day", "demand by segment",
             required=False),
    Variable("segment_flow", (*S, "segment", "mode"), "parcels/day",
             "parcels by segment and main line-haul mode", required=False),
    Variable("segment_late", (*S, "segment"), "parcels/day", "late parcels by segment",
             required=False),
    Variable("segment_unserved", (*S, "segment"), "parcels/day",
             "unserved parcels by segment", required=False),
    Variable("on_time_share_by_segment", (*S, "segment"), "1", "on-time share by segment",
             required=False),
    *(Variable(f"on_time_floor_{c}", S, "1", f"on-time floor of the {c} class the scenario "
               "had to meet (NaN: none)", required=False)
      for c in ("domestic", "neighbouring", "global")),
    # into factories (issue 15; results/parks.py): a corridor belongs to the park at its
    # origin, else at its destination
    Variable("park_demand", (*S, "park", "segment"), "parcels/day",
             "demand of the park's corridors by segment", required=False),
    Variable("park_flow", (*S, "park", "mode"), "parcels/day",
             "park's parcels served by main line-haul mode", required=False),
    Variable("park_tonnes", (*S, "park"), "t/day", "park's demand in tonnes (x segment "
             "weight)", required=False),
    Variable("park_tonne_km", (*S, "park"), "t-km/day", "line-haul tonne-km of the park's "
             "served flow", required=False),
    Variable("park_on_time_share", (*S, "park"), "1", "share of the park's demand on time",
             required=False),
    Variable("park_cost", (*S, "park"), "CNY/day", "transport + handling + carbon of the "
             "park's flow (capacity not split by park)", required=False),
    Variable("park_dc_capacity", (*S, "park"), "parcels/day", "capacity of the park's "
             "warehouse-and-distribute centres (0: none open; NaN: no candidate)",
             required=False),
    Variable("park_dc_throughput", (*S, "park"), "parcels/day", "reference parcels handled "
             "at the park's warehouse-and-distribute centres", required=False),
    # the rural tier (issue 15, "into villages"; only with a `rural:` section)
    Variable("rural_departures_per_week", (*S, "route", "rural_mode"), "departures/week",
             "departures per week of a rural mode on ONE route of the row", required=False),
    Variable("village_coverage", (*S, "county"), "1", "share of the county's villages "
             "served at least rural.min_weekly_frequency times a week (village and trunk "
             "route)", required=False),
    Variable("rural_cost", (*S, "county"), "CNY/day", "cost of the county's rural routes "
             "(part of the transport cost)", required=False),
    Variable("rural_cost_per_village", (*S, "county"), "CNY/year",
             "rural cost per administrative village", required=False),
    Variable("rural_cost_per_parcel", (*S, "county"), "CNY/parcel",
             "rural cost per parcel to or from the villages", required=False),
    Variable("rural_parcels", (*S, "county"), "parcels/day",
             "parcels to and from the county's villages", required=False),
    Variable("rural_on_time_share", (*S, "county"), "1", "on-time share of parcels to the "
             "villages (corridor on time x the village leg leaving within a day)",
             required=False),
    Variable("urban_on_time_share", S, "1", "on-time share of parcels to the city's urban "
             "districts", required=False),
    Variable("co2", S, "t CO2/day", "CO2 emissions"),
    Variable("on_time_share", S, "1", "share of demand delivered within its service standard"),
    Variable("on_time_share_by_class", (*S, "service_class"), "1",
             "on-time share by service class"),
    Variable("unserved_total", S, "parcels/day", "total unserved demand", required=False),
    Variable("status", S, "", "solve status (" + ", ".join(SOLVE_STATUSES) + ")"),
    Variable("message", S, "", "solver or failure message", required=False),
    Variable("mip_gap", S, "1", "relative MIP gap"),
    Variable("objective", S, "CNY/day", "incumbent objective"),
    Variable("best_bound", S, "CNY/day", "best dual bound"),
    Variable("solve_seconds", S, "s", "build + hand-off + solve wall time"),
    Variable("history", ("corridor", "month"), "parcels/month", "observed corridor volume"),
    Variable("forecast", ("corridor", "forecast_month", "stat"), "parcels/month",
             "corridor volume forecast (" + ", ".join(FORECAST_STATS) + ")"),
)

#: Coordinates of the static dimensions (node, link, hub, corridor).
COORDINATES: tuple[Variable, ...] = (
    Variable("corridor_origin", ("corridor",), "", "origin node id"),
    Variable("corridor_destination", ("corridor",), "", "destination node id"),
    Variable("corridor_service_class", ("corridor",), "", "service class"),
    Variable("corridor_segment", ("corridor",), "", "demand segment", required=False),
    Variable("corridor_international", ("corridor",), "1",
             "origin and destination in different countries (1) or not (0)", required=False),
    Variable("node_lat", ("node",), "degrees_north", "latitude"),
    Variable("node_lon", ("node",), "degrees_east", "longitude"),
    Variable("node_name_en", ("node",), "", "English name"),
    Variable("node_name_zh", ("node",), "", "Chinese name"),
    Variable("node_kind", ("node",), "", "node kind"),
    Variable("node_rural", ("node",), "1", "rural county (1) or not (0)"),
    Variable("link_from", ("link",), "", "tail node id"),
    Variable("link_to", ("link",), "", "head node id"),
    Variable("link_mode", ("link",), "", "mode"),
    Variable("link_role", ("link",), "", "collection, linehaul or distribution"),
    Variable("link_distance_km", ("link",), "km", "distance"),
    Variable("link_min_weekly_frequency", ("link",), "departures/week",
             "minimum departures per week (NaN = none)"),
    Variable("route_county", ("route",), "", "county_node of the rural route",
             required=False),
    Variable("route_township", ("route",), "", "township_id of the rural route",
             required=False),
    Variable("route_tier", ("route",), "", "trunk or village", required=False),
    Variable("route_villages", ("route",), "1", "villages the route row stands for (0 for "
             "a trunk)", required=False),
    Variable("route_min_weekly_frequency", ("route",), "departures/week",
             "departures per week required on the route", required=False),
    Variable("county_name_en", ("county",), "", "English name", required=False),
    Variable("county_name_zh", ("county",), "", "Chinese name", required=False),
    Variable("county_villages", ("county",), "1", "administrative villages",
             required=False),
    Variable("hub_name_en", ("hub",), "", "English name"),
    Variable("hub_name_zh", ("hub",), "", "Chinese name"),
)

#: Dataset attributes and what each holds.
ATTRIBUTES: dict[str, str] = {
    "study": "the study's name",
    "config_yaml": "the validated config as canonical YAML",
    "config_hash": "short sha256 of config_yaml",
    "data_source": "the data folder or package:NAME",
    "data_version": "short content hash of the input tables",
    "package_versions": "JSON: Python and package versions",
    "solver_reports": "JSON: one solve report per scenario",
    "created_utc": "time of writing, ISO 8601 UTC",
    "netdesign_version": "netdesign's version",
    "peak_factor": "planning.peak_factor as configured (a number, or 'forecast': then each "
                   "scenario's factor is the variable peak_factor)",
    "max_utilisation": "planning.max_utilisation as configured",
    "calibration": "JSON records: the base-year check (calibration.csv: figure, model, "
                   "observed, unit, source), when the study ships observed figures",
    "plan": "JSON (staged plan, `netdesign plan`): periods, discount rate, asset life, net "
            "present cost (operating, capital, total; CNY) of the perfect-foresight and the "
            "myopic plan, the build schedule and the plan's solve report",
}

#: Attributes only some results carry (the reader and the tests do not require them).
OPTIONAL_ATTRIBUTES = frozenset({"calibration", "plan"})

#: What `netdesign evaluate` and `netdesign stress` write (issue 17, docs/robust.md). Their
#: results.nc hold the variables above with `draw` in place of `scenario` (evaluate), or these
#: per `disruption` (stress).
R, DI = ("disruption",), ("disruption", "day")
ROBUST_DIMENSIONS: dict[str, str] = {
    "draw": "one joint demand draw of the design year (evaluate)",
    "metric": "a figure of the draws' distribution (total_cost, unserved, late, "
              "max_hub_utilisation, on_time_share)",
    "statistic": "mean, p50, p95, worst",
    "disruption": "a named outage of the config's `disruptions:` (stress)",
    "day": "day of the outage window (outage days, then recovery days)",
}
ROBUST_VARIABLES: tuple[Variable, ...] = (
    Variable("draw_summary", ("metric", "statistic"), "", "distribution of the draws' figures "
             "(units of the metric: CNY/day, parcels/day, 1)"),
    Variable("stress_days", R, "d", "outage days"),
    Variable("stress_recovery_days", R, "d", "normal days after the outage in the window"),
    Variable("stress_capacity_share", R, "1", "capacity left during the outage (0 = closed)"),
    Variable("stress_status", R, "", "solve status of the outage window"),
    Variable("stress_description", R, "", "the disruption in words"),
    Variable("stress_cost", R, "CNY", "cost of the outage window"),
    Variable("stress_baseline_cost", R, "CNY", "cost of the same window without the outage"),
    Variable("stress_extra_cost", R, "CNY", "extra cost of the outage over the window"),
    Variable("stress_unserved", R, "parcels", "parcels still waiting at the window's end "
             "(beyond the baseline)"),
    Variable("stress_backlog", R, "parcel-days", "parcels carried to a later day, summed over "
             "days (each one a day late)"),
    Variable("stress_late", R, "parcels", "extra parcels routed later than their standard"),
    Variable("stress_peak_backlog", R, "parcels", "largest backlog on one day"),
    Variable("stress_day_extra_cost", DI, "CNY", "extra cost by day"),
    Variable("stress_day_backlog", DI, "parcels", "extra backlog by day"),
    Variable("stress_corridor_backlog", ("disruption", "corridor"), "parcel-days",
             "backlog by corridor"),
    Variable("stress_hub_throughput_change", ("disruption", "hub"), "parcels/day",
             "mean change of hub throughput on the outage days"),
)

BY_NAME: dict[str, Variable] = {v.name: v for v in (*VARIABLES, *COORDINATES,
                                                    *ROBUST_VARIABLES)}


def annotate(ds: xr.Dataset) -> xr.Dataset:
    """Set `units` and `long_name` on every schema variable present in `ds` (in place)."""
    for name, var in BY_NAME.items():
        if name in ds.variables:
            ds[name].attrs.update(units=var.units, long_name=var.long_name)
    return ds


def schema_problems(ds: xr.Dataset, source: str) -> list[Problem]:
    """Every way `ds` departs from the schema: a required variable missing, wrong dims, a
    forecast without every statistic, no scenario."""
    problems: list[Problem] = []
    for var in (*VARIABLES, *COORDINATES):
        if var.name not in ds.variables:
            if var.required:
                problems.append(Problem(source, "variables", var.name, None,
                                        f"a variable '{var.name}' with dims {var.dims}"))
        elif tuple(ds[var.name].dims) != var.dims:
            problems.append(Problem(source, f"variable '{var.name}'", "dims",
                                    tuple(ds[var.name].dims), f"dims {var.dims}"))
    if "forecast" in ds.variables and "stat" in ds.coords:
        missing = [s for s in FORECAST_STATS if s not in ds["stat"].values.astype(str)]
        if missing:
            problems.append(Problem(source, "coordinate 'stat'", "stat", missing,
                                    f"the statistics {FORECAST_STATS}"))
    if "scenario" in ds.dims and ds.sizes["scenario"] == 0:
        problems.append(Problem(source, "dimension 'scenario'", "scenario", 0,
                                "at least one scenario"))
    return problems


def markdown_table() -> str:
    """The variables table of docs/architecture.md ("Results dataset")."""
    lines = ["| variable | dims | unit | meaning |", "|---|---|---|---|"]
    for var in VARIABLES:
        unit = var.doc_units or var.units or "–"
        note = "" if var.required else " (optional: older files lack it)"
        lines.append(f"| `{var.name}` | {', '.join(var.dims)} | {unit} | {var.long_name}{note} |")
    return "\n".join(lines)
