"""Provenance recorded with every result: config, data version, package versions, time."""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any

import yaml

from netdesign import __version__

if TYPE_CHECKING:
    from netdesign.config.schema import StudyConfig
    from netdesign.data.inputs import StudyInputs as Study

PACKAGES = ("netdesign", "numpy", "pandas", "pyarrow", "scipy", "statsmodels", "dask",
            "distributed", "pydantic", "pyomo", "highspy", "xarray", "netCDF4")


def package_versions() -> dict[str, str]:
    """Python's and the installed versions of the packages that shape forecasts and results."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def config_yaml(cfg: StudyConfig) -> str:
    """The validated config as canonical YAML (defaults filled in)."""
    return yaml.safe_dump(cfg.model_dump(mode="json"), sort_keys=True, allow_unicode=True)


def config_hash(cfg: StudyConfig) -> str:
    """Short sha256 of the canonical config."""
    return hashlib.sha256(config_yaml(cfg).encode()).hexdigest()[:16]


def provenance_attrs(study: Study) -> dict[str, Any]:
    """Dataset attributes that let a printed report be traced to its inputs."""
    return {
        "study": study.cfg.name,
        "config_yaml": config_yaml(study.cfg),
        "config_hash": config_hash(study.cfg),
        "data_source": study.network.source,
        "data_version": study.network.version,
        "package_versions": json.dumps(package_versions()),
        "netdesign_version": __version__,
        "created_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
