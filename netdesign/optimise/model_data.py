"""Plain arrays the model is built from: Network + Scenario -> `ModelData` (no Pyomo here).

Units after conversion: costs CNY/parcel or CNY/day (annualised CNY/yr / days_per_year),
times h, distances km, CO2 t per parcel (parcels x weight_kg/1000 t x km x kg/tkm / 1000).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netdesign.data.network import Network
from netdesign.data.schema import MODES, SERVICE_CLASSES
from netdesign.errors import InputError, Problem
from netdesign.optimise.rural import RuralData, rural_data
from netdesign.scenario.scenario import DEFAULT_SEGMENT, Scenario, Segment, corridor_segments

LINK_ROLE_CODES = {"collection": 0, "linehaul": 1, "distribution": 2}


@dataclass
class ModelData:
    """Integer-indexed arrays of nodes, links, hubs and corridors for one scenario."""

    modes: tuple[str, ...]
    node_ids: list[str]
    node_hub: np.ndarray          # node -> hub index, -1 if not a hub
    node_country: np.ndarray
    link_ids: list[str]
    link_from: np.ndarray
    link_to: np.ndarray
    link_mode: np.ndarray         # mode index
    link_role: np.ndarray         # 0 collection, 1 linehaul, 2 distribution
    link_km: np.ndarray
    link_cost: np.ndarray         # CNY/parcel after the mode multiplier
    link_transit_h: np.ndarray
    link_co2_t: np.ndarray        # t CO2 per parcel on the leg
    link_cap: np.ndarray          # parcels/day existing (inf = uncapacitated)
    link_module: np.ndarray       # parcels/day per module (0 = not expandable)
    link_module_cost: np.ndarray  # CNY/day per module
    link_min_weekly: np.ndarray   # departures/week required when used (0 = none)
    link_usable: np.ndarray
    hub_ids: list[str]
    hub_node: np.ndarray
    hub_cap: np.ndarray           # parcels/day existing (inf = uncapacitated)
    hub_module: np.ndarray
    hub_module_cost: np.ndarray   # CNY/day per module
    hub_max_modules: np.ndarray   # inf = unbounded
    hub_cap_cap: np.ndarray       # max capacity after expansion (inf = none)
    hub_handling_cost: np.ndarray  # CNY/parcel after the handling multiplier
    hub_handling_h: np.ndarray
    hub_customs_h: np.ndarray
    hub_fixed_cost: np.ndarray    # CNY/day when open (optional hubs)
    hub_optional: np.ndarray
    hub_transfer: list[frozenset[int]]
    corr_ids: list[str]
    corr_origin: np.ndarray
    corr_dest: np.ndarray
    corr_class: list[str]
    corr_standard_h: np.ndarray
    corr_international: np.ndarray
    demand: np.ndarray            # parcels/day
    collection_h: float
    carbon_price: float           # CNY/t
    co2_cap: float | None         # t/day
    late_penalty: float           # CNY/parcel
    unserved_penalty: float       # CNY/parcel
    allow_unserved: bool
    service_policy: str
    allocation: str
    max_legs: int
    hub_capacity_basis: str
    mode_share_bounds: dict[int, tuple[float | None, float | None]]
    days_per_year: float
    expansion: bool = True        # False: no modules added, no optional hub opened
    # --- service grading, segments, weekly departures (issue 13); defaults = the old model
    corr_segment: list[str] = field(default_factory=list)
    corr_weight_kg: np.ndarray = field(default_factory=lambda: np.zeros(0))  # kg/parcel
    corr_pe: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """reference-parcel equivalents of one parcel: weight_kg / ref_weight_kg (link and hub
    costs, CO2 and capacity use scale with it)."""
    corr_late_fixed: np.ndarray = field(default_factory=lambda: np.zeros(0))   # CNY/parcel
    corr_late_hourly: np.ndarray = field(default_factory=lambda: np.zeros(0))  # CNY/(parcel h)
    corr_modes_ok: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))
    """(corridors, modes): modes the corridor's segment may use on line-haul legs."""
    ref_weight_kg: float = 1.2    # kg of the reference parcel the link/hub data are given for
    link_departures_per_module: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """departures/week one module stands for (7 = daily)."""
    on_time_floor: dict[str, float] = field(default_factory=dict)  # class -> min share
    col_out: list[list[int]] = field(default_factory=list)
    lh_out: list[list[int]] = field(default_factory=list)
    dist_in: list[list[int]] = field(default_factory=list)
    peak_factor: float = 1.0      # design day / average day (capacity rows)
    max_utilisation: float = 1.0  # largest planned use of capacity on the design day
    rural: RuralData | None = None  # the rural tier (`rural.py`), None without one

    @property
    def n_modes(self) -> int:
        return len(self.modes)

    @property
    def n_corridors(self) -> int:
        return len(self.corr_ids)

    @property
    def n_links(self) -> int:
        return len(self.link_ids)

    @property
    def n_hubs(self) -> int:
        return len(self.hub_ids)

    @property
    def design_scale(self) -> float:
        """σ = peak_factor / max_utilisation: capacity rows read σ × (average-day flow) ≤
        capacity (docs/model.md, "Peak-season sizing"); exactly 1.0 with the defaults."""
        return self.peak_factor / self.max_utilisation

    @property
    def link_is_lh(self) -> np.ndarray:
        return self.link_role == 1

    def can_transfer(self, node: int, mode_a: int, mode_b: int) -> bool:
        """Whether the hub at `node` may transfer parcels from mode_a to mode_b."""
        h = self.node_hub[node]
        if h < 0:
            return False
        modes = self.hub_transfer[h]
        return mode_a in modes and mode_b in modes


