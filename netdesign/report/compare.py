"""Compare scenarios with a base: headline figures, their differences, capacity changes.

`compare_scenarios` returns plain tables; the rest renders them (rich terminal tables,
Markdown) or writes them (CSV, atomically).

Headline table (one row per scenario): for each metric M (the numeric summary.csv columns)
the value M, the difference from the base `M_diff` = M - M(base), and for non-share metrics
the relative difference `M_diff_pct` = (M - M(base)) / |M(base)| * 100 (NaN when the base is 0).
Share differences are in share points (0.05 = 5 percentage points).

Capacity table: every (scenario, hub or link) whose capacity differs from the base scenario
by more than `tol` parcels/day, or that is expanded in that scenario (hub capacity added > 0,
link modules added > 0).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
from rich.table import Table

from netdesign.atomic import write_atomic, write_text_atomic
from netdesign.report.i18n import (
    colon,
    fmt_number,
    fmt_share,
    fmt_signed,
    paren,
    raw_unit,
    t,
    term,
)
from netdesign.report.load import check_scenario, hub_names, link_labels, select_scenarios
from netdesign.report.status import flag_text, scenario_health
from netdesign.results.statistics import statistics

# metric column -> (label key, unit key, is_share)
HEADLINE_METRICS: dict[str, tuple[str, str, bool]] = {
    "total_cost_cny_per_day": ("total_cost", "cny_day", False),
    "economic_cost_cny_per_day": ("economic_cost", "cny_day", False),
    "penalty_cost_cny_per_day": ("penalty_cost", "cny_day", False),
    "co2_t_per_day": ("co2", "t_day", False),
    "on_time_share": ("on_time_share", "share", True),
    "unserved_parcels_per_day": ("unserved_total", "parcels_day", False),
    "hub_capacity_added_parcels_per_day": ("hub_capacity_added", "parcels_day", False),
    "share_road": ("road", "share", True),
    "share_rail": ("rail", "share", True),
    "share_water": ("water", "share", True),
    "share_air": ("air", "share", True),
}
CAPACITY_COLUMNS = ("scenario", "kind", "id", "name_zh", "name_en", "capacity_parcels_per_day",
                    "base_capacity_parcels_per_day", "change_vs_base_parcels_per_day",
                    "hub_capacity_added_parcels_per_day", "link_modules_added")


@dataclass
class Comparison:
    """The comparison of scenarios with `base` (plain tables, see module docstring)."""

    base: str
    headline: pd.DataFrame
    capacity_changes: pd.DataFrame
    dataset: xr.Dataset | None = None  # the scenarios compared (for their status flags)


def _headline(ds: xr.Dataset, base: str) -> pd.DataFrame:
    summary = statistics(ds).headline().set_index("scenario")
    out = summary[["year", "status", "mip_gap"]].copy()
    ref = summary.loc[base]
    for col, (_, _, is_share) in HEADLINE_METRICS.items():
        values = summary[col].astype(float)
        diff = values - float(ref[col])
        out[col] = values
        out[f"{col}_diff"] = diff
        if not is_share:
            b = float(ref[col])
            out[f"{col}_diff_pct"] = diff / abs(b) * 100 if b != 0 and not math.isnan(b) \
                else np.nan
    out.insert(0, "is_base", out.index == base)
    health = scenario_health(ds)
    out["flags"] = [",".join(health[str(s)].flags) for s in out.index]
    out["gap_tolerance"] = [health[str(s)].gap_tolerance for s in out.index]
    return out.reset_index()


def _capacity_changes(ds: xr.Dataset, base: str, tol: float) -> pd.DataFrame:
    rows = []
    hubs = [str(h) for h in ds["hub"].values]
    links = [str(lk) for lk in ds["link"].values]
    hz, he = hub_names(ds, "zh"), hub_names(ds, "en")
    lz, le = link_labels(ds, "zh"), link_labels(ds, "en")
    mode_of = dict(zip(links, ds["link_mode"].values.astype(str), strict=True))
    base_hub = ds["hub_capacity"].sel(scenario=base).values.astype(float)
    base_link = ds["link_capacity"].sel(scenario=base).values.astype(float)
    for s in (str(v) for v in ds["scenario"].values):
        one = ds.sel(scenario=s)
        cap = one["hub_capacity"].values.astype(float)
        added = one["hub_capacity_added"].values.astype(float)
        for i, h in enumerate(hubs):
            change = cap[i] - base_hub[i]
            if abs(change) > tol or added[i] > tol:
                rows.append({"scenario": s, "kind": "hub", "id": h, "name_zh": hz[h],
                             "name_en": he[h], "capacity_parcels_per_day": cap[i],
                             "base_capacity_parcels_per_day": base_hub[i],
                             "change_vs_base_parcels_per_day": change,
                             "hub_capacity_added_parcels_per_day": added[i],
                             "link_modules_added": np.nan})
        cap = one["link_capacity"].values.astype(float)
        modules = one["link_modules_added"].values.astype(float)
        for i, lk in enumerate(links):
            change = cap[i] - base_link[i]
            if abs(change) > tol or modules[i] > 1e-9:
                rows.append({"scenario": s, "kind": "link", "id": lk,
                             "name_zh": f"{lz[lk]}（{t(mode_of[lk], 'zh')}）",
                             "name_en": f"{le[lk]} ({t(mode_of[lk], 'en')})",
                             "capacity_parcels_per_day": cap[i],
                             "base_capacity_parcels_per_day": base_link[i],
                             "change_vs_base_parcels_per_day": change,
                             "hub_capacity_added_parcels_per_day": np.nan,
                             "link_modules_added": modules[i]})
    return pd.DataFrame(rows, columns=list(CAPACITY_COLUMNS))


def compare_scenarios(ds: xr.Dataset, base: str, scenarios: Sequence[str] | None = None,
                      tol: float = 1e-6, source: str = "results") -> Comparison:
    """Compare every scenario (or `scenarios`, base included automatically) with `base`.

    Raises `InputError` when `base` or a name in `scenarios` is not in the dataset.
    """
    check_scenario(ds, base, "--base", source)
    if scenarios:
        names = [base] + [s for s in scenarios if s != base]
        ds = select_scenarios(ds, names, source)
    return Comparison(base=base, headline=_headline(ds, base),
                      capacity_changes=_capacity_changes(ds, base, tol), dataset=ds)


def flagged_scenarios(cmp: Comparison) -> list[tuple[str, str]]:
    """(scenario, why in English) of every scenario compared that `report/status.py` flags
    (no solution, time limit, gap above the tolerance, unserved demand); `netdesign compare`
    exits with `EXIT_FLAGGED` (6) when there is one."""
    health = scenario_health(cmp.dataset) if cmp.dataset is not None else {}
    return [(str(s), flag_text(health[str(s)], "en")) for s in cmp.headline["scenario"]
            if str(s) in health and not health[str(s)].ok]


def _fmt_value(value: float, unit_key: str, lang: str) -> str:
    if unit_key == "share":
        return fmt_share(value)
    return fmt_number(value, lang, 1 if unit_key == "t_day" else 0)


def _fmt_diff(row: pd.Series, col: str, unit_key: str, lang: str) -> str:
    if row["is_base"]:
        return ""
    if unit_key == "share":
        d = row[f"{col}_diff"]
        return "–" if math.isnan(d) else f"{'+' if d > 0 else ('−' if d < 0 else '±')}" \
            f"{abs(d) * 100:.1f} pp"
    text = fmt_signed(row[f"{col}_diff"], lang, 1 if unit_key == "t_day" else 0)
    pct = row.get(f"{col}_diff_pct")
    if pct is not None and not math.isnan(pct):
        text += f" ({'+' if pct > 0 else ('−' if pct < 0 else '±')}{abs(pct):.1f}%)"
    return text


def headline_rows(cmp: Comparison, lang: str,
                  sep: str = " ") -> tuple[list[str], list[list[str]]]:
    """Header and formatted rows of the headline table: 'value[sep][difference]' per metric."""
    head = [t("scenario", lang), t("status", lang)]
    for label, unit_key, _ in HEADLINE_METRICS.values():
        u = "%" if unit_key == "share" else raw_unit(unit_key, lang)
        head.append(t(label, lang) + paren(u, lang))
    rows = []
    health = scenario_health(cmp.dataset) if cmp.dataset is not None else {}
    for _, row in cmp.headline.iterrows():
        name = f"{row['scenario']}{paren(t('base', lang), lang)}" if row["is_base"] \
            else row["scenario"]
        h = health.get(str(row["scenario"]))
        state = term(str(row["status"]), lang)
        if h is not None and not h.ok:
            state = f"⚠ {state}{colon(lang)}{flag_text(h, lang)}"
        cells = [str(name), state]
        for col, (_, unit_key, _) in HEADLINE_METRICS.items():
            value = _fmt_value(row[col], unit_key, lang)
            diff = _fmt_diff(row, col, unit_key, lang)
            cells.append(f"{value}{sep}[{diff}]" if diff else value)
        rows.append(cells)
    return head, rows


def capacity_rows(cmp: Comparison, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and formatted rows of the capacity-change table."""
    pd_unit = raw_unit("parcels_day", lang)
    head = [t("scenario", lang), t("hub", lang) + "/" + t("link", lang), t("name", lang),
            t("capacity_after", lang) + paren(pd_unit, lang),
            t("base", lang) + paren(pd_unit, lang), t("change", lang) + paren(pd_unit, lang),
            t("added", lang)]
    rows = []
    name_col = "name_zh" if lang == "zh" else "name_en"
    for _, r in cmp.capacity_changes.iterrows():
        if r["kind"] == "hub":
            added = f"{fmt_number(r['hub_capacity_added_parcels_per_day'], lang)} {pd_unit}"
        else:
            added = f"{fmt_number(r['link_modules_added'], lang)} " \
                    f"{raw_unit('modules', lang)}"
        rows.append([str(r["scenario"]), t(str(r["kind"]), lang), str(r[name_col]),
                     fmt_number(r["capacity_parcels_per_day"], lang),
                     fmt_number(r["base_capacity_parcels_per_day"], lang),
                     fmt_signed(r["change_vs_base_parcels_per_day"], lang), added])
    return head, rows


