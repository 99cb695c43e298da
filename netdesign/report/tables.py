"""Plain tables (pandas) of a results dataset: summary, mode split, hubs, links, corridors.

Column names are machine keys with units (as in summary.csv); `COLUMN_LABELS` maps each key to
an i18n label and unit so that export and the report can show localised headers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.report.i18n import header
from netdesign.report.load import solver_report

SUMMARY_COLUMNS = (
    "scenario", "year", "growth", "costs", "carbon_price", "policy", "demand_quantile",
    "status", "mip_gap", "total_cost_cny_per_day", "co2_t_per_day", "on_time_share",
    "unserved_parcels_per_day", "hub_capacity_added_parcels_per_day", "share_road",
    "share_rail", "share_water", "share_air", "message",
)

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


def summary_table(ds: xr.Dataset) -> pd.DataFrame:
    """One row per scenario with the headline figures (the columns of summary.csv).

    unserved_parcels_per_day = sum of `unserved` over corridors; hub_capacity_added = sum of
    `hub_capacity_added` over hubs; share_* = `mode_share`; message from `solver_reports`.
    """
    names = _str(ds["scenario"])
    unserved = ds["unserved"].sum("corridor", min_count=1)
    added = ds["hub_capacity_added"].sum("hub", min_count=1)
    df = pd.DataFrame({
        "scenario": names,
        "year": ds["year"].values.astype(int),
        "growth": _str(ds["growth"]),
        "costs": _str(ds["costs"]),
        "carbon_price": ds["carbon_price"].values.astype(float),
        "policy": _str(ds["policy"]),
        "demand_quantile": _str(ds["demand_quantile"]),
        "status": _str(ds["status"]),
        "mip_gap": ds["mip_gap"].values.astype(float),
        "total_cost_cny_per_day": ds["total_cost"].values.astype(float),
        "co2_t_per_day": ds["co2"].values.astype(float),
        "on_time_share": ds["on_time_share"].values.astype(float),
        "unserved_parcels_per_day": unserved.values.astype(float),
        "hub_capacity_added_parcels_per_day": added.values.astype(float),
    })
    for m in ("road", "rail", "water", "air"):
        df[f"share_{m}"] = (ds["mode_share"].sel(mode=m).values.astype(float)
                            if m in ds["mode"].values else np.nan)
    if "message" in ds.variables:  # not in the schema, but written by netdesign.results
        df["message"] = _str(ds["message"])
    else:
        df["message"] = [str(solver_report(ds, n).get("message", "") or "") for n in names]
    return df[list(SUMMARY_COLUMNS)]


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
    """scenario x hub: existing, added and post-expansion capacity, throughput, utilisation."""
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
