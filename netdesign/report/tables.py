"""Plain tables (pandas) of a results dataset: summary, mode split, hubs, links, corridors.

Column names are machine keys with units (as in summary.csv); `COLUMN_LABELS` maps each key to
an i18n label and unit so that export and the report can show localised headers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.report.i18n import header
from netdesign.results.summary import SUMMARY_COLUMNS  # noqa: F401  (summary.csv's columns)

# The summary table itself is `netdesign.results.statistics(ds).headline()` (one definition,
# results/summary.py); this module holds the report's other tables.

# machine column -> (i18n label key, i18n unit key)
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "scenario": ("scenario", "none"),
    "year": ("year", "none"),
    "growth": ("growth", "none"),
    "costs": ("costs", "none"),
    "carbon_price": ("carbon_price", "cny_t"),
    "policy": ("policy", "none"),
    "demand_quantile": ("demand_quantile", "none"),
    "status": ("status", "none"),
    "mip_gap": ("mip_gap", "share"),
    "total_cost_cny_per_day": ("total_cost", "cny_day"),
    "co2_t_per_day": ("co2", "t_day"),
    "on_time_share": ("on_time_share", "share"),
    "unserved_parcels_per_day": ("unserved_total", "parcels_day"),
    "hub_capacity_added_parcels_per_day": ("hub_capacity_added", "parcels_day"),
    "share_road": ("road", "share"),
    "share_rail": ("rail", "share"),
    "share_water": ("water", "share"),
    "share_air": ("air", "share"),
    "message": ("message", "none"),
    "mode": ("mode", "none"),
    "parcels_per_day": ("mode_parcels", "parcels_day"),
    "parcel_km_per_day": ("mode_pkm", "pkm_day"),
    "share": ("share", "share"),
    "hub": ("hub", "none"),
    "name_zh": ("name", "none"),
    "name_en": ("name", "none"),
    "capacity_existing_parcels_per_day": ("existing", "parcels_day"),
    "capacity_added_parcels_per_day": ("added", "parcels_day"),
    "capacity_parcels_per_day": ("capacity_after", "parcels_day"),
    "throughput_parcels_per_day": ("throughput", "parcels_day"),
    "utilisation": ("hub_utilisation", "share"),
    "link": ("link", "none"),
    "from_node": ("from", "none"),
    "to_node": ("to", "none"),
    "role": ("role", "none"),
    "distance_km": ("distance", "km"),
    "flow_parcels_per_day": ("flow", "parcels_day"),
    "link_capacity_parcels_per_day": ("link_capacity", "parcels_day"),
    "modules_added": ("modules_added", "modules"),
    "departures_per_week": ("departures", "per_week"),
    "min_weekly_frequency": ("min_frequency", "per_week"),
    "corridor": ("corridor", "none"),
    "origin": ("origin", "none"),
    "destination": ("destination", "none"),
    "service_class": ("service_class", "none"),
    "demand_parcels_per_day": ("demand", "parcels_day"),
    "flow_road_parcels_per_day": ("road", "parcels_day"),
    "flow_rail_parcels_per_day": ("rail", "parcels_day"),
    "flow_water_parcels_per_day": ("water", "parcels_day"),
    "flow_air_parcels_per_day": ("air", "parcels_day"),
    "late_parcels_per_day": ("late", "parcels_day"),
    "month": ("month", "none"),
    "mean_parcels_per_month": ("forecast_mean", "parcels_month"),
    "lo_80_parcels_per_month": ("pi_80", "parcels_month"),
    "hi_80_parcels_per_month": ("pi_80", "parcels_month"),
    "lo_95_parcels_per_month": ("pi_95", "parcels_month"),
    "hi_95_parcels_per_month": ("pi_95", "parcels_month"),
    "mean_parcels_per_year": ("forecast_mean", "parcels_year"),
    "months": ("months", "none"),
    "cost_transport_cny_per_day": ("transport", "cny_day"),
    "cost_handling_cny_per_day": ("handling", "cny_day"),
    "cost_capacity_cny_per_day": ("capacity", "cny_day"),
    "cost_carbon_cny_per_day": ("carbon", "cny_day"),
    "cost_late_penalty_cny_per_day": ("late_penalty", "cny_day"),
    "cost_unserved_penalty_cny_per_day": ("unserved_penalty", "cny_day"),
    "served_parcels_per_day": ("served", "parcels_day"),
    "co2_kg_per_parcel": ("co2_per_parcel", "kg_parcel"),
    "kind": ("kind", "none"),
    "id": ("id", "none"),
    "gap_tolerance": ("gap_tolerance", "share"),
    "economic_cost_cny_per_day": ("economic_cost", "cny_day"),
    "penalty_cost_cny_per_day": ("penalty_cost", "cny_day"),
    "on_time_share_domestic": ("on_time_share_domestic", "share"),
    "on_time_share_neighbouring": ("on_time_share_neighbouring", "share"),
    "on_time_share_global": ("on_time_share_global", "share"),
    "peak_factor": ("peak_factor", "none"),
    "max_utilisation": ("max_utilisation", "share"),
    "max_hub_utilisation_peak": ("max_hub_utilisation_peak", "share"),
    "utilisation_peak": ("hub_utilisation_peak", "share"),
    "segment": ("segment", "none"),
}
_SUFFIX = {"name_zh": " (中文)", "name_en": " (English)",
           "lo_80_parcels_per_month": " lo", "hi_80_parcels_per_month": " hi",
           "lo_95_parcels_per_month": " lo", "hi_95_parcels_per_month": " hi"}


def localised_headers(columns: list[str], lang: str) -> list[str]:
    """Headers with units in `lang` for machine column names (unknown names kept)."""
    out = []
    for c in columns:
        if c not in COLUMN_LABELS:
            out.append(c)
            continue
        label, unit_key = COLUMN_LABELS[c]
        h = header(label, unit_key, lang)
        suffix = _SUFFIX.get(c)
        if suffix:
            base, _, rest = h.partition(" (")
            h = f"{base}{suffix}" + (f" ({rest}" if rest else "")
        out.append(h)
    return out


def _str(da: xr.DataArray) -> list[str]:
    return [str(v) for v in np.asarray(da.values).ravel()]


def _grid(ds: xr.Dataset, dim: str, static: dict[str, np.ndarray],
          per_scenario: dict[str, np.ndarray]) -> pd.DataFrame:
    """A scenario x `dim` table (scenario-major): `static` columns (length n_dim) repeat for
    every scenario; `per_scenario` columns are (n_scenario, n_dim) arrays, flattened."""
    n_s, n = ds.sizes["scenario"], ds.sizes[dim]
    cols: dict[str, np.ndarray] = {
        "scenario": np.repeat(np.asarray(_str(ds["scenario"]), dtype=object), n),
        dim: np.tile(np.asarray(_str(ds[dim]), dtype=object), n_s),
    }
    for name, values in static.items():
        cols[name] = np.tile(np.asarray(values), n_s)
    for name, values in per_scenario.items():
        cols[name] = np.asarray(values, dtype=float).reshape(n_s * n)
    return pd.DataFrame(cols)


def _arr(ds: xr.Dataset, name: str, dims: tuple[str, ...]) -> np.ndarray:
    return ds[name].transpose(*dims).values


def mode_split_table(ds: xr.Dataset) -> pd.DataFrame:
    """scenario x mode: parcels/day (main mode), line-haul parcel-km/day, share of parcel-km."""
    sm = ("scenario", "mode")
    df = _grid(ds, "mode", {}, {"parcels_per_day": _arr(ds, "mode_parcels", sm),
                                "parcel_km_per_day": _arr(ds, "parcel_km", sm),
                                "share": _arr(ds, "mode_share", sm)})
    df.insert(1, "year", np.repeat(ds["year"].values.astype(int), ds.sizes["mode"]))
    return df


def hubs_table(ds: xr.Dataset) -> pd.DataFrame:
    """scenario x hub: existing, added and post-expansion capacity, throughput, utilisation
    on the average day and (results with design-day sizing) on the design day."""
    sh = ("scenario", "hub")
    return _grid(ds, "hub", {
        "name_zh": np.asarray(_str(ds["hub_name_zh"]), dtype=object),
        "name_en": np.asarray(_str(ds["hub_name_en"]), dtype=object),
        "capacity_existing_parcels_per_day": ds["hub_capacity_existing"].values.astype(float),
    }, {
        "capacity_added_parcels_per_day": _arr(ds, "hub_capacity_added", sh),
        "capacity_parcels_per_day": _arr(ds, "hub_capacity", sh),
        "throughput_parcels_per_day": _arr(ds, "hub_throughput", sh),
        "utilisation": _arr(ds, "hub_utilisation", sh),
        **({"utilisation_peak": _arr(ds, "hub_utilisation_peak", sh)}
           if "hub_utilisation_peak" in ds.variables else {}),
    })


def links_table(ds: xr.Dataset) -> pd.DataFrame:
    """scenario x link: ends, mode, role, distance, flow, capacity, modules, departures/week."""
    from netdesign.report.load import link_labels

    zh, en = link_labels(ds, "zh"), link_labels(ds, "en")
    links = _str(ds["link"])
    sl = ("scenario", "link")
    obj = {"name_zh": [zh[lk] for lk in links], "name_en": [en[lk] for lk in links],
           "from_node": _str(ds["link_from"]), "to_node": _str(ds["link_to"]),
           "mode": _str(ds["link_mode"]), "role": _str(ds["link_role"])}
    static = {k: np.asarray(v, dtype=object) for k, v in obj.items()}
    static["distance_km"] = ds["link_distance_km"].values.astype(float)
    df = _grid(ds, "link", static, {
        "flow_parcels_per_day": _arr(ds, "link_flow", sl),
        "link_capacity_parcels_per_day": _arr(ds, "link_capacity", sl),
        "modules_added": _arr(ds, "link_modules_added", sl),
        "departures_per_week": _arr(ds, "link_departures_per_week", sl),
    })
    df["min_weekly_frequency"] = np.tile(ds["link_min_weekly_frequency"].values.astype(float),
                                         ds.sizes["scenario"])
    return df


def corridors_table(ds: xr.Dataset) -> pd.DataFrame:
    """scenario x corridor: demand, flow by main mode, unserved and late parcels/day."""
    sc = ("scenario", "corridor")
    per: dict[str, np.ndarray] = {"demand_parcels_per_day": _arr(ds, "demand", sc)}
    flow = _arr(ds, "flow", ("scenario", "corridor", "mode"))
    for k, m in enumerate(_str(ds["mode"])):
        per[f"flow_{m}_parcels_per_day"] = flow[:, :, k]
    per["unserved_parcels_per_day"] = _arr(ds, "unserved", sc)
    per["late_parcels_per_day"] = _arr(ds, "late", sc)
    static = {"origin": np.asarray(_str(ds["corridor_origin"]), dtype=object),
              "destination": np.asarray(_str(ds["corridor_destination"]), dtype=object),
              "service_class": np.asarray(_str(ds["corridor_service_class"]), dtype=object)}
    return _grid(ds, "corridor", static, per)


def forecasts_table(ds: xr.Dataset) -> pd.DataFrame:
    """corridor x forecast month: mean and 80/95 % interval bounds, parcels/month."""
    from netdesign.report.load import months

    if "forecast" not in ds:
        return pd.DataFrame(columns=["corridor", "month"])
    fm = [m.strftime("%Y-%m") for m in months(ds["forecast_month"].values)]
    corr = _str(ds["corridor"])
    cube = ds["forecast"].transpose("corridor", "forecast_month", "stat")
    cols: dict[str, object] = {"corridor": np.repeat(np.asarray(corr, dtype=object), len(fm)),
                               "month": np.tile(np.asarray(fm, dtype=object), len(corr))}
    for stat in ("mean", "lo_80", "hi_80", "lo_95", "hi_95"):
        cols[f"{stat}_parcels_per_month"] = cube.sel(stat=stat).values.astype(float).ravel()
    return pd.DataFrame(cols)


def costs_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per scenario: cost by component and total, CNY/day."""
    df = pd.DataFrame({"scenario": _str(ds["scenario"]),
                       "year": ds["year"].values.astype(int)})
    for comp in _str(ds["cost_component"]):
        df[f"cost_{comp}_cny_per_day"] = ds["cost"].sel(cost_component=comp).values.astype(float)
    df["total_cost_cny_per_day"] = ds["total_cost"].values.astype(float)
    return df


