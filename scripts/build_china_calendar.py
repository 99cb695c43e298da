"""Regenerate the shipped Chinese festival table `netdesign/data/calendar/china_festivals.csv`.

Not needed at run time: netdesign reads the CSV. Needs two small PyPI packages that are not
netdesign dependencies (install them in a scratch environment):

    pip install lunardate==0.3.0 chinese-calendar==1.11.0
    python scripts/build_china_calendar.py

Columns:
- ``year``; ``spring_festival``: the date of the Lunar New Year (正月初一, Gregorian), from
  `lunardate` (the Hong Kong Observatory tables; astronomical, so known for every year).
- ``holiday_first`` / ``holiday_last``: the official Spring Festival public holiday (the
  State Council General Office's yearly notice on holiday arrangements, as tabulated in the
  `chinese-calendar` package: the contiguous days named "Spring Festival", weekends and
  swapped days included), where a notice has been published (2004 onwards); blank otherwise.
See DATA_SOURCES.md ("Chinese calendar").
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "netdesign/data/calendar/china_festivals.csv"
YEARS = range(2000, 2041)


def official_holiday(year: int, lny: dt.date) -> tuple[str, str]:
    import chinese_calendar as cc

    first_known, last_known = min(cc.holidays), max(cc.holidays)
    if not first_known <= lny <= last_known:
        return "", ""

    def is_sf(d: dt.date) -> bool:
        on, name = cc.get_holiday_detail(d)
        return bool(on) and name == cc.Holiday.spring_festival.value

    if not is_sf(lny):
        return "", ""
    first = last = lny
    while is_sf(first - dt.timedelta(days=1)):
        first -= dt.timedelta(days=1)
    while is_sf(last + dt.timedelta(days=1)):
        last += dt.timedelta(days=1)
    return first.isoformat(), last.isoformat()


def main() -> None:
    from lunardate import LunarDate

    rows = []
    for year in YEARS:
        lny = LunarDate(year, 1, 1).to_solar_date()
        first, last = official_holiday(year, lny)
        rows.append({"year": year, "spring_festival": lny.isoformat(),
                     "holiday_first": first, "holiday_last": last})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} years to {OUT}")


if __name__ == "__main__":
    main()
