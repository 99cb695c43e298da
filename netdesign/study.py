"""The scripting API: load a study, change a parameter, forecast, solve, tabulate.

    >>> import netdesign as nd
    >>> study = nd.Study.load("configs/hangzhou.yaml", forecasts="out/hangzhou/forecasts.csv")
    >>> dear = study.with_overrides({"service.late_penalty_cny_per_parcel": 10})
    >>> solved = dear.solve("base_2035")             # or dear.solve(year=2035, policy="co2_cap")
    >>> solved.report.status, solved.mode_shares(), solved.co2_t_per_day
    >>> run = study.run()                              # every baseline scenario
    >>> run.statistics.mode_shares()                   # scenario x mode
    >>> run.write("out/mine")                          # results.nc, summary.csv, forecasts.csv

Progress goes to the ``netdesign.study`` logger (INFO) and, if given, to a callback
``progress(event: ProgressEvent)``; nothing is printed. See docs/api.md.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import xarray as xr
from pydantic import ValidationError

from netdesign.config.loader import load_config, parse_config, problems_from_validation_error
from netdesign.config.overrides import apply_overrides
from netdesign.config.schema import ScenarioConfig, StudyConfig
from netdesign.data.config_rules import check_config_against_data
from netdesign.data.inputs import StudyInputs
from netdesign.data.loader import load_network
from netdesign.errors import InputError, Problem, raise_if_errors
from netdesign.optimise.solution import Design
from netdesign.pipeline import (
    backtest_study,
    build_scenario,
    design_years,
    forecast_horizon,
    forecast_study,
    scenario_display_name,
    solve_scenario,
)
from netdesign.progress import Progress, emit
from netdesign.results.dataset import combine_results, design_to_dataset
from netdesign.results.statistics import Statistics, statistics
from netdesign.scenario.scenario import Scenario

log = logging.getLogger(__name__)

FORECAST_COLUMNS = ("series_id", "date", "mean", "lo_80", "hi_80", "lo_95", "hi_95")


# In-memory forecasts shared by every Study of this process: (data version, forecast settings,
# horizon in months) -> corridor forecasts. Overrides that change neither the data nor the
# forecast section nor the design years reuse them.
_FORECAST_CACHE: dict[tuple[str, str, str, int], pd.DataFrame] = {}


def clear_forecast_cache() -> None:
    """Forget the forecasts cached in memory by `Study.forecast`."""
    _FORECAST_CACHE.clear()


@dataclass
class SolvedScenario:
    """One solved scenario: the `Scenario`, the `Design` and its `SolveReport`, and the KPIs.

    The KPIs are read from the scenario's results Dataset (`dataset`, one scenario), through
    the same `statistics` helper as `results.nc`, so they are the numbers a report shows.
    """

    scenario: Scenario
    design: Design
    dataset: xr.Dataset

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def report(self) -> Any:
        """The solver report (status, objective, bound, gap, timings, model size)."""
        return self.design.report

    @property
    def statistics(self) -> Statistics:
        return statistics(self.dataset)

    def mode_shares(self, by: str = "parcel_km") -> pd.Series:
        """Share per line-haul mode: of parcel-km (default) or of parcels ("parcels")."""
        return self.statistics.mode_shares(by=by).iloc[0]  # type: ignore[arg-type]

    @property
    def on_time_by_class(self) -> pd.Series:
        """Share of demand delivered within its standard, per service class and `all`."""
        return self.statistics.on_time().iloc[0]

    @property
    def costs(self) -> pd.Series:
        """CNY/day per cost component, and `total` (the objective)."""
        return self.statistics.costs().iloc[0]

    @property
    def co2_t_per_day(self) -> float:
        return float(self.statistics.co2().iloc[0])

    @property
    def hub_utilisation(self) -> pd.Series:
        """Throughput / capacity after expansion per hub."""
        return self.statistics.utilisation().iloc[0]

    def __repr__(self) -> str:
        rep = self.report
        status = getattr(rep, "status", None) or (rep.get("status") if isinstance(rep, dict)
                                                  else "?")
        return (f"SolvedScenario({self.name!r}, status={status!r}, "
                f"total_cost={self.costs.get('total', float('nan')):,.0f} CNY/day, "
                f"co2={self.co2_t_per_day:,.1f} t/day)")


@dataclass
class StudyRun:
    """What `Study.run` produced: forecasts (and backtest), every solved scenario, the Dataset."""

    study: Study
    forecasts: pd.DataFrame
    solved: dict[str, SolvedScenario]
    dataset: xr.Dataset
    backtest: Any = None

    @property
    def designs(self) -> dict[str, Design]:
        return {n: s.design for n, s in self.solved.items()}

    @property
    def reports(self) -> dict[str, Any]:
        return {n: s.report for n, s in self.solved.items()}

    @property
    def statistics(self) -> Statistics:
        return statistics(self.dataset)

    def write(self, out_dir: str | Path) -> Path:
        """Write results.nc, summary.csv, forecasts.csv (and backtest.csv) into `out_dir`,
        each atomically; returns the folder."""
        from netdesign.results.io import write_frame_atomic, write_results

        out = Path(out_dir)
        write_results(self.dataset, out)
        write_frame_atomic(self.forecasts, out / "forecasts.csv")
        if self.backtest is not None:
            write_frame_atomic(self.backtest.per_series, out / "backtest.csv")
        return out


@dataclass
class Study(StudyInputs):
    """A validated study (config + network data) with the steps of the pipeline as methods.

    Immutable in use: `with_overrides` returns a new Study (the network data is shared, not
    re-read, unless the `data` section changes).
    """

    progress: Progress | None = field(default=None, repr=False, compare=False)
    saved_forecasts: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    # -- loading ------------------------------------------------------------------------------
    @classmethod
    def load(cls, source: str | Path | Mapping[str, Any] | StudyConfig, *,
             forecasts: str | Path | pd.DataFrame | None = None,
             progress: Progress | None = None, base_dir: str | Path | None = None) -> Study:
        """Load and validate a study.

        source: a YAML file, a mapping with the same structure (relative data paths are taken
            from `base_dir`, default the working folder), or a `StudyConfig`.
        forecasts: saved corridor forecasts (a `forecasts.csv` written by `netdesign run`, or
            its frame) to use instead of forecasting (which takes minutes on the default study).
        progress: called with a `ProgressEvent` at each step.
        Raises `InputError` listing every problem in the config, the data or the forecasts.
        """
        path = None
        if isinstance(source, StudyConfig):
            cfg = source
        elif isinstance(source, Mapping):
            base = Path(base_dir) if base_dir is not None else Path.cwd()
            cfg = parse_config(dict(source), "<dict>", base.resolve())
        else:
            path = Path(source)
            cfg = load_config(path)
        study = cls(cfg=cfg, network=load_network(cfg), config_path=path, progress=progress)
        if forecasts is not None:
            study = study.with_forecasts(forecasts)
        return study

    def with_forecasts(self, forecasts: str | Path | pd.DataFrame) -> Study:
        """The same study using saved corridor forecasts (a forecasts.csv or its frame)."""
        frame = read_forecasts(forecasts, self.network.corridors.index)
        return self._copy(self.cfg, saved_forecasts=frame)

    def with_overrides(self, overrides: Mapping[str, Any] | None = None, /,
                       **sections: Any) -> Study:
        """A new Study with dotted keys set, e.g. ``{"service.late_penalty_cny_per_parcel": 10,
        "policies.rail_push.mode_share.rail.min": 0.3}``; keyword arguments replace whole
        sections (``solver={...}``). Unknown keys and invalid values raise `InputError`."""
        changes = dict(overrides or {})
        changes.update(sections)
        cfg = apply_overrides(self.cfg, changes)
        return self._copy(cfg)

    def _copy(self, cfg: StudyConfig, **extra: Any) -> Study:
        same_data = cfg.data == self.cfg.data and \
            cfg.network.max_linehaul_legs == self.cfg.network.max_linehaul_legs
        if same_data:
            # the data are not re-read; what the new config names in them is checked again
            # (hub caps, mode-share floors, service classes)
            raise_if_errors(check_config_against_data(cfg, self.network, {}), "invalid overrides")
            network = self.network
        else:  # re-read and re-validated (the path check depends on the legs)
            network = load_network(cfg)
        saved = extra.pop("saved_forecasts", self.saved_forecasts)
        return type(self)(cfg=cfg, network=network, config_path=self.config_path,
                          progress=self.progress, saved_forecasts=saved)

    # -- stages -------------------------------------------------------------------------------
    def _emit(self, stage: str, message: str, done: int = 0, total: int = 0) -> None:
        emit(log, self.progress, stage, message, done, total)

    def _forecast_key(self) -> tuple[str, str, str, int]:
        horizon = forecast_horizon(self.network, design_years(self.cfg))
        return (self.network.source, self.network.version,
                self.cfg.forecast.model_dump_json(exclude={"workers"}), horizon)

    def forecast(self, *, refresh: bool = False) -> pd.DataFrame:
        """Corridor forecasts (long frame: series_id, date, mean, lo_80, hi_80, lo_95, hi_95;
        parcels/month), through December of the last design year.

        Saved forecasts given to `load`/`with_forecasts` are used as they are. Otherwise the
        forecasts are computed once per process for the same data, forecast settings and
        horizon (`refresh=True` recomputes them).
        """
        if self.saved_forecasts is not None:
            return self.saved_forecasts
        key = self._forecast_key()
        if not refresh and key in _FORECAST_CACHE:
            log.info("forecasts taken from the in-memory cache")
            return _FORECAST_CACHE[key]
        self._emit("forecast", f"forecasting {len(self.network.corridors)} corridors "
                   f"({key[3]} months ahead) ...")
        result = forecast_study(self, progress=False)
        _FORECAST_CACHE[key] = result.forecasts
        return result.forecasts

    def backtest(self) -> Any:
        """Rolling-origin backtest of the forecasts (None when `forecast.backtest_origins` is 0)."""
        self._emit("backtest", "backtesting the forecasts ...")
        return backtest_study(self, progress=False)

    def scenario_config(self, name: str | None = None, **cases: Any) -> ScenarioConfig:
        """The validated `ScenarioConfig` named `name` (a baseline or named sweep scenario)
        with `cases` changed, or made of `cases` alone (`year` required)."""
        base: dict[str, Any] = {}
        if name is not None:
            known = {scenario_display_name(sc): sc for sc in self.cfg.scenarios}
            if self.cfg.sweep is not None:
                known.update({scenario_display_name(sc): sc for sc in self.cfg.sweep.scenarios})
            if name not in known:
                raise InputError([Problem("scenario", "name", "name", name,
                                          f"one of the study's scenarios: {', '.join(known)}")],
                                 "unknown scenario")
            base = known[name].model_dump()
            if cases:
                base["name"] = None  # a changed scenario gets its cases' name
        base.update(cases)
        try:
            sc = ScenarioConfig.model_validate(base)
        except ValidationError as exc:
            raise InputError(problems_from_validation_error(exc, "scenario", base),
                             "invalid scenario") from None
        tables = {"growth": ("growth_cases", self.cfg.growth_cases),
                  "costs": ("cost_cases", self.cfg.cost_cases),
                  "policy": ("policies", self.cfg.policies)}
        problems = [Problem("scenario", key, key, getattr(sc, key),
                            f"one of the names defined under {section}: {', '.join(table)}")
                    for key, (section, table) in tables.items() if getattr(sc, key) not in table]
        if problems:
            raise InputError(problems, "invalid scenario")
        return sc

    def scenario(self, name: str | None = None, **cases: Any) -> Scenario:
        """The plain `Scenario` (demand for its year from `forecast()`, costs, policies):
        ``study.scenario("base_2035")``, ``study.scenario(year=2035, policy="co2_cap")``, or a
        named scenario with cases changed: ``study.scenario("base_2035", carbon_price_cny_per_t=
        200)``."""
        return build_scenario(self, self.scenario_config(name, **cases), self.forecast())

    def solve(self, scenario: Scenario | str | None = None, /, *, lp_path: str | Path | None
              = None, **cases: Any) -> SolvedScenario:
        """Solve one scenario (a `Scenario`, a scenario name, or cases as keywords) and return
        the design, its solve report and KPIs. A time limit without incumbent or an infeasible
        model is not an error: see ``solved.report.status``."""
        if not isinstance(scenario, Scenario):
            scenario = self.scenario(scenario, **cases)
        elif cases:
            raise TypeError("give either a Scenario or cases, not both")
        return self._solve(scenario, lp_path, 1, 1)

    def _solve(self, scenario: Scenario, lp_path: str | Path | None, i: int,
               n: int) -> SolvedScenario:
        self._emit("solve", f"solving {scenario.name} ({scenario.demand.sum():,.0f} "
                   f"parcels/day)", i - 1, n)
        design = solve_scenario(self.network, scenario, self.cfg.solver,
                                lp_path=Path(lp_path) if lp_path else None)
        ds = design_to_dataset(self.network, scenario, design)
        solved = SolvedScenario(scenario, design, ds)
        self._emit("solved", f"{scenario.name}: {ds['status'].values[0]}", i, n)
        return solved

    def run(self, scenarios: list[str | ScenarioConfig] | None = None, *,
            backtest: bool = False) -> StudyRun:
        """Forecast (or use the saved forecasts), solve every baseline scenario (or the given
        names/configs) and assemble the results Dataset. Nothing is written; see
        `StudyRun.write`."""
        forecasts = self.forecast()
        bt = self.backtest() if backtest else None
        configs = [sc if isinstance(sc, ScenarioConfig) else self.scenario_config(sc)
                   for sc in (scenarios if scenarios is not None else self.cfg.scenarios)]
        solved: dict[str, SolvedScenario] = {}
        for i, sc in enumerate(configs, start=1):
            scenario = build_scenario(self, sc, forecasts)
            solved[scenario.name] = self._solve(scenario, None, i, len(configs))
        ds = combine_results([s.dataset for s in solved.values()], self, forecasts)
        self._emit("done", f"solved {len(solved)} scenario(s)", len(solved), len(configs))
        return StudyRun(study=self, forecasts=forecasts, solved=solved, dataset=ds, backtest=bt)


def read_forecasts(source: str | Path | pd.DataFrame, corridors: pd.Index) -> pd.DataFrame:
    """Saved corridor forecasts (forecasts.csv of `netdesign run`, or its frame), checked:
    the columns series_id, date, mean, lo_80, hi_80, lo_95, hi_95; numbers >= 0; every
    corridor of the study present. Raises `InputError` naming file, column and what is wrong."""
    name = "forecasts" if isinstance(source, pd.DataFrame) else str(source)
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    else:
        try:
            frame = pd.read_csv(source)
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError,
                UnicodeDecodeError) as exc:
            raise InputError([Problem(name, "(file)", None, None,
                                      f"a readable forecasts.csv ({exc})")],
                             "cannot read forecasts") from None
    problems = [Problem(name, "header", c, None, f"a column named {c}")
                for c in FORECAST_COLUMNS if c not in frame.columns]
    if not problems:
        frame["series_id"] = frame["series_id"].astype(str)
        dates = pd.to_datetime(frame["date"], errors="coerce")
        for i in frame.index[dates.isna()][:5]:
            problems.append(Problem(name, f"row {i + 1}", "date", frame.at[i, "date"],
                                    "a date YYYY-MM-DD"))
        for col in FORECAST_COLUMNS[2:]:
            values = pd.to_numeric(frame[col], errors="coerce")
            for i in frame.index[~(values >= 0)][:5]:
                problems.append(Problem(name, f"row {i + 1}", col, frame.at[i, col],
                                        "a number >= 0 (parcels/month)"))
        missing = sorted(set(map(str, corridors)) - set(frame["series_id"]))
        if missing:
            problems.append(Problem(name, "series_id", "series_id", missing[:5],
                                    f"forecasts for every corridor of the study "
                                    f"({len(missing)} missing; forecasts of another study?)"))
    if problems:
        raise InputError(problems, "invalid forecasts")
    return frame
