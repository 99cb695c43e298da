"""Study config validation: unknown keys, wrong types, bad references, YAML syntax; every
problem reported at once with the file, the key path, the bad value and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from netdesign.config import load_config, parse_config
from netdesign.errors import InputError, Problem

TINY_YAML = Path(__file__).resolve().parent / "fixtures" / "tiny" / "tiny.yaml"


def problems_for(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "study.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_config(path)
    assert err.value.exit_code == 2
    for p in err.value.problems:
        assert p.source == str(path)
    return err.value.problems


def by_location(problems: list[Problem]) -> dict[str, Problem]:
    out = {p.location: p for p in problems}
    assert len(out) == len(problems), problems
    return out


def test_tiny_config_is_valid():
    cfg = load_config(TINY_YAML)
    assert cfg.name == "tiny"
    assert cfg.config_dir == TINY_YAML.parent
    assert cfg.network.max_linehaul_legs == 2
    assert [s.year for s in cfg.scenarios] == [2025, 2030]
    assert cfg.growth_cases == {"base": 0.0, "high": 0.03}
    assert cfg.cost_cases["cheap_rail"].rail == 0.8 and cfg.cost_cases["cheap_rail"].road == 1.0


@pytest.mark.parametrize("text,path,value", [
    ("name: s\nbogus: 1\n", "bogus", 1),
    ("name: s\nsolver:\n  time_limit: 30\n", "solver.time_limit", 30),
    ("name: s\nnetwork: {max_legs: 3}\n", "network.max_legs", 3),
    ("name: s\npolicies:\n  rail:\n    mode_share:\n      rail: {mn: 0.2}\n",
     "policies.rail.mode_share.rail.mn", 0.2),
    ("name: s\nscenarios:\n  - {year: 2025, carbon_price: 100}\n",
     "scenarios[0].carbon_price", 100),
])
def test_unknown_keys_name_the_key_path(tmp_path, text, path, value):
    (p,) = problems_for(tmp_path, text)
    assert (p.location, p.field, p.value) == (path, path.split(".")[-1], value)
    assert "no such key" in p.expected
    assert f"study.yaml: {path}" in str(p)


@pytest.mark.parametrize("text,path,value,expected", [
    ("name: s\nsolver: {time_limit_s: fast}\n", "solver.time_limit_s", "fast", "valid number"),
    ("name: s\nnetwork: {max_linehaul_legs: 2.5}\n", "network.max_linehaul_legs", 2.5,
     "valid integer"),
    ("name: s\nnetwork: {max_linehaul_legs: 4}\n", "network.max_linehaul_legs", 4,
     "less than or equal to 3"),
    ("name: s\nsolver: {mip_rel_gap: -0.1}\n", "solver.mip_rel_gap", -0.1,
     "greater than or equal to 0"),
    ("name: s\nforecast: {reconcile: maybe}\n", "forecast.reconcile", "maybe", "valid boolean"),
    ("name: s\nforecast: {method: prophet}\n", "forecast.method", "prophet", "'auto'"),
    ("name: s\nservice: {standards_h: {express: 12}}\n", "service.standards_h.express",
     "express", "'domestic'"),
    ("name: 'my study'\n", "name", "my study", "match pattern"),
])
def test_wrong_types_and_ranges(tmp_path, text, path, value, expected):
    (p,) = problems_for(tmp_path, text)
    assert p.location.startswith(path)
    assert p.value == value
    assert expected in p.expected


def test_missing_required_key(tmp_path):
    (p,) = problems_for(tmp_path, "title: {en: no name}\n")
    assert (p.location, p.field, p.value) == ("name", "name", None)
    assert "got missing" in str(p)


def test_unknown_cases_are_named_by_key_path(tmp_path):
    text = """\
name: s
growth_cases: {base: 0.0, high: 0.03}
policies: {none: {}, rail_push: {}}
scenarios:
  - {year: 2025}
  - {year: 2035, growth: hi, costs: cheap, policy: green}
sweep:
  axes:
    policy: [none, greener]
"""
    got = by_location(problems_for(tmp_path, text))
    assert set(got) == {"scenarios[1].growth", "scenarios[1].costs", "scenarios[1].policy",
                        "sweep.axes.policy[1]"}
    g = got["scenarios[1].growth"]
    assert (g.field, g.value) == ("growth", "hi")
    assert g.expected == "one of the names defined under growth_cases: ['base', 'high']"
    assert got["scenarios[1].costs"].expected.endswith("cost_cases: ['base']")
    assert got["sweep.axes.policy[1]"].value == "greener"
    assert "['none', 'rail_push']" in got["sweep.axes.policy[1]"].expected


def test_all_problems_reported_at_once(tmp_path):
    text = """\
name: s
solver:
  time_limit_s: -5
  threds: 2
network:
  max_linehaul_legs: zero
scenarios:
  - {year: 1990}
  - {year: 2030, policy: unknown_policy}
colour: blue
"""
    got = by_location(problems_for(tmp_path, text))
    assert set(got) == {"solver.time_limit_s", "solver.threds", "network.max_linehaul_legs",
                        "scenarios[0].year", "scenarios[1].policy", "colour"}
    assert got["scenarios[0].year"].value == 1990
    assert got["scenarios[1].policy"].value == "unknown_policy"


@pytest.mark.parametrize("text,line", [
    ("name: s\nsolver:\n  time_limit_s: 30\n   threads: 1\n", 4),
    ("name: s\nscenarios: [{year: 2025}\nsolver: {}\n", 3),
    ("name: s\ntitle: {en: 'unterminated}\n", 3),
])
def test_yaml_syntax_error_has_line_number(tmp_path, text, line):
    (p,) = problems_for(tmp_path, text)
    assert p.location.startswith(f"line {line}, column ")
    assert "valid YAML" in p.expected


def test_top_level_not_a_mapping(tmp_path):
    (p,) = problems_for(tmp_path, "- name: s\n")
    assert (p.location, p.value) == ("(top level)", "list")


def test_missing_config_file(tmp_path):
    with pytest.raises(InputError) as err:
        load_config(tmp_path / "nope.yaml")
    assert err.value.problems[0].location == "(file)"
    assert "nope.yaml" in err.value.render()


def test_parse_config_reports_source_name():
    with pytest.raises(InputError) as err:
        parse_config({"name": "s", "data": {"dri": "."}}, "inline.yaml")
    (p,) = err.value.problems
    assert str(p).startswith("inline.yaml: data.dri, field 'dri'")
