"""The Chinese calendar as regressors for monthly volumes: the moving Spring Festival.

Express volume in China drops for two to three weeks around the Lunar New Year (couriers and
warehouse staff travel home, factories and shops close). The festival falls between 21
January and 20 February, so the drop lands in January in some years, in February in others,
split in most. A fixed seasonal pattern (the decomposition's indices, Holt–Winters' season)
cannot follow it: it averages January and February over the years, and misses in both
months of every year whose festival is early or late.

Double-11 (11 November), 618 (18 June) and the National Day week (1–7 October) are fixed
Gregorian dates: they land in the same month every year and are part of the ordinary
seasonal pattern. Only the Spring Festival moves between months.

Regressor (`spring_festival_share`): for each month, the share of the Spring Festival
window, the days ``WINDOW = (-7, 14)`` around the Lunar New Year's day (a week before, the
official week-long holiday, and the week after, as the Lantern Festival ends the season),
that falls in that month. The shares of a year's January, February and March add up to 1.

Adjustment (`calendar_effect`), as X-13ARIMA-SEATS and TRAMO treat moving holidays: estimate
the effect by regression, remove it, model the adjusted series, and put the effect back
into the forecast. The effect is estimated on year-over-year log changes
``log y_t − log y_{t−12} = c + β (x_t − x_{t−12}) + e_t`` by least squares (statsmodels
OLS): the 12-month difference removes the fixed seasonal pattern and most of the trend, so
only the festival's move between years identifies β. A series is adjusted only when β is
significant (two-sided t test, `ALPHA`) and at least `MIN_YEARS` years of positive volumes
are there; otherwise nothing changes (a series without a festival effect keeps its
forecast). The festival dates come from the shipped table `china_festivals.csv` (see
`scripts/build_china_calendar.py` and DATA_SOURCES.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

CALENDARS = ("china", "none")
WINDOW = (-7, 14)       # days relative to the Lunar New Year's day, both ends included
ALPHA = 0.01            # significance of the festival coefficient
MIN_YEARS = 3           # years of positive monthly volumes needed to estimate the effect
MAX_EFFECT = 1.5        # |β| cap on the log scale (a window-wide drop of 78 %): beyond it the
                        # regression is fitting something else (a shock, an opening ramp)


@lru_cache(maxsize=1)
def festival_table() -> pd.DataFrame:
    """The shipped festival table: year, spring_festival (Lunar New Year's day),
    holiday_first, holiday_last (official holiday, NaT where no notice is published)."""
    src = resources.files("netdesign.data") / "calendar" / "china_festivals.csv"
    with src.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, dtype={"year": int})
    for col in ("spring_festival", "holiday_first", "holiday_last"):
        table[col] = pd.to_datetime(table[col], format="ISO8601")
    return table


def spring_festival_dates() -> dict[int, dt.date]:
    """Lunar New Year's day per year (Gregorian)."""
    t = festival_table()
    return {int(y): d.date() for y, d in zip(t["year"], t["spring_festival"], strict=True)}


def calendar_years() -> tuple[int, int]:
    """First and last year of the shipped table."""
    years = festival_table()["year"]
    return int(years.min()), int(years.max())


def spring_festival_share(periods: pd.PeriodIndex) -> np.ndarray:
    """Share (0..1) of the Spring Festival window (`WINDOW` days around each Lunar New Year)
    falling in each monthly period (the window never reaches December: the earliest festival
    is 21 January). Raises ValueError for a month outside the table's years."""
    if len(periods) == 0:
        return np.zeros(0)
    first, last = calendar_years()
    years = {p.year for p in periods}
    if min(years) < first or max(years) > last:
        raise ValueError(f"the Chinese festival table covers {first}-{last}; months from "
                         f"{min(years)} to {max(years)} were asked for")
    dates = spring_festival_dates()
    lo, hi = WINDOW
    length = hi - lo + 1
    share: dict[tuple[int, int], float] = {}
    for year in years:
        start = pd.Timestamp(dates[year]) + pd.Timedelta(days=lo)
        days = pd.date_range(start, periods=length, freq="D")
        for (y, m), n in pd.Series(1, index=days).groupby([days.year, days.month]).sum().items():
            share[(int(y), int(m))] = n / length
    return np.array([share.get((p.year, p.month), 0.0) for p in periods])


@dataclass(frozen=True)
class CalendarEffect:
    """A fitted festival effect: `beta` on the log scale per unit of window share (−0.3 =
    a month holding the whole window is 26 % below its seasonal norm), its t statistic and
    p value, and whether it is used (significant)."""

    beta: float
    t_value: float
    p_value: float
    used: bool


def calendar_effect(y: np.ndarray, x: np.ndarray, m: int = 12) -> CalendarEffect | None:
    """The festival effect in `y` (volumes per month, positive) with regressor `x` (window
    share, same months), by OLS on year-over-year log changes (see module doc). None when
    it cannot be estimated (non-positive volumes, fewer than `MIN_YEARS` years, or no move
    of the festival between the years seen)."""
    from statsmodels.regression.linear_model import OLS

    y = np.asarray(y, float)
    x = np.asarray(x, float)
    if len(y) != len(x) or len(y) < MIN_YEARS * m or not np.all(y > 0):
        return None
    d = np.log(y[m:]) - np.log(y[:-m])
    dx = x[m:] - x[:-m]
    if np.count_nonzero(np.abs(dx) > 1e-9) < 2:
        return None
    res = OLS(d, np.column_stack([np.ones_like(dx), dx])).fit()
    beta, t, p = float(res.params[1]), float(res.tvalues[1]), float(res.pvalues[1])
    if not (np.isfinite(beta) and np.isfinite(p)):
        return None
    used = p < ALPHA and abs(beta) <= MAX_EFFECT
    return CalendarEffect(beta, t, p, used)


def adjustment(effect: CalendarEffect | None, x: np.ndarray) -> np.ndarray:
    """Multiplicative calendar factor exp(β x) per month (1 where the effect is unused)."""
    if effect is None or not effect.used:
        return np.ones(len(x))
    return np.exp(effect.beta * np.asarray(x, float))


def adjust_history(y: np.ndarray, regressor: np.ndarray | None, offset: int, first_step: int,
                   horizon: int, m: int = 12) -> tuple[np.ndarray, np.ndarray, float | None]:
    """Remove a significant Spring Festival effect from a cleaned history `y` (volumes per
    month; its first month is index `offset` of `regressor`, its first forecast month index
    `first_step`). Returns the adjusted history, the factor exp(β x) to put back on the
    `horizon` forecast months, and β (None, with `y` unchanged and factors 1, when there is
    no regressor or the effect is not significant)."""
    ones = np.ones(horizon)
    if regressor is None:
        return y, ones, None
    x = np.asarray(regressor, float)
    x_hist = x[offset:offset + len(y)]
    x_future = x[first_step:first_step + horizon]
    if len(x_hist) != len(y) or len(x_future) != horizon:
        return y, ones, None
    effect = calendar_effect(y, x_hist, m)
    if effect is None or not effect.used:
        return y, ones, None
    return y / adjustment(effect, x_hist), adjustment(effect, x_future), effect.beta
