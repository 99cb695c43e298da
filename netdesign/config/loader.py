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


def parse_config(raw: Any, source: str = "<config>", config_dir: Path | None = None) -> StudyConfig:
    """Validate an already-parsed mapping. Raises `InputError` with all problems."""
    if not isinstance(raw, dict):
        raise InputError([Problem(source, "(top level)", None, type(raw).__name__,
                                  "a YAML mapping of config sections")], "invalid config")
    try:
        cfg = StudyConfig.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from_validation_error(exc, source, raw)
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
