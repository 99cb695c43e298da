#!/usr/bin/env python3
"""Print the 1-2-3 circle figures of a results.nc, one block per scenario.

usage: python scripts/circle_figures.py OUT/results.nc

Per scenario: total, economic and penalty cost (CNY/day) and the penalty share; on-time share
per service class and per segment; for global direct mail (segment `direct_mail`, class
`global`) the on-time share and the share flown (main mode air); parcels by main mode for
international corridors.
"""

from __future__ import annotations

import sys

import numpy as np
import xarray as xr


def main(path: str) -> None:
    with xr.open_dataset(path) as ds:
        for s in ds["scenario"].values:
            one = ds.sel(scenario=s)
            total, econ, pen = (float(one[v]) for v in ("total_cost", "economic_cost",
                                                       "penalty_cost"))
            print(f"{s}: total {total:,.0f} CNY/day = economic {econ:,.0f} + penalty "
                  f"{pen:,.0f} ({pen / total:.0%} penalty)")
            by_class = one["on_time_share_by_class"].to_series().round(3).to_dict()
            by_seg = one["on_time_share_by_segment"].to_series().round(3).to_dict()
            print(f"  on time by class {by_class}; by segment {by_seg}")
            mask = ((one["corridor_segment"] == "direct_mail")
                    & (one["corridor_service_class"] == "global")).values
            demand = float(one["demand"].values[mask].sum())
            if demand > 0:
                late = float(np.nansum(one["late"].values[mask]))
                unserved = float(np.nansum(one["unserved"].values[mask]))
                air = float(np.nansum(one["flow"].sel(mode="air").values[mask]))
                print(f"  global direct mail: {demand:,.0f} parcels/day, on time "
                      f"{(demand - late - unserved) / demand:.3f}, by air {air / demand:.3f}")
            intl = one["mode_share_parcels"].sel(scope="international").to_series().round(3)
            print(f"  international parcels by main mode {intl.to_dict()}")


if __name__ == "__main__":
    main(sys.argv[1])
