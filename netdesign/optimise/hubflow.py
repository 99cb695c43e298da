"""Placeholder until the hub-flow aggregation lands."""

from __future__ import annotations

from netdesign.optimise.model_data import ModelData


def hubflow_applies(data: ModelData) -> bool:
    return False


def build_hubflow(data: ModelData):  # pragma: no cover
    raise NotImplementedError
