"""The refresh job end to end, in-process, with the real forecasting engine (small study)."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from refresh_fixtures import corridor_ids, month_file, series_value, write_study

from netdesign.errors import InputError
from netdesign.refresh import publish, run_refresh
from netdesign.refresh.store import Store, spec_filename

T0 = datetime(2025, 2, 10, 2, 0, tzinfo=UTC)
N = 12  # corridors in the generated study


@pytest.fixture()
def study(tmp_path: Path):
    # The fixture's corridors are 36 months of a clean seasonal swing: since issue 16 the
    # engine finds that season in short histories and forecasts them to ~1 % sMAPE (MASE
    # ~0.25), where one new month can move a corridor's MASE by more than the default +20 %.
    # A tolerance of +200 % keeps these tests about spec reuse; the "worse" rule is still
    # exercised by a selection MASE of 1e-6 below.
    cfg = write_study(tmp_path, refresh={"reselect_if_mase_worse": 2.0})
    store, data = tmp_path / "store", tmp_path / "incoming"
    data.mkdir()
    return cfg, store, data


def _refresh(study, now=T0, **kw):
    cfg, store, data = study
    return run_refresh(cfg, store=store, data_dir=data, now=now, **kw)


def _latest(store: Path) -> Path | None:
    return publish.read_latest(store / "forecasts")


def test_unchanged_data_is_a_noop_and_a_new_month_reuses_specs(study) -> None:
    cfg, store, data = study
    first = _refresh(study)
    assert first.status == "published"
    run1 = _latest(store)
    assert run1 is not None and run1.name == first.summary["run_id"]
    m1 = publish.read_manifest(run1)
    assert m1["spec_reuse"]["reselected_schedule"] == N and m1["spec_reuse"]["refit"] == 0
    assert len(list((store / "models").glob("*.json"))) == N

    fc = pd.read_parquet(run1 / "forecasts.parquet")
    bottom = fc[fc["series_id"].isin(corridor_ids())]
    assert sorted(bottom["series_id"].unique()) == sorted(corridor_ids())
    # history ends 2024-12, horizon 12 months -> 2025-01 .. 2025-12 for every corridor
    assert bottom.groupby("series_id")["date"].agg(["min", "max", "count"]).eq(
        pd.Series({"min": pd.Timestamp("2025-01-01"), "max": pd.Timestamp("2025-12-01"),
                   "count": 12})).all().all()
    ordered = (bottom["lo_95"] <= bottom["lo_80"]) & (bottom["lo_80"] <= bottom["mean"]) & \
        (bottom["mean"] <= bottom["hi_80"]) & (bottom["hi_80"] <= bottom["hi_95"])
    assert ordered.all() and (bottom["lo_95"] >= 0).all()
    assert {"total"} <= set(fc["series_id"])            # reconciled aggregates published
    bt = pd.read_csv(run1 / "backtest.csv")
    assert sorted(bt["series_id"]) == sorted(corridor_ids())
    # monitoring: the interval factor (conformal quantile, the k-th smallest of n scores)
    # is > 1 exactly when fewer than k of the n backtest points were inside the interval;
    # every corridor has the same number of points, so pooled coverage = mean coverage
    b = m1["backtest"]
    n = int(b["n_series"] * b["origins"] * m1["settings"]["backtest_horizon_months"])
    for lv in (80, 95):
        k = math.ceil((n + 1) * lv / 100)
        assert (b[f"interval_factor_{lv}"] > 1) == (round(b[f"coverage_{lv}"] * n) < k), b

    second = _refresh(study, T0 + timedelta(hours=1))
    assert second.status == "noop" and "nothing to do" in second.summary["message"]
    assert second.summary["latest"] == run1.name
    assert publish.complete_runs(store / "forecasts") == [run1.name]

    new = month_file(data / "volumes_2025-01.csv", "2025-01")
    third = _refresh(study, T0 + timedelta(days=1))
    assert third.status == "published"
    run2 = _latest(store)
    assert run2.name == third.summary["run_id"] != run1.name
    m2 = publish.read_manifest(run2)
    assert m2["spec_reuse"] == {"refit": N, "selected_new": 0, "reselected_schedule": 0,
                                "reselected_worse": 0, "spec_rejected": 0}
    assert m2["model_plan"]["full_reselection"] is False
    (inp,) = m2["inputs"]["this_run"]
    assert inp["name"] == new.name and inp["rows"] == N and inp["status"] == "new"
    assert inp["sha256"] == hashlib.sha256(new.read_bytes()).hexdigest()
    assert m2["history"]["last_month"] == "2025-01"
    for key in ("package_versions", "timings_s", "models_used", "warnings", "config"):
        assert key in m2
    assert m2["package_versions"]["statsmodels"] != "not installed"
    assert sum(m2["models_used"].values()) == N
    fc2 = pd.read_parquet(run2 / "forecasts.parquet")
    assert fc2[fc2["series_id"] == "D1>C1"]["date"].min() == pd.Timestamp("2025-02-01")
    hist = pd.read_parquet(run2 / "history.parquet")
    row = hist[(hist["corridor_id"] == "D2>C3") & (hist["month"] == "2025-01")]
    assert row["parcels"].item() == series_value(corridor_ids().index("D2>C3"),
                                                 pd.Period("2025-01", freq="M"))
    fourth = _refresh(study, T0 + timedelta(days=1, hours=1))
    assert fourth.status == "noop"
    assert publish.complete_runs(store / "forecasts") == [run1.name, run2.name]


def test_malformed_file_leaves_latest_and_state_untouched(study) -> None:
    cfg, store, data = study
    _refresh(study)
    run1 = _latest(store)
    state_before = (store / "state" / "state.json").read_bytes() \
        if (store / "state" / "state.json").exists() else None
    bad = data / "2025-01.csv"
    bad.write_text("corridor,month,parcels\nD1>C1,2025-01,30000\nD1>C2,2025-01,-4\n"
                   "D9>C9,2025-01,100\n")
    with pytest.raises(InputError) as err:
        _refresh(study, T0 + timedelta(days=1))
    text = err.value.render()
    assert f"{bad}: row 2, field 'parcels'" in text
    assert f"{bad}: row 3, field 'corridor'" in text
    assert _latest(store) == run1
    assert publish.complete_runs(store / "forecasts") == [run1.name]
    after = (store / "state" / "state.json").read_bytes() \
        if (store / "state" / "state.json").exists() else None
    assert after == state_before
    month_file(bad, "2025-01")                          # fixed: the next run publishes
    assert _refresh(study, T0 + timedelta(days=1, hours=1)).status == "published"


def test_changed_file_is_reingested(study) -> None:
    cfg, store, data = study
    f = month_file(data / "2025-01.csv", "2025-01")
    _refresh(study)
    month_file(f, "2025-01", scale=1.05)                # a corrected delivery, same name
    out = _refresh(study, T0 + timedelta(hours=1))
    assert out.status == "published"
    m = publish.read_manifest(_latest(store))
    assert [(i["name"], i["status"]) for i in m["inputs"]["this_run"]] == [("2025-01.csv",
                                                                            "changed")]
    assert any("revises 12 month(s)" in w for w in m["warnings"])
    hist = Store(store).read_history()
    got = hist[(hist["corridor_id"] == "D1>C1") & (hist["month"] == pd.Period("2025-01", "M"))]
    expected = round(round(series_value(0, pd.Period("2025-01", freq="M")), 1) * 1.05, 1)
    assert got["parcels"].item() == pytest.approx(expected)


def test_full_reselection_on_schedule_and_when_backtest_worsens(study) -> None:
    cfg, store, data = study
    _refresh(study)
    # a corridor whose backtest error is now far worse than when its model was selected
    spec_path = store / "models" / spec_filename("D1>C1")
    rec = json.loads(spec_path.read_text())
    rec["selection_mase"] = 1e-6
    spec_path.write_text(json.dumps(rec))
    # a stale spec (another season length) that the engine cannot refit
    stale_path = store / "models" / spec_filename("D2>C2")
    stale = json.loads(stale_path.read_text())
    stale["spec"]["season_length"] = 4
    stale["selection_mase"] = None                      # not also a "worsened" candidate
    stale_path.write_text(json.dumps(stale))
    month_file(data / "a.csv", "2025-01")
    assert _refresh(study, T0 + timedelta(days=2)).status == "published"
    m = publish.read_manifest(_latest(store))
    assert m["spec_reuse"]["reselected_worse"] == 1 and m["spec_reuse"]["refit"] == N - 2
    assert m["spec_reuse"]["spec_rejected"] == 1
    assert json.loads(stale_path.read_text())["spec"]["season_length"] == 12
    assert m["reselected_worse"] == ["D1>C1"]
    rec = json.loads(spec_path.read_text())
    assert rec["selected_run_id"] == m["run_id"] and rec["selection_mase"] > 1e-6
    # 7 days (the default interval) after the first full selection: everything re-selected
    month_file(data / "b.csv", "2025-02")
    out = _refresh(study, T0 + timedelta(days=7, minutes=1))
    m = publish.read_manifest(_latest(store))
    assert m["spec_reuse"]["reselected_schedule"] == N, out.summary
    assert "scheduled" in m["model_plan"]["reason"]
    # --full-reselect on unchanged data forces a run
    forced = _refresh(study, T0 + timedelta(days=7, hours=1), full_reselect=True)
    assert forced.status == "published"
    assert "--full-reselect" in publish.read_manifest(_latest(store))["model_plan"]["reason"]


def test_retention_prunes_old_runs(tmp_path: Path) -> None:
    cfg = write_study(tmp_path, refresh={"retention_runs": 2})
    store, data = tmp_path / "store", tmp_path / "in"
    data.mkdir()
    ids = []
    for i, month in enumerate(("2025-01", "2025-02", "2025-03")):
        if i:
            month_file(data / f"{month}.csv", month)
        ids.append(run_refresh(cfg, store=store, data_dir=data,
                               now=T0 + timedelta(days=30 * i)).summary["run_id"])
    assert publish.complete_runs(store / "forecasts") == ids[1:]
    assert _latest(store).name == ids[2]


@pytest.mark.distributed
def test_parallel_refresh_matches_serial(tmp_path: Path) -> None:
    """workers=2 (one local Dask cluster shared by backtest and forecast) gives the same
    forecasts and specs as the serial in-process path."""
    frames, specs = [], []
    for workers in (1, 2):
        root = tmp_path / f"w{workers}"
        cfg = write_study(root, forecast={"workers": workers}, n_districts=1, n_cities=3)
        (root / "in").mkdir()
        out = run_refresh(cfg, store=root / "store", data_dir=root / "in", now=T0)
        assert out.status == "published"
        frames.append(pd.read_parquet(out.run_dir / "forecasts.parquet"))
        specs.append({p.name: json.loads(p.read_text())["spec"]
                      for p in (root / "store" / "models").glob("*.json")})
    pd.testing.assert_frame_equal(frames[0], frames[1])
    assert specs[0] == specs[1] and len(specs[0]) == 3
