"""Config inheritance: a study file may start from another with ``extends: base.yaml``.

The path is relative to the extending file's folder. The extending file's keys are merged over
the base's section by section: a mapping is merged key by key (recursively), anything else (a
number, a string, a list such as ``scenarios``) replaces the base's value, and ``null``
removes the key, so that the schema's default applies (``solver: {threads: null}``). A base
may itself extend another file. A missing or unreadable base, a base that is not a mapping,
and a cycle (a file extending itself through others) are input errors naming the file and the
``extends`` key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from netdesign.errors import InputError, Problem

EXTENDS_KEY = "extends"
MAX_DEPTH = 16


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` merged onto `base` (new dict; mappings merged recursively, the rest replaced,
    a None value removes the key)."""
    out = dict(base)
    for key, value in over.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_extends(raw: Any, path: Path, read: Callable[[Path], Any],
                    _chain: tuple[Path, ...] = ()) -> Any:
    """The config mapping of `path` (already parsed as `raw`) with its `extends` chain merged
    in and the `extends` key removed; `read(path)` parses a base file (the loader's safe
    reader). A relative `data.dir` of a base is made absolute, so it stays relative to the
    file that wrote it. Non-mappings are returned as they are (the validator reports them)."""
    if not isinstance(raw, dict) or EXTENDS_KEY not in raw:
        return raw
    here = path.resolve()
    chain = (*_chain, here)
    target = raw[EXTENDS_KEY]
    if not isinstance(target, str) or not target.strip():
        raise InputError([Problem(str(path), EXTENDS_KEY, EXTENDS_KEY, target,
                                  "the path of another study YAML file, relative to this one")],
                         "invalid config")
    base_path = (here.parent / target).resolve()
    if base_path in chain:
        loop = " -> ".join(p.name for p in (*chain, base_path))
        raise InputError([Problem(str(path), EXTENDS_KEY, EXTENDS_KEY, target,
                                  f"a file that does not extend this one (cycle: {loop})")],
                         "invalid config")
    if len(chain) > MAX_DEPTH:
        raise InputError([Problem(str(path), EXTENDS_KEY, EXTENDS_KEY, target,
                                  f"at most {MAX_DEPTH} levels of extends")], "invalid config")
    if not base_path.is_file():
        raise InputError([Problem(str(path), EXTENDS_KEY, EXTENDS_KEY, target,
                                  f"an existing YAML file ({base_path} not found)")],
                         "invalid config")
    base_raw = read(base_path)
    if not isinstance(base_raw, dict):
        raise InputError([Problem(str(base_path), "(top level)", None, type(base_raw).__name__,
                                  f"a YAML mapping of config sections (extended by {path})")],
                         "invalid config")
    base = _anchor_data_dir(resolve_extends(base_raw, base_path, read, chain), base_path)
    own = {k: v for k, v in raw.items() if k != EXTENDS_KEY}
    return deep_merge(base, own)


def _anchor_data_dir(cfg: dict[str, Any], path: Path) -> dict[str, Any]:
    """`cfg` with a relative `data.dir` made absolute against the folder of `path`."""
    data = cfg.get("data")
    d = data.get("dir") if isinstance(data, dict) else None
    relative = isinstance(d, str) and not d.startswith("package:") and \
        not Path(d).expanduser().is_absolute()
    if relative:
        cfg = {**cfg, "data": {**data, "dir": str(path.parent / d)}}
    return cfg
