"""One vocabulary: every stage's copy of a closed set of names equals `netdesign.vocabulary`.

Where a module still keeps its own tuple or Literal (not yet derived from the vocabulary),
this test is what keeps it from drifting; where it derives, the test is trivially true.
"""

from __future__ import annotations

from typing import get_args

import pytest

from netdesign import vocabulary as v
from netdesign.config import schema as cs
from netdesign.data import schema as ds
from netdesign.report.i18n import LABELS
from netdesign.results import dataset as rd
from netdesign.scenario.scenario import Scenario


def _literal(model, field: str) -> tuple[str, ...]:
    ann = model.model_fields[field].annotation
    args = get_args(ann)
    # `X | None` -> the Literal inside
    for a in args:
        if get_args(a) and all(isinstance(x, str) for x in get_args(a)):
            return get_args(a)
    return args


def test_config_literals_are_the_vocabulary():
    assert get_args(cs.Mode) == v.MODES and cs.MODES == v.MODES
    assert get_args(cs.ServiceClass) == v.SERVICE_CLASSES == cs.SERVICE_CLASSES
    assert _literal(cs.ForecastConfig, "method") == v.FORECAST_METHODS
    assert _literal(cs.ServiceConfig, "policy") == v.SERVICE_POLICIES
    assert _literal(cs.PolicyConfig, "service_policy") == v.SERVICE_POLICIES
    assert _literal(cs.NetworkConfig, "allocation") == v.ALLOCATIONS
    assert _literal(cs.ScenarioConfig, "demand_quantile") == v.DEMAND_QUANTILES


def test_data_schema_choices_are_the_vocabulary():
    assert ds.MODES == v.MODES and ds.SERVICE_CLASSES == v.SERVICE_CLASSES
    assert ds.NODE_KINDS == v.NODE_KINDS and ds.LINK_ROLES == v.LINK_ROLES
    assert set(ds.KIND_MODES) == set(v.NODE_KINDS)


def test_results_coordinates_are_the_vocabulary():
    assert rd.COST_COMPONENTS == v.COST_COMPONENTS and rd.STATS == v.FORECAST_STATS


def test_report_hub_kinds_are_the_vocabulary():
    from netdesign.report.netmap import HUB_KINDS

    assert HUB_KINDS == v.HUB_KINDS and set(v.HUB_KINDS) <= set(v.NODE_KINDS)


def test_forecast_and_solver_names_are_the_vocabulary():
    from netdesign.forecast.engine import METHODS
    from netdesign.optimise.report import STATUSES

    assert METHODS == v.FORECAST_METHODS
    assert STATUSES == v.SOLVE_STATUSES


@pytest.mark.parametrize("names", [v.MODES, v.SERVICE_CLASSES, v.COST_COMPONENTS,
                                   v.LINK_ROLES])
def test_report_has_a_label_for_every_name(names):
    missing = [n for n in names if n not in LABELS]
    assert not missing, f"add zh/en labels to report/i18n.py LABELS: {missing}"


def test_scenario_defaults_are_the_config_defaults():
    """A `Scenario` built without a config behaves like a config with every default."""
    field = Scenario.__dataclass_fields__
    service, network = cs.ServiceConfig(), cs.NetworkConfig()
    assert field["service_standards_h"].default_factory() == service.standards_h
    for name, value in [("service_policy", service.policy),
                        ("late_penalty_cny_per_parcel", service.late_penalty_cny_per_parcel),
                        ("collection_h", service.collection_h),
                        ("allocation", network.allocation),
                        ("max_linehaul_legs", network.max_linehaul_legs),
                        ("parcel_weight_kg", network.parcel_weight_kg),
                        ("days_per_year", network.days_per_year),
                        ("rural_min_weekly_frequency", network.rural_min_weekly_frequency),
                        ("unserved_penalty_cny_per_parcel",
                         network.unserved_penalty_cny_per_parcel),
                        ("allow_unserved", network.allow_unserved)]:
        assert field[name].default == value, name