def _col(df: pd.DataFrame, name: str, default: float) -> np.ndarray:
    if name not in df.columns:
        return np.full(len(df), default, dtype=float)
    return pd.to_numeric(df[name], errors="coerce").fillna(default).to_numpy(dtype=float)


def build_model_data(network: Network, scenario: Scenario) -> ModelData:
    """Convert the plain contracts to arrays; raise `InputError` on inconsistent references."""
    problems: list[Problem] = []
    nodes, links, hubs, corr = network.nodes, network.links, network.hubs, network.corridors
    node_ids = [str(i) for i in nodes.index]
    nidx = {n: i for i, n in enumerate(node_ids)}
    mode_idx = {m: i for i, m in enumerate(MODES)}

    def node_lookup(table: str, ids: pd.Index, values: pd.Series, fld: str) -> np.ndarray:
        out = np.empty(len(values), dtype=np.int64)
        for k, (key, v) in enumerate(zip(ids, values, strict=False)):
            j = nidx.get(str(v), -1)
            if j < 0:
                problems.append(Problem(table, f"id {key}", fld, v, "a node_id of the nodes table"))
            out[k] = j
        return out

    link_from = node_lookup("links", links.index, links["from_node"], "from_node")
    link_to = node_lookup("links", links.index, links["to_node"], "to_node")
    hub_node = node_lookup("hubs", hubs.index, pd.Series(hubs.index, index=hubs.index), "hub_id")
    corr_origin = node_lookup("corridors", corr.index, corr["origin"], "origin")
    corr_dest = node_lookup("corridors", corr.index, corr["destination"], "destination")

    demand_s = scenario.demand
    unknown = [k for k in demand_s.index if k not in corr.index]
    for k in unknown:
        problems.append(Problem("scenario.demand", f"corridor {k}", "demand", demand_s[k],
                                "a corridor_id of the corridors table"))
    demand = pd.to_numeric(demand_s.reindex(corr.index), errors="coerce").fillna(0.0)
    for k, v in demand.items():
        if not math.isfinite(v) or v < 0:
            problems.append(Problem("scenario.demand", f"corridor {k}", "demand", v,
                                    "a finite number of parcels/day >= 0"))
    for k, v in scenario.mode_share_bounds.items():
        if k not in mode_idx:
            problems.append(Problem("scenario", "mode_share_bounds", k, v, f"one of {MODES}"))
    peak, util = scenario.peak_factor, scenario.max_utilisation
    if not (math.isfinite(peak) and peak >= 1):
        problems.append(Problem("scenario", "planning", "peak_factor", peak,
                                "a finite number >= 1"))
    if not (math.isfinite(util) and 0 < util <= 1):
        problems.append(Problem("scenario", "planning", "max_utilisation", util,
                                "a finite number with 0 < u <= 1"))
    if scenario.allocation not in ("single", "multiple"):
        problems.append(Problem("scenario", "allocation", "allocation", scenario.allocation,
                                "'single' or 'multiple'"))
    if scenario.service_policy not in ("forbid", "penalty"):
        problems.append(Problem("scenario", "service_policy", "service_policy",
                                scenario.service_policy, "'forbid' or 'penalty'"))
    if scenario.hub_capacity_basis not in ("throughput", "collected"):
        problems.append(Problem("scenario", "hub_capacity_basis", "hub_capacity_basis",
                                scenario.hub_capacity_basis, "'throughput' or 'collected'"))
    seg_of = corridor_segments(corr)
    segments = dict(scenario.segments) or {DEFAULT_SEGMENT: Segment()}
    for row, (cid, name) in enumerate(seg_of.items(), start=1):
        if name not in segments:
            problems.append(Problem("corridors", f"row {row} (corridor {cid})", "segment", name,
                                    f"a defined segment ({', '.join(sorted(segments))})"))
    for cls, share in scenario.on_time_floor.items():
        if cls not in SERVICE_CLASSES or not 0.0 <= float(share) <= 1.0:
            problems.append(Problem("scenario", "on_time_floor", cls, share,
                                    f"a service class of {SERVICE_CLASSES} and a share in "
                                    "[0, 1]"))
    dpm = _col(links, "module_departures_per_week", 7.0)
    for lid, v in zip(links.index, dpm, strict=True):
        if not v > 0:
            problems.append(Problem("links", f"link {lid}", "module_departures_per_week", v,
                                    "departures per week per module > 0 (empty = 7)"))
    if problems:
        raise InputError(problems, "network and scenario do not fit together")

    days = float(scenario.days_per_year)
    cap_mult = scenario.multiplier("capacity")
    node_hub = np.full(len(node_ids), -1, dtype=np.int64)
    node_hub[hub_node] = np.arange(len(hub_node))
    rural = nodes["rural"].fillna(False).astype(bool).to_numpy() if "rural" in nodes \
        else np.zeros(len(nodes), bool)

    lmode = np.array([mode_idx[m] for m in links["mode"]], dtype=np.int64)
    mult = np.array([scenario.multiplier(m) for m in MODES])
    km = _col(links, "distance_km", 0.0)
    lcap = _col(links, "capacity_parcels_per_day", 0.0)
    lmod = _col(links, "module_parcels_per_day", 0.0)
    minw = _col(links, "min_weekly_frequency", np.nan)
    to_rural = rural[link_to] | rural[link_from]
    minw = np.where(np.isnan(minw), np.where(to_rural, scenario.rural_min_weekly_frequency, 0.0),
                    minw)

    hub_opt = hubs["optional"].fillna(False).astype(bool).to_numpy() if "optional" in hubs \
        else np.zeros(len(hubs), bool)
    cap_cap = np.array([float(scenario.hub_capacity_cap.get(h, np.inf)) for h in hubs.index])
    transfer = [frozenset(mode_idx[m] for m in _modes_of(v) if m in mode_idx)
                for v in hubs["transfer_modes"]]
    corr_country = nodes["country"].astype(str).to_numpy() if "country" in nodes \
        else np.array([""] * len(nodes))
    seg_arrays = _segment_arrays(scenario, segments, seg_of,
                                 [str(c) for c in corr["service_class"]], mode_idx)

    data = ModelData(
        modes=tuple(MODES), node_ids=node_ids, node_hub=node_hub, node_country=corr_country,
        link_ids=[str(i) for i in links.index], link_from=link_from, link_to=link_to,
        link_mode=lmode, link_role=np.array([LINK_ROLE_CODES[r] for r in links["role"]],
                                            dtype=np.int64),
        link_km=km, link_cost=_col(links, "cost_cny_per_parcel", 0.0) * mult[lmode],
        link_transit_h=_col(links, "transit_h", 0.0),
        link_co2_t=scenario.parcel_weight_kg / 1000.0 * km * _col(links, "co2_kg_per_tkm", 0.0)
        / 1000.0,
        link_cap=lcap, link_module=lmod,
        link_module_cost=_col(links, "module_cost_cny_per_year", 0.0) * cap_mult / days,
        link_min_weekly=minw, link_usable=(lcap > 0) | (lmod > 0),
        hub_ids=[str(i) for i in hubs.index], hub_node=hub_node,
        hub_cap=_col(hubs, "capacity_parcels_per_day", 0.0),
        hub_module=_col(hubs, "module_parcels_per_day", 0.0),
        hub_module_cost=_col(hubs, "module_cost_cny_per_year", 0.0) * cap_mult / days,
        hub_max_modules=_col(hubs, "max_modules", np.inf),
        hub_cap_cap=cap_cap,
        hub_handling_cost=_col(hubs, "handling_cost_cny_per_parcel", 0.0)
        * scenario.multiplier("handling"),
        hub_handling_h=_col(hubs, "handling_h", 0.0),
        hub_customs_h=_col(hubs, "customs_h", 0.0),
        hub_fixed_cost=_col(hubs, "fixed_cost_cny_per_year", 0.0) / days,
        hub_optional=hub_opt, hub_transfer=transfer,
        corr_ids=[str(i) for i in corr.index], corr_origin=corr_origin, corr_dest=corr_dest,
        corr_class=[str(s) for s in corr["service_class"]],
        corr_standard_h=seg_arrays["standard_h"],
        corr_international=corr_country[corr_origin] != corr_country[corr_dest],
        demand=demand.to_numpy(dtype=float),
        collection_h=float(scenario.collection_h),
        carbon_price=float(scenario.carbon_price_cny_per_t),
        co2_cap=None if scenario.co2_cap_t_per_day is None else float(scenario.co2_cap_t_per_day),
        late_penalty=float(scenario.late_penalty_cny_per_parcel),
        unserved_penalty=float(scenario.unserved_penalty_cny_per_parcel),
        allow_unserved=bool(scenario.allow_unserved), service_policy=scenario.service_policy,
        allocation=scenario.allocation, max_legs=int(scenario.max_linehaul_legs),
        hub_capacity_basis=scenario.hub_capacity_basis,
        mode_share_bounds={mode_idx[k]: v for k, v in scenario.mode_share_bounds.items()},
        days_per_year=days,
        peak_factor=float(peak), max_utilisation=float(util),
        expansion=bool(scenario.expansion),
        corr_segment=list(seg_of.to_numpy(str)), corr_weight_kg=seg_arrays["weight_kg"],
        corr_pe=seg_arrays["weight_kg"] / float(scenario.parcel_weight_kg),
        corr_late_fixed=seg_arrays["late_fixed"], corr_late_hourly=seg_arrays["late_hourly"],
        corr_modes_ok=seg_arrays["modes_ok"], ref_weight_kg=float(scenario.parcel_weight_kg),
        link_departures_per_module=dpm,
        on_time_floor={str(k): float(v) for k, v in scenario.on_time_floor.items()},
        rural=rural_data(scenario.rural),
    )
    n_nodes = len(node_ids)
    data.col_out = [[] for _ in range(n_nodes)]
    data.lh_out = [[] for _ in range(n_nodes)]
    data.dist_in = [[] for _ in range(n_nodes)]
    for lk in np.flatnonzero(data.link_usable):
        role = data.link_role[lk]
        if role == 0:
            if node_hub[link_to[lk]] >= 0:
                data.col_out[link_from[lk]].append(int(lk))
        elif role == 1:
            data.lh_out[link_from[lk]].append(int(lk))
        elif node_hub[link_from[lk]] >= 0:
            data.dist_in[link_to[lk]].append(int(lk))
    return data


