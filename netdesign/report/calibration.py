"""The base-year check in the report: the model's last history year beside observed figures.

The table is the one `netdesign run` writes as calibration.csv (`results/calibration.py`:
figure, model, observed, unit, source). The report reads it from the results' `calibration`
attribute (JSON records, written by `netdesign run`), else from calibration.csv beside the
results file (results written before the attribute existed).
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import pandas as pd
import xarray as xr

from netdesign.report.sections import ReportContext, Section
from netdesign.results.calibration import CALIBRATION_FILE, TABLE_COLUMNS


def calibration_table(ds: xr.Dataset) -> pd.DataFrame | None:
    """The base-year check of `ds` (columns figure, model, observed, unit, source), or None
    when the results hold none."""
    text = ds.attrs.get("calibration")
    if isinstance(text, str) and text.strip():
        try:
            rows = json.loads(text)
        except ValueError:
            rows = None
        if isinstance(rows, list) and rows:
            df = pd.DataFrame(rows)
            if set(TABLE_COLUMNS) <= set(df.columns):
                return df[list(TABLE_COLUMNS)]
    src = ds.attrs.get("source_path")
    if isinstance(src, str):
        path = Path(src).with_name(CALIBRATION_FILE)
        if path.is_file():
            try:
                df = pd.read_csv(path, encoding="utf-8")
            except (OSError, ValueError):
                return None
            if set(TABLE_COLUMNS) <= set(df.columns):
                return df[list(TABLE_COLUMNS)]
    return None


def fmt_figure(value: object, unit: str) -> str:
    """A calibration value in its unit: shares as %, tonnes with separators, small values
    with three significant digits; '–' when missing (nothing published)."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if math.isnan(v):
        return "–"
    if unit == "share":
        return f"{v:.2%}"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def _ratio(model: object, observed: object) -> str:
    try:
        m, o = float(model), float(observed)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if math.isnan(m) or math.isnan(o) or o == 0:
        return "–"
    return f"{m / o:.2f}"


def calibration_section(ctx: ReportContext) -> Section:
    """The base-year check as a table (figure, model, observed, model/observed, unit,
    source), or a sentence saying why there is none."""
    table = calibration_table(ctx.ds)
    if table is None:
        return ctx.section("calibration", ctx.note("no_calibration", "note empty"))
    e = html.escape
    keys = ("figure", "model", "observed", "ratio", "unit_col", "source")
    head = "".join(f"<th>{e(ctx.t(k))}</th>" for k in keys)
    rows = []
    for r in table.itertuples(index=False):
        unit = str(r.unit)
        rows.append(
            f"<tr><td>{e(str(r.figure))}</td>"
            f"<td class='num'>{e(fmt_figure(r.model, unit))}</td>"
            f"<td class='num'>{e(fmt_figure(r.observed, unit))}</td>"
            f"<td class='num'>{e(_ratio(r.model, r.observed))}</td>"
            f"<td>{e('%' if unit == 'share' else unit)}</td>"
            f"<td class='source'>{e(str(r.source))}</td></tr>")
    body = (ctx.note("calibration_note") +
            f"<div class='scroll'><table class='data calibration'><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table></div>")
    return ctx.section("calibration", body)
