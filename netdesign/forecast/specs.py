"""Stored model specifications: what automatic selection chose for a corridor, as JSON.

A spec lets the nightly refresh refit the parameters of the chosen models only (no seasonality
test, no search over model forms), which is cheaper and keeps forecasts stable from night to
night. Shape (all JSON-serialisable)::

    {"version": 1, "method": "auto" | "ets" | "theta" | "arima" | "seasonal_naive"
                               | "croston" | "mean",
     "season_length": 12,
     "decomposition": "multiplicative" | "additive" | "none",
     "members": ["theta", "ets_ANN", "ets_AAdN"],      # fitted on the adjusted series
     "arima_order": [1, 1, 1],                          # method "arima" only
     "levels": [1, 2, 3, 4, 6],                         # temporal aggregation levels
                                                        # (months per block); absent = [1]
     "seasonal_member": "hw_AAdM" | "hw_AAdA",          # "auto" on a seasonal series: the
                                                        # raw-series Holt-Winters member;
                                                        # absent = none
     "arima_member": "arima_011_drift",                 # "auto": the ARIMA(0,1,1)+drift
                                                        # member; absent = none
     "calendar_effect": -0.42}                          # Spring Festival effect β (log
                                                        # scale) when the calendar
                                                        # adjustment was used; for reading
                                                        # only: a refit re-estimates it
"""

from __future__ import annotations

from typing import Any

from netdesign.forecast.candidates import ETS_FORMS

SPEC_VERSION = 1
SEASONAL_MEMBERS = ("hw_AAdM", "hw_AAdA")
ARIMA_MEMBERS = ("arima_011_drift",)
METHODS = ("auto", "ets", "theta", "arima", "seasonal_naive", "croston", "mean")
DECOMPOSITIONS = ("multiplicative", "additive", "none")


def make_spec(method: str, season_length: int, decomposition: str = "none",
              members: list[str] | None = None, arima_order: list[int] | None = None,
              levels: list[int] | None = None) -> dict[str, Any]:
    """Build a spec dict (see module docstring)."""
    spec: dict[str, Any] = {"version": SPEC_VERSION, "method": method,
                            "season_length": int(season_length),
                            "decomposition": decomposition, "members": list(members or [])}
    if arima_order is not None:
        spec["arima_order"] = [int(x) for x in arima_order]
    if levels is not None:
        spec["levels"] = [int(k) for k in levels]
    return spec


def spec_problem(spec: Any, season_length: int, n_obs: int, positive: bool) -> str | None:
    """Why `spec` cannot be refitted on this history (None when it can)."""
    if not isinstance(spec, dict):
        return "spec is not a JSON object"
    if spec.get("version") != SPEC_VERSION:
        return f"spec version {spec.get('version')!r} is not {SPEC_VERSION}"
    if spec.get("method") not in METHODS:
        return f"unknown method {spec.get('method')!r}"
    if spec.get("season_length") != season_length:
        return (f"spec season length {spec.get('season_length')!r} differs from the "
                f"setting {season_length}")
    dec = spec.get("decomposition", "none")
    if dec not in DECOMPOSITIONS:
        return f"unknown decomposition {dec!r}"
    if dec != "none" and n_obs < 2 * season_length:
        return "seasonal decomposition needs two seasons of history"
    if dec == "multiplicative" and not positive:
        return "multiplicative decomposition needs positive volumes"
    members = spec.get("members", [])
    if not isinstance(members, list):
        return "members is not a list"
    for name in members:
        if name == "theta":
            continue
        form = name[4:] if isinstance(name, str) and name.startswith("ets_") else None
        if form not in ETS_FORMS:
            return f"unknown member {name!r}"
        if ETS_FORMS[form][0] == "mul" and not positive:
            return f"member {name} needs positive volumes"
    if spec["method"] in ("auto", "ets", "theta") and not members:
        return "no members"
    levels = spec.get("levels", [1])
    if not (isinstance(levels, list) and levels and levels[0] == 1
            and all(isinstance(k, int) and not isinstance(k, bool) and k >= 1 for k in levels)
            and levels == sorted(set(levels))):
        return f"bad levels {levels!r} (increasing months per block, starting with 1)"
    seasonal_member = spec.get("seasonal_member")
    if seasonal_member is not None:
        if seasonal_member not in SEASONAL_MEMBERS or spec["method"] != "auto" or dec == "none":
            return (f"bad seasonal_member {seasonal_member!r} (one of {SEASONAL_MEMBERS}, "
                    "method auto with a seasonal decomposition only)")
        if seasonal_member == "hw_AAdM" and not positive:
            return "seasonal member hw_AAdM needs positive volumes"
    arima_member = spec.get("arima_member")
    if arima_member is not None and (arima_member not in ARIMA_MEMBERS
                                     or spec["method"] != "auto"):
        return (f"bad arima_member {arima_member!r} (one of {ARIMA_MEMBERS}, method auto "
                "only)")
    if spec["method"] == "arima":
        order = spec.get("arima_order")
        if not (isinstance(order, list) and len(order) == 3
                and all(isinstance(x, int) and 0 <= x <= 3 for x in order)):
            return f"bad arima_order {order!r}"
    return None
