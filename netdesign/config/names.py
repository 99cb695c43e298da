"""Scenario names: the one rule every command applies, and the name derived from the cases.

A scenario's name becomes a file name (``scenarios/<name>.nc``, ``<name>.lp``) and a label in
terminals, HTML and spreadsheets, so it is restricted to letters, digits, ``_``, ``.`` and
``-``, and must not start with ``.`` (no hidden files, no ``..``).
"""

from __future__ import annotations

import re
from typing import Protocol


class ScenarioCases(Protocol):
    """What a name is made of (a `config.schema.ScenarioConfig`; a protocol here so that the
    schema, which imports this module, is not imported back)."""

    name: str | None
    year: int
    growth: str
    costs: str
    carbon_price_cny_per_t: float
    policy: str
    demand_quantile: str

NAME_OK = re.compile(r"^[A-Za-z0-9_.-]+$")
NAME_EXPECTED = ("letters, digits, '_', '.' and '-' only, not starting with '.' "
                 "(the name is a file name)")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
FLOOR_TAGS = {"on_time_floor_domestic": "otd", "on_time_floor_neighbouring": "otn",
              "on_time_floor_global": "otg"}
"""Name tags of the scenario's on-time floor overrides (issue 13)."""


def is_valid_name(name: str) -> bool:
    """True when `name` is a safe scenario name (see the module docstring)."""
    return bool(NAME_OK.match(name)) and not name.startswith(".")


def safe_part(text: str) -> str:
    """Replace every run of characters unsafe in file names by ``-``."""
    return _UNSAFE.sub("-", str(text)).strip("-") or "x"


def _number(value: float) -> str:
    """``200.0`` -> ``200``, ``12.5`` -> ``12.5`` (no exponent for usual carbon prices)."""
    v = float(value)
    return str(int(v)) if v.is_integer() else format(v, "g")


def scenario_name(sc: ScenarioCases) -> str:
    """The stable, readable, filesystem-safe name of a scenario.

    An explicit ``sc.name`` wins. Otherwise the name lists every case, in a fixed order:
    ``{year}_g-{growth}_c-{costs}_co2-{carbon price CNY/t}_p-{policy}``, followed by
    ``_q-{demand_quantile}`` when the design demand is not the forecast mean, and
    ``_otd-``/``_otn-``/``_otg-{floor}`` for an on-time floor set by the scenario; e.g.
    ``2035_g-high_c-base_co2-200_p-rail_push``. Characters other than letters, digits,
    ``_``, ``.`` and ``-`` in case names are replaced by ``-``.
    """
    if sc.name:
        return sc.name
    parts = [str(sc.year), f"g-{safe_part(sc.growth)}", f"c-{safe_part(sc.costs)}",
             f"co2-{_number(sc.carbon_price_cny_per_t)}", f"p-{safe_part(sc.policy)}"]
    if sc.demand_quantile != "mean":
        parts.append(f"q-{safe_part(sc.demand_quantile)}")
    for axis, tag in FLOOR_TAGS.items():
        value = getattr(sc, axis)
        if value is not None:
            parts.append(f"{tag}-{_number(value)}")
    return "_".join(parts)
