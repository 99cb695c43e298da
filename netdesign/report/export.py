"""Excel export for analysts: one sheet per table, units in the headers, numbers formatted.

Sheets (names in the chosen language): summary, costs, CO2, on-time by service class,
on-time by segment (volume, on-time share and mode split per segment and service class),
capacity (expanded hubs and links), mode split, hubs, links, corridors, forecasts (annual by
default, monthly with `forecast="monthly"`), provenance. Values are the dataset's, unscaled
(parcels/day, CNY/day, t CO2/day); shares are fractions shown as percentages by the cell
format. Headers are bold on a tinted row, frozen, with filters; numbers have thousands
separators. Values such as modes, service classes, statuses and cases are in the chosen
language; ids (scenario, hub, link, corridor, node) are kept as they are.

Formula injection: every text cell is written as text (never as a formula), and text that
begins with '=', '+', '-', '@', a tab or a carriage return is also marked quote-prefixed, so
that Excel and LibreOffice show it literally instead of evaluating it (a node or scenario
name from a data file could otherwise run a formula on the analyst's machine).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from netdesign.atomic import write_atomic
from netdesign.errors import InputError, Problem
from netdesign.report import plan
from netdesign.report.i18n import case_value, check_lang, t, term
from netdesign.report.load import open_results, select_scenarios
from netdesign.report.provenance import provenance_rows, solver_rows
from netdesign.report.segments import segment_label, segment_table
from netdesign.report.tables import (
    COLUMN_LABELS,
    capacity_table,
    co2_table,
    corridors_table,
    costs_table,
    forecasts_annual_table,
    forecasts_table,
    hubs_table,
    links_table,
    localised_headers,
    mode_split_table,
    on_time_table,
)
from netdesign.results.statistics import statistics

EXCEL_MAX_ROWS = 1_048_576
SHEETS = ("summary", "costs", "co2", "on_time", "on_time_segment", "capacity", "mode split",
          "hubs", "links", "corridors", "forecasts", "provenance")
SHEET_NAMES: dict[str, tuple[str, str]] = {
    "summary": ("主要指标", "summary"),
    "costs": ("成本构成", "costs"),
    "co2": ("碳排放", "CO2"),
    "on_time": ("准时率", "on-time by class"),
    "on_time_segment": ("分客群准时率", "on-time by segment"),
    "capacity": ("扩能", "capacity"),
    "mode split": ("运输方式", "mode split"),
    "hubs": ("枢纽", "hubs"),
    "links": ("线路", "links"),
    "corridors": ("通道", "corridors"),
    "forecasts": ("需求预测", "forecasts"),
    "provenance": ("来源", "provenance"),
    "build schedule": ("分期建设", "build schedule"),
}
# number format by unit key (tables.COLUMN_LABELS)
FORMATS = {"share": "0.0%", "parcels_day": "#,##0", "pkm_day": "#,##0", "cny_day": "#,##0",
           "t_day": "#,##0.0", "parcels_month": "#,##0", "parcels_year": "#,##0",
           "per_week": "#,##0.0", "modules": "#,##0.0", "cny_t": "#,##0", "km": "#,##0",
           "kg_parcel": "0.000"}
SPECIAL_FORMATS = {"mip_gap": "0.00%", "gap_tolerance": "0.00%", "year": "0"}
# columns whose values are translated, and how
TERM_COLUMNS = ("mode", "service_class", "status", "role", "kind", "cost_component")
CASE_COLUMNS = ("growth", "costs", "policy", "demand_quantile")
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="1F3B57")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")


def sheet_name(key: str, lang: str) -> str:
    zh, en = SHEET_NAMES[key]
    return zh if lang == "zh" else en


def export_tables(ds: xr.Dataset, forecast: Literal["annual", "monthly"] = "annual"
                  ) -> dict[str, pd.DataFrame]:
    """sheet key -> table with machine column names (see `tables.COLUMN_LABELS`)."""
    return {
        "summary": statistics(ds).headline(),
        "costs": costs_table(ds),
        "co2": co2_table(ds),
        "on_time": on_time_table(ds),
        "on_time_segment": segment_table(ds),
        "capacity": capacity_table(ds),
        "mode split": mode_split_table(ds),
        "hubs": hubs_table(ds),
        "links": links_table(ds),
        "corridors": corridors_table(ds),
        "forecasts": forecasts_annual_table(ds) if forecast == "annual"
        else forecasts_table(ds),
    }


def _translate(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Glossary values (modes, statuses, cases, ...) in `lang`; other columns unchanged."""
    df = df.copy()
    for col in df.columns:
        if col in TERM_COLUMNS:
            df[col] = [term(str(v), lang) for v in df[col]]
        elif col in CASE_COLUMNS:
            df[col] = [case_value(col, str(v), lang) for v in df[col]]
    return df