def rich_tables(cmp: Comparison, lang: str, max_capacity_rows: int = 60) -> list[Table]:
    """The headline table (one column per scenario, one row per metric, difference from the
    base under each value) and the capacity-change table, for the terminal. The latter shows
    at most `max_capacity_rows` rows, the largest changes from the base first."""
    head, rows = headline_rows(cmp, lang, sep="\n")
    table = Table(title=f"{t('summary', lang)} – {t('base', lang)}{colon(lang)}{cmp.base}",
                  show_lines=True)
    table.add_column("", justify="left")
    for r in rows:
        table.add_column(r[0], justify="right", overflow="fold")
    for k, label in enumerate(head[1:], start=1):
        table.add_row(label, *(r[k] for r in rows))
    tables = [table]
    changes = cmp.capacity_changes
    n_all = len(changes)
    if n_all > max_capacity_rows:
        order = changes["change_vs_base_parcels_per_day"].abs().sort_values(
            ascending=False, kind="stable").index[:max_capacity_rows]
        changes = changes.loc[sorted(order)]
    chead, crows = capacity_rows(Comparison(cmp.base, cmp.headline, changes, cmp.dataset),
                                 lang)
    title = t("capacity_changes", lang)
    if n_all > len(changes):
        more = (f"（显示变化最大的 {len(changes)} 行，共 {n_all} 行；完整表见 --csv / --md）"
                if lang == "zh" else f" (largest {len(changes)} of {n_all} rows; "
                                     "all in --csv / --md)")
        title += more
    table = Table(title=title)
    for i, h in enumerate(chead):
        table.add_column(h, justify="left" if i < 3 else "right", overflow="fold")
    for r in crows:
        table.add_row(*r)
    tables.append(table)
    return tables


