"""Validation of the network data: one ``check_*`` function per rule, each returning Problems.

`validate_network` runs every rule on a `Network` and returns all problems found (it never
raises; `netdesign.data.loader.load_network` decides what to do with them). Locations name the
1-based data row of the table as it was read (header excluded) and the row's id, e.g.
``row 7 (link_id 'L7')``; history problems about a whole corridor name the corridor instead.

Rules (file, what is checked):
- every table: required values present, numbers within their bounds (no negative distance,
  cost, capacity or volume; lat in [-90, 90], lon in [-180, 180]), enum values known
  (kind, mode, role, service_class)                                   `check_column_values`
- unique ids in nodes, links, hubs, corridors                         `check_unique_ids`
- links, hubs and corridors refer to known node ids                   `check_node_references`
- hubs transfer known modes (at least one)                            `check_hub_modes`
- a link's mode can be served by both end nodes                       `check_link_modes`
- a link's role matches its ends (collection -> hub, hub -> distribution, line-haul touches
  a hub); no link from a node to itself                                `check_link_roles`
- a corridor's origin differs from its destination                    `check_corridor_ends`
- every corridor has a path under the path grammar      `paths_check.check_corridor_paths`
- history (`history_checks`): known corridors and every corridor has history
  (`check_history_corridors`); one row per corridor and month, no gaps inside a corridor
  (`check_history_months`); warnings when a corridor ends before the others or has fewer
  than 24 months (`check_history_coverage`)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from netdesign.data.history_checks import (
    check_history_corridors,
    check_history_coverage,
    check_history_months,
)
from netdesign.data.network import Network
from netdesign.data.paths_check import check_corridor_paths
from netdesign.data.rules import (  # noqa: F401  (re-exported: the loader and tests use them)
    ID_COLUMNS,
    MAX_ROW_PROBLEMS,
    ROW_KEYS,
    blank_mask,
    framed,
    is_blank,
    py_value,
    row_location,
    row_problems,
    source_of,
)
from netdesign.data.schema import KIND_MODES, MODES, TABLES, Column
from netdesign.errors import Problem


def _expected_number(col: Column) -> str:
    kind = "a whole number" if col.dtype == "int" else "a number"
    if col.min is not None and col.max is not None:
        return f"{kind} between {col.min:g} and {col.max:g} ({col.doc.rstrip('.')})"
    if col.min is not None:
        return f"{kind} >= {col.min:g} ({col.doc.rstrip('.')})"
    return f"{kind} ({col.doc.rstrip('.')})"


# ---------------------------------------------------------------------------------------------
# single-table rules
# ---------------------------------------------------------------------------------------------
def check_column_values(frame: pd.DataFrame, table: str, source: str,
                        skip: dict[str, np.ndarray] | None = None) -> list[Problem]:
    """Required values present, numbers within bounds, enum values known (per `schema.TABLES`).

    frame: the table with typed columns and its id as a column, rows in file order.
    skip: per column, rows already reported (e.g. unparseable) that must not be reported again.
    """
    skip = skip or {}
    key_col = ROW_KEYS[table]
    out: list[Problem] = []
    for col in TABLES[table]:
        if col.name not in frame.columns:
            continue
        s = frame[col.name]
        done = skip.get(col.name, np.zeros(len(s), dtype=bool))
        missing = blank_mask(s)
        if col.required:
            out += row_problems(source, frame, missing & ~done, col.name,
                                f"a value ({col.doc.rstrip('.')}; required)", key_col)
        present = ~missing & ~done
        if col.dtype in ("float", "int") and s.dtype.kind in "fiu":
            v = s.to_numpy(dtype=float)
            bad = np.zeros(len(s), dtype=bool)
            with np.errstate(invalid="ignore"):
                if col.min is not None:
                    bad |= v < col.min
                if col.max is not None:
                    bad |= v > col.max
            out += row_problems(source, frame, bad & present, col.name, _expected_number(col),
                                key_col)
        if col.choices is not None:
            known = s.isin(col.choices).to_numpy()
            out += row_problems(source, frame, ~known & present, col.name,
                                f"one of {', '.join(col.choices)}", key_col)
    return out


def check_unique_ids(net: Network, sources: dict[str, str]) -> list[Problem]:
    """No id appears twice in nodes, links, hubs or corridors."""
    out: list[Problem] = []
    for table in ("nodes", "links", "hubs", "corridors"):
        frame = framed(net, table)
        key = ID_COLUMNS[table]
        ids = frame[key]
        dup = ids.duplicated(keep="first").to_numpy() & ~blank_mask(ids)
        if not dup.any():
            continue
        first = {}
        for pos, v in enumerate(ids.to_numpy()):
            first.setdefault(v, pos)
        src = source_of(sources, table)
        for pos in np.flatnonzero(dup)[:MAX_ROW_PROBLEMS]:
            v = ids.iat[pos]
            out.append(Problem(src, row_location(pos, key, v), key, py_value(v),
                               f"a unique {key}; {v!r} is already used in row {first[v] + 1}"))
        if dup.sum() > MAX_ROW_PROBLEMS:
            out.append(Problem(src, f"{dup.sum() - MAX_ROW_PROBLEMS} more rows", key, None,
                               f"a unique {key}"))
    return out


def check_node_references(net: Network, sources: dict[str, str]) -> list[Problem]:
    """Links, hubs and corridors refer only to node ids listed in the nodes table."""
    known = set(net.nodes.index)
    expected = f"a node_id listed in {source_of(sources, 'nodes')}"
    out: list[Problem] = []
    for table, fields in (("links", ("from_node", "to_node")), ("hubs", ("hub_id",)),
                          ("corridors", ("origin", "destination"))):
        frame = framed(net, table)
        for field in fields:
            if field not in frame.columns:
                continue
            s = frame[field]
            unknown = ~s.isin(known).to_numpy() & ~blank_mask(s)
            out += row_problems(source_of(sources, table), frame, unknown, field, expected,
                                ID_COLUMNS[table])
    return out


def check_hub_modes(net: Network, sources: dict[str, str]) -> list[Problem]:
    """Each hub's transfer_modes is a non-empty set of known modes."""
    frame = framed(net, "hubs")
    out: list[Problem] = []
    expected = f"'|'-separated modes out of {', '.join(MODES)} (e.g. road|rail)"
    for pos, (hub, modes) in enumerate(zip(frame["hub_id"], frame["transfer_modes"],
                                           strict=True)):
        modes = _as_modes(modes)  # an empty value is reported by check_column_values
        if any(m not in MODES for m in modes):
            out.append(Problem(source_of(sources, "hubs"), row_location(pos, "hub_id", hub),
                               "transfer_modes", "|".join(modes), expected))
    return out


