"""Network design optimisation: candidate paths, the Pyomo model, the HiGHS hand-off."""
