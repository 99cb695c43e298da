"""Read a study YAML file into a validated `StudyConfig`, reporting every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from netdesign.config.schema import StudyConfig
from netdesign.errors import InputError, Problem


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _lookup(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def problems_from_validation_error(exc: ValidationError, source: str, raw: Any) -> list[Problem]:
    """Translate pydantic's errors into `Problem` records naming file, key path and value."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            expected = "no such key (check the spelling; see the config reference in README)"
        elif kind == "missing":
            expected = "this key to be present"
        else:
            expected = err["msg"]
        value = err.get("input") if kind != "missing" else None
        if kind != "extra_forbidden" and not isinstance(value, (str, int, float, bool, type(None))):
            value = _lookup(raw, loc)
        problems.append(Problem(source, _key_path(loc), str(loc[-1]) if loc else None,
                                value if kind != "extra_forbidden" else _lookup(raw, loc),
                                expected))
    return problems


_CASE_TABLES = (("growth", "growth_cases", {"base": 0.0}),
                ("costs", "cost_cases", {"base": {}}),
                ("policy", "policies", {"none": {}}))


def reference_problems(raw: dict[str, Any], source: str) -> list[Problem]:
    """Scenarios and sweep axes that name a growth case, cost case or policy not defined in the
    config, one Problem per key path (works on the raw mapping, so it also runs when other
    fields are invalid)."""
    tables = {}
    for _, section, default in _CASE_TABLES:
        value = raw.get(section, default)
        tables[section] = value if isinstance(value, dict) else None
    scenarios: list[tuple[str, Any]] = []
    if isinstance(raw.get("scenarios"), list):
        scenarios += [(f"scenarios[{i}]", sc) for i, sc in enumerate(raw["scenarios"])]
    sweep = raw.get("sweep")
    if isinstance(sweep, dict) and isinstance(sweep.get("scenarios"), list):
        scenarios += [(f"sweep.scenarios[{i}]", sc) for i, sc in enumerate(sweep["scenarios"])]
    out = []
    for key, section, default in _CASE_TABLES:
        table = tables[section]
        if table is None:
            continue
        expected = f"one of the names defined under {section}: {sorted(map(str, table))}"
        for where, sc in scenarios:
            if isinstance(sc, dict):
                name = sc.get(key, next(iter(default)))
                if isinstance(name, str) and name not in table:
                    out.append(Problem(source, f"{where}.{key}", key, name, expected))
        axes = sweep.get("axes") if isinstance(sweep, dict) else None
        values = axes.get(key) if isinstance(axes, dict) else None
        for i, name in enumerate(values if isinstance(values, list) else []):
            if isinstance(name, str) and name not in table:
                out.append(Problem(source, f"sweep.axes.{key}[{i}]", key, name, expected))
    return out


def parse_config(raw: Any, source: str = "<config>", config_dir: Path | None = None) -> StudyConfig:
    """Validate an already-parsed mapping. Raises `InputError` with all problems."""
    if not isinstance(raw, dict):
        raise InputError([Problem(source, "(top level)", None, type(raw).__name__,
                                  "a YAML mapping of config sections")], "invalid config")
    try:
        cfg = StudyConfig.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc, source, raw)
        # The cross-reference check (scenario -> growth/cost/policy case) runs only when every
        # field is valid and reports at the top level; report it per key path, and together
        # with the field errors.
        refs = reference_problems(raw, source)
        if refs:
            problems = [p for p in problems if not (
                p.location == "(top level)" and p.field is None
                and ("unknown case" in p.expected or "unknown policy" in p.expected))]
        problems += refs
        raise InputError(problems, "invalid config") from None
    return cfg.model_copy(update={"config_dir": config_dir})


def load_config(path: str | Path) -> StudyConfig:
    """Load and validate a study config file (YAML)."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Problem(str(path), "(file)", None, None, "an existing YAML file")],
                         "invalid config")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise InputError([Problem(str(path), where, None, None,
                                  f"valid YAML ({getattr(exc, 'problem', exc)})")],
                         "invalid config") from None
    return parse_config(raw, str(path), path.resolve().parent)
