"""docs/reference.md is generated from the code; it must match what the code validates."""

from pathlib import Path

from netdesign.docs_reference import render_reference

ROOT = Path(__file__).resolve().parents[1]


def test_reference_is_up_to_date():
    committed = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == render_reference(), (
        "docs/reference.md is stale: run `python scripts/gen_reference.py`")


def test_reference_lists_every_config_section_and_table():
    text = render_reference()
    for key in ("`solver.time_limit_s`", "`network.allocation`", "`service.standards_h`",
                "`links.csv`", "`cost_cny_per_parcel`", "`history.csv`"):
        assert key in text
