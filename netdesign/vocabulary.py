"""The closed sets of names netdesign uses across stages, defined once.

Each set is a `Literal` type (for pydantic fields and type hints) and the tuple of its values
in their canonical order (for loops, dataset coordinates and error messages). The config's
literal types, the data schema's choices, the results' coordinates and the report's label keys
all refer to these; `tests/test_vocabulary.py` checks that no copy has drifted.
"""

from __future__ import annotations

from typing import Literal, get_args

#: Transport modes, in the order of dataset coordinates and tables.
Mode = Literal["road", "rail", "water", "air"]
MODES: tuple[str, ...] = get_args(Mode)

#: Service classes of the "1-2-3 day circle": domestic 24 h, neighbouring countries 48 h,
#: global 72 h (default standards in `config.schema.ServiceConfig`).
ServiceClass = Literal["domestic", "neighbouring", "global"]
SERVICE_CLASSES: tuple[str, ...] = get_args(ServiceClass)

#: Kinds of node in nodes.csv: district (urban district of the study city, collection and
#: delivery area), city (domestic or overseas origin/destination), county (rural, "into
#: villages"), industrial_park ("into factories"), hub (sorting hub / logistics park),
#: airport (air cargo hub), rail_terminal (rail freight / HSR express), port (seaport),
#: overseas_gateway (border crossing / overseas eHub), overseas_warehouse (warehouse abroad,
#: 海外仓, restocked in bulk by sea or rail).
NodeKind = Literal["district", "city", "county", "industrial_park", "hub", "airport",
                   "rail_terminal", "port", "overseas_gateway", "overseas_warehouse"]
NODE_KINDS: tuple[str, ...] = get_args(NodeKind)
#: Node kinds that are hubs of some sort (sorting, air, rail, sea, border).
HUB_KINDS: tuple[str, ...] = ("hub", "airport", "rail_terminal", "port", "overseas_gateway")

#: The demand segment of a corridor whose corridors.csv `segment` is empty or absent.
DEFAULT_SEGMENT = "parcel"

#: Direction of a manufacturing ("into factories") segment's flow at its industrial park:
#: inbound parts to the plants, outbound orders from them, reverse logistics back to them.
ParkFlow = Literal["inbound", "outbound", "reverse"]
PARK_FLOWS: tuple[str, ...] = get_args(ParkFlow)

#: Roles of a link in a path: collection (origin -> hub), linehaul, distribution (hub -> dest).
LinkRole = Literal["collection", "linehaul", "distribution"]
LINK_ROLES: tuple[str, ...] = get_args(LinkRole)

#: Forecast methods a study may choose (`auto` = the engine's combination of candidates).
ForecastMethod = Literal["auto", "ets", "theta", "arima", "seasonal_naive"]
FORECAST_METHODS: tuple[str, ...] = get_args(ForecastMethod)

#: Columns of a corridor forecast (parcels/period): the mean and the 80 % and 95 % intervals.
ForecastStat = Literal["mean", "lo_80", "hi_80", "lo_95", "hi_95"]
FORECAST_STATS: tuple[str, ...] = get_args(ForecastStat)

#: The forecast a network is designed for.
DemandQuantile = Literal["mean", "hi_80", "hi_95"]
DEMAND_QUANTILES: tuple[str, ...] = get_args(DemandQuantile)

#: Outcome of a solve (see `optimise.report.SolveReport.status`).
SolveStatus = Literal["optimal", "feasible", "infeasible", "unbounded", "no_solution", "error"]
SOLVE_STATUSES: tuple[str, ...] = get_args(SolveStatus)
#: Statuses with a design to report (an incumbent exists).
SOLVED_STATUSES: tuple[str, ...] = ("optimal", "feasible")

#: Components of the objective, CNY/day (their sum is `total_cost`).
CostComponent = Literal["transport", "handling", "capacity", "carbon", "late_penalty",
                        "unserved_penalty"]
COST_COMPONENTS: tuple[str, ...] = get_args(CostComponent)

#: What happens to a path slower than its service standard.
ServicePolicy = Literal["forbid", "penalty"]
SERVICE_POLICIES: tuple[str, ...] = get_args(ServicePolicy)

#: How origins and destinations attach to hubs.
Allocation = Literal["multiple", "single"]
ALLOCATIONS: tuple[str, ...] = get_args(Allocation)
