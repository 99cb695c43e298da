"""Build a `Scenario` from the study config, one scenario config and the corridor forecasts."""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from netdesign.config.schema import ScenarioConfig, StudyConfig
from netdesign.data.network import Network
from netdesign.errors import InputError, Problem
from netdesign.scenario.rural import rural_input
from netdesign.scenario.scenario import Scenario, Segment, corridor_segments

QUANTILE_COLUMNS = {"mean": "mean", "hi_80": "hi_80", "hi_95": "hi_95"}


# Probability of each upper quantile column (upper bound of its central interval).
JOINT_PROBABILITY = {"hi_80": 0.90, "hi_95": 0.975}
JOINT_DRAWS = 1000      # joint draws for the design-year quantile
JOINT_WINDOW = 0.025    # draws within ±2.5 percentage points of the percentile are averaged
JOINT_SEED = 20240601   # fixed: the same design demand on every run


def joint_design_demand(fc: pd.DataFrame, probability: float, correlation: float,
                        n_draws: int = JOINT_DRAWS, window: float = JOINT_WINDOW
                        ) -> pd.DataFrame:
    """Monthly demand (series × month, parcels/month) of every corridor in `fc` consistent with
    the `probability` percentile of the network's total over those months.

    Draws `n_draws` joint paths (the draws of `forecast.paths.sample_paths`, one-factor copula
    with `correlation`), ranks the draws by the network total over all months of `fc`, and
    averages each corridor's months over the draws ranked within ±`window` of `probability`.
    So the corridors add up to (about) that percentile of the total, and each corridor sits
    where it typically is when the network is that busy: near its own percentile when
    corridors move together (correlation 1 gives the sum of the corridors' own percentiles),
    nearer its mean when they move independently.

    A draw keeps each corridor's percentile for all months, and every month's quantile
    function has the same breakpoints, so a corridor's total over the months is the quantile
    function through its summed quantiles: the draws are ranked with those (2,000 × draws
    values instead of a full path each), and only the chosen draws' months are evaluated."""
    from netdesign.forecast.paths import _LEVELS, draw_scores, quantile_values

    fc = fc.assign(series_id=fc["series_id"].astype(str))
    if "month" not in fc:
        fc = fc.assign(month=pd.PeriodIndex(pd.to_datetime(fc["date"]), freq="M"))
    ids = list(dict.fromkeys(fc["series_id"]))
    u = draw_scores(len(ids), n_draws, JOINT_SEED, correlation)  # series × draws
    cols = [c for c, _ in _LEVELS]
    summed = fc.groupby("series_id", sort=False)[cols].sum().reindex(ids)
    total = quantile_values(summed, u).sum(axis=0)
    rank = (np.argsort(np.argsort(total)) + 0.5) / n_draws
    pick = np.flatnonzero(np.abs(rank - probability) <= window)
    rows = fc["series_id"].map({s: i for i, s in enumerate(ids)}).to_numpy()
    values = quantile_values(fc, u[rows][:, pick]).mean(axis=1)
    out = (fc.assign(_v=values).pivot_table(index="series_id", columns="month", values="_v",
                                             aggfunc="sum"))
    return out


