"""Express into factories (issue 15): B2B segment weights, park results, park validation.

Hand-worked on a three-node network; the working is in each docstring.
"""

from __future__ import annotations

import pytest
from model_fixtures import exact_solver, make_network, make_scenario

from netdesign.config.schema import StudyConfig
from netdesign.data.config_rules import check_config_against_data
from netdesign.optimise import design_network
from netdesign.results.dataset import design_to_dataset
from netdesign.results.parks import park_facilities, park_ids
from netdesign.scenario.scenario import Segment


def park_network(corridors: list[dict] | None = None):
    """P (industrial park) -> H (hub) -> C (city), all by road.

    collection P -> H: 10 km, 0.5 kg CO2/tkm (a van), 0.1 CNY per reference parcel;
    line-haul H -> C: 100 km, 0.1 kg CO2/tkm (a trailer), 1.0 CNY per reference parcel;
    H: 3,000 reference parcels/day existing, modules of 1,000 at 10 CNY/day, handling
    0.2 CNY per reference parcel; H also collects from a district A (no corridor). D is a
    candidate warehouse-and-distribute centre beside P (optional, collection only from P, no
    line-haul: never worth opening here)."""
    nodes = [{"node_id": "P", "kind": "industrial_park"}, {"node_id": "H", "kind": "hub"},
             {"node_id": "C", "kind": "city"}, {"node_id": "D", "kind": "hub"},
             {"node_id": "A"}]
    hubs = [{"hub_id": "H", "capacity_parcels_per_day": 3_000.0,
             "module_parcels_per_day": 1_000.0, "module_cost_cny_per_year": 10.0 * 365,
             "handling_cost_cny_per_parcel": 0.2},
            {"hub_id": "D", "capacity_parcels_per_day": 0.0, "module_parcels_per_day": 1_000.0,
             "module_cost_cny_per_year": 365.0, "optional": True,
             "fixed_cost_cny_per_year": 365_000.0}]
    links = [
        {"link_id": "col", "from_node": "P", "to_node": "H", "role": "collection",
         "distance_km": 10.0, "co2_kg_per_tkm": 0.5, "cost_cny_per_parcel": 0.1},
        {"link_id": "trunk", "from_node": "H", "to_node": "C", "distance_km": 100.0,
         "co2_kg_per_tkm": 0.1, "cost_cny_per_parcel": 1.0},
        {"link_id": "col_dc", "from_node": "P", "to_node": "D", "role": "collection",
         "distance_km": 2.0, "cost_cny_per_parcel": 5.0},
        {"link_id": "col_a", "from_node": "A", "to_node": "H", "role": "collection"},
    ]
    corridors = corridors or [{"corridor_id": "P>C", "origin": "P", "destination": "C",
                               "segment": "b2b"}]
    return make_network(nodes, links, hubs, corridors)


