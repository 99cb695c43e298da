"""Readable scenario labels built from a scenario's cases (the id stays available on hover).

A sweep names its scenarios like `2035_g-base_c-base_co2-200_p-rail_push`; a reader wants
"2035 · 碳价200元/吨 · 铁路份额下限". The label holds the design year and those cases
(growth, costs, carbon price, policy, demand quantile, on-time floors) that differ between
the scenarios shown; a flagged scenario (see `status.py`) ends in ' ⚠'. Labels are made
unique by adding the id when two scenarios would read the same.
"""

from __future__ import annotations

import math

import xarray as xr

from netdesign.report.i18n import CASE_FIELDS, case_value, t
from netdesign.report.status import scenario_health

WARN = "⚠"


def scenario_order(ds: xr.Dataset) -> list[str]:
    """Scenario names ordered by design year, keeping the dataset order within a year."""
    names = [str(s) for s in ds["scenario"].values]
    years = [int(y) for y in ds["year"].values]
    return [n for _, _, n in sorted(zip(years, range(len(names)), names, strict=True))]


def _carbon(value: float, lang: str) -> str:
    if math.isnan(value):
        return ""
    v = f"{value:,.0f}"
    return f"碳价{v}元/吨" if lang == "zh" else f"CO2 {v} CNY/t"


def scenario_parts(ds: xr.Dataset, lang: str) -> dict[str, list[str]]:
    """scenario -> the parts of its label (year first, then the varying cases)."""
    names = [str(s) for s in ds["scenario"].values]
    fields = {f: [str(v) for v in ds[f].values] for f in CASE_FIELDS if f in ds.variables}
    carbon = [float(v) for v in ds["carbon_price"].values] if "carbon_price" in ds.variables \
        else [math.nan] * len(names)
    varying = [f for f, vals in fields.items() if len(set(vals)) > 1]
    carbon_varies = len({c for c in carbon if not math.isnan(c)}) > 1
    # on-time floors (sweep axes on_time_floor_<class>) when they differ between scenarios
    floors = {c: [float(v) for v in ds[f"on_time_floor_{c}"].values]
              for c in ("domestic", "neighbouring", "global")
              if f"on_time_floor_{c}" in ds.variables}
    # ... among scenarios of one policy (a policy's own floors are named by the policy)
    policy = [str(v) for v in ds["policy"].values] if "policy" in ds.variables else \
        [""] * len(names)
    floors = {c: v for c, v in floors.items()
              if any(len({"none" if math.isnan(x) else x
                          for x, p in zip(v, policy, strict=True) if p == pol}) > 1
                     for pol in set(policy))}
    out: dict[str, list[str]] = {}
    for i, name in enumerate(names):
        parts = [str(int(ds["year"].values[i]))]
        for f in ("growth", "costs"):
            if f in varying:
                parts.append(case_value(f, fields[f][i], lang))
        if carbon_varies:
            parts.append(_carbon(carbon[i], lang))
        for f in ("policy", "demand_quantile"):
            if f in varying:
                parts.append(case_value(f, fields[f][i], lang))
        for c, values in floors.items():
            if not math.isnan(values[i]):
                parts.append(t("floor_part", lang).format(cls=t(f"floor_{c}", lang),
                                                          share=f"{100 * values[i]:.0f}%"))
        out[name] = [p for p in parts if p]
    return out


def scenario_labels(ds: xr.Dataset, lang: str, flag: bool = True,
                    joiner: str = " · ") -> dict[str, str]:
    """scenario -> readable label in `lang` (unique; ' ⚠' appended to flagged scenarios)."""
    parts = scenario_parts(ds, lang)
    labels = {s: joiner.join(p) for s, p in parts.items()}
    seen: dict[str, int] = {}
    for lab in labels.values():
        seen[lab] = seen.get(lab, 0) + 1
    labels = {s: (lab if seen[lab] == 1 else f"{lab} [{s}]") for s, lab in labels.items()}
    if flag:
        health = scenario_health(ds)
        labels = {s: f"{lab} {WARN}" if not health[s].ok else lab for s, lab in labels.items()}
    return labels


def axis_label(label: str, width: int = 14) -> str:
    """A label wrapped at its ' · ' joints for a category axis (<br> between lines)."""
    out, line = [], ""
    for part in label.split(" · "):
        if line and len(line) + len(part) + 3 > width:
            out.append(line)
            line = part
        else:
            line = f"{line} · {part}" if line else part
    out.append(line)
    return "<br>".join(out)