def co2_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per scenario: CO2 t/day, carbon price, carbon cost, CO2 per parcel served
    (kg = 1000 x CO2 t/day / parcels served per day, served = demand - unserved)."""
    served = (ds["demand"] - ds["unserved"].fillna(0.0)).sum("corridor", min_count=1)
    co2 = ds["co2"].values.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_parcel = np.where(served.values > 0, co2 * 1000 / served.values, np.nan)
    carbon = (ds["cost"].sel(cost_component="carbon").values.astype(float)
              if "carbon" in ds["cost_component"].values else np.full(len(co2), np.nan))
    return pd.DataFrame({
        "scenario": _str(ds["scenario"]), "year": ds["year"].values.astype(int),
        "carbon_price": ds["carbon_price"].values.astype(float),
        "co2_t_per_day": co2, "cost_carbon_cny_per_day": carbon,
        "served_parcels_per_day": served.values.astype(float),
        "co2_kg_per_parcel": per_parcel,
    })


def on_time_table(ds: xr.Dataset) -> pd.DataFrame:
    """scenario x service class: demand, late, unserved (parcels/day, sums over the class's
    corridors) and the on-time share (`on_time_share_by_class`); one 'all' row per scenario
    with `on_time_share`."""
    cls = np.asarray(_str(ds["corridor_service_class"]))
    rows = []
    for i, s in enumerate(_str(ds["scenario"])):
        for c in [*_str(ds["service_class"]), "all"]:
            mask = np.ones(len(cls), bool) if c == "all" else cls == c

            def total(name: str, mask=mask, i=i) -> float:
                vals = ds[name].isel(scenario=i).values[mask].astype(float)
                return float(np.nansum(vals)) if len(vals) and not np.isnan(vals).all() \
                    else np.nan
            share = (float(ds["on_time_share"].values[i]) if c == "all" else
                     float(ds["on_time_share_by_class"].isel(scenario=i).sel(service_class=c)))
            rows.append({"scenario": s, "year": int(ds["year"].values[i]),
                         "service_class": "all_classes" if c == "all" else c,
                         "demand_parcels_per_day": total("demand"),
                         "late_parcels_per_day": total("late"),
                         "unserved_parcels_per_day": total("unserved"),
                         "on_time_share": share})
    return pd.DataFrame(rows)


def capacity_table(ds: xr.Dataset) -> pd.DataFrame:
    """Expansions: every (scenario, hub) with capacity added and (scenario, link) with
    modules added, with capacity before and after, parcels/day."""
    from netdesign.report.load import link_labels

    rows = []
    hubs = _str(ds["hub"])
    names = dict(zip(hubs, _str(ds["hub_name_zh"]), strict=True))
    names_en = dict(zip(hubs, _str(ds["hub_name_en"]), strict=True))
    zh, en = link_labels(ds, "zh"), link_labels(ds, "en")
    existing = ds["hub_capacity_existing"].values.astype(float)
    for i, s in enumerate(_str(ds["scenario"])):
        added = ds["hub_capacity_added"].isel(scenario=i).values.astype(float)
        cap = ds["hub_capacity"].isel(scenario=i).values.astype(float)
        util = ds["hub_utilisation"].isel(scenario=i).values.astype(float)
        for j, h in enumerate(hubs):
            if added[j] > 1e-9:
                rows.append({"scenario": s, "kind": "hub", "id": h, "name_zh": names[h],
                             "name_en": names_en[h],
                             "capacity_existing_parcels_per_day": existing[j],
                             "capacity_added_parcels_per_day": added[j],
                             "capacity_parcels_per_day": cap[j], "modules_added": np.nan,
                             "utilisation": util[j]})
        modules = ds["link_modules_added"].isel(scenario=i).values.astype(float)
        lcap = ds["link_capacity"].isel(scenario=i).values.astype(float)
        flow = ds["link_flow"].isel(scenario=i).values.astype(float)
        for j, lk in enumerate(_str(ds["link"])):
            if modules[j] > 1e-9:
                rows.append({"scenario": s, "kind": "link", "id": lk, "name_zh": zh[lk],
                             "name_en": en[lk], "capacity_existing_parcels_per_day": np.nan,
                             "capacity_added_parcels_per_day": np.nan,
                             "capacity_parcels_per_day": lcap[j], "modules_added": modules[j],
                             "utilisation": flow[j] / lcap[j] if lcap[j] > 0 else np.nan})
    cols = ["scenario", "kind", "id", "name_zh", "name_en", "capacity_existing_parcels_per_day",
            "capacity_added_parcels_per_day", "capacity_parcels_per_day", "modules_added",
            "utilisation"]
    return pd.DataFrame(rows, columns=cols)


def forecasts_annual_table(ds: xr.Dataset) -> pd.DataFrame:
    """corridor x calendar year of the forecast: the sum of the monthly mean forecasts
    (parcels/year) and the number of months forecast in that year (a partial year has
    fewer than 12). Interval bounds do not add up over months; they are in the monthly
    table (`forecasts_table`)."""
    monthly = forecasts_table(ds)
    if monthly.empty:
        return pd.DataFrame(columns=["corridor", "year", "mean_parcels_per_year", "months"])
    monthly["year"] = monthly["month"].str.slice(0, 4).astype(int)
    out = monthly.groupby(["corridor", "year"], sort=False).agg(
        mean_parcels_per_year=("mean_parcels_per_month", "sum"),
        months=("mean_parcels_per_month", "size")).reset_index()
    return out
