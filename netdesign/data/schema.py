"""Column specifications of the network data tables (the data contract).

Every table is a CSV (UTF-8, header row) or Parquet file. Units are in the column names.
The loader checks presence, type and range of each column against these specs; the
cross-table rules (ids, paths, modes at nodes, monthly history) live in `validate.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from netdesign.vocabulary import LINK_ROLES, MODES, NODE_KINDS, SERVICE_CLASSES

# Node kinds, modes, link roles and service classes are those of netdesign/vocabulary.py.

# Which modes a node of each kind can serve directly (load/unload). A link whose mode an end
# node cannot serve is a validation error. Hubs, airports, terminals and ports state their
# own modes in hubs.transfer_modes; the entries here are the defaults for non-hub nodes.
KIND_MODES: dict[str, tuple[str, ...]] = {
    "district": ("road",),
    "city": ("road", "rail", "water", "air"),
    "county": ("road",),
    "industrial_park": ("road", "rail"),
    "hub": ("road", "rail", "water", "air"),
    "airport": ("road", "air"),
    "rail_terminal": ("road", "rail"),
    "port": ("road", "rail", "water"),
    "overseas_gateway": ("road", "rail", "water", "air"),
    "overseas_warehouse": ("road", "rail", "water", "air"),
}


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "str" | "float" | "int" | "bool"
    required: bool = True
    min: float | None = None  # inclusive lower bound
    choices: tuple[str, ...] | None = None
    doc: str = ""
    max: float | None = None  # inclusive upper bound


NODES = (
    Column("node_id", "str", doc="Unique id, e.g. HGH, HZ_XIAOSHAN_PARK, CITY_BEIJING."),
    Column("name_en", "str", doc="English name."),
    Column("name_zh", "str", doc="Chinese name."),
    Column("kind", "str", choices=NODE_KINDS, doc="Node kind."),
    Column("lat", "float", min=-90, max=90, doc="Latitude, degrees."),
    Column("lon", "float", min=-180, max=180, doc="Longitude, degrees."),
    Column("country", "str", doc="ISO 3166-1 alpha-2 country code (CN, JP, ...)."),
    Column("region", "str", doc="Region used for the forecast hierarchy "
                                "(e.g. Hangzhou, Zhejiang, Domestic, Neighbouring, Global)."),
    Column("rural", "bool", required=False, doc="True for rural counties (min frequency)."),
)

LINKS = (
    Column("link_id", "str", doc="Unique id."),
    Column("from_node", "str", doc="Tail node id."),
    Column("to_node", "str", doc="Head node id (links are directed)."),
    Column("mode", "str", choices=MODES),
    Column("role", "str", choices=LINK_ROLES,
           doc="collection: origin node -> hub; linehaul: between hubs or hub <-> an "
               "external city; distribution: hub -> destination node."),
    Column("distance_km", "float", min=0, doc="Distance, km."),
    Column("cost_cny_per_parcel", "float", min=0, doc="Variable transport cost, CNY/parcel."),
    Column("transit_h", "float", min=0, doc="Transit time incl. dwell at terminals, h."),
    Column("co2_kg_per_tkm", "float", min=0, doc="Emission factor, kg CO2 per tonne-km."),
    Column("capacity_parcels_per_day", "float", min=0,
           doc="Existing capacity, parcels/day (0 = none built yet)."),
    Column("module_parcels_per_day", "float", min=0,
           doc="Capacity of one added module (a daily truck departure, train, flight or "
               "vessel), parcels/day; 0 = cannot be expanded."),
    Column("module_cost_cny_per_year", "float", min=0,
           doc="Annualised cost of one module, CNY/yr."),
    Column("min_weekly_frequency", "float", required=False, min=0,
           doc="Minimum departures per week (rural routes); empty = none."),
    Column("module_departures_per_week", "float", required=False, min=0,
           doc="Departures per week one module stands for (a freighter flying twice a week: "
               "2); empty = 7 (one daily departure). Departures/week = (capacity/module + "
               "modules added) x this."),
)

HUBS = (
    Column("hub_id", "str", doc="Node id of the hub (must be in nodes)."),
    Column("capacity_parcels_per_day", "float", min=0,
           doc="Existing sorting capacity, parcels/day."),
    Column("module_parcels_per_day", "float", min=0,
           doc="Sorting capacity of one expansion module."),
    Column("module_cost_cny_per_year", "float", min=0,
           doc="Annualised cost of one module, CNY/yr."),
    Column("handling_cost_cny_per_parcel", "float", min=0,
           doc="Sorting/handling cost, CNY/parcel."),
    Column("handling_h", "float", min=0, doc="Handling time per parcel passing the hub, h."),
    Column("transfer_modes", "str",
           doc="Modes the hub can load/unload and transfer between, '|'-separated (road|rail)."),
    Column("fixed_cost_cny_per_year", "float", required=False, min=0,
           doc="Annualised cost of opening the hub (only for optional hubs), CNY/yr."),
    Column("optional", "bool", required=False,
           doc="True: the model decides whether to open it; False/empty: it exists."),
    Column("customs_h", "float", required=False, min=0,
           doc="Customs clearance time for international parcels passing here, h."),
    Column("max_modules", "int", required=False, min=0,
           doc="Upper bound on expansion modules; empty = unbounded."),
)

CORRIDORS = (
    Column("corridor_id", "str", doc="Unique id, e.g. HZ_SHANGCHENG>CITY_BEIJING."),
    Column("origin", "str", doc="Origin node id."),
    Column("destination", "str", doc="Destination node id."),
    Column("service_class", "str", choices=SERVICE_CLASSES,
           doc="domestic (24 h), neighbouring (48 h) or global (72 h)."),
    Column("segment", "str", required=False,
           doc="Demand segment (defined in the study config's `segments:`); empty = parcel."),
)

HISTORY = (
    Column("corridor_id", "str", doc="Corridor id (must be in corridors)."),
    Column("month", "str", doc="Calendar month, YYYY-MM."),
    Column("parcels", "float", min=0, doc="Parcels carried in that month (monthly total)."),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "nodes": NODES,
    "links": LINKS,
    "hubs": HUBS,
    "corridors": CORRIDORS,
    "history": HISTORY,
}
