"""Choose the formulation and build it: `Built` bundles the Pyomo model with its extractor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo

from netdesign.optimise.extract import empty_design, extract_path_design, var_values
from netdesign.optimise.layout import build_layout
from netdesign.optimise.model import build_path_model
from netdesign.optimise.model_data import ModelData
from netdesign.optimise.paths import generate_paths
from netdesign.optimise.report import Diagnosis, SolveReport
from netdesign.optimise.solution import Design


@dataclass
class Built:
    """A built model: `extract(standard_form, values, report)` gives the Design."""

    model: pyo.ConcreteModel | None
    formulation: str
    n_paths: int
    extract: Callable[..., Design]
    empty: Callable[[SolveReport], Design]
    precheck: Diagnosis | None = None


def build(data: ModelData, formulation: str = "auto") -> Built:
    """Build the model in the requested formulation ("auto" picks; see docs/model.md)."""
    if formulation == "auto":
        from netdesign.optimise.hubflow import hubflow_applies
        formulation = "hubflow" if hubflow_applies(data) else "path"
    if formulation == "hubflow":
        from netdesign.optimise.hubflow import build_hubflow
        return build_hubflow(data)
    return _build_path(data)


def _build_path(data: ModelData) -> Built:
    paths = generate_paths(data)
    if data.allocation == "single" and paths.n:
        keep = (paths.first_hub >= 0) & (paths.last_hub >= 0)
        if not keep.all():
            from netdesign.optimise.paths import subset
            paths = subset(paths, np.flatnonzero(keep))
    empty = lambda report: empty_design(data, report)  # noqa: E731
    precheck = None
    if not data.allow_unserved:
        has_path = np.zeros(data.n_corridors, bool)
        has_path[paths.corridor] = True
        missing = [data.corr_ids[c] for c in np.flatnonzero((data.demand > 0) & ~has_path)]
        if missing:
            precheck = Diagnosis(
                unserved={c: float(data.demand[data.corr_ids.index(c)]) for c in missing},
                corridors=missing,
                message=(f"{len(missing)} corridor(s) have demand but no admissible path "
                         f"(links, transfer modes, line-haul legs or the service standard "
                         f"under policy 'forbid'): {', '.join(missing[:20])}"))
            return Built(None, "path", paths.n, lambda *a: empty(a[-1]), empty, precheck)
    layout = build_layout(data, paths)
    model, ctx = build_path_model(data, paths, layout)

    def extract(sf, values, report) -> Design:
        return extract_path_design(ctx, var_values(sf.columns, values), report)

    return Built(model, "path", paths.n, extract, empty)