def _modes_of(value: object) -> tuple[str, ...]:
    if isinstance(value, (tuple, list, set, frozenset)):
        return tuple(str(v) for v in value)
    return tuple(s.strip() for s in str(value).split("|") if s.strip())


def _segment_arrays(scenario: Scenario, segments: dict[str, Segment], seg_of: pd.Series,
                    classes: list[str], mode_idx: dict[str, int]) -> dict[str, np.ndarray]:
    """Per-corridor weight (kg), standard (h), late penalty parts and allowed modes.

    Standard: the segment's for the corridor's class, else the class's (inf when neither is
    given: never late). Penalty parts: the segment's, else the class's
    (`late_penalty_by_class`), else the scenario's two numbers.
    """
    n = len(seg_of)
    out = {"weight_kg": np.empty(n), "standard_h": np.empty(n), "late_fixed": np.empty(n),
           "late_hourly": np.empty(n), "modes_ok": np.ones((n, len(mode_idx)), bool)}
    default_pen = (float(scenario.late_penalty_cny_per_parcel),
                   float(scenario.late_penalty_cny_per_parcel_hour))
    for c, (name, cls) in enumerate(zip(seg_of.to_numpy(str), classes, strict=True)):
        seg = segments[name]
        fixed, hourly = scenario.late_penalty_by_class.get(cls, default_pen)
        out["weight_kg"][c] = seg.weight_kg if seg.weight_kg is not None \
            else scenario.parcel_weight_kg
        out["standard_h"][c] = seg.standards_h.get(
            cls, scenario.service_standards_h.get(cls, np.inf))
        out["late_fixed"][c] = fixed if seg.late_fixed_cny_per_parcel is None \
            else seg.late_fixed_cny_per_parcel
        out["late_hourly"][c] = hourly if seg.late_cny_per_parcel_hour is None \
            else seg.late_cny_per_parcel_hour
        if seg.modes is not None:
            out["modes_ok"][c] = [m in seg.modes for m in mode_idx]
    return out