def node_modes(net: Network) -> dict[str, frozenset[str]]:
    """Modes each node can load/unload: a hub's transfer_modes, else `KIND_MODES[kind]`."""
    serve = {n: frozenset(KIND_MODES[k]) for n, k in net.nodes["kind"].items()
             if k in KIND_MODES}  # an unknown kind is reported by check_column_values
    nodes = set(net.nodes.index)
    for hub, modes in net.hubs["transfer_modes"].items():
        if hub in nodes:
            if _as_modes(modes):
                serve[hub] = frozenset(_as_modes(modes))
            else:  # missing transfer_modes is reported by check_column_values
                serve.pop(hub, None)
    return serve


def check_link_modes(net: Network, sources: dict[str, str]) -> list[Problem]:
    """Both end nodes of a link can serve its mode (hubs: transfer_modes; else KIND_MODES)."""
    serve = node_modes(net)
    kinds = net.nodes["kind"].to_dict()
    hubs = set(net.hubs.index)
    frame = framed(net, "links")
    out: list[Problem] = []
    for end in ("from_node", "to_node"):
        bad = [n in serve and m in MODES and m not in serve[n]
               for n, m in zip(frame[end], frame["mode"], strict=True)]
        for pos in np.flatnonzero(bad)[:MAX_ROW_PROBLEMS]:
            n = frame[end].iat[pos]
            how = ("hub transfer_modes in " + source_of(sources, "hubs")) if n in hubs else \
                f"node kind {kinds[n]!r}"
            out.append(Problem(
                source_of(sources, "links"),
                row_location(pos, "link_id", frame["link_id"].iat[pos]), "mode",
                frame["mode"].iat[pos],
                f"a mode that {end} {n!r} can serve: {'|'.join(sorted(serve[n])) or 'none'} "
                f"(from its {how})"))
    return out


