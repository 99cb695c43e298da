"""Shared helpers of the forecasting tests: long-format series and a known seasonal pattern."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netdesign.forecast import ForecastSettings

SERIAL = ForecastSettings(workers=1, progress=False)
# A monthly seasonal pattern (mean 1.0) used to build series with a known answer.
PATTERN = np.array([0.7, 0.8, 1.0, 1.1, 1.2, 1.3, 1.25, 1.1, 1.0, 0.9, 0.85, 0.8])


def long(series: dict[str, np.ndarray], start: str = "2019-01") -> pd.DataFrame:
    """Series (id -> monthly values) in the engine's long format: series_id, date, value."""
    rows = []
    for sid, y in series.items():
        months = pd.period_range(start, periods=len(y), freq="M").to_timestamp()
        rows.append(pd.DataFrame({"series_id": sid, "date": months, "value": y}))
    return pd.concat(rows, ignore_index=True)
