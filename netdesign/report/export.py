"""Excel export: one sheet per table, units in the headers, for analysts who work in Excel.

Sheets: summary, mode split, hubs, links, corridors, forecasts, provenance. Values are the
dataset's, unscaled (parcels/day, parcel-km/day, CNY/day, t CO2/day, shares as fractions);
headers name the quantity and its unit in the chosen language.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import xarray as xr
from openpyxl.utils import get_column_letter

from netdesign.report.atomic import write_atomic
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
                scenarios: Sequence[str] | None = None) -> Path:
    """Write the workbook to `path` atomically; headers in `lang` with units."""
    lang = check_lang(lang)
    ds = select_scenarios(ds, scenarios)
    tables = export_tables(ds)

    def writer(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for name, df in tables.items():
                out = df.copy()
                out.columns = localised_headers(list(df.columns), lang)
                out.to_excel(xl, sheet_name=name, index=False)
            _provenance_frame(ds, lang).to_excel(xl, sheet_name="provenance", index=False)
            for ws in xl.book.worksheets:
                ws.freeze_panes = "A2"
                for i, col in enumerate(ws.iter_cols(min_row=1, max_row=1), start=1):
                    width = max(10, min(48, len(str(col[0].value or "")) * 1.3 + 2))
                    ws.column_dimensions[get_column_letter(i)].width = width

    return write_atomic(path, writer)


def export_results(results: str | Path, xlsx: str | Path, lang: str = "zh",
                   scenarios: Sequence[str] | None = None) -> Path:
    """Read `results` (results.nc or its folder) and write the Excel workbook `xlsx`."""
    return write_excel(open_results(results), xlsx, lang=lang, scenarios=scenarios)
