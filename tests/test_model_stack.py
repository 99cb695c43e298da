"""`optimise.stack`: copies of a compiled model in one MIP, with linking rows and columns.

Both cases are small enough to work out by hand (in each test's docstring) and are solved by
HiGHS through the product's own hand-off.
"""

from __future__ import annotations

import numpy as np
import pytest

from netdesign.config.schema import SolverConfig
from netdesign.optimise.handoff import solve_standard_form
from netdesign.optimise.linear import Index, LinearModel
from netdesign.optimise.stack import Stack

SOLVER = SolverConfig(mip_rel_gap=0.0)


def _capacity_period(need: float) -> LinearModel:
    """One period: integer capacity k ≥ need, cost 1 per module."""
    m = LinearModel("period")
    one = Index.single()
    m.add_variables("k", one, integer=True)
    m.add_constraints("need", one, m.k[one.pos].by(one.pos) >= need)
    m.minimise(m.k[one.pos] * 1.0)
    return m


def test_kept_capacity_links_periods():
    """Period 1 needs 3 modules, period 2 needs 2. Alone: 3 + 2 = 5. With capacity kept
    (k2 ≥ k1): k2 = 3, cost 6."""
    forms = [_capacity_period(3).compile(), _capacity_period(2).compile()]
    alone = sum(solve_standard_form(f, SOLVER)[0].objective for f in forms)
    assert alone == pytest.approx(5.0)
    st = Stack(forms, ["2025", "2030"])
    st.link(st.columns(1, [0]), st.columns(0, [0]), "ge", ["keep[k]"])
    sf = st.form()
    out, _ = solve_standard_form(sf, SOLVER)
    assert out.objective == pytest.approx(6.0)
    per_copy, extra = st.split(out.values)
    assert [v[0] for v in per_copy] == pytest.approx([3.0, 3.0])
    assert len(extra) == 0
    assert sf.column_names == ["2025/k[0]", "2030/k[0]"]
    assert sf.row_names == ["2025/need", "2030/need", "keep[k]"]


def _scenario(demand: float) -> LinearModel:
    """Second stage of one scenario: unserved u ≥ 0 at 10 per parcel (the row is added by the
    stack, since it involves the shared capacity)."""
    m = LinearModel("scenario")
    one = Index.single()
    m.add_variables("u", one)
    m.minimise(m.u[one.pos] * 10.0)
    return m


@pytest.mark.parametrize("capacity_cost, expected_capacity, expected_cost", [
    # K < 2: slope 3 − 10 < 0; 2 ≤ K < 6: 3 − 0.5·10 < 0  → K = 6, cost 3·6 = 18
    (3.0, 6.0, 18.0),
    # 2 ≤ K < 6: slope 6 − 5 > 0 → K = 2, cost 6·2 + 0.5·10·(6 − 2) = 32
    (6.0, 2.0, 32.0),
])
def test_shared_first_stage_capacity(capacity_cost, expected_capacity, expected_cost):
    """Two equally likely scenarios with demand 2 and 6; capacity K (shared, first stage)
    at `capacity_cost` per unit; u_s + K ≥ d_s."""
    demands = [2.0, 6.0]
    st = Stack([_scenario(d).compile() for d in demands], ["s1", "s2"], weights=[0.5, 0.5])
    K = st.add_columns(["K"], cost=capacity_cost)
    cols = np.concatenate([[st.columns(s, [0])[0], K[0]] for s in range(2)])
    st.add_rows(np.array([0, 0, 1, 1]), cols, np.ones(4), lower=demands, upper=np.inf,
                names=["cover[s1]", "cover[s2]"])
    out, _ = solve_standard_form(st.form(), SOLVER)
    _, extra = st.split(out.values)
    assert extra[0] == pytest.approx(expected_capacity)
    assert out.objective == pytest.approx(expected_cost)


def test_bad_input_is_refused():
    form = _capacity_period(1).compile()
    with pytest.raises(ValueError, match="distinct"):
        Stack([form, form], ["a", "a"])
    st = Stack([form], ["a"])
    with pytest.raises(IndexError):
        st.columns(0, [5])
    with pytest.raises(IndexError, match="add the columns first"):
        st.add_rows(np.array([0]), np.array([3]), np.ones(1), lower=0, upper=1, names=["r"])


def _day(demand: float, cap: float) -> LinearModel:
    """One day: ship x ≤ cap at 1 CNY/parcel, u unserved at 10; x + u = demand."""
    m = LinearModel("day")
    one = Index.single()
    m.add_variables("x", one, upper=cap)
    m.add_variables("u", one)
    m.add_constraints("demand", one, m.x[one.pos].by(one.pos) + m.u[one.pos].by(one.pos)
                      == demand)
    m.minimise(m.x[one.pos] * 1.0 + m.u[one.pos] * 10.0)
    return m


def test_backlog_carried_into_the_next_days_demand_row():
    """Day 1 demand 100 with capacity 40, day 2 demand 100 with capacity 200. Alone: day 1
    ships 40 and leaves 60 (600), day 2 ships 100: 40 + 600 + 100 = 740. With the backlog
    carried (day 2: x2 + u2 − u1 = 100), day 2 ships 160 and nothing is left:
    40 + 600 + 160 = 800 (the 60 parcels pay the penalty on day 1 and are then carried)."""
    forms = [_day(100, 40).compile(), _day(100, 200).compile()]
    st = Stack(forms, ["d1", "d2"])
    st.add_coefficients(1, [0], st.columns(0, [1]), [-1.0])
    out, _ = solve_standard_form(st.form(), SOLVER)
    assert out.objective == pytest.approx(800.0)
    (d1, d2), _ = st.split(out.values)
    assert d2 == pytest.approx([160.0, 0.0])
    with pytest.raises(IndexError):
        st.add_coefficients(1, [5], st.columns(0, [1]), [-1.0])