def _md_table(head: list[str], rows: list[list[str]], left: int = 2) -> str:
    """A pipe table; the first `left` columns left-aligned, the rest right-aligned."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in head) + " |",
             "|" + "|".join("---" if i < left else "---:" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def comparison_markdown(cmp: Comparison, lang: str) -> str:
    """Both tables as a Markdown document (differences from the base in brackets)."""
    head, rows = headline_rows(cmp, lang)
    chead, crows = capacity_rows(cmp, lang)
    empty = "（无）" if lang == "zh" else "(none)"
    return "\n".join([
        f"# {t('summary', lang)}{colon(lang)}{t('base', lang)} = {cmp.base}", "",
        _md_table(head, rows), "",
        f"## {t('capacity_changes', lang)}", "",
        _md_table(chead, crows, left=3) if crows else empty, ""])


def capacity_csv_path(path: str | Path) -> Path:
    """Where the capacity-change CSV goes next to the headline CSV: NAME_capacity.csv."""
    path = Path(path)
    return path.with_name(f"{path.stem}_capacity{path.suffix or '.csv'}")


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would evaluate ('=', '+', '-', '@', tab, CR first) prefixed
    with an apostrophe, the usual defence against CSV formula injection."""
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object or str(df[col].dtype).startswith("str"):
            df[col] = [f"'{v}" if isinstance(v, str) and v.startswith(
                ("=", "+", "-", "@", "\t", "\r")) else v for v in df[col]]
    return df


def write_comparison_csv(cmp: Comparison, path: str | Path) -> tuple[Path, Path]:
    """Headline table to `path`, capacity changes to NAME_capacity.csv (UTF-8, atomic; text
    that would start a formula is apostrophe-prefixed, see `csv_safe`)."""
    first = write_atomic(path, lambda tmp: csv_safe(cmp.headline).to_csv(tmp, index=False))
    second = write_atomic(capacity_csv_path(path),
                          lambda tmp: csv_safe(cmp.capacity_changes).to_csv(tmp, index=False))
    return first, second


def write_comparison_markdown(cmp: Comparison, path: str | Path, lang: str) -> Path:
    """The Markdown document to `path` (atomic)."""
    return write_text_atomic(path, comparison_markdown(cmp, lang))