def check_link_roles(net: Network, sources: dict[str, str]) -> list[Problem]:
    """collection ends at a hub, distribution starts at a hub, line-haul touches a hub;
    no link from a node to itself."""
    hubs = set(net.hubs.index)
    frame = framed(net, "links")
    src = source_of(sources, "links")
    f_hub = frame["from_node"].isin(hubs).to_numpy()
    t_hub = frame["to_node"].isin(hubs).to_numpy()
    role = frame["role"].to_numpy()
    known = frame["from_node"].isin(net.nodes.index).to_numpy() & \
        frame["to_node"].isin(net.nodes.index).to_numpy()
    out = row_problems(src, frame, known & (frame["from_node"] == frame["to_node"]).to_numpy(),
                       "to_node", "a node different from from_node (no self-loops)", "link_id")
    hubs_src = source_of(sources, "hubs")
    rules = (
        ("collection", ~t_hub, f"to_node to be a hub listed in {hubs_src} for a collection "
                               "link (origin node -> hub)"),
        ("distribution", ~f_hub, f"from_node to be a hub listed in {hubs_src} for a "
                                 "distribution link (hub -> destination node)"),
        ("linehaul", ~f_hub & ~t_hub, f"at least one end listed in {hubs_src} for a linehaul "
                                      "link (hub <-> hub or hub <-> external city)"),
    )
    for name, bad, expected in rules:
        out += row_problems(src, frame, known & (role == name) & bad, "role", expected,
                            "link_id")
    return out


def check_corridor_ends(net: Network, sources: dict[str, str]) -> list[Problem]:
    """A corridor's origin differs from its destination."""
    frame = framed(net, "corridors")
    same = (frame["origin"] == frame["destination"]).to_numpy() & ~blank_mask(frame["origin"])
    return row_problems(source_of(sources, "corridors"), frame, same, "destination",
                        "a destination different from the origin", "corridor_id")


# ---------------------------------------------------------------------------------------------
def validate_network(net: Network, sources: dict[str, str], *, max_linehaul_legs: int = 2,
                     check_values: bool = True) -> list[Problem]:
    """Run every rule on `net`; return all problems (errors and warnings), never raise.

    sources: table name ("nodes", "links", ...) -> file name used in the messages.
    max_linehaul_legs: line-haul legs allowed per path (``cfg.network.max_linehaul_legs``).
    check_values: also run `check_column_values` on every table (the loader turns it off:
    `read_table` has already checked the values of each file).
    """
    out: list[Problem] = []
    for table in TABLES if check_values else ():
        out += check_column_values(framed(net, table), table, source_of(sources, table))
    out += check_unique_ids(net, sources)
    out += check_node_references(net, sources)
    out += check_hub_modes(net, sources)
    out += check_link_modes(net, sources)
    out += check_link_roles(net, sources)
    out += check_corridor_ends(net, sources)
    out += check_corridor_paths(net, sources, max_linehaul_legs=max_linehaul_legs)
    out += check_history_corridors(net, sources)
    out += check_history_months(net, sources)
    out += check_history_coverage(net, sources)
    return out



def _as_modes(value: Any) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(m).strip() for m in value if str(m).strip())
    if is_blank(value):
        return ()
    return tuple(m.strip() for m in str(value).split("|") if m.strip())
