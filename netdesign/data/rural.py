"""The rural tier's data (issue 15, "into villages"): rural counties and their townships with
administrative-village counts, read and validated at the boundary.

Two tables in the study's data folder (names in the config's `rural:` section):

- counties (`rural_counties.csv`): one row per rural county, ``county_node`` a node of the
  nodes table (its corridors give the county's parcels), ``villages`` its administrative
  villages, ``population`` and ``urban_population`` (residents; the rest live in villages),
  ``area_km2``.
- townships (`rural_townships.csv`): one row per township (乡镇/街道) with ``township_id``,
  ``county_node``, names, ``villages`` (administrative villages it serves), ``trunk_km`` (county
  hub -> township station, one way), ``village_km`` (township station -> village, one way),
  optional ``bus_runs_per_week`` (rural-bus runs a week on which parcels may ride, 0..14; 0 =
  no bus line) and ``min_weekly_frequency`` (a township's own obligation, 1..14).

Rules (every problem names the file, row, field and value; all are reported at once):
required values present; numbers within bounds (frequencies whole numbers 1..14, bus runs
0..14); township ids unique; a township's county is a row of the counties table; a county's
node is a node of the nodes table marked rural; a county's villages equal the sum over its
townships.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netdesign.data.rules import row_problems
from netdesign.errors import Problem


@dataclass(frozen=True)
class Col:
    """A column of a rural table: name, kind ("str", "float", "int"), bounds, required."""

    name: str
    kind: str = "str"
    lo: float | None = None
    hi: float | None = None
    required: bool = True
    doc: str = ""


COUNTY_COLUMNS = (
    Col("county_node", doc="node_id of the county in the nodes table"),
    Col("name_en"), Col("name_zh"),
    Col("villages", "int", 1, None, doc="administrative villages"),
    Col("population", "float", 1, None, doc="residents"),
    Col("urban_population", "float", 0, None, doc="urban residents"),
    Col("area_km2", "float", 0, None, required=False, doc="area, km2"),
)
TOWNSHIP_COLUMNS = (
    Col("township_id", doc="unique id"),
    Col("county_node", doc="county_node of the counties table"),
    Col("name_en"), Col("name_zh"),
    Col("villages", "int", 0, None, doc="administrative villages served"),
    Col("trunk_km", "float", 0.1, None, doc="county hub -> township station, km one way"),
    Col("village_km", "float", 0.1, None, doc="township station -> village, km one way"),
    Col("bus_runs_per_week", "int", 0, 14, required=False,
        doc="rural-bus runs/week usable for parcels, 0..14 (0 = no bus line)"),
    Col("min_weekly_frequency", "int", 1, 14, required=False,
        doc="departures/week required on the township's routes, 1..14"),
)


def _read(path: Path, source: str, cols: tuple[Col, ...]) -> tuple[pd.DataFrame | None,
                                                                  list[Problem]]:
    """The table with typed columns (bad values reported, set to NaN), or None."""
    if not path.is_file():
        return None, [Problem(source, "(file)", None, str(path), "an existing CSV file")]
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        return None, [Problem(source, "(file)", None, str(path),
                              f"a UTF-8 CSV file ({type(exc).__name__})")]
    out: list[Problem] = []
    missing = [c.name for c in cols if c.required and c.name not in raw.columns]
    for name in missing:
        out.append(Problem(source, "header", name, None, f"a column '{name}'"))
    if missing:
        return None, out
    key = cols[0].name
    df = raw.copy()
    for c in cols:
        if c.name not in df.columns:
            df[c.name] = np.nan if c.kind != "str" else ""
            continue
        s = df[c.name].astype(str).str.strip()
        blank = (s == "").to_numpy()
        if c.required:
            out += row_problems(source, raw, blank, c.name,
                                f"a value ({c.doc or c.name}; required)", key)
        if c.kind == "str":
            df[c.name] = s
            continue
        v = pd.to_numeric(s.where(~blank), errors="coerce")
        bad = ~blank & (v.isna().to_numpy() | ~np.isfinite(v.fillna(0).to_numpy(float)))
        if c.kind == "int":
            bad |= ~blank & ~bad & (v.fillna(0) % 1 != 0).to_numpy()
        with np.errstate(invalid="ignore"):
            bad |= ~blank & (((v < c.lo) if c.lo is not None else False)
                             | ((v > c.hi) if c.hi is not None else False)).to_numpy(bool)
        kind = "a whole number" if c.kind == "int" else "a number"
        bounds = (f" between {c.lo:g} and {c.hi:g}" if c.hi is not None
                  else f" >= {c.lo:g}" if c.lo is not None else "")
        out += row_problems(source, raw, bad, c.name, f"{kind}{bounds} ({c.doc})", key)
        df[c.name] = v.where(~pd.Series(bad, index=v.index))
    return df, out


def read_rural(data_dir: Path, counties_file: str, townships_file: str, nodes: pd.DataFrame,
               display=str) -> tuple[dict[str, pd.DataFrame] | None, list[Problem]]:
    """Read and check both rural tables; ({"counties", "townships"} indexed by their ids, or
    None when a file is unusable) and every problem found."""
    c_path, t_path = data_dir / counties_file, data_dir / townships_file
    c_src, t_src = display(c_path), display(t_path)
    counties, problems = _read(c_path, c_src, COUNTY_COLUMNS)
    townships, more = _read(t_path, t_src, TOWNSHIP_COLUMNS)
    problems += more
    if counties is None or townships is None:
        return None, problems
    problems += _unique(counties, "county_node", c_src)
    problems += _unique(townships, "township_id", t_src)
    known_nodes = set(map(str, nodes.index))
    rural_nodes = set(map(str, nodes.index[nodes["rural"].to_numpy(bool)])) \
        if "rural" in nodes else set()
    cn = counties["county_node"]
    problems += row_problems(c_src, counties, (~cn.isin(known_nodes) & (cn != "")).to_numpy(),
                             "county_node", "a node_id of the nodes table", "county_node")
    problems += row_problems(c_src, counties, (cn.isin(known_nodes) & ~cn.isin(rural_nodes))
                             .to_numpy(), "county_node",
                             "a node marked rural in the nodes table", "county_node")
    over = (counties["urban_population"] > counties["population"]).to_numpy(bool)
    problems += row_problems(c_src, counties, over, "urban_population",
                             "at most the county's population", "county_node")
    tc = townships["county_node"]
    unknown = (~tc.isin(set(cn)) & (tc != "")).to_numpy()
    problems += row_problems(t_src, townships, unknown, "county_node",
                             f"a county_node of {c_src} ({', '.join(cn)})", "township_id")
    total = townships.groupby("county_node")["villages"].sum()
    for pos, (node, villages) in enumerate(zip(cn, counties["villages"], strict=True)):
        got = float(total.get(node, 0.0))
        if np.isfinite(villages) and abs(got - villages) > 0.5:
            problems.append(Problem(c_src, f"row {pos + 1} (county_node {node!r})", "villages",
                                    int(villages), f"the sum of its townships' villages in "
                                    f"{t_src} ({got:g})"))
    if problems:
        return None, problems
    return {"counties": counties.set_index("county_node"),
            "townships": townships.set_index("township_id")}, problems


def _unique(df: pd.DataFrame, col: str, source: str) -> list[Problem]:
    dup = df[col].duplicated(keep="first").to_numpy() & (df[col] != "").to_numpy()
    return row_problems(source, df, dup, col, "a unique id (already used above)", col)
