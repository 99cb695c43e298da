"""Typed, validated study configuration (the YAML boundary).

One pydantic model per section. Unknown keys are errors everywhere (``extra="forbid"``), and
so is a number that is not finite (``allow_inf_nan=False``: ``.nan``, ``.inf`` in YAML).
Inside the pipeline these objects are read, never mutated; `StudyConfig.with_overrides`
returns a new validated object.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, field_validator, model_validator

from netdesign.config.names import NAME_EXPECTED, is_valid_name
from netdesign.vocabulary import (  # noqa: F401  (MODES, SERVICE_CLASSES re-exported)
    MODES,
    SERVICE_CLASSES,
    Allocation,
    DemandQuantile,
    ForecastMethod,
    Mode,
    ParkFlow,
    ServiceClass,
    ServicePolicy,
)

# Closed sets of names shared by every stage: netdesign/vocabulary.py.

NonNegFloat = Annotated[float, Field(ge=0)]
PosFloat = Annotated[float, Field(gt=0)]
Share = Annotated[float, Field(ge=0, le=1)]
GrowthRate = Annotated[float, Field(gt=-1, le=10)]
"""Extra annual growth as a fraction per year: above -1 (at -1 demand vanishes, below it the
sign flips) and at most 10 (+1000 %/yr, far beyond any plausible case; catches percent
written as a fraction's 100 times)."""


_SEGMENT_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class DataConfig(_Strict):
    """Where the network data lives. Paths are relative to `dir`."""

    dir: str = Field(
        "package:hangzhou",
        description="Data folder, relative to the config file, or `package:NAME` for a study "
        "shipped inside netdesign (netdesign/data/default/NAME).",
    )
    nodes: str = Field("nodes.csv", description="Nodes table (CSV or Parquet).")
    links: str = Field("links.csv", description="Links table, one row per direction and mode.")
    hubs: str = Field("hubs.csv", description="Hubs table (sorting centres, gateways).")
    corridors: str = Field("corridors.csv", description="Origin-destination corridors.")
    history: str = Field("history.csv", description="Monthly parcel volumes per corridor.")


class ForecastConfig(_Strict):
    """Corridor volume forecasting (statsmodels)."""

    season_length: int = Field(12, ge=1, description="Season length in months.")
    method: ForecastMethod = Field(
        "auto", description="`auto` = the engine's default combination of candidates."
    )
    missing: Literal["impute", "reject", "report"] = Field(
        "impute",
        description="Missing months: impute (seasonal interpolation, reported), reject the "
        "series (falls back to seasonal naive on what is there), or report only.",
    )
    backtest_origins: int = Field(3, ge=0, description="Rolling origins in the backtest.")
    backtest_horizon: int = Field(12, ge=1, description="Backtest horizon in months.")
    backtest_series: int | None = Field(
        200, ge=1, description="Corridors in the backtest: a fixed sample of this many "
        "(chosen by a hash of the corridor id, so the same on every run); null = all.",
    )
    calibrate_intervals: bool = Field(
        True, description="Scale the published 80/95 % intervals by the factors that make "
        "them cover at their level in the backtest (split conformal; needs backtest_origins "
        "> 0). Beyond the backtest horizon the factor is held and the rows are marked "
        "`extrapolated` in `interval_basis` (docs/forecasting.md).",
    )
    cache: bool = Field(
        True, description="Reuse forecasts and backtests cached for the same data, settings "
        "and engine version (JSON files in $NETDESIGN_CACHE/forecasts, default "
        "~/.cache/netdesign/forecasts).",
    )
    reconcile: bool = Field(True, description="Reconcile corridor/region/total forecasts.")
    workers: int | None = Field(
        None, ge=1, description="Dask process workers for fitting; default: one per core."
    )
    calendar: Literal["china", "none"] = Field(
        "china", description="Calendar regressors for monthly volumes: `china` removes the "
        "moving Spring Festival's effect from each corridor where it is significant and puts "
        "it back into the forecast months (festival dates shipped for 2000-2040; "
        "docs/forecasting.md, 'Chinese calendar'); `none` = no calendar regressors.",
    )


def _penalty_number(x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ValueError(f"a number >= 0, got {x!r}")
    if not math.isfinite(float(x)) or float(x) < 0:
        raise ValueError(f"a finite number >= 0, got {x!r}")
    return float(x)


def _penalty_value(value: object) -> float | dict[str, float]:
    """One number for every class, or a mapping class -> number (one error, not one per
    alternative of a union)."""
    if isinstance(value, dict):
        unknown = [k for k in value if k not in SERVICE_CLASSES]
        if unknown:
            raise ValueError(f"unknown service class {unknown[0]!r}; expected one of "
                             f"{', '.join(SERVICE_CLASSES)}")
        return {str(k): _penalty_number(v) for k, v in value.items()}
    return _penalty_number(value)


PerClassPenalty = Annotated[float | dict[ServiceClass, float], PlainValidator(_penalty_value)]


def _per_class_problems(section: BaseModel) -> list[str]:
    """Both late-penalty parts of `section`, when given as a mapping, must name every class."""
    out = []
    for key in ("late_penalty_cny_per_parcel", "late_penalty_cny_per_parcel_hour"):
        value = getattr(section, key)
        missing = [c for c in SERVICE_CLASSES if c not in value] \
            if isinstance(value, dict) else []
        if missing:
            out.append(f"{key}: a per-class mapping must name every service class "
                       f"({', '.join(SERVICE_CLASSES)}); missing {', '.join(missing)} "
                       "(or give one number for all classes)")
    return out


class ServiceYear(_Strict):
    """Service standards and late penalties in force from one design year on."""

    standards_h: dict[ServiceClass, PosFloat] | None = Field(
        None, description="Door-to-door standard per service class, h (classes not named keep "
        "the default standard).")
    late_penalty_cny_per_parcel: PerClassPenalty | None = Field(
        None, description="Fixed part of the late penalty, CNY/parcel (one number for all "
        "classes or one per class); empty = the default.")
    late_penalty_cny_per_parcel_hour: PerClassPenalty | None = Field(
        None, description="Part per hour beyond the standard, CNY/(parcel h); empty = the "
        "default.")

    @model_validator(mode="after")
    def _every_class(self) -> ServiceYear:
        problems = _per_class_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


class ServiceConfig(_Strict):
    """The "1-2-3 day circle": door-to-door standards per service class.

    A late path (door-to-door time T above the standard S) costs, per parcel,
    fixed + per_hour x (T - S) CNY (graded lateness); `policy: forbid` drops late paths.
    """

    standards_h: dict[ServiceClass, PosFloat] = Field(
        default_factory=lambda: {"domestic": 24.0, "neighbouring": 48.0, "global": 72.0},
        description="Door-to-door delivery standard per service class, h.",
    )
    policy: ServicePolicy = Field(
        "penalty",
        description="forbid: paths slower than the standard are not allowed; penalty: allowed "
        "at the graded late penalty and reported as late.",
    )
    late_penalty_cny_per_parcel: PerClassPenalty = Field(
        15.0, description="Fixed part of the penalty per parcel delivered later than its "
        "standard, CNY/parcel: one number for every class, or one per class.",
    )
    late_penalty_cny_per_parcel_hour: PerClassPenalty = Field(
        0.0, description="Part of the late penalty per hour beyond the standard, "
        "CNY/(parcel h): one number for every class, or one per class.",
    )
    by_year: dict[int, ServiceYear] = Field(
        default_factory=dict,
        description="Standards and penalties from a design year on: a scenario uses the entry "
        "of the latest year <= its design year (keys it leaves empty keep the defaults above); "
        "years before the first entry use the defaults.",
    )
    collection_h: NonNegFloat = Field(
        4.0, description="First-mile pick-up and last-mile delivery time added to every path, h."
    )

    @model_validator(mode="after")
    def _every_class(self) -> ServiceConfig:
        problems = [f"by_year.{y}: a design year in 2000..2100" for y in self.by_year
                    if not 2000 <= y <= 2100]
        problems += _per_class_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def for_year(self, year: int) -> ResolvedService:
        """Standards (h) and penalty parts (CNY/parcel, CNY/(parcel h)) per class in `year`."""
        standards = dict(self.standards_h)
        fixed: PerClassPenalty = self.late_penalty_cny_per_parcel
        hourly: PerClassPenalty = self.late_penalty_cny_per_parcel_hour
        from_years = [y for y in self.by_year if y <= year]
        if from_years:
            entry = self.by_year[max(from_years)]
            standards.update(entry.standards_h or {})
            if entry.late_penalty_cny_per_parcel is not None:
                fixed = entry.late_penalty_cny_per_parcel
            if entry.late_penalty_cny_per_parcel_hour is not None:
                hourly = entry.late_penalty_cny_per_parcel_hour
        return ResolvedService(
            standards_h={c: float(v) for c, v in standards.items()},
            late_fixed={c: float(fixed[c] if isinstance(fixed, dict) else fixed)
                        for c in SERVICE_CLASSES},
            late_hourly={c: float(hourly[c] if isinstance(hourly, dict) else hourly)
                         for c in SERVICE_CLASSES},
        )


class ResolvedService(BaseModel):
    """Service parameters of one design year, per class (plain numbers)."""

    model_config = ConfigDict(frozen=True)

    standards_h: dict[str, float]
    late_fixed: dict[str, float]
    late_hourly: dict[str, float]


class SegmentConfig(_Strict):
    """A demand segment (corridors.csv column `segment`): its parcels and their service."""

    weight_kg: PosFloat | None = Field(
        None, description="Average weight of one parcel of the segment, kg; empty = "
        "`network.parcel_weight_kg`. A parcel counts weight_kg / network.parcel_weight_kg "
        "reference parcels in link and hub costs, CO2 and capacity use.")
    standards_h: dict[ServiceClass, PosFloat] = Field(
        default_factory=dict, description="Door-to-door standard per service class for this "
        "segment, h; overrides the class standard (every design year).")
    late_penalty_cny_per_parcel: NonNegFloat | None = Field(
        None, description="Fixed part of the late penalty, CNY/parcel; empty = the class's.")
    late_penalty_cny_per_parcel_hour: NonNegFloat | None = Field(
        None, description="Late penalty per hour beyond the standard, CNY/(parcel h); empty = "
        "the class's.")
    modes: list[Mode] | None = Field(
        None, description="Modes the segment's parcels may use on line-haul legs; empty = all.")
    label: dict[Literal["en", "zh"], str] = Field(
        default_factory=dict, description="Name per language, shown in reports.")
    park_flow: ParkFlow | None = Field(
        None, description="Express into factories (快递进厂): the segment's flow at an "
        "industrial park — inbound (parts to the plants), outbound (orders from them) or "
        "reverse (returns to them); its corridors end (inbound, reverse) or start (outbound) at "
        "an `industrial_park` node. Such a segment carries B2B shipments, so it needs its own "
        "`weight_kg`; reports break park volumes down by these segments.")


class NetworkConfig(_Strict):
    """Modelling choices about the network."""

    allocation: Allocation = Field(
        "multiple",
        description="single: each origin and destination node is served by exactly one hub; "
        "multiple: any hub may serve any corridor.",
    )
    max_linehaul_legs: int = Field(2, ge=1, le=3, description="Line-haul legs per path.")
    parcel_weight_kg: PosFloat = Field(1.2, description="Average parcel weight, kg.")
    days_per_year: float = Field(365.0, ge=1, le=366,
                                 description="Converts annual costs to CNY/day (1..366).")
    rural_min_weekly_frequency: NonNegFloat = Field(
        3.0, description="Default minimum departures per week on the line-haul feeder links "
        "to rural county nodes (whole daily modules: 3 is met as 7). The village obligation "
        "itself is `rural.min_weekly_frequency` on the rural tier."
    )
    unserved_penalty_cny_per_parcel: PosFloat = Field(
        500.0, description="Penalty per parcel/day left unserved, CNY/parcel."
    )
    allow_unserved: bool = Field(
        True, description="Elastic slack per corridor; off makes an unservable scenario infeasible."
    )


class ModeShareBound(_Strict):
    """Bounds on one mode's share of long-haul parcel-km."""

    min: Share | None = None
    max: Share | None = None

    @model_validator(mode="after")
    def _min_not_above_max(self) -> ModeShareBound:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min <= max (a floor above the ceiling leaves no feasible "
                             "mode split)")
        return self


class PolicyConfig(_Strict):
    """A named set of policy levers."""

    mode_share: dict[Mode, ModeShareBound] = Field(
        default_factory=dict, description="Mode-share floors/ceilings of line-haul parcel-km."
    )
    co2_cap_t_per_day: NonNegFloat | None = Field(None, description="Cap on total CO2, t/day.")
    hub_capacity_cap: dict[str, NonNegFloat] = Field(
        default_factory=dict, description="Maximum sorting capacity per hub, parcels/day."
    )
    service_policy: ServicePolicy | None = Field(
        None, description="Overrides service.policy for scenarios using this policy."
    )
    on_time_floor: dict[ServiceClass, Share] = Field(
        default_factory=dict, description="Minimum share of each named service class's demand "
        "delivered within its standard (a constraint; infeasible when it cannot be met).",
    )

    @model_validator(mode="after")
    def _floors_fit(self) -> PolicyConfig:
        floors = {m: b.min for m, b in self.mode_share.items() if b.min}
        if sum(floors.values()) > 1 + 1e-9:
            raise ValueError(f"mode_share floors that sum to at most 1 (got "
                             f"{' + '.join(f'{m} {v:g}' for m, v in floors.items())} = "
                             f"{sum(floors.values()):g})")
        return self


class CostCase(_Strict):
    """Multipliers on variable transport cost per mode (1.0 = data as given)."""

    road: PosFloat = 1.0
    rail: PosFloat = 1.0
    water: PosFloat = 1.0
    air: PosFloat = 1.0
    handling: PosFloat = 1.0
    capacity: PosFloat = Field(1.0, description="Multiplier on annualised module costs.")


class SolverConfig(_Strict):
    """HiGHS options."""

    time_limit_s: PosFloat = Field(300.0, description="Wall-clock limit per solve, s.")
    mip_rel_gap: Annotated[float, Field(ge=0, le=1)] = Field(
        0.005, description="Relative MIP gap at which HiGHS stops."
    )
    threads: int = Field(1, ge=1, description="HiGHS threads per solve.")
    scenario_workers: int | None = Field(
        1, ge=1, description="Dask process workers that solve `netdesign run`'s scenarios "
        "side by side (each solve keeps `threads`); 1 = one after another in this process; "
        "null = one per core.")
    seed: int = Field(0, ge=0, description="HiGHS random seed.")
    presolve: Literal["choose", "on", "off"] = "choose"
    save_lp: bool = Field(False, description="Also write the model as an LP file.")

    @model_validator(mode="after")
    def _valid_highs_options(self) -> SolverConfig:
        """Reject settings HiGHS would accept but that make the solve meaningless."""
        problems = []
        if self.mip_rel_gap >= 1.0:
            problems.append("mip_rel_gap: must be < 1 (a 100 % gap accepts any incumbent, "
                            "so the objective would be meaningless)")
        if self.threads > 256:
            problems.append("threads: at most 256")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class CommittedProject(_Strict):
    """A project in service by a given year (e.g. the airport's international express centre
    `HGH_IEC` by 2025): modules at a hub, or the opening of an optional hub."""

    hub: str = Field(..., description="hub_id of the hubs table.")
    by: int = Field(..., ge=2000, le=2100, description="In service in every period whose year "
                    "is <= this year (at least one period).")
    modules: int | None = Field(
        None, ge=1, description="Hub modules installed by then (cumulative); empty: the hub is "
        "open (an optional hub) or has at least one module.")


class PlanCases(_Strict):
    """The cases every period of a plan is built with (its year's demand, costs, policy)."""

    growth: str = Field("base", description="Name of a growth case in `growth_cases`.")
    costs: str = Field("base", description="Name of a cost case in `cost_cases`.")
    policy: str = Field("none", description="Name of a policy set in `policies`.")
    carbon_price_cny_per_t: NonNegFloat = Field(0.0, description="Carbon price, CNY/t CO2.")
    demand_quantile: DemandQuantile = Field(
        "mean", description="Which forecast each period is designed for.")


class PlanningConfig(_Strict):
    """Capacity planning (issue 14): what day the capacity is sized for, and the staged
    investment plan of `netdesign plan` (docs/model.md, "Staged investment plan").

    Capacity rows hold on a *design day* = average day x `peak_factor`, at no more than
    `max_utilisation` of capacity; routing and its costs stay on the average day
    (docs/model.md, "Peak-season sizing")."""

    periods: list[int] | None = Field(
        None, description="Years of the plan's periods, strictly ascending (each stands for "
        "the years up to the next; every one needs forecasts). Empty: the distinct years of "
        "the baseline scenarios.")
    final_period_years: int | None = Field(
        None, ge=1, le=50, description="Years the last period stands for (default: the gap "
        "before it, 5 with a single period).")
    discount_rate: float = Field(
        0.06, ge=0, lt=1, description="Real discount rate per year (fraction) of the net "
        "present cost, base year = the first period.")
    asset_life_years: float = Field(
        20.0, gt=0, le=100, description="Economic life of a hub or link module and of a hub "
        "opening, years: capital is annualised over it at `discount_rate`.")
    cost_basis_rate: float = Field(
        0.06, ge=0, lt=1, description="Rate at which the data's annualised module and opening "
        "costs (CNY/yr) were made from capex (DATA_SOURCES.md: 6 %).")
    cost_basis_life_years: float = Field(
        20.0, gt=0, le=100, description="Life over which the data's annualised costs were made "
        "from capex, years (DATA_SOURCES.md: 20).")
    fixed_om_share: float = Field(
        0.03, ge=0, lt=1, description="Fixed O&M per year as a share of capex, included in the "
        "data's annualised costs (DATA_SOURCES.md: 3 %).")
    budget_cny: dict[int, NonNegFloat] = Field(
        default_factory=dict, description="Capex that may be committed in a period, CNY "
        "(undiscounted), by period year; a period not listed has no budget.")
    committed: list[CommittedProject] = Field(
        default_factory=list, description="Projects in service by a year, whatever the cost.")
    cases: PlanCases = Field(default_factory=PlanCases)

    peak_factor: float | Literal["forecast"] = Field(
        1.0,
        description="Design day / average day of the design year (a number >= 1), or "
        "`forecast`: the peak month's parcels/day over the year's mean parcels/day, from the "
        "forecasts the scenario is built from. 1 = size for the average day.",
    )
    max_utilisation: float = Field(
        1.0, description="Largest planned use of hub and link capacity on the design day, "
        "0 < u <= 1 (0.85 = keep 15 % headroom).")

    @field_validator("peak_factor", mode="before")
    @classmethod
    def _peak_factor(cls, value: Any) -> Any:
        if value == "forecast":
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("a number >= 1 or 'forecast'")
        if not math.isfinite(value) or value < 1:
            raise ValueError("a finite number >= 1 (the design day is at least the average "
                             "day) or 'forecast'")
        return float(value)

    @field_validator("max_utilisation", mode="before")
    @classmethod
    def _max_utilisation(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value) or not 0 < value <= 1:
            raise ValueError("a finite number with 0 < u <= 1")
        return float(value)

    @model_validator(mode="after")
    def _plan_consistent(self) -> PlanningConfig:
        problems = []
        p = self.periods
        if p is not None:
            if not p:
                problems.append("periods: at least one year (or leave it out)")
            bad = [f"{a} -> {b}" for a, b in zip(p, p[1:], strict=False) if b <= a]
            if bad:
                problems.append(f"periods: years must be strictly ascending ({', '.join(bad)})")
            for year in self.budget_cny:
                if year not in p:
                    problems.append(f"budget_cny.{year}: not one of the periods {p}")
            for i, c in enumerate(self.committed):
                if p and c.by < min(p):
                    problems.append(f"committed[{i}].by: {c.by} is before the first period "
                                    f"{min(p)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class ScenarioConfig(_Strict):
    """One scenario: a design year and the cases that shape it."""

    name: str | None = Field(
        None, description="Stable name (letters, digits, `_`, `.`, `-`; not starting with `.`); "
        "derived from the cases if absent.")
    year: int = Field(..., ge=2000, le=2100, description="Design year.")
    growth: str = Field("base", description="Name of a growth case in `growth_cases`.")
    costs: str = Field("base", description="Name of a cost case in `cost_cases`.")
    carbon_price_cny_per_t: NonNegFloat = Field(0.0, description="Carbon price, CNY/t CO2.")
    policy: str = Field("none", description="Name of a policy set in `policies`.")
    demand_quantile: DemandQuantile = Field(
        "mean", description="Which forecast the network is designed for."
    )
    on_time_floor_domestic: Share | None = Field(
        None, description="Overrides the policy's on-time floor of the domestic class.")
    on_time_floor_neighbouring: Share | None = Field(
        None, description="Overrides the policy's on-time floor of the neighbouring class.")
    on_time_floor_global: Share | None = Field(
        None, description="Overrides the policy's on-time floor of the global class (a sweep "
        "over it traces the cost of the circle).")

    def on_time_floor(self, policy: PolicyConfig) -> dict[str, float]:
        """Floors per service class: the policy's, overridden by this scenario's."""
        out = {c: float(v) for c, v in policy.on_time_floor.items()}
        for c in SERVICE_CLASSES:
            v = getattr(self, f"on_time_floor_{c}")
            if v is not None:
                out[c] = float(v)
        return out

    @field_validator("name")
    @classmethod
    def _safe_name(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_name(value):
            raise ValueError(NAME_EXPECTED)
        return value


class DisruptionConfig(_Strict):
    """A named outage for `netdesign stress`: hubs, links, or a mode on a set of corridors,
    closed or reduced to a share of their capacity for a number of days (ids are checked
    against the network data)."""

    description: str = Field("", description="What happens, in words (shown in reports).")
    hubs: list[str] = Field(default_factory=list,
                            description="hub_ids (a gateway is a hub) closed or reduced.")
    links: list[str] = Field(default_factory=list, description="link_ids closed or reduced.")
    mode: Mode | None = Field(None, description="A mode closed on the line-haul legs of "
                              "`corridors` (closure only: capacity_share 0).")
    corridors: list[str] = Field(default_factory=list,
                                 description="corridor_ids the closed `mode` applies to "
                                 "('*' = every corridor).")
    capacity_share: float = Field(0.0, ge=0.0, lt=1.0,
                                  description="Share of capacity left during the outage "
                                  "(0 = closed; 0.5 = half).")
    days: int = Field(..., ge=1, le=60, description="Days the outage lasts (1..60).")
    recovery_days: int = Field(2, ge=0, le=30, description="Normal days after the outage "
                               "modelled to clear the backlog (parcels still waiting after "
                               "them count as unserved).")

    @model_validator(mode="after")
    def _something_closed(self) -> DisruptionConfig:
        if not (self.hubs or self.links or self.mode):
            raise ValueError("name at least one of hubs, links, or mode (with corridors)")
        if (self.mode is None) != (not self.corridors):
            raise ValueError("mode and corridors go together")
        if self.mode is not None and self.capacity_share > 0:
            raise ValueError("a mode on corridors can only be closed (capacity_share 0)")
        return self


PLAN_SWEEP_AXES = ("discount_rate", "asset_life_years", "peak_factor", "max_utilisation",
                   "growth", "costs", "policy", "carbon_price_cny_per_t", "demand_quantile")
"""Fields a plan sweep varies: of `planning` (the first four) and of `planning.cases`."""


class PlanCaseConfig(_Strict):
    """One plan of a plan sweep: the study's `planning` with the fields given here replaced
    (the others as in `planning`). A field left out keeps the study's value."""

    name: str | None = Field(None, description="Case name (default: from its values, e.g. "
                             "`r-0.08_pf-1.3`); required with budget_cny or committed.")
    discount_rate: float | None = Field(None, ge=0, lt=1, description="planning.discount_rate")
    asset_life_years: float | None = Field(None, gt=0, le=100,
                                           description="planning.asset_life_years")
    peak_factor: float | Literal["forecast"] | None = Field(
        None, description="planning.peak_factor")
    max_utilisation: float | None = Field(None, gt=0, le=1,
                                          description="planning.max_utilisation")
    budget_cny: dict[int, NonNegFloat] | None = Field(None, description="planning.budget_cny "
                                                      "(replaces the study's whole table)")
    committed: list[CommittedProject] | None = Field(
        None, description="planning.committed (replaces the study's whole list)")
    growth: str | None = Field(None, description="planning.cases.growth")
    costs: str | None = Field(None, description="planning.cases.costs")
    policy: str | None = Field(None, description="planning.cases.policy")
    carbon_price_cny_per_t: NonNegFloat | None = Field(
        None, description="planning.cases.carbon_price_cny_per_t")
    demand_quantile: DemandQuantile | None = Field(
        None, description="planning.cases.demand_quantile")


class PlanSweepConfig(_Strict):
    """A sweep of staged plans (`netdesign sweep` runs one `netdesign plan` per case): the
    cartesian product of `axes` over the study's `planning`, plus explicit `cases`."""

    axes: dict[Literal["discount_rate", "asset_life_years", "peak_factor", "max_utilisation",
                       "growth", "costs", "policy", "carbon_price_cny_per_t",
                       "demand_quantile"], list[Any]] = Field(default_factory=dict)
    cases: list[PlanCaseConfig] = Field(default_factory=list)


class SweepConfig(_Strict):
    """A grid of scenarios: the cartesian product of `axes`, plus explicit `scenarios`; or,
    with `plans`, a sweep of staged plans (then without axes and scenarios)."""

    axes: dict[Literal["year", "growth", "costs", "carbon_price_cny_per_t", "policy",
                       "demand_quantile", "on_time_floor_domestic",
                       "on_time_floor_neighbouring", "on_time_floor_global"],
               list[Any]] = Field(default_factory=dict)
    scenarios: list[ScenarioConfig] = Field(default_factory=list)
    plans: PlanSweepConfig | None = Field(
        None, description="Run a staged plan per case instead of a scenario per grid point "
        "(docs/sweeps.md, \"Sweeps of plans\").")
    retries: int = Field(2, ge=0, description="Retries of a scenario whose worker died.")

    @model_validator(mode="after")
    def _plans_or_scenarios(self) -> SweepConfig:
        if self.plans is not None and (self.axes or self.scenarios):
            raise ValueError("plans: a sweep runs either plans or scenarios; leave out "
                             "sweep.axes and sweep.scenarios (with `extends`: set them to "
                             "null)")
        if self.plans is not None and not (self.plans.axes or self.plans.cases):
            raise ValueError("plans: at least one axis or case")
        return self


class RefreshConfig(_Strict):
    """The nightly forecast refresh (`netdesign refresh`, see docs/refresh.md)."""

    retention_runs: int = Field(
        14, ge=1, description="Complete published runs kept under forecasts/ (count); the run "
        "`latest` points to is never pruned."
    )
    full_reselect_days: NonNegFloat = Field(
        7.0, description="Days between full model re-selections; in between, stored model "
        "specs are refitted only. 0 = re-select on every run."
    )
    reselect_if_mase_worse: NonNegFloat = Field(
        0.2, description="Re-select a corridor's model when its backtest MASE exceeds the MASE "
        "recorded when the model was selected by more than this fraction (0.2 = +20 %)."
    )
    implausible_factor: float = Field(
        5.0, gt=1, description="Reject a new month whose parcels differ from the corridor's "
        "recent level (median of the previous `recent_months` months) by more than this "
        "factor, up or down (dimensionless ratio)."
    )
    recent_months: int = Field(
        6, ge=1, description="Months of history that define a corridor's recent level."
    )
    horizon_months: int | None = Field(
        None, ge=1, description="Forecast horizon, months after the last history month; "
        "default: through December of the latest baseline scenario year (at least 12)."
    )
    keep_logs: int = Field(60, ge=1, description="Refresh log files kept (count).")


RuralTier = Literal["trunk", "village"]
WeeklyFrequency = Annotated[int, Field(ge=1, le=14)]
"""Departures per week on one rural route: a whole number from 1 to 14 (twice a day)."""


class RuralModeConfig(_Strict):
    """One vehicle type of the rural tier (issue 15, "into villages"): the courier's own van,
    a cold-chain van, co-loading on rural passenger buses (客货邮融合)."""

    capacity_per_departure: PosFloat = Field(
        ..., description="Parcels one departure carries each way (reference parcels).")
    cold_chain_capacity_per_departure: NonNegFloat = Field(
        0.0, description="Of those, parcels of cold-chain produce it can carry (0 = no "
        "cold-chain capacity: cold produce never rides it).")
    cost_cny_per_departure: NonNegFloat = Field(
        ..., description="Fixed cost of one departure, CNY (bus: the co-loading fee per run).")
    cost_cny_per_km: NonNegFloat = Field(
        0.0, description="Cost per km of the route's round trip, CNY/km (0 for a bus whose "
        "run is paid per run).")
    max_departures_per_week: WeeklyFrequency = Field(
        14, description="Departures per week available at most on one route (a bus "
        "timetable's runs/week; 14 = twice a day).")
    timetable: bool = Field(
        False, description="True: the townships file's `bus_runs_per_week` (when given) "
        "bounds this mode's departures on the township's routes (0 there = no bus line).")
    tiers: list[RuralTier] = Field(
        default_factory=lambda: ["trunk", "village"],
        description="Route tiers the mode runs on: `trunk` (county hub -> township station), "
        "`village` (township station -> village service point).")


class RuralConfig(_Strict):
    """The rural tier (issue 15, "into villages"): county hub -> township station -> village
    service point, departures per week on each route as the decision, a minimum weekly
    frequency on every route that serves a village whatever its volume (docs/model.md,
    "Rural tier"). Absent: no rural tier (the model is exactly the one without it)."""

    counties: str = Field("rural_counties.csv", description="Rural counties table (data dir).")
    townships: str = Field("rural_townships.csv",
                           description="Townships with their village counts (data dir).")
    min_weekly_frequency: WeeklyFrequency = Field(
        3, description="Departures per week every route serving a village must have at "
        "least (the pilot: delivery to every administrative village at least 3 times a "
        "week); a township row may raise it.")
    max_weekly_frequency: WeeklyFrequency = Field(
        14, description="Departures per week on one route at most, all modes together.")
    village_vs_town_parcels_per_resident: Annotated[float, Field(gt=0, le=1)] = Field(
        1.0, description="Parcels per village resident relative to a town resident, a ≤ 1 "
        "(1 = the same): the villages' part of a county's parcels is a r / (1 − (1 − a) r), "
        "r the villages' share of residents.")
    produce_cold_chain_share: Share = Field(
        0.0, description="Share of the farm produce sent up from villages that needs cold "
        "chain (rides only modes with cold-chain capacity).")
    modes: dict[str, RuralModeConfig] = Field(
        ..., min_length=1, description="Rural vehicle types by name.")

    @model_validator(mode="after")
    def _checks(self) -> RuralConfig:
        problems = [f"rural.modes.{name}: a name of letters, digits, '_', '.' and '-'"
                    for name in self.modes if not _SEGMENT_NAME.match(name)]
        if self.max_weekly_frequency < self.min_weekly_frequency:
            problems.append(f"rural.max_weekly_frequency ({self.max_weekly_frequency}) below "
                            f"min_weekly_frequency ({self.min_weekly_frequency})")
        for tier in ("trunk", "village"):
            if not any(tier in m.tiers for m in self.modes.values()):
                problems.append(f"rural.modes: no mode runs on the {tier} tier")
        if self.produce_cold_chain_share > 0 and not any(
                m.cold_chain_capacity_per_departure > 0 for m in self.modes.values()):
            problems.append("rural.produce_cold_chain_share > 0 but no mode has "
                            "cold_chain_capacity_per_departure > 0")
        for name, m in self.modes.items():
            if m.cold_chain_capacity_per_departure > m.capacity_per_departure:
                problems.append(f"rural.modes.{name}.cold_chain_capacity_per_departure "
                                "above capacity_per_departure")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class StudyConfig(_Strict):
    """A whole study: data, forecasting, scenarios, solver, sweep."""

    name: str = Field(..., pattern=r"^[A-Za-z0-9_.-]+$", description="Study identifier.")
    title: dict[Literal["en", "zh"], str] = Field(
        default_factory=dict, description="Study title per language, shown in reports.")
    data: DataConfig = Field(default_factory=DataConfig)
    forecast: ForecastConfig = Field(default_factory=ForecastConfig)
    service: ServiceConfig = Field(default_factory=ServiceConfig)
    segments: dict[str, SegmentConfig] = Field(
        default_factory=lambda: {"parcel": SegmentConfig()},
        description="Demand segments by name (corridors.csv column `segment`, default "
        "`parcel`); every segment a corridor names must be defined here.",
    )
    network: NetworkConfig = Field(default_factory=NetworkConfig)
    planning: PlanningConfig = Field(default_factory=PlanningConfig)
    growth_cases: dict[str, GrowthRate] = Field(
        default_factory=lambda: {"base": 0.0},
        description="Extra annual growth on top of the statistical forecast after its last "
        "history year, as a fraction per year (0.02 = +2 %/yr; above -1, at most 10).",
    )
    cost_cases: dict[str, CostCase] = Field(default_factory=lambda: {"base": CostCase()})
    policies: dict[str, PolicyConfig] = Field(default_factory=lambda: {"none": PolicyConfig()})
    scenarios: list[ScenarioConfig] = Field(
        default_factory=lambda: [ScenarioConfig(year=2025), ScenarioConfig(year=2035)],
        description="Baseline scenarios solved by `netdesign run`.",
    )
    solver: SolverConfig = Field(default_factory=SolverConfig)
    sweep: SweepConfig | None = None
    refresh: RefreshConfig = Field(default_factory=RefreshConfig)
    disruptions: dict[str, DisruptionConfig] = Field(
        default_factory=dict, description="Named outages for `netdesign stress` (issue 17).")

    rural: RuralConfig | None = Field(
        None, description="The rural tier (\"into villages\"); absent = none.")

    # Set by the loader: the folder of the YAML file, for relative data paths.
    config_dir: Path | None = Field(None, exclude=True)
    # Set by the loader: the YAML file itself, named in messages about the config.
    config_file: Path | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _references_exist(self) -> StudyConfig:
        problems = [f"segments.{name}: a name of letters, digits, '_', '.' and '-'"
                    for name in self.segments if not _SEGMENT_NAME.match(name)]
        if not self.segments:
            problems.append("segments: at least one segment (default: {parcel: {}})")
        problems += [f"segments.{name}.weight_kg: a weight per shipment, kg, for a park_flow "
                     f"({seg.park_flow}) segment: B2B shipments are not reference parcels "
                     f"(network.parcel_weight_kg)"
                     for name, seg in self.segments.items()
                     if seg.park_flow is not None and seg.weight_kg is None]
        for i, sc in enumerate(self.scenarios):
            problems += _scenario_reference_problems(self, sc, f"scenarios[{i}]")
        c = self.planning.cases
        if self.planning.periods is not None or "cases" in self.planning.model_fields_set:
            problems += _scenario_reference_problems(  # only a study that plans uses them
                self, ScenarioConfig(year=2000, growth=c.growth, costs=c.costs,
                                     policy=c.policy), "planning.cases")
        if self.sweep is not None:
            for i, sc in enumerate(self.sweep.scenarios):
                problems += _scenario_reference_problems(self, sc, f"sweep.scenarios[{i}]")
            for axis, table in (("growth", self.growth_cases), ("costs", self.cost_cases),
                                ("policy", self.policies)):
                for v in self.sweep.axes.get(axis, []):
                    if v not in table:
                        problems.append(f"sweep.axes.{axis}: unknown case {v!r}; "
                                        f"expected one of {sorted(table)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def with_overrides(self, **changes: Any) -> StudyConfig:
        """A new validated config with top-level sections replaced."""
        data = self.model_dump()
        data.update(changes)
        new = StudyConfig.model_validate(data)
        return new.model_copy(update={"config_dir": self.config_dir,
                                      "config_file": self.config_file})


def _scenario_reference_problems(cfg: StudyConfig, sc: ScenarioConfig, where: str) -> list[str]:
    out = []
    if sc.growth not in cfg.growth_cases:
        out.append(f"{where}.growth: unknown case {sc.growth!r}; expected one of "
                   f"{sorted(cfg.growth_cases)}")
    if sc.costs not in cfg.cost_cases:
        out.append(f"{where}.costs: unknown case {sc.costs!r}; expected one of "
                   f"{sorted(cfg.cost_cases)}")
    if sc.policy not in cfg.policies:
        out.append(f"{where}.policy: unknown policy {sc.policy!r}; expected one of "
                   f"{sorted(cfg.policies)}")
    return out
