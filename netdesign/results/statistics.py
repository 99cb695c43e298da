"""Key figures of a results Dataset as pandas tables (in the spirit of PyPSA's `n.statistics`).

    >>> stats = statistics(ds)              # ds: results.nc, `run_study`'s or `StudyRun.dataset`
    >>> stats.mode_shares()                 # scenario x mode, share of line-haul parcel-km
    >>> stats.mode_shares(by="parcels")     # share of parcels by main line-haul mode
    >>> stats.costs()                       # scenario x cost component, CNY/day
    >>> stats.on_time()                     # scenario x service class (+ "all"), share
    >>> stats.utilisation()                 # scenario x hub, throughput / capacity
    >>> stats.co2()                         # t CO2/day per scenario
    >>> stats.headline()                    # one row per scenario: the summary.csv columns
    >>> stats.scenarios()                   # the cases that define each scenario

Every table is indexed by `scenario` (in dataset order) and has one column per category; with
``long=True`` it is returned tidy instead (columns ``scenario, <category>, value``). The unit
of the values is in ``frame.attrs["unit"]``. The figures are the ones stored in the dataset
(so a table and the report show the same number); a scenario without a solution has NaN.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
import xarray as xr

from netdesign.results.summary import summary_table

SCENARIO_PARAMETERS = ("year", "growth", "costs", "carbon_price", "policy", "demand_quantile")


class Statistics:
    """Tables of one results Dataset (see the module docstring)."""

    def __init__(self, ds: xr.Dataset):
        self.ds = ds

    # -- helpers ------------------------------------------------------------------------------
    def _table(self, da: xr.DataArray, column_dim: str, unit: str, long: bool,
               total: tuple[str, str] | None = None) -> pd.DataFrame:
        """`da` as scenario x `column_dim`; `total` = (column name, scenario variable) adds a
        column of that per-scenario variable (the objective, the overall on-time share)."""
        frame = da.transpose("scenario", column_dim).to_pandas()
        frame.index = frame.index.astype(str)
        frame.columns = frame.columns.astype(str)
        frame = frame.astype(float)
        if total is not None:
            frame[total[0]] = self.ds[total[1]].values.astype(float)
        frame.index.name, frame.columns.name = "scenario", column_dim
        if long:
            frame = frame.stack(future_stack=True).rename("value").reset_index()
        frame.attrs["unit"] = unit
        return frame

    def _series(self, name: str, unit: str) -> pd.Series:
        s = pd.Series(self.ds[name].values.astype(float),
                      index=pd.Index(self.ds["scenario"].values.astype(str), name="scenario"),
                      name=name)
        s.attrs["unit"] = unit
        return s

    # -- tables -------------------------------------------------------------------------------
    def scenarios(self) -> pd.DataFrame:
        """The cases that define each scenario: year, growth, costs, carbon price (CNY/t CO2),
        policy, demand quantile."""
        index = pd.Index(self.ds["scenario"].values.astype(str), name="scenario")
        cols = {}
        for name in SCENARIO_PARAMETERS:
            if name in self.ds.variables:
                values = self.ds[name].values
                cols[name] = values.astype(float) if name == "carbon_price" else (
                    values.astype(int) if name == "year" else values.astype(str))
        return pd.DataFrame(cols, index=index)

    def mode_shares(self, by: Literal["parcel_km", "parcels"] = "parcel_km", *,
                    long: bool = False) -> pd.DataFrame:
        """Share of each line-haul mode per scenario (rows sum to 1; NaN without a solution).

        by="parcel_km": share of line-haul parcel-km (the quantity the policy bounds constrain).
        by="parcels": share of parcels/day by their main line-haul mode (the mode of a path's
        longest line-haul leg).
        """
        if by == "parcel_km":
            amount = self.ds["parcel_km"]
        elif by == "parcels":
            amount = self.ds["mode_parcels"]
        else:
            raise ValueError(f"by must be 'parcel_km' or 'parcels', not {by!r}")
        total = amount.sum("mode", min_count=1)
        share = amount / total.where(total > 0)
        return self._table(share, "mode", "1", long)

    def mode_amounts(self, by: Literal["parcel_km", "parcels"] = "parcel_km", *,
                     long: bool = False) -> pd.DataFrame:
        """Parcel-km/day or parcels/day per line-haul mode and scenario."""
        if by not in ("parcel_km", "parcels"):
            raise ValueError(f"by must be 'parcel_km' or 'parcels', not {by!r}")
        name, unit = ("parcel_km", "parcel-km/day") if by == "parcel_km" else \
            ("mode_parcels", "parcels/day")
        return self._table(self.ds[name], "mode", unit, long)

    def costs(self, *, long: bool = False) -> pd.DataFrame:
        """Cost per component and scenario, CNY/day; column `total` is the objective."""
        return self._table(self.ds["cost"], "cost_component", "CNY/day", long,
                           total=("total", "total_cost"))

    def on_time(self, *, long: bool = False) -> pd.DataFrame:
        """Share of demand delivered within its service standard, per service class and in
        total (column `all`); NaN for a class without demand or a scenario without solution."""
        return self._table(self.ds["on_time_share_by_class"], "service_class", "1", long,
                           total=("all", "on_time_share"))

    def utilisation(self, *, long: bool = False) -> pd.DataFrame:
        """Hub throughput / capacity after expansion, per hub and scenario (NaN: no capacity)."""
        return self._table(self.ds["hub_utilisation"], "hub", "1", long)

    def co2(self) -> pd.Series:
        """CO2 of all legs per scenario, t CO2/day."""
        return self._series("co2", "t CO2/day")

    def total_cost(self) -> pd.Series:
        """Objective per scenario, CNY/day."""
        return self._series("total_cost", "CNY/day")

    def headline(self) -> pd.DataFrame:
        """One row per scenario with the headline figures: the columns of summary.csv."""
        return summary_table(self.ds)


def statistics(ds: xr.Dataset) -> Statistics:
    """The statistics helper over a results Dataset (see the module docstring)."""
    missing = [v for v in ("scenario", "parcel_km", "mode_parcels", "cost", "total_cost",
                           "on_time_share", "on_time_share_by_class", "hub_utilisation", "co2")
               if v not in ds.variables]
    if missing:
        raise ValueError(f"not a netdesign results Dataset: missing {', '.join(missing)}")
    return Statistics(ds)


__all__ = ["SCENARIO_PARAMETERS", "Statistics", "statistics"]
