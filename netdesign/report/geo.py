"""Map geometry of the network map (report/netmap.py): the Pacific-centred longitude, great
circles and the schematic sea lanes of water legs.

Longitudes west of `SEAM_LON` are drawn east of 180 deg (lon + 360), as on Chinese world
maps. Legs longer than `ARC_KM` are drawn as great circles; water legs out of East Asia along
the main straits (Malacca, Suez, Gibraltar, Hormuz, Panama; schematic, not a routed voyage).
"""

from __future__ import annotations

import math

import numpy as np

SEAM_LON = -30.0
ARC_KM = 500.0
EARTH_KM = 6371.0


def shift_lon(lon: float) -> float:
    """Longitude on the Pacific-centred map."""
    return lon + 360.0 if lon < SEAM_LON else lon



def great_circle(lon1: float, lat1: float, lon2: float, lat2: float) -> tuple[list, list]:
    """Points along the leg (great circle when longer than ARC_KM), map longitudes; a jump
    across the map's seam is broken with None."""
    p1, p2 = np.radians([lat1, lon1]), np.radians([lat2, lon2])
    v1 = np.array([math.cos(p1[0]) * math.cos(p1[1]), math.cos(p1[0]) * math.sin(p1[1]),
                   math.sin(p1[0])])
    v2 = np.array([math.cos(p2[0]) * math.cos(p2[1]), math.cos(p2[0]) * math.sin(p2[1]),
                   math.sin(p2[0])])
    omega = math.acos(max(-1.0, min(1.0, float(v1 @ v2))))
    if omega * EARTH_KM < ARC_KM or omega < 1e-9:
        return [shift_lon(lon1), shift_lon(lon2)], [lat1, lat2]
    n = max(8, int(omega * EARTH_KM / 250))
    xs: list = []
    ys: list = []
    for k in range(n + 1):
        f = k / n
        v = (math.sin((1 - f) * omega) * v1 + math.sin(f * omega) * v2) / math.sin(omega)
        lat = math.degrees(math.asin(max(-1.0, min(1.0, v[2]))))
        lon = shift_lon(math.degrees(math.atan2(v[1], v[0])))
        if xs and xs[-1] is not None and abs(lon - xs[-1]) > 180:
            xs.append(None)
            ys.append(None)
        xs.append(lon)
        ys.append(lat)
    return xs, ys


# sea lanes for water legs out of East Asia (lon, lat): a water leg is drawn along them, not
# as a great circle over land (schematic: the main straits, not a routed voyage)
MALACCA, DONDRA, BAB_EL_MANDEB = (103.8, 1.2), (80.6, 5.6), (43.4, 12.6)
PORT_SAID, GIBRALTAR, HORMUZ, PANAMA = (32.3, 31.3), (-5.6, 35.9), (56.5, 26.3), (-79.5, 9.0)


def sea_lane(lon1: float, lat1: float, lon2: float, lat2: float) -> list[tuple[float, float]]:
    """Waypoints of a water leg between East Asia (east of 100 E) and the west (Indian Ocean,
    Gulf, Mediterranean, Atlantic Europe) or the Americas' east coast; [] when the great
    circle is already at sea (e.g. across the Pacific)."""
    if lon1 < 100 and lon2 >= 100:
        return sea_lane(lon2, lat2, lon1, lat1)[::-1]
    if lon1 < 100:
        return []
    if -30 <= lon2 < 100:
        pts = [MALACCA, DONDRA]
        if lon2 > 48 and lat2 > 20:  # the Gulf
            return pts + [HORMUZ]
        if lat2 > 15 or lon2 < 40:
            pts += [BAB_EL_MANDEB, PORT_SAID]
            if lon2 < 12 and lat2 > 36:  # Atlantic Europe
                pts += [GIBRALTAR]
        return pts
    if -100 < lon2 < -60:  # Americas' east coast via Panama
        return [PANAMA]
    return []


def leg_path(lon1: float, lat1: float, lon2: float, lat2: float,
             mode: str) -> tuple[list, list]:
    """The drawn path of a leg: great-circle pieces through the sea lane's waypoints for
    water legs, one great circle otherwise."""
    stops = [(lon1, lat1), *(sea_lane(lon1, lat1, lon2, lat2) if mode == "water" else []),
             (lon2, lat2)]
    xs: list = []
    ys: list = []
    for (a, b), (c, d) in zip(stops[:-1], stops[1:], strict=True):
        px, py = great_circle(a, b, c, d)
        if xs:
            px, py = px[1:], py[1:]
        xs += px
        ys += py
    return xs, ys
