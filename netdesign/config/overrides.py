"""Dotted-key overrides of a study config: ``{"service.late_penalty_cny_per_parcel": 10}``.

Each key is a path of section and field names (``"solver.time_limit_s"``) or of mapping keys
(``"policies.rail_push.mode_share.rail.min"``, ``"cost_cases.dear_road.road"``); its value
replaces what is there, so a mapping value replaces the whole mapping. A key naming a field that
does not exist is reported with the fields that do exist at that level (and the closest one);
the resulting config is validated as a whole, and every problem is reported at once as an
`InputError` whose source is ``overrides``.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from netdesign.config.loader import parse_config
from netdesign.config.schema import StudyConfig
from netdesign.errors import InputError, Problem

SOURCE = "overrides"


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``X``, ``X | None``), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            model = _model_of(arg)
            if model is not None:
                return model
    return None


def _is_mapping(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_mapping(a) for a in typing.get_args(annotation))
    return origin is dict or annotation is dict


def _value_model(annotation: Any) -> type[BaseModel] | None:
    """For ``dict[K, Model]`` (possibly optional), the model of the values."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for a in typing.get_args(annotation):
            model = _value_model(a)
            if model is not None:
                return model
        return None
    if origin is dict:
        return _model_of(typing.get_args(annotation)[1])
    return None


def _closest(name: str, names: list[str]) -> str | None:
    close = difflib.get_close_matches(name, names, n=1)
    if close:
        return close[0]
    flat = name.replace("_", "").lower()
    starts = [n for n in names if n.replace("_", "").lower().startswith(flat)]
    return starts[0] if len(starts) == 1 else None


def _unknown(key: str, part: str, where: str, names: list[str]) -> Problem:
    close = _closest(part, names)
    hint = f" (did you mean '{close}'?)" if close else ""
    return Problem(SOURCE, key, part, key,
                   f"one of the keys of '{where}': {', '.join(names)}{hint}")


def key_problem(key: str) -> Problem | None:
    """A Problem if the dotted `key` does not name a field of the config, else None.

    Below a mapping (``growth_cases``, ``policies``, ``standards_h``) any key is accepted;
    below a mapping of sections (``policies.NAME``, ``cost_cases.NAME``) the section's fields
    are checked again.
    """
    parts = key.split(".")
    if not all(parts):
        return Problem(SOURCE, key, None, key, "a dotted key of config fields, e.g. "
                       "'service.late_penalty_cny_per_parcel'")
    model: type[BaseModel] | None = StudyConfig
    i = 0
    while i < len(parts):
        part, where = parts[i], ".".join(parts[:i]) or "(top level)"
        if model is None:
            return Problem(SOURCE, key, part, key,
                           f"no key below '{where}' (it is a value, not a section)")
        fields = {n: f for n, f in model.model_fields.items() if not f.exclude}
        if part not in fields:
            return _unknown(key, part, where, list(fields))
        annotation = fields[part].annotation
        if _is_mapping(annotation):
            model = _value_model(annotation)
            if model is None:
                return None  # a mapping of values: any key below
            i += 2  # skip the mapping's key (e.g. the policy name), check the section's fields
            continue
        model = _model_of(annotation)
        i += 1
    return None


def _set(data: dict[str, Any], parts: list[str], value: Any) -> None:
    node = data
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            node[part] = nxt
        node = nxt
    node[parts[-1]] = value


def apply_overrides(cfg: StudyConfig, overrides: Mapping[str, Any]) -> StudyConfig:
    """A new validated config: `cfg` with each dotted key set to its value.

    Raises `InputError` listing every unknown key, or every validation problem of the result
    (source ``overrides``); `cfg` itself is never changed.
    """
    problems = [p for p in (key_problem(str(k)) for k in overrides) if p is not None]
    if problems:
        raise InputError(problems, "invalid overrides")
    # Only what was set: a field left to its default stays unset (the sweep reads
    # `model_fields_set`, e.g. for solver.threads).
    data = cfg.model_dump(mode="python", exclude_unset=True)
    for key, value in overrides.items():
        _set(data, str(key).split("."), value)
    new = parse_config(data, SOURCE, cfg.config_dir)
    return new.model_copy(update={"config_file": cfg.config_file})
