"""What the network map draws of one scenario's flows: legs merged and bundled into corridors.

A study of a city's express network has hundreds of line-haul legs from a handful of hubs to
every province; drawn one by one they fan out into a solid star. The map draws instead:

1. **Both directions as one line**: A→B and B→A of one mode are one drawn leg, its flow the
   sum (hover: A ↔ B).
2. **Corridors**: legs of one mode from the study area's core (nodes within `CORE_KM` of the
   study-area centre) to places farther than `BUNDLE_KM` are bundled by direction (16
   compass sectors of 45 deg, from the centre to the far end): each hub's share runs to a
   gathering point `GATHER_DEG` out in that direction (a *feeder*), the bundle's total runs as
   one *trunk* to `TRUNK_DEG` out (at most 0.6 of the way to the bundle's nearest
   destination, the gathering point at most half the trunk), and from there one *tail* per
   destination (flows to it from every hub summed). A hub outside the core (a port, a
   distant rail terminal) is the core of its own corridors. Schematic, like the sea lanes:
   a corridor is a direction, not a road. Water legs keep their sea lanes; legs within
   `BUNDLE_KM` are drawn straight.
3. **The largest flows**: at most `MAX_TAILS` tails and direct legs are drawn one by one
   (those with the most parcel-km); the others are merged into one faint trace, hidden until
   switched on in the legend, and the note under the map says what share of the parcel-km
   the drawn legs carry.

Every drawn piece carries its flow (parcels/day), so line width follows volume on one scale
for all scenarios (`netmap._width`), and a width legend gives that scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

EARTH_KM = 6371.0
CORE_KM = 60.0  # hubs within this of the study-area centre share corridors
BUNDLE_KM = 100.0  # legs to places farther than this are bundled
GATHER_DEG = 0.45  # gathering point of a corridor, degrees of latitude from its core
TRUNK_DEG = 1.8  # end of a corridor's trunk (nearer when a destination is near)
SECTORS = 8
MAX_TAILS = 150


@dataclass
class Piece:
    """One drawn line: its points (lon, lat; great circles are added by the caller for long
    pieces), mode, flow (parcels/day), kind (feeder, trunk, tail, direct) and hover text
    parts (what it joins, the links it carries)."""

    lon: list[float]
    lat: list[float]
    mode: str
    flow: float
    kind: str
    ends: tuple[str, str]
    links: list[str] = field(default_factory=list)
    bundle: str = ""


def km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance, km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def bearing(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Initial bearing from the first point to the second, degrees clockwise from north."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x)) % 360.0


def sector(b: float) -> int:
    """The compass sector (0 = north, clockwise) of a bearing."""
    width = 360.0 / SECTORS
    return int(((b + width / 2) % 360.0) // width)


def _out(lon: float, lat: float, sec: int, deg: float) -> tuple[float, float]:
    """The point `deg` degrees (of latitude) from (lon, lat) along sector `sec`'s middle."""
    b = math.radians(sec * 360.0 / SECTORS)
    return (lon + deg * math.sin(b) / max(math.cos(math.radians(lat)), 0.2),
            lat + deg * math.cos(b))


def merge_directions(link_from: list[str], link_to: list[str], modes: list[str],
                     flows: np.ndarray, link_ids: list[str]
                     ) -> dict[tuple[str, str, str], tuple[float, list[str]]]:
    """(end a, end b, mode) with a < b -> (flow both ways, parcels/day; link ids), used legs
    only."""
    out: dict[tuple[str, str, str], tuple[float, list[str]]] = {}
    for a, b, m, f, lk in zip(link_from, link_to, modes, flows, link_ids, strict=True):
        if not f > 0:
            continue
        key = (a, b, m) if a <= b else (b, a, m)
        flow, links = out.get(key, (0.0, []))
        out[key] = (flow + float(f), [*links, lk])
    return out


def flow_pieces(legs: dict[tuple[str, str, str], tuple[float, list[str]]],
                lon: dict[str, float], lat: dict[str, float], area: set[str],
                centre: tuple[float, float]) -> list[Piece]:
    """The pieces to draw for merged legs (see module docstring): feeders, trunks and tails
    of the corridors, and direct legs."""
    cx, cy = centre
    core = {n for n in area if km(lon[n], lat[n], cx, cy) <= CORE_KM}
    pieces: list[Piece] = []
    # bundle key (core id, mode, sector) -> {hub: flow}, {destination: (flow, links)}
    feeds: dict[tuple[str, str, int], dict[str, float]] = {}
    tails: dict[tuple[str, str, int], dict[str, tuple[float, list[str]]]] = {}
    for (a, b, mode), (flow, links) in legs.items():
        if a not in lon or b not in lon:
            continue
        near, far = (a, b) if a in area else (b, a)
        if mode == "water" or near not in area or far in area:
            pieces.append(Piece([lon[a], lon[b]], [lat[a], lat[b]], mode, flow, "direct",
                                (a, b), links))
            continue
        hub_core = "core" if near in core else near
        ox, oy = (cx, cy) if near in core else (lon[near], lat[near])
        if km(ox, oy, lon[far], lat[far]) <= BUNDLE_KM:
            pieces.append(Piece([lon[a], lon[b]], [lat[a], lat[b]], mode, flow, "direct",
                                (a, b), links))
            continue
        key = (hub_core, mode, sector(bearing(ox, oy, lon[far], lat[far])))
        feeds.setdefault(key, {})
        feeds[key][near] = feeds[key].get(near, 0.0) + flow
        old = tails.setdefault(key, {}).get(far, (0.0, []))
        tails[key][far] = (old[0] + flow, [*old[1], *links])
    for key, by_hub in feeds.items():
        hub_core, mode, sec = key
        ox, oy = (cx, cy) if hub_core == "core" else (lon[hub_core], lat[hub_core])
        nearest = min(km(ox, oy, lon[d], lat[d]) for d in tails[key]) / 111.2  # degrees
        trunk = min(TRUNK_DEG, 0.6 * nearest)
        gx, gy = _out(ox, oy, sec, min(GATHER_DEG, trunk / 2))
        tx, ty = _out(ox, oy, sec, trunk)
        total = sum(by_hub.values())
        name = f"{hub_core}:{mode}:{sec}"
        for hub, f in by_hub.items():
            pieces.append(Piece([lon[hub], gx], [lat[hub], gy], mode, f, "feeder",
                                (hub, ""), bundle=name))
        dests = sorted(tails[key], key=lambda d: -tails[key][d][0])
        pieces.append(Piece([gx, tx], [gy, ty], mode, total, "trunk", (hub_core, ""),
                            [d for d in dests], bundle=name))
        for d in dests:
            f, links = tails[key][d]
            pieces.append(Piece([tx, lon[d]], [ty, lat[d]], mode, f, "tail", (hub_core, d),
                                links, bundle=name))
    return pieces


def parcel_km(p: Piece) -> float:
    """A piece's work: flow x its length (parcels/day x km, great circle between its ends)."""
    return p.flow * km(p.lon[0], p.lat[0], p.lon[-1], p.lat[-1])


def largest(pieces: list[Piece], n: int = MAX_TAILS) -> tuple[list[Piece], list[Piece]]:
    """(pieces drawn one by one, the rest): feeders and trunks always; of the tails and
    direct legs the `n` with the most parcel-km (so that a long international leg of modest
    volume is drawn before a short local one)."""
    fixed = [p for p in pieces if p.kind in ("feeder", "trunk")]
    legs = sorted((p for p in pieces if p.kind in ("tail", "direct")),
                  key=lambda p: -parcel_km(p))
    return fixed + legs[:n], legs[n:]
