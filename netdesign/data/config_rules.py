"""Config <-> data cross checks: every id the study config names exists in the network data.

One function, `check_config_against_data`, run by `load_network` / `collect_network` and so
by `netdesign validate` and before any work in `run`, `sweep` and `refresh`. Each problem names
the config file, the key path, the value and what the data offers.
"""

from __future__ import annotations

import pandas as pd

from netdesign.config.schema import SERVICE_CLASSES, StudyConfig
from netdesign.data.network import Network
from netdesign.data.rules import framed, row_problems, source_of
from netdesign.errors import Problem
from netdesign.vocabulary import DEFAULT_SEGMENT


def config_source(cfg: StudyConfig) -> str:
    """How messages name the config: its file when loaded from one."""
    return str(cfg.config_file) if cfg.config_file is not None else f"study config '{cfg.name}'"


def _listing(values: list[str], limit: int = 12) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def check_config_against_data(cfg: StudyConfig, net: Network,
                              sources: dict[str, str]) -> list[Problem]:
    """Problems where the config names something the data does not have.

    - ``policies.P.hub_capacity_cap.H``: H must be a hub of the hubs table (otherwise the cap
      would be silently ignored);
    - ``policies.P.mode_share.M.min`` > 0: some line-haul link must have mode M (otherwise
      every scenario with the policy is infeasible, or all unserved);
    - ``service.standards_h``: a standard for every service class the corridors use (warning:
      corridors of a class without one are never late);
    - corridors.csv ``segment``: every segment a corridor names is defined in ``segments:``
      (`check_corridor_segments`).
    """
    src = config_source(cfg)
    hubs = [str(h) for h in net.hubs.index]
    known_hubs = set(hubs)
    hubs_file = source_of(sources, "hubs")
    links = net.links
    lh_modes = set(links.loc[links["role"] == "linehaul", "mode"].astype(str))
    out: list[Problem] = []
    for pname, policy in cfg.policies.items():
        for hub in policy.hub_capacity_cap:
            if hub not in known_hubs:
                out.append(Problem(src, f"policies.{pname}.hub_capacity_cap.{hub}",
                                   "hub_capacity_cap", hub,
                                   f"a hub_id listed in {hubs_file}: {_listing(hubs)}"))
        for mode, bound in policy.mode_share.items():
            if bound.min and mode not in lh_modes:
                out.append(Problem(
                    src, f"policies.{pname}.mode_share.{mode}.min", "min", bound.min,
                    f"no floor for {mode!r}: no line-haul link in "
                    f"{source_of(sources, 'links')} has that mode (line-haul modes: "
                    f"{', '.join(sorted(lh_modes)) or 'none'})"))
    out += _planning_problems(cfg, net, src, hubs_file)
    out += _disruption_problems(cfg, net, sources)
    used = set(net.corridors["service_class"].dropna().astype(str))
    classes = [c for c in SERVICE_CLASSES if c in used]  # unknown ones: check_column_values
    missing = [c for c in classes if c not in cfg.service.standards_h]
    for c in missing:
        n = int((net.corridors["service_class"] == c).sum())
        out.append(Problem(src, "service.standards_h", c, None,
                           f"a standard for service class {c!r} ({n} corridor(s) in "
                           f"{source_of(sources, 'corridors')}); without one they are never "
                           "late", "warning"))
    return out + check_corridor_segments(cfg, net, sources)


