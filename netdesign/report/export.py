"""Excel export: one sheet per table, units in the headers, for analysts who work in Excel.

Sheets: summary, mode split, hubs, links, corridors, forecasts, provenance. Values are the
dataset's, unscaled (parcels/day, parcel-km/day, CNY/day, t CO2/day, shares as fractions);
headers name the quantity and its unit in the chosen language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from netdesign.atomic import write_atomic
from netdesign.errors import InputError, Problem
from netdesign.report.i18n import check_lang, t
from netdesign.report.load import open_results, select_scenarios
from netdesign.report.provenance import provenance_rows, solver_rows
from netdesign.report.tables import (
    corridors_table,
    forecasts_table,
    hubs_table,
    links_table,
    localised_headers,
    mode_split_table,
    summary_table,
)

EXCEL_MAX_ROWS = 1_048_576
SHEETS = ("summary", "mode split", "hubs", "links", "corridors", "forecasts", "provenance")


def export_tables(ds: xr.Dataset) -> dict[str, pd.DataFrame]:
    """sheet name -> table with machine column names (see `tables.COLUMN_LABELS`)."""
    return {
        "summary": summary_table(ds),
        "mode split": mode_split_table(ds),
        "hubs": hubs_table(ds),
        "links": links_table(ds),
        "corridors": corridors_table(ds),
        "forecasts": forecasts_table(ds),
    }


def _provenance_frame(ds: xr.Dataset, lang: str) -> pd.DataFrame:
    rows = [(k, v) for k, v in provenance_rows(ds, lang)]
    rows.append((t("package_versions", lang), str(ds.attrs.get("package_versions", ""))))
    for r in solver_rows(ds):
        rows.append((f"{t('solver', lang)}: {r['scenario']}",
                     f"{r['status']}; {t('mip_gap', lang)} {r['mip_gap']}; "
                     f"{r['solve_seconds']} s {r['message']}".strip()))
    return pd.DataFrame(rows, columns=[t("name", lang), "value"])


def write_excel(ds: xr.Dataset, path: str | Path, lang: str = "zh",
                scenarios: Sequence[str] | None = None, source: str = "results") -> Path:
    """Write the workbook to `path` atomically; headers in `lang` with units.

    source: the results file's name, used in error messages (unknown scenarios)."""
    lang = check_lang(lang)
    ds = select_scenarios(ds, scenarios, source)
    tables = export_tables(ds)
    too_long = [Problem(str(path), f"sheet '{name}'", "rows", len(df),
                        f"at most {EXCEL_MAX_ROWS - 1} rows (Excel's limit); export fewer "
                        "scenarios with --scenarios")
                for name, df in tables.items() if len(df) >= EXCEL_MAX_ROWS]
    if too_long:
        raise InputError(too_long, "too many rows for Excel")

    sheets = {name: df.set_axis(localised_headers(list(df.columns), lang), axis=1)
              for name, df in tables.items()}
    sheets["provenance"] = _provenance_frame(ds, lang)
    return write_atomic(path, lambda tmp: _write_workbook(sheets, tmp))


def _cell(value: object) -> object:
    """NaN/NA -> empty cell; numpy scalars -> Python scalars."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def _write_workbook(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    """Stream the tables into an .xlsx with openpyxl's write-only mode (header row frozen)."""
    wb = Workbook(write_only=True)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=name)
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns, start=1):
            width = max(10, min(48, len(str(col)) * 1.3 + 2))
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append([str(c) for c in df.columns])
        for row in df.itertuples(index=False, name=None):
            ws.append([_cell(v) for v in row])
    wb.save(path)


def export_results(results: str | Path, xlsx: str | Path, lang: str = "zh",
                   scenarios: Sequence[str] | None = None) -> Path:
    """Read `results` (results.nc or its folder) and write the Excel workbook `xlsx`."""
    return write_excel(open_results(results), xlsx, lang=lang, scenarios=scenarios,
                       source=str(results))
