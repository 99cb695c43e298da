"""`StudyInputs`: a validated study config together with its validated network data.

This is what the later stages (scenario, results, sweep, refresh) need from the input boundary.
It lives in `data/` (beside the `Network` it holds) so that the results layer can name it
without importing the pipeline. `netdesign.Study` (the scripting API) extends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netdesign.config.loader import load_config
from netdesign.config.schema import StudyConfig
from netdesign.data.loader import load_network
from netdesign.data.network import Network


@dataclass
class StudyInputs:
    """A validated study: its config, its network data and the config file it came from."""

    cfg: StudyConfig
    network: Network
    config_path: Path | None = None


def load_inputs(config: str | Path | StudyConfig) -> StudyInputs:
    """Load and validate the config and its network data (raises `InputError` with all problems)."""
    path = None
    if not isinstance(config, StudyConfig):
        path = Path(config)
        config = load_config(path)
    return StudyInputs(cfg=config, network=load_network(config), config_path=path)
