"""Costs over time of a staged plan: discount factors, period weights, capex and annuities
(docs/model.md, "Staged investment plan"). Pure arithmetic, no model.

Notation: periods t = 1..T with years Y_t; period t stands for n_t years (Y_t .. Y_t + n_t − 1;
n_t = Y_{t+1} − Y_t, the last `final_period_years`); horizon end H = Y_T + n_T; base year
Y_1; δ(y) = (1 + r)^−(y − Y_1), costs of year y counted at its start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def capital_recovery_factor(rate: float, years: float) -> float:
    """CRF(r, L) = r (1 + r)^L / ((1 + r)^L − 1), 1/L at r = 0: the annuity per CNY of capex."""
    if rate == 0:
        return 1.0 / years
    g = (1.0 + rate) ** years
    return rate * g / (g - 1.0)


@dataclass(frozen=True)
class PlanCosts:
    """Discounting and annuity parameters of a plan.

    years: the periods' years, strictly ascending; period_years: n_t per period;
    discount_rate r and asset_life_years L of the plan; basis_rate, basis_life_years and
    om_share φ: how the data's annualised costs A (CNY/yr) were made from capex K:
    A = K (CRF(basis_rate, basis_life_years) + φ).
    """

    years: tuple[int, ...]
    period_years: tuple[int, ...]
    discount_rate: float = 0.06
    asset_life_years: float = 20.0
    basis_rate: float = 0.06
    basis_life_years: float = 20.0
    om_share: float = 0.03

    @classmethod
    def for_periods(cls, years: Sequence[int], final_period_years: int | None = None,
                    **kw) -> PlanCosts:
        """n_t = Y_{t+1} − Y_t; the last period: `final_period_years`, else the gap before it
        (5 with a single period)."""
        ys = tuple(int(y) for y in years)
        gaps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
        last = final_period_years or (gaps[-1] if gaps else 5)
        return cls(ys, tuple(gaps) + (int(last),), **kw)

    @property
    def horizon_end(self) -> int:
        """H = Y_T + n_T (first year after the plan)."""
        return self.years[-1] + self.period_years[-1]

    def discount(self, year: float) -> float:
        """δ(y) = (1 + r)^−(y − Y_1)."""
        return float((1.0 + self.discount_rate) ** -(year - self.years[0]))

    def _sum(self, first: int, end: int) -> float:
        return float(sum(self.discount(y) for y in range(first, end)))

    def operating_weight(self, t: int) -> float:
        """Ω_t = Σ_{y = Y_t}^{Y_t + n_t − 1} δ(y): discounted years period t stands for (a
        period's CNY/yr times Ω_t is its net present cost)."""
        return self._sum(self.years[t], self.years[t] + self.period_years[t])

    def service_weight(self, t: int) -> float:
        """Σ_{y = Y_t}^{H − 1} δ(y) = Σ_{s ≥ t} Ω_s: discounted years from period t to the end
        of the plan (what a module built in period t stands in service for)."""
        return self._sum(self.years[t], self.horizon_end)

    @property
    def capex_per_annual_cost(self) -> float:
        """K / A = 1 / (CRF(basis) + φ): capex per CNY/yr of the data's annualised cost."""
        return 1.0 / (capital_recovery_factor(self.basis_rate, self.basis_life_years)
                      + self.om_share)

    @property
    def annual_charge_per_capex(self) -> float:
        """a = CRF(r, L) + φ: what one CNY of capex costs per year in service in the plan
        (capital recovery over the asset's life at the plan's rate, plus fixed O&M). When
        the plan's r, L equal the data's basis, a K = A: the single-period annual cost."""
        return capital_recovery_factor(self.discount_rate, self.asset_life_years) + self.om_share

    def investment_npv(self, annual_cost_cny: np.ndarray, t: int) -> np.ndarray:
        """Net present cost of one unit built in period t, CNY: K a Σ_{y=Y_t}^{H−1} δ(y) with
        K = A × capex_per_annual_cost (A in CNY/yr at period t's prices)."""
        return (np.asarray(annual_cost_cny, float) * self.capex_per_annual_cost
                * self.annual_charge_per_capex * self.service_weight(t))

    def myopic_npv(self, annual_cost_cny: np.ndarray, t: int) -> np.ndarray:
        """What a myopic planner in period t sees of one unit: K a Ω_t (its own period only)."""
        return (np.asarray(annual_cost_cny, float) * self.capex_per_annual_cost
                * self.annual_charge_per_capex * self.operating_weight(t))
