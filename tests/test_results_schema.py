"""One schema for results.nc: the writer, the reader and the docs all follow
`netdesign.results.schema`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import xarray as xr

import netdesign as nd
from netdesign.report.load import SCHEMA_VARIABLES, check_results
from netdesign.results import schema
from netdesign.results.io import read_results, write_results

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _flat_forecasts(study) -> pd.DataFrame:
    h = study.network.history
    last = h[h["month"].dt.year == 2024]
    return pd.DataFrame([{"series_id": c, "date": f"2025-{m.month:02d}-01", "mean": v,
                          "lo_80": v, "hi_80": v, "lo_95": v, "hi_95": v}
                         for c, m, v in zip(last["corridor_id"], last["month"], last["parcels"],
                                            strict=True)])


@pytest.fixture(scope="module")
def written(tiny_config, tmp_path_factory) -> xr.Dataset:
    """results.nc of one solved tiny scenario, written and read back."""
    study = nd.Study.load(tiny_config)
    study = study.with_forecasts(_flat_forecasts(study))
    run = study.run([study.scenario_config(year=2025)])
    out = tmp_path_factory.mktemp("schema")
    write_results(run.dataset, out)
    return read_results(out / "results.nc")


def test_docs_table_is_generated_from_the_schema():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index("| variable | dims | unit | meaning |")
    end = text.index("\n\n", start)
    assert text[start:end] == schema.markdown_table(), (
        "docs/architecture.md is stale: paste netdesign.results.schema.markdown_table()")
    section = text[text.index("### Results dataset"):]
    for name in (*(c.name for c in schema.COORDINATES), *schema.ATTRIBUTES, *schema.DIMENSIONS):
        assert f"`{name}`" in section, name


def test_written_file_follows_the_schema_exactly(written):
    assert schema.schema_problems(written, "results.nc") == []
    check_results(written)  # the reader accepts it
    names = set(written.data_vars) | {c for c in written.coords if c not in written.dims}
    undocumented = names - set(schema.BY_NAME)
    assert not undocumented, f"add these to netdesign/results/schema.py: {sorted(undocumented)}"
    for name in names:
        var = schema.BY_NAME[name]
        assert written[name].dims == var.dims, name
        assert written[name].attrs.get("units") == var.units, name
        assert written[name].attrs.get("long_name") == var.long_name, name
    assert set(schema.DIMENSIONS) >= set(written.dims)
    assert set(written.attrs) >= set(schema.ATTRIBUTES) - schema.OPTIONAL_ATTRIBUTES


def test_reader_requires_what_the_schema_requires(written):
    assert SCHEMA_VARIABLES == {v.name: v.dims for v in (*schema.VARIABLES, *schema.COORDINATES)
                                if v.required}
    broken = written.drop_vars(["co2", "hub_open"]).assign(
        mode_share=written["mode_share"].transpose("mode", "scenario"))
    problems = {(p.location, p.field) for p in schema.schema_problems(broken, "x.nc")}
    # co2 is required, hub_open is optional (older files lack it); dims are checked in order
    assert problems == {("variables", "co2"), ("variable 'mode_share'", "dims")}
