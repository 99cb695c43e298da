"""`Scenario`: everything one network-design solve needs besides the network (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from netdesign.config.schema import NetworkConfig, ServiceConfig
from netdesign.vocabulary import DEFAULT_SEGMENT

_SERVICE = ServiceConfig()
_NETWORK = NetworkConfig()

__all__ = ["DEFAULT_SEGMENT", "Scenario", "Segment", "corridor_segments"]


@dataclass(frozen=True)
class Segment:
    """A demand segment's parcels (corridors.csv column ``segment``).

    weight_kg: average parcel weight, kg (None = the scenario's `parcel_weight_kg`).
    standards_h: service class -> standard for this segment, h (overrides the class's).
    late_fixed_cny_per_parcel, late_cny_per_parcel_hour: penalty parts (None = the class's).
    modes: modes allowed on line-haul legs (None = all).
    """

    weight_kg: float | None = None
    standards_h: dict[str, float] = field(default_factory=dict)
    late_fixed_cny_per_parcel: float | None = None
    late_cny_per_parcel_hour: float | None = None
    modes: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Scenario:
    """One future: a design year, its demand and its costs and policies.

    name:      stable, readable id (e.g. ``2035-growth_high-costs_base-co2_200-policy_rail``).
    year:      design year.
    params:    the cases that define it (year, growth, costs, carbon price, policy, quantile),
               recorded in the results.
    demand:    parcels/day in the design year, indexed by corridor_id.
    cost_multipliers: per mode ("road", "rail", "water", "air") on link variable costs, plus
               "handling" (hub handling cost) and "capacity" (annualised module costs).
    carbon_price_cny_per_t: CNY per tonne of CO2, charged in the objective.
    co2_cap_t_per_day: cap on total CO2 in t/day, or None.
    mode_share_bounds: mode -> (min share or None, max share or None) of line-haul parcel-km.
    hub_capacity_cap: hub_id -> maximum sorting capacity after expansion, parcels/day.
    service_standards_h: service class -> door-to-door standard, h.
    service_policy: "forbid" (late paths not allowed) or "penalty".
    late_penalty_cny_per_parcel: fixed part of the penalty per late parcel, CNY/parcel (every
               class unless `late_penalty_by_class` names it).
    late_penalty_cny_per_parcel_hour: part per hour beyond the standard, CNY/(parcel h).
    late_penalty_by_class: service class -> (fixed CNY/parcel, CNY/(parcel h)), overriding the
               two numbers above for that class.
    segments:  segment name -> `Segment` (weight, standard and penalty overrides, modes);
               empty = one segment ``parcel`` of `parcel_weight_kg` (corridors without a
               ``segment`` column belong to it).
    on_time_floor: service class -> minimum share of its demand delivered on time.
    collection_h: first/last-mile time added to every path, h.
    allocation: "single" or "multiple".
    max_linehaul_legs: line-haul legs per path at most.
    parcel_weight_kg: average parcel weight, kg.
    days_per_year: converts annualised costs (CNY/yr) to CNY/day.
    rural_min_weekly_frequency: default minimum departures/week on links to rural nodes.
    unserved_penalty_cny_per_parcel: penalty per unserved parcel, CNY.
    allow_unserved: whether the elastic unserved slack exists.
    hub_capacity_basis: what a hub's sorting capacity limits: "throughput" (every parcel the
               hub handles, the default) or "collected" (only parcels whose first hub it is,
               i.e. the volume it collects -- the convention of the CSAHLP benchmark).
    expansion: True (default): the design may add link and hub modules and open optional
               hubs; False: every module and open variable is fixed at 0, so the network is
               solved with its existing capacity only (e.g. a calibrated base year).
    peak_factor: design day / average day (>= 1); hub and link capacity rows hold on the
               design day, routing and its costs stay on the average day.
    max_utilisation: largest planned use of capacity on the design day (0 < u <= 1).
    rural:     the rural tier's routes, volumes and modes (`scenario.rural.RuralInput`), or
               None (no rural tier: the model is exactly the one without it).
    """

    name: str
    year: int
    demand: pd.Series
    params: dict[str, Any] = field(default_factory=dict)
    cost_multipliers: dict[str, float] = field(default_factory=dict)
    carbon_price_cny_per_t: float = 0.0
    co2_cap_t_per_day: float | None = None
    mode_share_bounds: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    hub_capacity_cap: dict[str, float] = field(default_factory=dict)
    # Defaults: those of the config (`ServiceConfig`, `NetworkConfig`), not repeated here.
    service_standards_h: dict[str, float] = field(
        default_factory=lambda: dict(_SERVICE.standards_h))
    service_policy: str = _SERVICE.policy
    late_penalty_cny_per_parcel: float = float(_SERVICE.late_penalty_cny_per_parcel)  # type: ignore[arg-type]
    late_penalty_cny_per_parcel_hour: float = float(
        _SERVICE.late_penalty_cny_per_parcel_hour)  # type: ignore[arg-type]
    late_penalty_by_class: dict[str, tuple[float, float]] = field(default_factory=dict)
    segments: dict[str, Segment] = field(default_factory=dict)
    on_time_floor: dict[str, float] = field(default_factory=dict)
    collection_h: float = _SERVICE.collection_h
    allocation: str = _NETWORK.allocation
    max_linehaul_legs: int = _NETWORK.max_linehaul_legs
    parcel_weight_kg: float = _NETWORK.parcel_weight_kg
    days_per_year: float = _NETWORK.days_per_year
    rural_min_weekly_frequency: float = _NETWORK.rural_min_weekly_frequency
    unserved_penalty_cny_per_parcel: float = _NETWORK.unserved_penalty_cny_per_parcel
    allow_unserved: bool = _NETWORK.allow_unserved
    hub_capacity_basis: str = "throughput"
    expansion: bool = True
    peak_factor: float = 1.0
    max_utilisation: float = 1.0
    rural: Any = None

    def multiplier(self, key: str) -> float:
        return float(self.cost_multipliers.get(key, 1.0))


def corridor_segments(corridors: pd.DataFrame) -> pd.Series:
    """Segment name of every corridor (column ``segment``; empty or absent = ``parcel``)."""
    if "segment" not in corridors.columns:
        return pd.Series(DEFAULT_SEGMENT, index=corridors.index, name="segment")
    seg = corridors["segment"].astype("string").str.strip().fillna("")
    return seg.where(seg != "", DEFAULT_SEGMENT).astype(str).rename("segment")
