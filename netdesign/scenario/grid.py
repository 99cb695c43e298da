"""Scenario grids: stable names, sweep expansion and resume keys.

A sweep (the `sweep:` section of a study config) is the cartesian product of named axes
(year, growth, costs, carbon_price_cny_per_t, policy, demand_quantile, and the on-time floors
on_time_floor_domestic/_neighbouring/_global) over the scenario
defaults, plus explicit named scenarios (Calliope-style overrides). Every scenario gets a
stable, readable, filesystem-safe name; names are unique within a sweep.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

from pydantic import ValidationError

from netdesign import __version__
from netdesign.config.names import NAME_EXPECTED, is_valid_name, scenario_name
from netdesign.config.schema import ScenarioConfig, StudyConfig
from netdesign.errors import InputError, Problem

# Canonical axis order: the product is expanded with `year` outermost, so that the scenario
# list (and the `scenario` dimension of the results) reads year by year.
AXES: tuple[str, ...] = ("year", "growth", "costs", "carbon_price_cny_per_t", "policy",
                         "demand_quantile", "on_time_floor_domestic",
                         "on_time_floor_neighbouring", "on_time_floor_global")


def _default_years(cfg: StudyConfig) -> list[int]:
    years: list[int] = []
    for sc in cfg.scenarios:
        if sc.year not in years:
            years.append(sc.year)
    return years


def _axis_values(cfg: StudyConfig, source: str) -> tuple[dict[str, list[Any]], list[Problem]]:
    """Validated, coerced values of each sweep axis (canonical order), and the problems found."""
    assert cfg.sweep is not None
    problems: list[Problem] = []
    tables = {"growth": cfg.growth_cases, "costs": cfg.cost_cases, "policy": cfg.policies}
    axes: dict[str, list[Any]] = {}
    for axis in AXES:
        if axis not in cfg.sweep.axes:
            continue
        raw = cfg.sweep.axes[axis]
        where = f"sweep.axes.{axis}"
        if not raw:
            problems.append(Problem(source, where, axis, [], "at least one value"))
            continue
        values: list[Any] = []
        for i, value in enumerate(raw):
            try:
                probe = ScenarioConfig.model_validate({"year": 2025, axis: value})
            except ValidationError as exc:
                problems.append(Problem(source, f"{where}[{i}]", axis, value,
                                        exc.errors()[0]["msg"]))
                continue
            coerced = getattr(probe, axis)
            if axis in tables and coerced not in tables[axis]:
                problems.append(Problem(source, f"{where}[{i}]", axis, value,
                                        f"one of {sorted(tables[axis])}"))
                continue
            if coerced in values:
                problems.append(Problem(source, f"{where}[{i}]", axis, value,
                                        "each value once (duplicate)"))
                continue
            values.append(coerced)
        axes[axis] = values
    return axes, problems


def expand_sweep(cfg: StudyConfig, source: str = "<config>") -> list[ScenarioConfig]:
    """All scenarios of the study's sweep, each with ``.name`` set, in a stable order.

    The grid is the cartesian product of ``cfg.sweep.axes`` (canonical axis order, ``year``
    outermost; values in the order given) over the `ScenarioConfig` defaults. When the axes do
    not name ``year`` the grid uses the years of the baseline ``scenarios``. The explicit
    ``cfg.sweep.scenarios`` follow, named by their ``name`` or by `scenario_name`.
    A study without a ``sweep:`` section sweeps its baseline ``scenarios``.

    Raises `InputError` (all problems at once, naming the key path) for an empty, invalid,
    unknown or duplicate axis value, an unsafe explicit name, or two scenarios with one name.
    """
    problems: list[Problem] = []
    entries: list[tuple[str, ScenarioConfig]] = []
    if cfg.sweep is None:
        entries = [(f"scenarios[{i}]", sc) for i, sc in enumerate(cfg.scenarios)]
    else:
        axes, problems = _axis_values(cfg, source)
        if axes:
            if "year" not in axes:
                axes = {"year": _default_years(cfg), **axes}
            names = list(axes)
            for combo in itertools.product(*(axes[a] for a in names)):
                sc = ScenarioConfig.model_validate(dict(zip(names, combo, strict=True)))
                label = ", ".join(f"{a}={v}" for a, v in zip(names, combo, strict=True))
                entries.append((f"sweep.axes ({label})", sc))
        entries += [(f"sweep.scenarios[{i}]", sc) for i, sc in enumerate(cfg.sweep.scenarios)]

    out: list[ScenarioConfig] = []
    seen: dict[str, str] = {}
    for where, sc in entries:
        name = scenario_name(sc)
        if not is_valid_name(name):
            problems.append(Problem(source, f"{where}.name", "name", name, NAME_EXPECTED))
            continue
        if name in seen:
            problems.append(Problem(source, where, "name", name,
                                    f"a unique scenario name (also produced by {seen[name]})"))
            continue
        seen[name] = where
        out.append(sc.model_copy(update={"name": name}))
    if problems:
        raise InputError(problems, "invalid sweep")
    return out


def _digest(obj: Any) -> str:
    text = json.dumps(obj, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def study_fingerprint(cfg: StudyConfig, data_version: str) -> str:
    """Hash of what every scenario of a study depends on (sha256 hex).

    Covers the network data version (content hash of the input files) and the config sections
    that change any scenario's result: forecast, service, segments, network, solver (except
    ``threads``, which the sweep sets per worker). It leaves out the study's name and title,
    the baseline scenario list and the sweep section, and the case tables (`scenario_key` adds
    the cases a scenario uses), so that adding a scenario or a case invalidates nothing
    already solved.
    """
    solver = cfg.solver.model_dump(mode="json")
    solver.pop("threads", None)
    return _digest({
        "data_version": data_version,
        "data": cfg.data.model_dump(mode="json"),
        "forecast": cfg.forecast.model_dump(mode="json"),
        "service": cfg.service.model_dump(mode="json"),
        "segments": {k: v.model_dump(mode="json") for k, v in cfg.segments.items()},
        "network": cfg.network.model_dump(mode="json"),
        "solver": solver,
        "planning": cfg.planning.model_dump(mode="json"),  # the design day (issue 14)
    })


def scenario_key(study_fingerprint: str, sc: ScenarioConfig, cfg: StudyConfig,
                 version: str = __version__) -> str:
    """Resume key of one scenario: hash of its inputs and the package version (24 hex chars).

    Inputs: the study fingerprint (`study_fingerprint`), the scenario's cases (not its name)
    and the definitions of the growth case, cost case and policy it uses. Results on disk are
    reused only when their stored key equals this one.
    """
    cases = sc.model_dump(mode="json", exclude={"name"})
    return _digest({
        "study": study_fingerprint,
        "scenario": cases,
        "growth_case": cfg.growth_cases.get(sc.growth),
        "cost_case": (cfg.cost_cases[sc.costs].model_dump(mode="json")
                      if sc.costs in cfg.cost_cases else None),
        "policy": (cfg.policies[sc.policy].model_dump(mode="json")
                   if sc.policy in cfg.policies else None),
        "netdesign_version": version,
    })[:24]
