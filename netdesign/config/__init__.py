"""Study configuration: typed, validated models of the YAML files (the input boundary)."""

from netdesign.config.loader import load_config, parse_config
from netdesign.config.schema import (
    MODES,
    SERVICE_CLASSES,
    CostCase,
    PolicyConfig,
    ScenarioConfig,
    SolverConfig,
    StudyConfig,
)

__all__ = ["MODES", "SERVICE_CLASSES", "CostCase", "PolicyConfig", "ScenarioConfig",
           "SolverConfig", "StudyConfig", "load_config", "parse_config"]
