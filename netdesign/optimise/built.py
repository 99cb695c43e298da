"""`Built`: a model ready to solve, with the function that turns its solution into a Design."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from netdesign.optimise.linear import LinearModel
from netdesign.optimise.report import Diagnosis, SolveReport
from netdesign.optimise.solution import Design


@dataclass
class Built:
    """A built model (None when a pre-check already decided the outcome).

    extract(values, report): the Design from the solver's column values;
    empty(report): the Design of a solve without a solution (NaN tables, the report filled).
    """

    model: LinearModel | None
    formulation: str
    n_paths: int
    extract: Callable[[np.ndarray, SolveReport], Design]
    empty: Callable[[SolveReport], Design]
    precheck: Diagnosis | None = None

    def pyomo_model(self):
        """The same model as a Pyomo ConcreteModel (`pyomo_export.to_pyomo`; Pyomo is
        imported only when asked for)."""
        if self.model is None:
            raise ValueError("no model was built (a pre-check decided the outcome: "
                             f"{self.precheck.message if self.precheck else ''})")
        from netdesign.optimise.pyomo_export import to_pyomo

        return to_pyomo(self.model)
