"""Network design optimisation: candidate paths, the Pyomo model, the HiGHS hand-off."""

from netdesign.optimise.api import build_pyomo_model, design_network
from netdesign.optimise.report import Diagnosis, SolveReport
from netdesign.optimise.solution import Design

__all__ = ["Design", "Diagnosis", "SolveReport", "build_pyomo_model", "design_network"]