def test_heavier_b2b_segment_scales_co2_and_hub_load_by_its_weight() -> None:
    """1,000 pieces/day P -> C; reference parcel 1.2 kg.

    As 1.2 kg parcels (e = 1): CO2 per piece = 0.0012 t x (10 km x 0.5 + 100 km x 0.1)
    kg/tkm = 0.0012 x 15 = 0.018 kg -> 18 kg/day = 0.018 t/day; hub load 1,000 reference
    parcels/day <= 3,000: no module. Cost 1,000 x (0.1 + 0.2 + 1.0) = 1,300 CNY/day.
    As 6 kg B2B cartons (e = 6 / 1.2 = 5): CO2 = 0.006 t x 15 = 0.09 kg per piece -> 90 kg/day
    = 0.09 t/day (5x); hub load 5,000 reference parcels/day > 3,000: 2 modules (20 CNY/day);
    cost 1,000 x 5 x 1.3 + 20 = 6,520 CNY/day. The corridor still counts 1,000 pieces.
    Results: park P carries 6 t/day (1,000 x 6 kg), 600 line-haul t-km/day (1,000 x 100 km x
    0.006 t), cost 6,500 CNY/day (transport + handling, no capacity); its candidate centre
    D is not opened (capacity 0).
    """
    net = park_network()
    light = make_scenario({"P>C": 1_000}, segments={"b2b": Segment(weight_kg=1.2)})
    heavy = make_scenario({"P>C": 1_000}, segments={"b2b": Segment(weight_kg=6.0)})
    d1 = design_network(net, light, exact_solver())
    d5 = design_network(net, heavy, exact_solver())
    assert d1.co2_t_per_day == pytest.approx(0.018)
    assert d5.co2_t_per_day == pytest.approx(0.090)
    assert d1.hubs.loc["H", "throughput_parcels_per_day"] == pytest.approx(1_000.0)
    assert d5.hubs.loc["H", "throughput_parcels_per_day"] == pytest.approx(5_000.0)
    assert d1.hubs.loc["H", "modules_added"] == 0
    assert d5.hubs.loc["H", "modules_added"] == 2
    assert d1.costs["total"] == pytest.approx(1_300.0)
    assert d5.costs["total"] == pytest.approx(6_520.0)
    assert d5.corridor_flow.loc["P>C"].sum() == pytest.approx(1_000.0)

    ds = design_to_dataset(net, heavy, d5)
    one = ds.sel(scenario="test", park="P")
    assert list(ds["park"].values) == ["P"]
    assert float(one["park_demand"].sel(segment="b2b")) == pytest.approx(1_000.0)
    assert float(one["park_flow"].sel(mode="road")) == pytest.approx(1_000.0)
    assert float(one["park_tonnes"]) == pytest.approx(6.0)
    assert float(one["park_tonne_km"]) == pytest.approx(600.0)
    assert float(one["park_cost"]) == pytest.approx(6_500.0)
    assert float(one["park_on_time_share"]) == pytest.approx(1.0)
    assert float(one["park_dc_capacity"]) == 0.0


def test_parks_and_their_centres_are_read_from_the_network() -> None:
    """P ends a corridor, so it is a park of the results; D's only collection link comes from
    P, so D is P's centre; H also collects from the district A, so it is not."""
    net = park_network()
    assert park_ids(net) == ["P"]
    assert park_facilities(net) == {"P": ["D"]}
    extra = make_network(
        [{"node_id": "P", "kind": "industrial_park"}, {"node_id": "A"},
         {"node_id": "H", "kind": "hub"}, {"node_id": "C", "kind": "city"}],
        [{"link_id": "a", "from_node": "A", "to_node": "H", "role": "collection"},
         {"link_id": "p", "from_node": "P", "to_node": "H", "role": "collection"},
         {"link_id": "t", "from_node": "H", "to_node": "C"}],
        [{"hub_id": "H"}],
        [{"corridor_id": "A>C", "origin": "A", "destination": "C"}])
    assert park_ids(extra) == []  # no corridor of P
    assert park_facilities(extra) == {}  # H also collects from a district


# ---------------------------------------------------------------------------------------------
# validation: segments of corridors against the config, park_flow needs a weight and a park
# ---------------------------------------------------------------------------------------------
def _cfg(segments: dict) -> StudyConfig:
    return StudyConfig.model_validate({"name": "t", "segments": segments})


def test_corridor_segment_not_in_config_names_file_row_field_value() -> None:
    net = park_network([
        {"corridor_id": "P>C", "origin": "P", "destination": "C", "segment": "parcel"},
        {"corridor_id": "P>C:x", "origin": "P", "destination": "C", "segment": "pallets"}])
    problems = [p for p in check_config_against_data(_cfg({"parcel": {}}), net, {})
                if p.severity == "error"]
    assert len(problems) == 1
    text = str(problems[0])
    for words in ("corridors.csv", "row 2 (corridor_id 'P>C:x')", "segment", "'pallets'",
                  "segments:", "parcel"):
        assert words in text, (words, text)


def test_park_flow_segment_without_weight_is_a_config_error() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as exc:
        _cfg({"parcel": {}, "parts": {"park_flow": "inbound"}})
    text = str(exc.value)
    assert "segments.parts.weight_kg" in text and "park_flow" in text
    _cfg({"parcel": {}, "parts": {"park_flow": "inbound", "weight_kg": 8.0}})  # fine


