"""Config inheritance: `extends:` merges a base file under the extending one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from netdesign.config.inherit import deep_merge
from netdesign.config.loader import load_config
from netdesign.data.loader import load_network
from netdesign.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny" / "tiny.yaml"


def _write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_deep_merge_by_hand():
    base = {"a": {"x": 1, "y": {"p": 1, "q": 2}}, "l": [1, 2], "k": 5, "gone": {"z": 1}}
    over = {"a": {"y": {"q": 3}, "w": 4}, "l": [9], "gone": None, "new": 1}
    assert deep_merge(base, over) == {"a": {"x": 1, "y": {"p": 1, "q": 3}, "w": 4},
                                      "l": [9], "k": 5, "new": 1}
    assert base["a"]["y"]["q"] == 2  # the base is not changed


def test_extends_merges_sections_and_resolves_relative_paths(tmp_path):
    base = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    # the base's relative data folder stays relative to the base file, not to the child
    base["data"]["dir"] = os.path.relpath(TINY.parent, tmp_path / "base")
    _write(tmp_path / "base" / "tiny.yaml", base)
    child = _write(tmp_path / "child.yaml", {
        "extends": "base/tiny.yaml", "name": "tiny-child",
        "service": {"late_penalty_cny_per_parcel": 9},
        "policies": {"co2_cap": {"co2_cap_t_per_day": 300}},
        "scenarios": [{"year": 2030, "carbon_price_cny_per_t": 100}],
        "solver": {"threads": None}})
    cfg = load_config(child)
    parent = load_config(tmp_path / "base" / "tiny.yaml")
    assert cfg.name == "tiny-child"
    assert cfg.service.late_penalty_cny_per_parcel == 9
    assert cfg.service.standards_h == parent.service.standards_h  # merged, not replaced
    assert cfg.policies["co2_cap"].co2_cap_t_per_day == 300
    assert set(cfg.policies) == set(parent.policies)
    assert [sc.year for sc in cfg.scenarios] == [2030]  # a list replaces
    assert "threads" not in cfg.solver.model_fields_set  # null: back to the default
    assert cfg.solver.time_limit_s == parent.solver.time_limit_s
    assert cfg.growth_cases == parent.growth_cases
    assert Path(cfg.data.dir).resolve() == TINY.parent.resolve()
    assert load_network(cfg).version == load_network(parent).version


def test_extends_chain_and_errors(tmp_path):
    _write(tmp_path / "a.yaml", {"name": "a", "solver": {"time_limit_s": 7}})
    _write(tmp_path / "b.yaml", {"extends": "a.yaml", "name": "b"})
    _write(tmp_path / "c.yaml", {"extends": "b.yaml", "solver": {"seed": 3}})
    cfg = load_config(tmp_path / "c.yaml")
    assert (cfg.name, cfg.solver.time_limit_s, cfg.solver.seed) == ("b", 7, 3)

    _write(tmp_path / "loop1.yaml", {"extends": "loop2.yaml", "name": "x"})
    _write(tmp_path / "loop2.yaml", {"extends": "loop1.yaml"})
    with pytest.raises(InputError) as err:
        load_config(tmp_path / "loop1.yaml")
    (p,) = err.value.problems
    assert p.location == "extends" and "cycle: loop1.yaml -> loop2.yaml -> loop1.yaml" in \
        p.expected and p.source.endswith("loop2.yaml")

    _write(tmp_path / "self.yaml", {"extends": "./self.yaml"})
    with pytest.raises(InputError, match="cycle"):
        load_config(tmp_path / "self.yaml")

    _write(tmp_path / "missing.yaml", {"extends": "nope/base.yaml", "name": "m"})
    with pytest.raises(InputError) as err:
        load_config(tmp_path / "missing.yaml")
    (p,) = err.value.problems
    assert p.source.endswith("missing.yaml") and p.value == "nope/base.yaml"
    assert "not found" in p.expected

    _write(tmp_path / "num.yaml", {"extends": 3})
    with pytest.raises(InputError, match="the path of another study YAML file"):
        load_config(tmp_path / "num.yaml")

    (tmp_path / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    _write(tmp_path / "on_list.yaml", {"extends": "list.yaml"})
    with pytest.raises(InputError) as err:
        load_config(tmp_path / "on_list.yaml")
    assert err.value.problems[0].source.endswith("list.yaml")

    (tmp_path / "broken.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    _write(tmp_path / "on_broken.yaml", {"extends": "broken.yaml"})
    with pytest.raises(InputError) as err:
        load_config(tmp_path / "on_broken.yaml")
    assert err.value.problems[0].source.endswith("broken.yaml")


def test_sweep_config_extends_the_base_and_agrees_with_it():
    """configs/hangzhou-sweep.yaml keeps only what differs from configs/hangzhou.yaml: the
    name, the sweep, and HiGHS threads left to the sweep (cores // workers)."""
    base = load_config(ROOT / "configs" / "hangzhou.yaml")
    sweep = load_config(ROOT / "configs" / "hangzhou-sweep.yaml")
    raw = yaml.safe_load((ROOT / "configs" / "hangzhou-sweep.yaml").read_text(encoding="utf-8"))
    assert raw["extends"] == "hangzhou.yaml"
    assert set(raw) <= {"extends", "name", "title", "sweep", "solver", "cost_cases",
                        "growth_cases", "policies"}
    for section in ("data", "forecast", "service", "network", "growth_cases", "cost_cases",
                    "policies", "scenarios", "refresh", "title"):
        assert getattr(sweep, section) == getattr(base, section), section
    assert sweep.solver.model_dump(exclude={"threads"}) == \
        base.solver.model_dump(exclude={"threads"})
    assert "threads" not in sweep.solver.model_fields_set
    assert sweep.name == "hangzhou-sweep" and sweep.sweep is not None
