"""The time grid of a history: which period (day, week, month, quarter, year) a date stands
for, inferred from the spacing of the dates, and the season length that goes with it.

The engine itself works on positions in a contiguous grid of periods; this module turns the
dates of an input table into that grid and the grid back into dates. Corridor volumes in a
study are monthly (the study pipeline says so explicitly); `netdesign forecast` takes any of
these frequencies and writes its forecast dates in the same frequency and the same
convention (first or last day of the period) as the input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# frequency code -> (adjective, period, default season length in periods, spacing of
# consecutive periods in days: shortest, longest)
FREQUENCIES: dict[str, tuple[str, str, int, int, int]] = {
    "D": ("daily", "day", 7, 1, 1),
    "W": ("weekly", "week", 52, 7, 7),
    "M": ("monthly", "month", 12, 28, 31),
    "Q": ("quarterly", "quarter", 4, 89, 92),
    "Y": ("yearly", "year", 1, 365, 366),
}
_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
EXPECTED = "dates spaced by a day, week, month, quarter or year"


class FrequencyError(ValueError):
    """The dates are not spaced as any supported frequency; `spacing_days` says how."""

    def __init__(self, spacing_days: float) -> None:
        super().__init__(f"most common spacing of consecutive dates is {spacing_days:g} days")
        self.spacing_days = spacing_days


@dataclass(frozen=True)
class Grid:
    """A history's period frequency (pandas period alias, e.g. "M", "Q", "W-SUN") and
    whether its dates name the first or the last day of each period ("start" | "end")."""

    freq: str = "M"
    anchor: str = "start"

    @property
    def code(self) -> str:
        """One of `FREQUENCIES` ("W" for every weekly alias)."""
        return self.freq.split("-")[0]

    @property
    def name(self) -> str:
        """"monthly", "quarterly", ..."""
        return FREQUENCIES[self.code][0]

    @property
    def unit(self) -> str:
        """"month", "quarter", ..."""
        return FREQUENCIES[self.code][1]

    @property
    def season_length(self) -> int:
        """The default season length in periods (12 monthly, 4 quarterly, 1 yearly, ...)."""
        return FREQUENCIES[self.code][2]

    def periods(self, dates: pd.Series) -> pd.PeriodIndex:
        """The period each date falls in."""
        return pd.PeriodIndex(pd.to_datetime(pd.Series(dates)).dt.to_period(self.freq))

    def dates(self, periods: pd.PeriodIndex) -> pd.DatetimeIndex:
        """Dates naming `periods` in this grid's convention (first or last day)."""
        if self.anchor == "end":
            return periods.to_timestamp(how="end").normalize()
        return periods.to_timestamp(how="start")


def spacing_days(dates: pd.Series, series_id: pd.Series) -> float | None:
    """Most common number of days between consecutive distinct dates of the same series
    (None when no series has two dates). Missing periods make some gaps longer; the most
    common gap is still the period's length."""
    frame = pd.DataFrame({"s": np.asarray(series_id),
                          "d": pd.to_datetime(pd.Series(np.asarray(dates))).dt.normalize()})
    frame = frame.dropna().drop_duplicates().sort_values(["s", "d"])
    gaps = frame.groupby("s", sort=False)["d"].diff().dt.days.dropna()
    if gaps.empty:
        return None
    return float(gaps.mode().min())


def frequency_for(spacing: float | None) -> str:
    """Frequency code for a spacing in days (monthly when unknown); raises `FrequencyError`."""
    if spacing is None:
        return "M"
    for code, (_, _, _, shortest, longest) in FREQUENCIES.items():
        if shortest <= spacing <= longest:
            return code
    raise FrequencyError(spacing)


def infer_grid(dates: pd.Series, series_id: pd.Series, freq: str | None = None) -> Grid:
    """The grid of a long history (`dates` and `series_id`: columns of equal length, dates
    parsed, none missing).

    `freq`: a frequency code of `FREQUENCIES` or a pandas period alias ("W-SUN") to use
    instead of inferring one from `spacing_days`; raises `FrequencyError` when the spacing
    fits none. Weekly periods start on the weekday of the earliest date. The dates are read
    as last days of their periods when every date is one and not every date is also a first
    day (2024-03-31 for the first quarter, 2023-12-31 for 2023); otherwise as naming the
    period they fall in, and forecast dates are then first days.
    """
    d = pd.to_datetime(pd.Series(np.asarray(dates))).dt.normalize()
    code = freq or frequency_for(spacing_days(d, series_id))
    if code.split("-")[0] not in FREQUENCIES:
        raise ValueError(f"unknown frequency {code!r}: one of {', '.join(FREQUENCIES)}")
    alias = {"Q": "Q-DEC", "Y": "Y-DEC"}.get(code, code)
    if code == "W":
        first = d.min() if len(d) else pd.Timestamp("2000-01-03")
        alias = "W-" + _WEEKDAYS[(first.weekday() - 1) % 7]  # weeks end the day before
    grid = Grid(alias, "start")
    if len(d):
        p = grid.periods(d)
        at_end = (d.to_numpy() == p.to_timestamp(how="end").normalize().to_numpy()).all()
        at_start = (d.to_numpy() == p.to_timestamp(how="start").to_numpy()).all()
        if at_end and not at_start:
            grid = Grid(alias, "end")
    return grid


SUB_DAILY_EXPECTED = ("dates without a time of day: sub-daily (e.g. hourly) data is not "
                      "supported; aggregate it to one row per series and day first (sum the "
                      "values of each day), then forecast daily")


def sub_daily_rows(dates: pd.Series) -> np.ndarray:
    """Positions of timestamps with a time of day other than midnight (parsed dates; NaT
    ignored)."""
    d = pd.to_datetime(pd.Series(np.asarray(dates)))
    return np.flatnonzero((d.notna() & (d != d.dt.normalize())).to_numpy())


def series_frequencies(dates: pd.Series, series_id: pd.Series) -> dict[str, str]:
    """Frequency code of each series with at least two dates, inferred from its own most
    common spacing ("?" when the spacing fits no frequency)."""
    frame = pd.DataFrame({"s": np.asarray(series_id),
                          "d": pd.to_datetime(pd.Series(np.asarray(dates))).dt.normalize()})
    frame = frame.dropna().drop_duplicates().sort_values(["s", "d"])
    gaps = frame.groupby("s", sort=False)["d"].diff().dt.days
    out: dict[str, str] = {}
    for sid, g in gaps.groupby(frame["s"], sort=False):
        g = g.dropna()
        if g.empty:
            continue
        try:
            out[str(sid)] = frequency_for(float(g.mode().min()))
        except FrequencyError:
            out[str(sid)] = "?"
    return out


def mixed_frequencies(freqs: dict[str, str], limit: int = 5) -> str | None:
    """A description of the frequencies when the series do not share one, e.g.
    ``"monthly: A, B; daily: C"`` (at most `limit` series named per frequency); else None."""
    by_code: dict[str, list[str]] = {}
    for sid, code in freqs.items():
        by_code.setdefault(code, []).append(sid)
    if len(by_code) <= 1:
        return None
    parts = []
    for code, ids in sorted(by_code.items(), key=lambda kv: -len(kv[1])):
        name = FREQUENCIES[code][0] if code in FREQUENCIES else "irregular"
        more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
        parts.append(f"{name} ({len(ids)}): {', '.join(ids[:limit])}{more}")
    return "; ".join(parts)