def check_corridor_segments(cfg: StudyConfig, net: Network,
                            sources: dict[str, str]) -> list[Problem]:
    """corridors.csv ``segment`` against the config's ``segments:`` (one problem per row).

    - the segment is defined in ``segments:`` (empty or absent = ``parcel``);
    - a corridor of a ``park_flow`` segment (into factories) has its park end at an
      ``industrial_park`` node: the destination for inbound and reverse flows, the origin for
      outbound orders (otherwise the park report would silently leave it out).
    """
    frame = framed(net, "corridors")
    src = source_of(sources, "corridors")
    if "segment" in frame.columns:
        seg = frame["segment"].astype("string").str.strip().fillna("")
        seg = seg.where(seg != "", DEFAULT_SEGMENT).astype(str)
    else:
        seg = pd.Series(DEFAULT_SEGMENT, index=frame.index)
    defined = sorted(cfg.segments)
    out = row_problems(src, frame, ~seg.isin(cfg.segments).to_numpy(), "segment",
                       f"a segment defined in {config_source(cfg)} `segments:` "
                       f"({_listing(defined)})", "corridor_id", values=seg.to_numpy())
    kinds = net.nodes["kind"].astype(str) if "kind" in net.nodes.columns else pd.Series(
        dtype=str)
    for name, sc in cfg.segments.items():
        if sc.park_flow is None:
            continue
        end = "origin" if sc.park_flow == "outbound" else "destination"
        kind = kinds.reindex(frame[end].astype(str)).to_numpy()
        bad = (seg == name).to_numpy() & (kind != "industrial_park")
        verb = "start" if end == "origin" else "end"
        out += row_problems(src, frame, bad, end,
                            f"an industrial_park node: segment {name!r} is a park_flow "
                            f"{sc.park_flow!r} segment (its corridors {verb} at a park)",
                            "corridor_id")
    return out


def _planning_problems(cfg: StudyConfig, net: Network, src: str,
                       hubs_file: str) -> list[Problem]:
    """``planning.periods[i]``: not before the history's first year (no demand there);
    ``planning.committed[i].hub``: a hub of the hubs table that can be built (modules, or
    optional); ``modules`` within its `max_modules`."""
    hubs = net.hubs
    out = []
    first = net.history["month"].min() if len(net.history) else None
    for i, year in enumerate(cfg.planning.periods or ()):
        if first is not None and year < first.year:
            out.append(Problem(src, f"planning.periods[{i}]", "periods", year,
                               f"a year with history or forecasts (history starts {first})"))
    for i, c in enumerate(cfg.planning.committed):
        where = f"planning.committed[{i}].hub"
        if c.hub not in hubs.index:
            known = _listing(list(map(str, hubs.index)))
            out.append(Problem(src, where, "hub", c.hub,
                               f"a hub_id listed in {hubs_file}: {known}"))
            continue
        row = hubs.loc[c.hub]
        module = pd.to_numeric(pd.Series([row.get("module_parcels_per_day")]),
                               errors="coerce").fillna(0.0).iloc[0]
        optional = "optional" in hubs and bool(pd.Series([row["optional"]]).fillna(False)
                                               .astype(bool).iloc[0])
        if not module > 0 and not optional:
            out.append(Problem(src, where, "hub", c.hub,
                               "a hub with modules (module_parcels_per_day > 0) or an optional "
                               "hub: nothing can be built at this one"))
        cap = pd.to_numeric(pd.Series([row.get("max_modules")]), errors="coerce").iloc[0]
        if c.modules is not None and cap == cap and c.modules > cap:
            out.append(Problem(src, f"planning.committed[{i}].modules", "modules", c.modules,
                               f"at most the hub's max_modules ({cap:g})"))
    return out


def _disruption_problems(cfg: StudyConfig, net: Network,
                         sources: dict[str, str]) -> list[Problem]:
    """``disruptions.D.hubs`` / ``.links`` / ``.corridors``: ids of the network data; a hub
    or link reduced (0 < capacity_share < 1) must have a finite capacity to reduce."""
    src = config_source(cfg)
    out: list[Problem] = []
    tables = {"hubs": (net.hubs, "hubs"), "links": (net.links, "links"),
              "corridors": (net.corridors, "corridors")}
    for name, d in cfg.disruptions.items():
        for fld, (table, key) in tables.items():
            known = set(map(str, table.index))
            for i, v in enumerate(getattr(d, fld)):
                if fld == "corridors" and v == "*":
                    continue
                if v not in known:
                    out.append(Problem(src, f"disruptions.{name}.{fld}[{i}]", fld, v,
                                       f"an id of {source_of(sources, key)} "
                                       f"({_listing(sorted(known))})"))
                elif 0 < d.capacity_share and fld != "corridors":
                    cap = float(table.loc[v, "capacity_parcels_per_day"])
                    if not cap < float("inf"):
                        out.append(Problem(src, f"disruptions.{name}.{fld}[{i}]", fld, v,
                                           "a finite capacity to reduce (this one is "
                                           "uncapacitated: use capacity_share 0 to close it)"))
    return out
