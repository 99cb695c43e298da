"""Turn `Design`s into the results `xarray.Dataset` (schema: docs/architecture.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.data.network import Network
from netdesign.data.schema import MODES, SERVICE_CLASSES
from netdesign.optimise.solution import Design
from netdesign.results import schema
from netdesign.results.parks import park_variables
from netdesign.results.rural import rural_variables
from netdesign.results.summary import (  # noqa: F401  (re-exported: summary.csv's table)
    ECONOMIC_COMPONENTS,
    PENALTY_COMPONENTS,
    PLANNING_COLUMNS,
    SUMMARY_COLUMNS,
    summary_table,
)
from netdesign.scenario.scenario import Scenario, corridor_segments
from netdesign.vocabulary import COST_COMPONENTS, FORECAST_STATS

if TYPE_CHECKING:
    from netdesign.data.inputs import StudyInputs as Study

SCOPES = ("all", "domestic", "international")
"""Corridor scopes of the mode shares: international = origin and destination in different
countries (as in the model's customs time)."""
STATS = FORECAST_STATS
# Units and long names of every variable: netdesign/results/schema.py (the one schema source).
UNITS: dict[str, tuple[str, str]] = {name: (v.units, v.long_name)
                                     for name, v in schema.BY_NAME.items()}


def _report_value(report: Any, *names: str, default: Any = np.nan) -> Any:
    for name in names:
        if report is None:
            break
        val = report.get(name) if isinstance(report, dict) else getattr(report, name, None)
        if val is not None:
            return val
    return default


def report_to_dict(report: Any) -> dict[str, Any]:
    """A JSON-safe dict of a solve report (dataclass, dict or object with to_dict)."""
    if report is None:
        return {}
    if hasattr(report, "to_dict"):
        return report.to_dict()
    if isinstance(report, dict):
        return report
    if hasattr(report, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(report)
    return {"repr": repr(report)}


def _scenario_coords(scenario: Scenario) -> dict[str, Any]:
    p = scenario.params
    return {
        "year": ("scenario", [scenario.year]),
        "growth": ("scenario", [str(p.get("growth", ""))]),
        "costs": ("scenario", [str(p.get("costs", ""))]),
        "policy": ("scenario", [str(p.get("policy", ""))]),
        "demand_quantile": ("scenario", [str(p.get("demand_quantile", "mean"))]),
        "carbon_price": ("scenario", [float(scenario.carbon_price_cny_per_t)]),
        # the on-time floor of each class the scenario had to meet (NaN: none); a sweep over
        # on_time_floor_global traces the price of the 1-2-3 circle
        **{f"on_time_floor_{c}": ("scenario", [float(scenario.on_time_floor.get(c, np.nan))])
           for c in SERVICE_CLASSES},
    }


def design_to_dataset(network: Network, scenario: Scenario, design: Design) -> xr.Dataset:
    """One scenario's results (a `scenario` dimension of length 1), per-scenario variables only.

    A design without a solution (infeasible, error, stopped without incumbent) gives NaN
    figures, with its status, message and solver report kept."""
    if not _has_solution(design.report):
        design = _empty_design(network, design.report)
    corridors = network.corridors.index
    hubs = network.hubs.index
    links = network.links.index
    demand = scenario.demand.reindex(corridors).fillna(0.0)
    flow = design.corridor_flow.reindex(index=corridors, columns=list(MODES), fill_value=0.0)
    unserved = design.unserved.reindex(corridors, fill_value=0.0)
    late = design.late.reindex(corridors, fill_value=0.0)
    pkm = np.array([float(design.parcel_km.get(m, 0.0)) for m in MODES])
    share = pkm / pkm.sum() if pkm.sum() > 0 else np.full(len(MODES), np.nan)
    hub_t = design.hubs.reindex(hubs)
    link_t = design.links.reindex(links)
    cap = hub_t["capacity_parcels_per_day"].to_numpy(float)
    thr = hub_t["throughput_parcels_per_day"].to_numpy(float)
    added = hub_t.get("modules_added", pd.Series(0.0, index=hubs)).to_numpy(float) * \
        network.hubs["module_parcels_per_day"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(cap > 0, thr / cap, np.nan)

    served_on_time = (demand - unserved - late).clip(lower=0.0)
    total_demand = float(demand.sum())
    cls = network.corridors["service_class"]
    by_class = []
    for c in SERVICE_CLASSES:
        mask = (cls == c).to_numpy()
        d = float(demand[mask].sum())
        by_class.append(float(served_on_time[mask].sum()) / d if d > 0 else np.nan)

    seg = corridor_segments(network.corridors)
    seg_names = _segment_order(scenario, seg)
    seg_idx = pd.Index(seg_names)
    seg_code = seg_idx.get_indexer(seg.to_numpy(str))
    n_seg = len(seg_names)

    def by_segment(values: np.ndarray) -> np.ndarray:
        return np.bincount(seg_code, weights=np.nan_to_num(values), minlength=n_seg)

    seg_demand = by_segment(demand.to_numpy(float))
    seg_late = by_segment(late.to_numpy(float))
    seg_unserved = by_segment(unserved.to_numpy(float))
    seg_flow = np.stack([by_segment(flow[m].to_numpy(float)) for m in MODES], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        seg_on_time = np.where(seg_demand > 0, np.clip(seg_demand - seg_unserved - seg_late,
                                                       0.0, None) / seg_demand, np.nan)
    scopes = _mode_scopes(network, scenario, design, flow, seg, pkm)
    parks, park_vars = park_variables(network, design, seg, seg_names,
                                      corridor_weight_kg(scenario, seg), demand, flow, late,
                                      unserved)

    report = design.report
    status = str(_report_value(report, "status", default="unknown"))
    costs = design.costs
    ds = xr.Dataset(
        {
            "demand": (("scenario", "corridor"), demand.to_numpy(float)[None, :]),
            "flow": (("scenario", "corridor", "mode"), flow.to_numpy(float)[None, :, :]),
            "unserved": (("scenario", "corridor"), unserved.to_numpy(float)[None, :]),
            "late": (("scenario", "corridor"), late.to_numpy(float)[None, :]),
            "parcel_km": (("scenario", "mode"), pkm[None, :]),
            "mode_share": (("scenario", "mode"), share[None, :]),
            "mode_parcels": (("scenario", "mode"),
                             flow.sum(axis=0, min_count=1).to_numpy(float)[None, :]),
            "hub_capacity": (("scenario", "hub"), cap[None, :]),
            "hub_capacity_added": (("scenario", "hub"), added[None, :]),
            "hub_throughput": (("scenario", "hub"), thr[None, :]),
            "hub_utilisation": (("scenario", "hub"), util[None, :]),
            "hub_utilisation_peak": (("scenario", "hub"),
                                     scenario.peak_factor * util[None, :]),
            "peak_factor": ("scenario", [float(scenario.peak_factor)]),
            "max_utilisation": ("scenario", [float(scenario.max_utilisation)]),
            "hub_open": (("scenario", "hub"),
                         hub_t.get("is_open", pd.Series(1, index=hubs)).astype(float)
                         .to_numpy()[None, :]),
            "link_flow": (("scenario", "link"),
                          link_t["flow_parcels_per_day"].to_numpy(float)[None, :]),
            "link_capacity": (("scenario", "link"),
                              link_t["capacity_parcels_per_day"].to_numpy(float)[None, :]),
            "link_modules_added": (("scenario", "link"),
                                   link_t["modules_added"].to_numpy(float)[None, :]),
            "link_departures_per_week": (("scenario", "link"),
                                         link_t["departures_per_week"].to_numpy(float)[None, :]),
            "cost": (("scenario", "cost_component"),
                     np.array([[float(design.costs.get(c, 0.0)) for c in COST_COMPONENTS]])),
            "total_cost": ("scenario", [float(design.costs.get("total", np.nan))]),
            "economic_cost": ("scenario", [sum(float(costs.get(c, 0.0))
                                               for c in ECONOMIC_COMPONENTS)]),
            "penalty_cost": ("scenario", [sum(float(costs.get(c, 0.0))
                                              for c in PENALTY_COMPONENTS)]),
            **{name: (("scenario", "scope", "mode"), arr[None, :, :])
               for name, arr in scopes.items()},
            "segment_demand": (("scenario", "segment"), seg_demand[None, :]),
            "segment_flow": (("scenario", "segment", "mode"), seg_flow[None, :, :]),
            "segment_late": (("scenario", "segment"), seg_late[None, :]),
            "segment_unserved": (("scenario", "segment"), seg_unserved[None, :]),
            "on_time_share_by_segment": (("scenario", "segment"), seg_on_time[None, :]),
            **park_vars,
            "co2": ("scenario", [float(design.co2_t_per_day)]),
            "on_time_share": ("scenario", [float(served_on_time.sum()) / total_demand
                                           if total_demand > 0 else np.nan]),
            "on_time_share_by_class": (("scenario", "service_class"), np.array([by_class])),
            "unserved_total": ("scenario", [float(unserved.sum(min_count=1))]),
            "status": ("scenario", [status]),
            "message": ("scenario", [str(_report_value(report, "message", default=""))]),
            "mip_gap": ("scenario", [float(_report_value(report, "gap", "mip_gap"))]),
            "objective": ("scenario", [float(_report_value(report, "objective"))]),
            "best_bound": ("scenario", [float(_report_value(report, "best_bound", "bound"))]),
            "solve_seconds": ("scenario", [float(_report_value(report, "total_s",
                                                               "seconds"))]),
        },
        coords={
            "scenario": [scenario.name],
            "corridor": corridors.to_numpy(str),
            "mode": list(MODES),
            "hub": hubs.to_numpy(str),
            "link": links.to_numpy(str),
            "service_class": list(SERVICE_CLASSES),
            "cost_component": list(COST_COMPONENTS),
            "scope": list(SCOPES),
            "segment": seg_names,
            **({"park": parks} if parks else {}),
            **_scenario_coords(scenario),
        },
    )
    rural_data, rural_coords = rural_variables(network, scenario, design, demand, late,
                                               unserved, _has_solution(report))
    if rural_data:
        ds = ds.assign(rural_data).assign_coords(rural_coords)
    if not _has_solution(report):
        for name in ("on_time_share", "on_time_share_by_class", "on_time_share_by_segment",
                     "economic_cost", "penalty_cost", "segment_flow", "segment_late",
                     "segment_unserved", *scopes, *(v for v in park_vars if v != "park_demand")):
            ds[name][:] = np.nan
    ds.attrs["solver_report"] = json.dumps(report_to_dict(report), default=str)
    return _annotate(ds)


def _segment_order(scenario: Scenario, seg: pd.Series) -> list[str]:
    """Segments in the config's order, then any others the corridors name."""
    names = [n for n in scenario.segments if n in set(seg)] if scenario.segments else []
    return names + sorted(set(seg) - set(names))


def corridor_international(network: Network) -> np.ndarray:
    """True for corridors whose origin and destination lie in different countries (falls
    back on service class != domestic when the nodes table has no country)."""
    corr, nodes = network.corridors, network.nodes
    if "country" in nodes.columns and len(nodes):
        country = nodes["country"].astype(str)
        o = country.reindex(corr["origin"].astype(str)).to_numpy()
        d = country.reindex(corr["destination"].astype(str)).to_numpy()
        return np.asarray(o != d, dtype=bool)
    return (corr["service_class"].astype(str) != "domestic").to_numpy()


def corridor_weight_kg(scenario: Scenario, seg: pd.Series) -> np.ndarray:
    """Parcel weight per corridor, kg (its segment's, else the scenario's parcel weight)."""
    default = float(scenario.parcel_weight_kg)
    weights = {n: (s.weight_kg if s.weight_kg is not None else default)
               for n, s in scenario.segments.items()}
    return np.array([float(weights.get(n, default)) for n in seg.to_numpy(str)])


def _mode_scopes(network: Network, scenario: Scenario, design: Design, flow: pd.DataFrame,
                 seg: pd.Series, pkm: np.ndarray) -> dict[str, np.ndarray]:
    """Parcels, parcel-km and tonne-km by (scope, mode) and their shares within each scope.

    Parcel-km and tonne-km need the design's per-corridor line-haul parcel-km
    (``design.extra["corridor_parcel_km"]``, corridor x mode); without it only the `all`
    scope of parcel-km is known (the rest NaN).
    """
    intl = corridor_international(network)
    masks = {"all": np.ones(len(intl), bool), "domestic": ~intl, "international": intl}
    f = flow.to_numpy(float)
    cpk = design.extra.get("corridor_parcel_km") if isinstance(design.extra, dict) else None
    if cpk is not None:
        cpk = cpk.reindex(index=network.corridors.index, columns=list(MODES),
                          fill_value=0.0).to_numpy(float)
        tkm = cpk * corridor_weight_kg(scenario, seg)[:, None] / 1000.0
    parcels = np.array([np.nansum(f[m], axis=0) for m in masks.values()])
    if cpk is not None:
        parcel_km = np.array([cpk[m].sum(axis=0) for m in masks.values()])
        tonne_km = np.array([tkm[m].sum(axis=0) for m in masks.values()])
    else:
        parcel_km = np.full((len(SCOPES), len(MODES)), np.nan)
        parcel_km[0] = pkm
        tonne_km = np.full((len(SCOPES), len(MODES)), np.nan)

    def shares(a: np.ndarray) -> np.ndarray:
        tot = a.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(tot > 0, a / tot, np.nan)

    return {"mode_parcels_by_scope": parcels, "parcel_km_by_scope": parcel_km,
            "tonne_km_by_scope": tonne_km, "mode_share_parcels": shares(parcels),
            "mode_share_parcel_km": shares(parcel_km), "mode_share_tonne_km": shares(tonne_km)}


def _has_solution(report: Any) -> bool:
    if report is None:
        return False
    has = report.get("has_solution") if isinstance(report, dict) else \
        getattr(report, "has_solution", None)
    if has is not None:
        return bool(has)
    return str(_report_value(report, "status", default="")) in ("optimal", "feasible")


def _empty_design(network: Network, report: Any) -> Design:
    """A design with every figure NaN (no solution), carrying the report."""
    nan = float("nan")
    corr, hubs, links = network.corridors.index, network.hubs.index, network.links.index
    return Design(
        corridor_flow=pd.DataFrame(nan, index=corr, columns=list(MODES)),
        unserved=pd.Series(nan, index=corr), late=pd.Series(nan, index=corr),
        links=pd.DataFrame(nan, index=links, columns=["flow_parcels_per_day", "modules_added",
                                                       "capacity_parcels_per_day",
                                                       "departures_per_week"]),
        hubs=pd.DataFrame(nan, index=hubs, columns=["throughput_parcels_per_day",
                                                     "modules_added", "capacity_parcels_per_day",
                                                     "is_open"]),
        parcel_km={m: nan for m in MODES}, costs={c: nan for c in (*COST_COMPONENTS, "total")},
        co2_t_per_day=nan, report=report,
    )


def failed_scenario_dataset(
    network: Network, scenario: Scenario, status: str, message: str
) -> xr.Dataset:
    """A scenario that failed to solve: all figures NaN, `status` and `message` set."""
    return design_to_dataset(network, scenario,
                             _empty_design(network, {"status": status, "message": message}))


def _static_dataset(study: Study, forecasts: Any | None) -> xr.Dataset:
    net = study.network
    nodes, links, hubs, corr = net.nodes, net.links, net.hubs, net.corridors
    rural = nodes["rural"] if "rural" in nodes else pd.Series(False, index=nodes.index)
    coords = {
        "node": nodes.index.to_numpy(str),
        "node_lat": ("node", nodes["lat"].to_numpy(float)),
        "node_lon": ("node", nodes["lon"].to_numpy(float)),
        "node_name_en": ("node", nodes["name_en"].astype(str).to_numpy()),
        "node_name_zh": ("node", nodes["name_zh"].astype(str).to_numpy()),
        "node_kind": ("node", nodes["kind"].astype(str).to_numpy()),
        "node_rural": ("node", rural.fillna(False).astype(np.int8).to_numpy()),
        "corridor": corr.index.to_numpy(str),
        "corridor_origin": ("corridor", corr["origin"].astype(str).to_numpy()),
        "corridor_destination": ("corridor", corr["destination"].astype(str).to_numpy()),
        "corridor_service_class": ("corridor", corr["service_class"].astype(str).to_numpy()),
        "corridor_segment": ("corridor", corridor_segments(corr).to_numpy(str)),
        "corridor_international": ("corridor", corridor_international(net).astype(np.int8)),
        "link": links.index.to_numpy(str),
        "link_from": ("link", links["from_node"].astype(str).to_numpy()),
        "link_to": ("link", links["to_node"].astype(str).to_numpy()),
        "link_mode": ("link", links["mode"].astype(str).to_numpy()),
        "link_role": ("link", links["role"].astype(str).to_numpy()),
        "link_distance_km": ("link", links["distance_km"].to_numpy(float)),
        "link_min_weekly_frequency": ("link", links["min_weekly_frequency"].to_numpy(float)
                                      if "min_weekly_frequency" in links
                                      else np.full(len(links), np.nan)),
        "hub": hubs.index.to_numpy(str),
        "hub_name_en": ("hub", nodes["name_en"].reindex(hubs.index).astype(str).to_numpy()),
        "hub_name_zh": ("hub", nodes["name_zh"].reindex(hubs.index).astype(str).to_numpy()),
    }
    data: dict[str, Any] = {
        "hub_capacity_existing": ("hub", hubs["capacity_parcels_per_day"].to_numpy(float)),
    }
    wide = net.history_wide().reindex(columns=corr.index)
    data["history"] = (("corridor", "month"), wide.to_numpy(float).T)
    coords["month"] = wide.index.to_timestamp().to_numpy()
    if forecasts is not None:
        fc = forecasts.forecasts if hasattr(forecasts, "forecasts") else forecasts
        fc = fc[fc["series_id"].isin(corr.index)]
        dates = np.sort(pd.to_datetime(fc["date"]).unique())
        cube = np.full((len(corr), len(dates), len(STATS)), np.nan)
        for k, stat in enumerate(STATS):
            wide_fc = fc.pivot_table(index="series_id", columns="date", values=stat)
            wide_fc.columns = pd.to_datetime(wide_fc.columns)
            cube[:, :, k] = wide_fc.reindex(index=corr.index, columns=dates).to_numpy(float)
        data["forecast"] = (("corridor", "forecast_month", "stat"), cube)
        coords["forecast_month"] = dates
        coords["stat"] = list(STATS)
    return xr.Dataset(data, coords=coords)


def combine_results(parts: Sequence[xr.Dataset], study: Study, forecasts: Any | None) -> xr.Dataset:
    """Concatenate per-scenario datasets along `scenario` and add the static parts and attrs."""
    from netdesign.results.provenance import provenance_attrs

    reports = {str(p["scenario"].values[0]): json.loads(p.attrs.get("solver_report", "{}"))
               for p in parts}
    stripped = [p.drop_attrs() if hasattr(p, "drop_attrs") else p.assign_attrs({})
                for p in parts]
    for p in stripped:
        p.attrs = {}
    merged = xr.concat(stripped, dim="scenario", data_vars="minimal", coords="minimal",
                       compat="override", join="outer")
    ds = xr.merge([merged, _static_dataset(study, forecasts)], compat="override",
                  combine_attrs="drop")
    ds.attrs.update(provenance_attrs(study))
    ds.attrs["solver_reports"] = json.dumps(reports, default=str)
    planning = study.cfg.planning
    ds.attrs["peak_factor"] = planning.peak_factor if isinstance(planning.peak_factor, str) \
        else float(planning.peak_factor)  # "forecast": each scenario's in `peak_factor`
    ds.attrs["max_utilisation"] = float(planning.max_utilisation)
    return _annotate(ds)


def _annotate(ds: xr.Dataset) -> xr.Dataset:
    return schema.annotate(ds)

