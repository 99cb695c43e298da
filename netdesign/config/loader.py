"""Read a study YAML file into a validated `StudyConfig`, reporting every problem at once.

The YAML is read defensively (see docs/security.md): UTF-8 only (the likely encoding is named
otherwise), at most `MAX_CONFIG_BYTES`, a key given twice in one mapping is an error (PyYAML
would silently keep the second), and a document whose aliases would expand to more than
`MAX_YAML_NODES` values (a "billion laughs" bomb) is refused before it is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from netdesign.config.inherit import resolve_extends
from netdesign.config.names import NAME_EXPECTED, is_valid_name, scenario_name
from netdesign.config.schema import ScenarioConfig, StudyConfig
from netdesign.errors import InputError, Problem
from netdesign.textfiles import decode_utf8

MAX_CONFIG_BYTES = 2_000_000
"""Largest study config accepted, bytes (a real one is a few kB)."""
MAX_YAML_NODES = 100_000
"""Most values (scalars, lists, mappings) a config may expand to, counting every alias use."""


class _StrictLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that rejects a key given twice in one mapping."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML signature
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, yaml.Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node)
                except TypeError:  # unhashable key: SafeLoader reports it
                    continue
                if first is not key_node:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        f"key {key!r} given twice (first on line {first.start_mark.line + 1}); "
                        "each key once", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """Values in `node` with every alias expanded (shared nodes counted at each use)."""
    got = memo.get(id(node))
    if got is not None:
        return got
    memo[id(node)] = MAX_YAML_NODES + 1  # a recursive alias counts as too large
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(n, memo) for n in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        size = 1
    memo[id(node)] = size = min(size, MAX_YAML_NODES + 1)
    return size


def parse_yaml(text: str, source: str) -> Any:
    """Parse one YAML document safely (no tags beyond plain data, no duplicate keys, bounded
    alias expansion). Raises `InputError` naming the line of a syntax error."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node, {})
        if size > MAX_YAML_NODES:
            raise InputError([Problem(source, "(file)", None, f"more than {MAX_YAML_NODES:,} "
                                      "values once aliases are expanded",
                                      f"at most {MAX_YAML_NODES:,} values (anchors and aliases "
                                      "(&x / *x) expand to copies; a config needs a few "
                                      "hundred)")], "invalid config")
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise InputError([Problem(source, where, None, None,
                                  f"valid YAML ({getattr(exc, 'problem', None) or exc})")],
                         "invalid config") from None
    except RecursionError:
        raise InputError([Problem(source, "(file)", None, "nesting too deep",
                                  "a config nested a few levels deep")],
                         "invalid config") from None
    finally:
        loader.dispose()


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
            expected = err["msg"].removeprefix("Value error, ")
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
        problems += name_problems(_valid_scenarios(raw.get("scenarios")), source)
        raise InputError(problems, "invalid config") from None
    names = name_problems(list(cfg.scenarios), source)
    if names:
        raise InputError(names, "invalid config")
    return cfg.model_copy(update={"config_dir": config_dir})


def _valid_scenarios(raw: Any) -> list[ScenarioConfig | None]:
    """Each raw baseline scenario validated on its own (None where invalid: reported by the
    schema), so that names are checked even when other parts of the config are wrong."""
    out: list[ScenarioConfig | None] = []
    for entry in raw if isinstance(raw, list) else []:
        try:
            out.append(ScenarioConfig.model_validate(entry))
        except ValidationError:
            out.append(None)
    return out


def name_problems(scenarios: list[ScenarioConfig | None], source: str) -> list[Problem]:
    """The baseline scenarios' names (given or derived from their cases): safe as file names
    and unique, for every command. (An explicit name's characters are checked by the schema;
    the sweep grid's names when it is expanded, `scenario.grid.expand_sweep`.)"""
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for i, sc in enumerate(scenarios):
        if sc is None:
            continue
        name = scenario_name(sc)
        if not is_valid_name(name):  # a derived name from odd case names
            out.append(Problem(source, f"scenarios[{i}].name", "name", name, NAME_EXPECTED))
        elif name in seen:
            out.append(Problem(source, f"scenarios[{i}]", "name", name,
                               f"a unique scenario name (scenarios[{seen[name]}] has it too; "
                               "give one of them a `name:` or change its cases)"))
        else:
            seen[name] = i
    return out


def read_config_file(path: Path) -> Any:
    """One config file parsed safely (size, UTF-8, YAML limits): the raw mapping, its
    `extends` not yet resolved. Raises `InputError` naming the file."""
    source = str(path)
    if not path.is_file():
        raise InputError([Problem(source, "(file)", None, None, "an existing YAML file")],
                         "invalid config")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise InputError([Problem(source, "(file)", None, exc.strerror or str(exc),
                                  "a readable YAML file")], "invalid config") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise InputError([Problem(source, "(file)", None, f"more than {MAX_CONFIG_BYTES:,} bytes",
                                  f"a study config of at most {MAX_CONFIG_BYTES:,} bytes")],
                         "invalid config")
    text, problem = decode_utf8(data, source)
    if problem is not None:
        raise InputError([problem], "invalid config")
    return parse_yaml(text, source)


def load_config(path: str | Path) -> StudyConfig:
    """Load and validate a study config file (YAML, UTF-8), with the files it `extends`
    (`config.inherit`) merged under it."""
    path = Path(path)
    raw = resolve_extends(read_config_file(path), path, read_config_file)
    cfg = parse_config(raw, str(path), path.resolve().parent)
    return cfg.model_copy(update={"config_file": path})