def design_year_demand(
    forecasts: pd.DataFrame,
    network: Network,
    year: int,
    quantile: str = "mean",
    growth_per_year: float = 0.0,
) -> pd.Series:
    """Average parcels/day per corridor in `year`.

    forecasts: long frame (series_id, date, mean, lo_80, hi_80, lo_95, hi_95) of monthly
        parcels. Months of `year` inside the history are taken from the history itself.
    quantile: which forecast column the network is designed for. For an upper quantile
        (hi_80 = the 90th percentile, hi_95 = the 97.5th) the demand comes from the joint
        distribution of all corridors (`joint_design_demand`): the corridors' year totals in
        the joint draws whose network total is at that percentile. The cross-corridor
        correlation is `forecasts.attrs["error_correlation"]` (set by the study pipeline from
        its backtest); without it, 1 (every corridor at the same percentile: the sum of the
        corridors' monthly upper bounds, as before the joint scenarios).
    growth_per_year: the scenario's growth case, applied on top of the statistical forecast as
        (1 + g) ** (year - last history year).
    Returns parcels/day, indexed by corridor_id, for every corridor in the network.
    """
    col = QUANTILE_COLUMNS[quantile]
    corridors = network.corridors.index
    hist = network.history
    last_hist = hist["month"].max()
    months = pd.period_range(f"{year}-01", f"{year}-12", freq="M")

    fc = forecasts[forecasts["series_id"].isin(corridors)]
    fc_month = pd.PeriodIndex(pd.to_datetime(fc["date"]), freq="M")
    fc = fc.assign(month=fc_month)
    from_fc = fc[fc["month"].isin(months)].pivot_table(
        index="series_id", columns="month", values="mean" if col != "mean" else col,
        aggfunc="sum")
    rho = float(forecasts.attrs.get("error_correlation", 1.0))
    if col != "mean" and rho < 1.0:
        joint = joint_design_demand(fc[fc["month"].isin(months)],
                                    JOINT_PROBABILITY[quantile],
                                    rho)
        from_fc = joint.reindex(index=from_fc.index, columns=from_fc.columns)
    elif col != "mean":  # comonotone: every corridor at its own percentile, exactly the column
        from_fc = fc[fc["month"].isin(months)].pivot_table(
            index="series_id", columns="month", values=col, aggfunc="sum")
    from_hist = hist[hist["month"].isin(months)].pivot_table(
        index="corridor_id", columns="month", values="parcels", aggfunc="sum")
    monthly = from_fc.combine_first(from_hist).reindex(index=corridors, columns=months)
    missing = monthly.columns[monthly.isna().all(axis=0)]
    if len(missing):
        raise InputError([Problem("forecasts", f"year {year}", "date", str(missing[0]),
                                  "forecasts covering every month of the design year "
                                  f"(history ends {last_hist})")], "cannot build scenario")
    days = 366 if calendar.isleap(year) else 365
    per_day = monthly.fillna(0.0).sum(axis=1) / days
    years_ahead = max(0, year - last_hist.year)
    per_day = per_day * (1.0 + growth_per_year) ** years_ahead
    per_day.index.name = "corridor_id"
    return per_day.clip(lower=0.0).astype(float)


def scenario_segments(cfg: StudyConfig) -> dict[str, Segment]:
    """The study's segments as plain `Segment`s (weights resolved to kg)."""
    return {
        name: Segment(
            weight_kg=float(seg.weight_kg if seg.weight_kg is not None
                            else cfg.network.parcel_weight_kg),
            standards_h={c: float(v) for c, v in seg.standards_h.items()},
            late_fixed_cny_per_parcel=seg.late_penalty_cny_per_parcel,
            late_cny_per_parcel_hour=seg.late_penalty_cny_per_parcel_hour,
            modes=None if seg.modes is None else tuple(seg.modes),
        )
        for name, seg in cfg.segments.items()
    }


def check_segments(cfg: StudyConfig, network: Network) -> None:
    """Raise `InputError` naming file, row and field for a corridor whose segment the study
    config does not define."""
    seg = corridor_segments(network.corridors)
    problems = []
    for row, (cid, name) in enumerate(seg.items(), start=1):
        if name not in cfg.segments:
            source = f"{network.source}/{cfg.data.corridors}" if network.source \
                else cfg.data.corridors
            problems.append(Problem(source, f"row {row} (corridor {cid})",
                                    "segment", name,
                                    f"a segment defined in the config's `segments:` "
                                    f"({', '.join(sorted(cfg.segments))})"))
    if problems:
        raise InputError(problems[:50], "corridors name undefined segments")