def test_park_flow_corridor_must_end_at_a_park() -> None:
    """An outbound segment starts at a park: P>C is fine, C>P is not (its origin is a city);
    an inbound segment ends at one: C>P is fine, P>C is not."""
    net = park_network([
        {"corridor_id": "P>C", "origin": "P", "destination": "C", "segment": "orders"},
        {"corridor_id": "C>P", "origin": "C", "destination": "P", "segment": "orders"},
        {"corridor_id": "C>P:parts", "origin": "C", "destination": "P", "segment": "parts"},
        {"corridor_id": "P>C:parts", "origin": "P", "destination": "C", "segment": "parts"}])
    cfg = _cfg({"parcel": {}, "orders": {"park_flow": "outbound", "weight_kg": 5.0},
                "parts": {"park_flow": "inbound", "weight_kg": 8.0}})
    problems = [p for p in check_config_against_data(cfg, net, {}) if p.severity == "error"]
    text = [str(p) for p in problems]
    assert len(problems) == 2, text
    assert "row 2 (corridor_id 'C>P')" in text[0] and "origin" in text[0]
    assert "'C'" in text[0] and "industrial_park" in text[0]
    assert "row 4 (corridor_id 'P>C:parts')" in text[1] and "destination" in text[1]


# ---------------------------------------------------------------------------------------------
# the default study end to end (slow: one 2025 solve of the full Hangzhou network)
# ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_default_study_results_hold_the_parks() -> None:
    """configs/hangzhou.yaml, 2025 at the 2024 volumes (flat forecasts, no forecasting), 5 %
    gap: results.nc has the 16 parks with their manufacturing segments, served mostly by road,
    the median park on time at least 90 % (standards: parts 24 h, orders 48 h, reverse 72 h),
    at a positive cost; the six candidate centres have a capacity (0 when closed)."""
    from pathlib import Path

    import pandas as pd

    import netdesign as nd

    root = Path(__file__).resolve().parents[1]
    study = nd.Study.load(root / "configs" / "hangzhou.yaml")
    h = study.network.history
    last = h[h["month"].dt.year == 2024]
    flat = pd.DataFrame({"series_id": last["corridor_id"].to_numpy(),
                         "date": [f"2025-{m.month:02d}-01" for m in last["month"]],
                         **{k: last["parcels"].to_numpy(float)
                            for k in ("mean", "lo_80", "hi_80", "lo_95", "hi_95")}})
    study = study.with_forecasts(flat).with_overrides(
        {"solver.mip_rel_gap": 0.05, "solver.time_limit_s": 300})
    ds = study.run([study.scenario_config(year=2025)]).dataset
    assert ds.sizes["park"] == 16
    one = ds.isel(scenario=0)
    mfg = one["park_demand"].sel(segment=["parts_inbound", "order_outbound", "reverse"])
    assert (mfg.sum("segment") > 0).all()
    assert float(mfg.sum()) == pytest.approx(float(one["segment_demand"].sel(
        segment=["parts_inbound", "order_outbound", "reverse"]).sum()))
    road = one["park_flow"].sel(mode="road").sum() / one["park_flow"].sum()
    assert float(road) > 0.8
    # most parks are on time; the two hi-tech zones whose parts come from Shenzhen (1,200 km,
    # beyond a 24 h standard by road) are about 0.6 (measured, base_2025)
    assert float(one["park_on_time_share"].median()) >= 0.9
    assert float(one["park_on_time_share"].min()) >= 0.5
    assert (one["park_cost"] > 0).all()
    cap = one["park_dc_capacity"].values
    assert int((~pd.isna(cap)).sum()) == 6 and (cap[~pd.isna(cap)] >= 0).all()


def test_report_section_lists_each_park_with_its_figures() -> None:
    """The heavy case of the first test: one row for P with 1,000 pieces of b2b, 6.0 t/day,
    Road 100%, on time 100.0%, 6,500 CNY/day = 6.5 thousand CNY/day, 10.83 CNY/t-km (6,500 /
    600 t-km) and its centre not opened; no section without parks."""
    from netdesign.report.parks import parks_section
    from netdesign.report.sections import ReportContext

    net = park_network()
    heavy = make_scenario({"P>C": 1_000}, segments={"b2b": Segment(weight_kg=6.0)})
    ds = design_to_dataset(net, heavy, design_network(net, heavy, exact_solver()))
    sec = parks_section(ReportContext(ds, "en", "test", "test"))
    assert sec is not None and sec.sid == "parks" and sec.title.startswith("Into factories")
    for words in ("1,000", "6.0", "Road 100%", "100.0%", "6.5", "10.83",
                  "not opened"):
        assert words in sec.body, words
    assert parks_section(ReportContext(ds.drop_dims("park"), "en", "test", "test")) is None
