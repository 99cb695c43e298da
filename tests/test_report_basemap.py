"""The packaged basemap draws China as official Chinese maps do, and stays small.

Checked points (coordinates from public gazetteers, rounded): Tawang in Zangnan (藏南,
91.86 E 27.59 N) and a point in Aksai Chin (79.5 E 35.3 N), both inside China on official
Chinese maps and outside it on maps that follow de-facto control; Taipei (121.56 E 25.04 N);
Woody Island / 永兴岛 (112.34 E 16.83 N), one of the South China Sea islands; and the maritime
boundary line (南海十段线) reaching south of 5 N. Point-in-polygon by ray casting, written
here (no GIS library).
"""

from __future__ import annotations

import numpy as np
import pytest

from netdesign.report.netmap import _layer_xy, basemap


def _rings(layer: str) -> list[np.ndarray]:
    xs, ys = _layer_xy(basemap()[layer])
    rings, cur = [], []
    for x, y in zip(xs, ys, strict=True):
        if x is None:
            rings.append(np.array(cur))
            cur = []
        else:
            cur.append((x, y))
    return rings


def _inside(ring: np.ndarray, x: float, y: float) -> bool:
    x0, y0 = ring[:, 0], ring[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    cross = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return bool(np.sum(cross & (x < at)) % 2)


@pytest.mark.parametrize("name,lon,lat", [("Tawang (Zangnan)", 91.86, 27.59),
                                          ("Aksai Chin", 79.5, 35.3),
                                          ("Taipei", 121.56, 25.04),
                                          ("Hangzhou", 120.17, 30.25)])
def test_china_outline_follows_official_maps(name, lon, lat):
    assert any(_inside(r, lon, lat) for r in _rings("china")), name


def test_other_countries_do_not_overlap_china():
    world = _rings("world")
    for lon, lat in ((91.86, 27.59), (79.5, 35.3), (116.4, 39.9)):
        assert not any(_inside(r, lon, lat) for r in world), (lon, lat)
    assert any(_inside(r, 78.0, 22.0) for r in world)  # central India is in the world layer


def test_south_china_sea_islands_and_maritime_line():
    near_woody = [r for r in _rings("china")
                  if np.hypot(r[:, 0].mean() - 112.34, r[:, 1].mean() - 16.83) < 0.3]
    assert near_woody
    line = np.concatenate(_rings("maritime"))
    assert line[:, 1].min() < 5 and 105 < line[:, 0].min() and line[:, 0].max() < 125


def test_basemap_is_small():
    from importlib import resources

    size = len(resources.files("netdesign.report").joinpath("basemap/basemap.json")
               .read_bytes())
    assert size < 500_000