def build_scenario(
    cfg: StudyConfig, sc: ScenarioConfig, name: str, forecasts: pd.DataFrame, network: Network
) -> Scenario:
    """Assemble the plain `Scenario` for one scenario config (cases resolved from `cfg`)."""
    policy = cfg.policies[sc.policy]
    costs = cfg.cost_cases[sc.costs]
    check_segments(cfg, network)
    demand = design_year_demand(forecasts, network, sc.year, sc.demand_quantile,
                                cfg.growth_cases[sc.growth])
    service = cfg.service.for_year(sc.year)
    return Scenario(
        name=name,
        year=sc.year,
        demand=demand,
        params={
            "year": sc.year, "growth": sc.growth, "costs": sc.costs,
            "carbon_price_cny_per_t": sc.carbon_price_cny_per_t, "policy": sc.policy,
            "demand_quantile": sc.demand_quantile,
            **{f"on_time_floor_{c}": v for c, v in sc.on_time_floor(policy).items()},
        },
        cost_multipliers=costs.model_dump(),
        carbon_price_cny_per_t=sc.carbon_price_cny_per_t,
        co2_cap_t_per_day=policy.co2_cap_t_per_day,
        mode_share_bounds={m: (b.min, b.max) for m, b in policy.mode_share.items()},
        hub_capacity_cap=dict(policy.hub_capacity_cap),
        service_standards_h=service.standards_h,
        service_policy=policy.service_policy or cfg.service.policy,
        late_penalty_cny_per_parcel=service.late_fixed["domestic"],
        late_penalty_cny_per_parcel_hour=service.late_hourly["domestic"],
        late_penalty_by_class={c: (service.late_fixed[c], service.late_hourly[c])
                               for c in service.late_fixed},
        segments=scenario_segments(cfg),
        on_time_floor=sc.on_time_floor(policy),
        collection_h=cfg.service.collection_h,
        allocation=cfg.network.allocation,
        max_linehaul_legs=cfg.network.max_linehaul_legs,
        parcel_weight_kg=cfg.network.parcel_weight_kg,
        days_per_year=cfg.network.days_per_year,
        rural_min_weekly_frequency=cfg.network.rural_min_weekly_frequency,
        unserved_penalty_cny_per_parcel=cfg.network.unserved_penalty_cny_per_parcel,
        allow_unserved=cfg.network.allow_unserved,
        peak_factor=design_peak_factor(cfg, sc, forecasts, network),
        max_utilisation=cfg.planning.max_utilisation,
        rural=None if cfg.rural is None or network.rural is None
        else rural_input(cfg.rural, network.rural, network.corridors, demand),
    )


def seasonal_peak_factor(forecasts: pd.DataFrame, network: Network, year: int,
                         quantile: str = "mean") -> float:
    """Peak month's parcels/day over the year's mean parcels/day, all corridors together.

    The same monthly figures as `design_year_demand` (forecast, else history) summed over the
    network's corridors; month m gives total_m / days_m, the year total / days of the year.
    Growth cases scale every month alike and cancel. E.g. a year of 11 months at 100/day and
    a 30-day November at 124/day: mean = (335 * 100 + 30 * 124) / 365 = 101.97/day,
    factor = 124 / 101.97 = 1.216. Never below 1 (a flat year gives exactly 1).
    """
    col = QUANTILE_COLUMNS[quantile]
    corridors = network.corridors.index
    months = pd.period_range(f"{year}-01", f"{year}-12", freq="M")
    fc = forecasts[forecasts["series_id"].isin(corridors)]
    fc = fc.assign(month=pd.PeriodIndex(pd.to_datetime(fc["date"]), freq="M"))
    from_fc = fc[fc["month"].isin(months)].groupby("month")[col].sum()
    hist = network.history
    from_hist = hist[hist["month"].isin(months) & hist["corridor_id"].isin(corridors)] \
        .groupby("month")["parcels"].sum()
    total = from_fc.combine_first(from_hist).reindex(months)
    if total.isna().any():
        raise InputError([Problem("forecasts", f"year {year}", "date",
                                  str(total.index[total.isna()][0]),
                                  "forecasts covering every month of the design year "
                                  "(planning.peak_factor: forecast)")], "cannot build scenario")
    per_day = total.to_numpy(float) / months.days_in_month.to_numpy(float)
    mean = total.to_numpy(float).sum() / (366 if calendar.isleap(year) else 365)
    return max(1.0, float(per_day.max() / mean)) if mean > 0 else 1.0


def design_peak_factor(cfg: StudyConfig, sc: ScenarioConfig, forecasts: pd.DataFrame,
                       network: Network) -> float:
    """`planning.peak_factor` of the study: the configured number, or for ``forecast`` the
    scenario's design year's `seasonal_peak_factor` (its demand quantile's monthly figures)."""
    peak = cfg.planning.peak_factor
    if peak == "forecast":
        return seasonal_peak_factor(forecasts, network, sc.year, sc.demand_quantile)
    return float(peak)
