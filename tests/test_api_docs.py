"""The worked batch study in docs/api.md runs as written and gives coherent figures."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
API_DOC = ROOT / "docs" / "api.md"


def python_blocks(markdown: str) -> list[str]:
    """The ```python fenced blocks of a Markdown text (```text blocks are not run)."""
    return re.findall(r"^```python\n(.*?)^```$", markdown, flags=re.S | re.M)


def test_the_doc_has_exactly_one_runnable_block():
    blocks = python_blocks(API_DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 1 and "for price in" in blocks[0]


@pytest.mark.slow
def test_worked_batch_study_runs(capsys, monkeypatch):
    """Run the block from the repository root, then check the table it builds.

    Checks that need no number from netdesign itself: each row's line-haul shares sum to 1; the
    carbon cost is the carbon price times the CO2 (CNY/t x t/day = CNY/day), so 0 at price 0;
    and a higher carbon price does not raise the CO2. For designs x1, x2 optimal at prices
    p1 < p2 (cost C, CO2 E): C1 + p1 E1 <= C2 + p1 E2 and C2 + p2 E2 <= C1 + p2 E1; adding
    gives (p2 - p1)(E2 - E1) <= 0. HiGHS stops within a relative gap g = 0.5 % of the
    objective T, so the bound is E2 - E1 <= g (T1 + T2) / (p2 - p1).
    """
    monkeypatch.chdir(ROOT)
    monkeypatch.setitem(os.environ, "OMP_NUM_THREADS", "1")
    namespace: dict = {}
    exec(compile(python_blocks(API_DOC.read_text(encoding="utf-8"))[0], str(API_DOC), "exec"),
         namespace)
    table = namespace["table"]
    assert list(table.index) == [0, 200, 1000, 5000]
    assert set(table["status"]) == {"optimal"}
    shares = table[[c for c in table.columns if c.startswith("share_")]]
    assert list(shares.columns) == ["share_road", "share_rail", "share_water", "share_air"]
    assert shares.sum(axis=1).tolist() == pytest.approx([1.0] * 4)
    for price, row in table.iterrows():
        assert row["carbon_cost_cny_per_day"] == pytest.approx(price * row["co2_t_per_day"])
    prices, co2 = list(table.index), table["co2_t_per_day"].tolist()
    gap = 0.005 * table["total_cost_cny_per_day"]  # CNY/day each solve may be off its optimum
    for i in range(1, len(co2)):
        slack = (gap.iloc[i] + gap.iloc[i - 1]) / (prices[i] - prices[i - 1])  # t/day
        assert co2[i] <= co2[i - 1] + slack, (prices[i], co2, slack)
    assert "carbon_price_cny_per_t" in capsys.readouterr().out
    assert not math.isnan(table["total_cost_cny_per_day"].iloc[0])
