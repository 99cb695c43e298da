"""The batch study of docs/api.md on any study: carbon price against mode shares and CO2.

    .venv/bin/python scripts/example_carbon_batch.py configs/hangzhou.yaml \\
        --forecasts out/hangzhou/forecasts.csv --scenario base_2025 --prices 0 100 300

Prints one column per carbon price (CNY/t CO2): status, MIP gap, line-haul shares of parcel-km
and of parcels, CO2 (t/day), total cost (CNY/day), on-time share, solve seconds.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

import netdesign as nd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("config")
    ap.add_argument("--forecasts", help="saved forecasts.csv (default: forecast now)")
    ap.add_argument("--scenario", default=None, help="a scenario name of the study")
    ap.add_argument("--year", type=int, default=None, help="or a design year")
    ap.add_argument("--prices", type=float, nargs="+", default=[0, 100, 300])
    args = ap.parse_args()
    study = nd.Study.load(args.config, forecasts=args.forecasts)
    cases = {} if args.scenario else {"year": args.year or study.cfg.scenarios[0].year}
    rows = []
    for price in args.prices:
        t = time.perf_counter()
        s = study.solve(args.scenario, carbon_price_cny_per_t=price, **cases)
        rows.append({"carbon_price_cny_per_t": price, "status": s.report.status,
                     "mip_gap": s.report.mip_gap,
                     **s.mode_shares().add_prefix("pkm_share_"),
                     **s.mode_shares(by="parcels").add_prefix("parcel_share_"),
                     "co2_t_per_day": s.co2_t_per_day, "total_cny_per_day": s.costs["total"],
                     "on_time_share": s.on_time_by_class["all"],
                     "seconds": time.perf_counter() - t})
    table = pd.DataFrame(rows).set_index("carbon_price_cny_per_t")
    print(table.T.to_string(float_format=lambda v: f"{v:,.4f}" if abs(v) < 10 else f"{v:,.0f}"))


if __name__ == "__main__":
    main()
