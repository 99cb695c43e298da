"""The network map of a staged plan shows when each expansion comes (report/plan.py,
`add_build_layer`): on a hand-built plan dataset, a hub built in 2030 is ringed in the 2030
colour and labelled "built by 2030", a hub built in 2025 and again in 2035 gets both rings, a
hub never expanded gets none, a link given modules in 2035 is drawn in the 2035 trace; in
Chinese and English; results without a plan get no build layer."""

from __future__ import annotations

import json

import numpy as np
import pytest
from report_fixtures import build_results

from netdesign.report.charts import scenario_colour
from netdesign.report.html import render_report
from netdesign.report.netmap import fig_network_map
from netdesign.report.plan import build_periods

SCENARIOS = (("plan_2025", 2025, "base", "base", 0.0, "none"),
             ("plan_2030", 2030, "base", "base", 0.0, "none"),
             ("plan_2035", 2035, "base", "base", 0.0, "none"))
SCHEDULE = [  # what, where, period, modules, capacity added (parcels/day), capex (CNY)
    ("hub module", "HZ_AIR", 2030, 2.0, 160_000.0, 3.0e8),
    ("hub module", "HGH", 2025, 1.0, 50_000.0, 1.0e8),
    ("hub module", "HGH", 2035, 3.0, 150_000.0, 3.5e8),
    ("link module", "L07", 2035, 1.0, 20_000.0, 5.0e7),
]


def plan_results():
    """build_results with three periods and the schedule above (HZ_RAIL, NB_PORT never
    expanded); capacities as the schedule adds them."""
    ds = build_results(SCENARIOS)
    hubs = [str(h) for h in ds["hub"].values]
    base = {"HGH": 200_000.0, "HZ_RAIL": 80_000.0, "HZ_AIR": 60_000.0, "NB_PORT": 40_000.0}
    years = [2025, 2030, 2035]
    cap = np.array([[base[h] + sum(r[4] for r in SCHEDULE if r[1] == h and r[2] <= y)
                     for h in hubs] for y in years])
    ds = ds.assign_coords(period=np.array(years, np.int64))
    ds["period_hub_capacity"] = (("period", "hub"), cap)
    ds["period_hub_throughput"] = (("period", "hub"), 0.6 * cap)
    ds.attrs["plan"] = json.dumps({"periods": years, "schedule": [
        {"what": w, "where": h, "period": p, "modules": n, "capacity_parcels_per_day": c,
         "capital_cost_cny": k, "npv_cny": 0.8 * k} for w, h, p, n, c, k in SCHEDULE]})
    return ds


def _build_traces(fig):
    """legend group -> the trace with its legend entry: hub rings (`built-<year>`) and
    links (`built-links-<year>`)."""
    return {tr.legendgroup: tr for tr in fig.data
            if str(tr.legendgroup or "").startswith("built-") and tr.showlegend}


def test_build_periods_from_the_schedule():
    builds = build_periods(plan_results())
    assert [b["period"] for b in builds[("hub", "HGH")]] == [2025, 2035]
    assert [b["period"] for b in builds[("hub", "HZ_AIR")]] == [2030]
    assert [b["period"] for b in builds[("link", "L07")]] == [2035]
    assert ("hub", "HZ_RAIL") not in builds and ("hub", "NB_PORT") not in builds
    assert build_periods(build_results()) == {}


@pytest.mark.parametrize(("lang", "built_2030", "added"),
                         [("en", "built by 2030", "+160,000 parcels/day"),
                          ("zh", "2030年投用", "+16万件/日")])
def test_map_rings_each_hub_in_the_period_it_is_built(lang, built_2030, added):
    ds = plan_results()
    fig = fig_network_map(ds, "plan_2035", lang)
    traces = _build_traces(fig)
    assert set(traces) == {"built-2025", "built-2030", "built-2035", "built-links-2035"}
    assert traces["built-links-2035"].visible is True  # one link: drawn at first
    lat = {str(n): float(v) for n, v in zip(ds["node"].values, ds["node_lat"].values,
                                            strict=True)}

    def hubs_in(year):
        tr = traces[f"built-{year}"]
        return sorted(h for h, la in lat.items() if la in tr.y and tr.mode == "markers")

    assert hubs_in(2025) == ["HGH"]
    assert hubs_in(2030) == ["HZ_AIR"]
    assert traces["built-2030"].name == built_2030
    assert traces["built-2030"].marker.color == scenario_colour(1)  # the chart's 2030 colour
    hover = traces["built-2030"].hovertext[0]
    assert built_2030 in hover and added in hover
    # HGH: a 2025 ring and a (larger) 2035 ring; the 2035 trace also holds link L07
    ring_2035 = next(tr for tr in fig.data if tr.legendgroup == "built-2035"
                     and tr.mode == "markers" and tr.hovertext and "HGH" in tr.hovertext[0])
    assert ring_2035.marker.size > traces["built-2025"].marker.size
    link_hover = [tr for tr in fig.data if tr.legendgroup == "built-links-2035"
                  and tr.mode == "markers" and tr.hovertext and "L07" in tr.hovertext[0]]
    assert len(link_hover) == 1
    # never expanded: in no build trace, and no build line on their hub hover
    everything = " ".join(" ".join(tr.hovertext or ()) for tr in fig.data
                          if str(tr.legendgroup or "").startswith("built-"))
    assert "HZ_RAIL" not in everything and "NB_PORT" not in everything


def test_rendered_report_carries_the_build_periods():
    html = render_report(plan_results(), "en")
    assert "built by 2025" in html and "built by 2030" in html and "built by 2035" in html
    assert "Build schedule (in service by)" in html
    plain = render_report(build_results(), "en")
    assert "built by" not in plain and "in service by" not in plain


def test_many_link_builds_start_switched_off_and_the_selector_keeps_them(monkeypatch):
    """Above MAX_LINKS_SHOWN built links (the default study adds modules to hundreds) the
    link layers start as legend-only; the scenario selector's buttons leave every build
    trace as the reader set it (they restyle other traces only)."""
    from netdesign.report import plan

    monkeypatch.setattr(plan, "MAX_LINKS_SHOWN", 0)
    fig = fig_network_map(plan_results(), "plan_2035", "en")
    links = [tr for tr in fig.data if str(tr.legendgroup or "").startswith("built-links-")]
    assert links and all(tr.visible == "legendonly" for tr in links)
    assert _build_traces(fig)["built-2030"].visible is not False  # rings stay on
    build_idx = {i for i, tr in enumerate(fig.data)
                 if str(tr.legendgroup or "").startswith("built-")}
    selector = next(m for m in fig.layout.updatemenus if m.type == "dropdown")
    for button in selector.buttons:
        assert not build_idx & set(button.args[1])
