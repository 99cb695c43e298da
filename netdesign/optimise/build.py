"""Choose the formulation and build it (docs/model.md): path model or exact hub-flow model."""

from __future__ import annotations

import numpy as np

from netdesign.optimise.built import Built
from netdesign.optimise.extract import empty_design, extract_path_design
from netdesign.optimise.hubflow import hubflow_applies
from netdesign.optimise.hubflow_model import build_hubflow
from netdesign.optimise.layout import build_layout
from netdesign.optimise.model import build_path_model
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.paths import PathSet, generate_paths, subset
from netdesign.optimise.report import Diagnosis


def build(data: ModelData, formulation: str = "auto") -> Built:
    """Build the model in the requested formulation ("auto", "path" or "hubflow")."""
    if formulation == "auto":
        formulation = "hubflow" if hubflow_applies(data) else "path"
    if formulation == "hubflow":
        return build_hubflow(data)
    if formulation != "path":
        raise ValueError(f"formulation {formulation!r}: expected 'auto', 'path' or 'hubflow'")
    return build_path(data)


def candidate_paths(data: ModelData) -> PathSet:
    """The path formulation's candidate paths (with single allocation, only those that start
    and end at a hub)."""
    paths = generate_paths(data)
    if data.allocation == "single" and paths.n:
        keep = (paths.first_hub >= 0) & (paths.last_hub >= 0)
        if not keep.all():
            paths = subset(paths, np.flatnonzero(keep))
    return paths


def build_path(data: ModelData) -> Built:
    """Candidate paths -> index sets -> the path formulation (or a pre-check diagnosis)."""
    paths = candidate_paths(data)

    def empty(report):
        return empty_design(data, report)

    precheck = precheck_paths(data, paths.corridor)
    if precheck is not None:
        return Built(None, "path", paths.n, lambda _v, report: empty(report), empty, precheck)
    model, ctx = build_path_model(data, paths, build_layout(data, paths))

    def extract(values, report):
        return extract_path_design(model, ctx, values, report)

    return Built(model, "path", paths.n, extract, empty)


def precheck_paths(data: ModelData, path_corridor: np.ndarray) -> Diagnosis | None:
    """Without unserved slack, every corridor with demand needs a candidate path."""
    if data.allow_unserved:
        return None
    has_path = np.zeros(data.n_corridors, bool)
    has_path[path_corridor] = True
    missing = [data.corr_ids[c] for c in np.flatnonzero((data.demand > 0) & ~has_path)]
    if not missing:
        return None
    return Diagnosis(
        unserved={c: float(data.demand[data.corr_ids.index(c)]) for c in missing},
        corridors=missing,
        message=(f"{len(missing)} corridor(s) have demand but no admissible path "
                 f"(links, transfer modes, line-haul legs or the service standard "
                 f"under policy 'forbid'): {', '.join(missing[:20])}"))
