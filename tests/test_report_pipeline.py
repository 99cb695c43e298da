"""report / compare / export on the results of the real pipeline (`netdesign run` on the tiny
study): the file passes the schema check, the report renders in Chromium, and the figures
agree with summary.csv, which netdesign.results writes independently of netdesign.report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_report_browser import LOCAL_SCHEMES, open_in_chromium
from test_report_browser import chromium as chromium  # noqa: F401 - the session fixture

from netdesign.report.load import open_results

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _cli(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("netdesign")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def tiny_results(tmp_path_factory, tiny_config) -> Path:
    out = tmp_path_factory.mktemp("tiny") / "out"
    proc = _cli("run", str(tiny_config), "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_pipeline_results_follow_the_report_schema(tiny_results):
    ds = open_results(tiny_results / "results.nc")  # raises InputError if not conformant
    assert ds.sizes["scenario"] >= 1


def test_report_of_pipeline_results_renders(tiny_results, chromium, tmp_path):  # noqa: F811
    html = tmp_path / "tiny_report.html"
    proc = _cli("report", str(tiny_results / "results.nc"), "--out", str(html), "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    page = open_in_chromium(chromium, html, ARTIFACTS / "tiny_report_en.png")
    assert page["status"]["done"] and page["console_errors"] == []
    assert [u for u in page["requests"] if not u.startswith(LOCAL_SCHEMES)] == []
    for cid, chart in page["status"]["charts"].items():
        assert chart["points"] > 0, cid


def test_compare_and_export_agree_with_summary_csv(tiny_results, tmp_path):
    summary = pd.read_csv(tiny_results / "summary.csv")
    base = str(summary["scenario"].iloc[0])
    csv, xlsx = tmp_path / "cmp.csv", tmp_path / "out.xlsx"
    assert _cli("compare", str(tiny_results), "--base", base, "--csv", str(csv)).returncode == 0
    assert _cli("export", str(tiny_results), "--xlsx", str(xlsx), "--lang", "en"
                ).returncode == 0
    cmp = pd.read_csv(csv)
    sheet = pd.read_excel(xlsx, sheet_name="summary")
    for col, header in (("total_cost_cny_per_day", "Total cost (CNY/day)"),
                        ("co2_t_per_day", "CO2 emissions (t CO2/day)"),
                        ("unserved_parcels_per_day", "Unserved demand (parcels/day)"),
                        ("hub_capacity_added_parcels_per_day",
                         "Hub capacity added (parcels/day)"),
                        ("share_rail", "Rail (share)")):
        np.testing.assert_allclose(cmp[col], summary[col], rtol=1e-12)
        np.testing.assert_allclose(sheet[header], summary[col], rtol=1e-12)
        np.testing.assert_allclose(cmp[f"{col}_diff"], summary[col] - summary[col].iloc[0],
                                   rtol=1e-9, atol=1e-9)