def _provenance_frame(ds: xr.Dataset, lang: str) -> pd.DataFrame:
    rows = [(k, v) for k, v in provenance_rows(ds, lang)]
    rows.append((t("package_versions", lang), str(ds.attrs.get("package_versions", ""))))
    for r in solver_rows(ds):
        rows.append((f"{t('solver', lang)}: {r['scenario']}",
                     f"{term(r['status'], lang)}; {t('mip_gap', lang)} {r['mip_gap']}; "
                     f"{r['solve_seconds']} s {r['message']}".strip()))
    return pd.DataFrame(rows, columns=[t("name", lang), t("value", lang)])


def _format_of(col: str) -> str | None:
    if col in SPECIAL_FORMATS:
        return SPECIAL_FORMATS[col]
    spec = COLUMN_LABELS.get(col)
    return FORMATS.get(spec[1]) if spec else None


def write_excel(ds: xr.Dataset, path: str | Path, lang: str = "zh",
                scenarios: Sequence[str] | None = None, source: str = "results",
                forecast: Literal["annual", "monthly"] = "annual") -> Path:
    """Write the workbook to `path` atomically; headers and values in `lang`.

    forecast: "annual" (default: corridor x calendar year, the sum of the monthly means) or
    "monthly" (corridor x month with the 80/95 % interval bounds; large for big studies).
    source: the results file's name, used in error messages (unknown scenarios)."""
    lang = check_lang(lang)
    if forecast not in ("annual", "monthly"):
        raise InputError([Problem("command line", "--forecast", "forecast", forecast,
                                  "annual or monthly")], "invalid option")
    ds = select_scenarios(ds, scenarios, source)
    tables = export_tables(ds, forecast)
    if plan.has_plan(ds):  # results of `netdesign plan` (report/plan.py)
        tables["build schedule"] = plan.schedule_table(ds)
    too_long = [Problem(str(path), f"sheet '{name}'", "rows", len(df),
                        f"at most {EXCEL_MAX_ROWS - 1} rows (Excel's limit); export fewer "
                        "scenarios with --scenarios or annual forecasts")
                for name, df in tables.items() if len(df) >= EXCEL_MAX_ROWS]
    if too_long:
        raise InputError(too_long, "too many rows for Excel")
    seg = tables["on_time_segment"]
    seg["segment"] = [segment_label(ds, str(g), lang) for g in seg["segment"]]
    sheets = {}
    for key, df in tables.items():
        sheets[sheet_name(key, lang)] = (
            _translate(df, lang), localised_headers(list(df.columns), lang),
            [_format_of(c) for c in df.columns])
    prov = _provenance_frame(ds, lang)
    sheets[sheet_name("provenance", lang)] = (prov, list(prov.columns), [None, None])
    return write_atomic(path, lambda tmp: _write_workbook(sheets, tmp))


def _plain(value: object) -> object:
    """NaN/NA -> None; numpy scalars -> Python scalars."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def text_cell(ws, value: str) -> WriteOnlyCell:
    """A cell holding `value` as text, never as a formula (see module docstring)."""
    cell = WriteOnlyCell(ws, value=None)
    cell.value = value
    cell.data_type = "s"  # openpyxl would make '=...' a formula
    if value.startswith(DANGEROUS_START):
        cell.quotePrefix = True
    return cell


def _write_workbook(sheets: dict[str, tuple[pd.DataFrame, list[str], list[str | None]]],
                    path: Path) -> None:
    """Stream the tables into an .xlsx (openpyxl write-only): styled, filtered header row,
    frozen panes, number formats per column, text as text."""
    wb = Workbook(write_only=True)
    for name, (df, headers, formats) in sheets.items():
        ws = wb.create_sheet(title=name)
        ws.freeze_panes = "B2" if len(headers) > 1 else "A2"
        for i, col in enumerate(headers, start=1):
            sample = df.iloc[:200, i - 1] if len(df) else []
            longest = max([len(str(v)) for v in sample] + [0])
            width = max(9, min(44, max(len(str(col)) * 0.9 + 2, longest * 1.1 + 2)))
            ws.column_dimensions[get_column_letter(i)].width = width
        if len(df):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(df) + 1}"
        head = []
        for h in headers:
            c = text_cell(ws, str(h))
            c.font, c.fill, c.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
            head.append(c)
        ws.append(head)
        # one styled template per column; cells of a numeric column share its format
        numeric = [df[c].dtype.kind in "fiu" for c in df.columns]
        for row in df.itertuples(index=False, name=None):
            out: list[object] = []
            for v, num, fmt in zip(row, numeric, formats, strict=True):
                v = _plain(v)
                if isinstance(v, str):
                    out.append(text_cell(ws, v) if v.startswith(DANGEROUS_START) or
                               v.startswith("'") else v)
                elif num and fmt and v is not None:
                    c = WriteOnlyCell(ws, value=v)
                    c.number_format = fmt
                    out.append(c)
                else:
                    out.append(v)
            ws.append(out)
    wb.save(path)


def export_results(results: str | Path, xlsx: str | Path, lang: str = "zh",
                   scenarios: Sequence[str] | None = None,
                   forecast: Literal["annual", "monthly"] = "annual") -> Path:
    """Read `results` (results.nc or its folder) and write the Excel workbook `xlsx`."""
    return write_excel(open_results(results), xlsx, lang=lang, scenarios=scenarios,
                       source=str(results), forecast=forecast)
