"""Open a results file, check it against the results schema, select scenarios.

The schema is `netdesign.results.schema` (the table in docs/architecture.md). Every problem found
(missing variable, wrong dimensions, unknown scenario) is reported at once as an `InputError`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from netdesign.errors import InputError, Problem
from netdesign.results import schema
from netdesign.vocabulary import FORECAST_STATS

RESULTS_FILE = "results.nc"

# The results schema lives in netdesign/results/schema.py (writer, reader, docs, tests).
SCHEMA_VARIABLES: dict[str, tuple[str, ...]] = {
    v.name: v.dims for v in (*schema.VARIABLES, *schema.COORDINATES) if v.required}
SCHEMA_ATTRS = tuple(schema.ATTRIBUTES)
STATS = FORECAST_STATS
schema_problems = schema.schema_problems


def open_results(path: str | Path) -> xr.Dataset:
    """Read a results file (or a folder holding results.nc) into memory and check its schema.

    Raises `InputError` when the file is missing, unreadable or not schema-conformant
    (naming every missing variable).
    """
    path = Path(path)
    if path.is_dir():
        path = path / RESULTS_FILE
    if not path.is_file():
        raise InputError([Problem(str(path), "(file)", None, None,
                                  "an existing results.nc written by `netdesign run` or "
                                  "`netdesign sweep`")], "cannot read results")
    try:
        with xr.open_dataset(path) as ds:
            ds = ds.load()
    except (OSError, ValueError) as exc:
        raise InputError([Problem(str(path), "(file)", None, None,
                                  f"a readable netCDF results file ({exc})")],
                         "cannot read results") from None
    check_results(ds, str(path))
    ds.attrs.setdefault("source_path", str(path))
    return ds


def check_results(ds: xr.Dataset, source: str = "results") -> None:
    """Raise `InputError` listing every schema problem of `ds`; return None if it conforms."""
    problems = schema_problems(ds, source)
    if problems:
        raise InputError(problems, f"{source} does not follow the results schema")


def parse_scenario_list(text: str | None) -> list[str] | None:
    """'A,B , C' -> ['A', 'B', 'C']; None or '' -> None (all scenarios)."""
    if not text:
        return None
    names = [s.strip() for s in text.split(",") if s.strip()]
    return names or None


def scenario_names(ds: xr.Dataset) -> list[str]:
    """The scenario names of `ds` in dataset order."""
    return [str(s) for s in ds["scenario"].values]


def select_scenarios(ds: xr.Dataset, names: Sequence[str] | None,
                     source: str = "results") -> xr.Dataset:
    """The subset of `ds` with the scenarios `names` (in that order); None = all.

    Unknown names raise `InputError` listing the available scenarios.
    """
    if not names:
        return ds
    available = scenario_names(ds)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise InputError(
            [Problem(source, "--scenarios", "scenario", n,
                     f"one of the scenarios in the file: {', '.join(available)}")
             for n in unknown], "unknown scenario name(s)")
    return ds.sel(scenario=list(dict.fromkeys(names)))


def check_scenario(ds: xr.Dataset, name: str, option: str, source: str = "results") -> str:
    """Return `name` if it is a scenario of `ds`, else raise `InputError` listing them."""
    available = scenario_names(ds)
    if name not in available:
        raise InputError([Problem(source, option, "scenario", name,
                                  f"one of the scenarios in the file: {', '.join(available)}")],
                         "unknown scenario name")
    return name


def attr_json(ds: xr.Dataset, name: str) -> Any:
    """A JSON dataset attribute decoded (None when absent or not valid JSON)."""
    raw = ds.attrs.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return None


def solver_report(ds: xr.Dataset, scenario: str) -> dict[str, Any]:
    """The solver report of one scenario from the `solver_reports` attribute ({} if absent).

    Accepts a JSON object keyed by scenario name or a list of objects with a 'scenario' key.
    """
    reports = attr_json(ds, "solver_reports")
    if isinstance(reports, dict):
        rep = reports.get(scenario)
        return rep if isinstance(rep, dict) else {}
    if isinstance(reports, list):
        names = scenario_names(ds)
        for rep in reports:
            if isinstance(rep, dict) and str(rep.get("scenario", "")) == scenario:
                return rep
        if len(reports) == len(names) and scenario in names:
            rep = reports[names.index(scenario)]
            return rep if isinstance(rep, dict) else {}
    return {}


def months(values: np.ndarray) -> pd.DatetimeIndex:
    """Month coordinates (datetime64, 'YYYY-MM' strings or periods) as month-start timestamps."""
    idx = pd.to_datetime(pd.Index([str(v) if not isinstance(v, np.datetime64) else v
                                   for v in values]))
    return pd.DatetimeIndex(idx).to_period("M").to_timestamp()


def node_names(ds: xr.Dataset, lang: str) -> dict[str, str]:
    """node id -> name in `lang` (node_name_zh / node_name_en)."""
    col = "node_name_zh" if lang == "zh" else "node_name_en"
    return dict(zip(ds["node"].values.astype(str), ds[col].values.astype(str), strict=True))


def hub_names(ds: xr.Dataset, lang: str) -> dict[str, str]:
    """hub id -> name in `lang` (hub_name_zh / hub_name_en)."""
    col = "hub_name_zh" if lang == "zh" else "hub_name_en"
    return dict(zip(ds["hub"].values.astype(str), ds[col].values.astype(str), strict=True))


def link_labels(ds: xr.Dataset, lang: str) -> dict[str, str]:
    """link id -> 'From → To' in `lang`."""
    names = node_names(ds, lang)
    out = {}
    for lid, a, b in zip(ds["link"].values.astype(str), ds["link_from"].values.astype(str),
                         ds["link_to"].values.astype(str), strict=True):
        out[lid] = f"{names.get(a, a)} → {names.get(b, b)}"
    return out
