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
from netdesign.scenario.scenario import Scenario
from netdesign.vocabulary import COST_COMPONENTS, FORECAST_STATS

if TYPE_CHECKING:
    from netdesign.data.inputs import StudyInputs as Study

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

    report = design.report
    status = str(_report_value(report, "status", default="unknown"))
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
            **_scenario_coords(scenario),
        },
    )
    if not _has_solution(report):
        ds["on_time_share"][:] = np.nan
        ds["on_time_share_by_class"][:] = np.nan
    ds.attrs["solver_report"] = json.dumps(report_to_dict(report), default=str)
    return _annotate(ds)


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
    return _annotate(ds)


def _annotate(ds: xr.Dataset) -> xr.Dataset:
    return schema.annotate(ds)


SUMMARY_COLUMNS = (
    "scenario", "year", "growth", "costs", "carbon_price", "policy", "demand_quantile",
    "status", "mip_gap", "total_cost_cny_per_day", "co2_t_per_day", "on_time_share",
    "unserved_parcels_per_day", "hub_capacity_added_parcels_per_day", "share_road",
    "share_rail", "share_water", "share_air", "message",
)


def summary_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per scenario with the headline figures (the columns of summary.csv)."""
    rows = []
    for s in ds["scenario"].values:
        one = ds.sel(scenario=s)
        row = {
            "scenario": str(s),
            "year": int(one["year"]),
            "growth": str(one["growth"].values),
            "costs": str(one["costs"].values),
            "carbon_price": float(one["carbon_price"]),
            "policy": str(one["policy"].values),
            "demand_quantile": str(one["demand_quantile"].values),
            "status": str(one["status"].values),
            "mip_gap": float(one["mip_gap"]),
            "total_cost_cny_per_day": float(one["total_cost"]),
            "co2_t_per_day": float(one["co2"]),
            "on_time_share": float(one["on_time_share"]),
            "unserved_parcels_per_day": float(one["unserved_total"]),
            "hub_capacity_added_parcels_per_day": float(one["hub_capacity_added"].sum()),
        }
        for m in MODES:
            row[f"share_{m}"] = float(one["mode_share"].sel(mode=m))
        row["message"] = str(one["message"].values) if "message" in one else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
