"""What a report section is, and the context every section builder gets.

The report (`html.render_report`) is assembled from the ordered list `html.SECTIONS`: each
entry is a *section builder*, a callable ``build(ctx: ReportContext) -> Section | None``
(None: the section is left out, e.g. the comparison page of a one-scenario report). To add a
section, write a builder in its own module and add one line to `html.SECTIONS` where it
should appear:

    # netdesign/report/plan.py
    from netdesign.report.sections import ReportContext, Section

    def plan_section(ctx: ReportContext) -> Section | None:
        if "build_year" not in ctx.ds:          # results without a staged plan
            return None
        fig = ...                               # a plotly Figure
        return ctx.section("plan", ctx.chart("plan_timeline", fig))

    # netdesign/report/html.py
    SECTIONS = [..., plan.plan_section, ...]

A section that is one chart of variables the results may lack can be a `ChartSection`
(below): it draws a sentence instead of the chart when a variable is absent or nothing is
there to draw. The section's title is the glossary entry of its id (`i18n.t(sid)`): add the
id to `i18n.LABELS` in both languages.

This module imports no section builder (the builders import it), so it sits below them all.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import plotly.io as pio
import xarray as xr

from netdesign.report.i18n import t
from netdesign.report.status import scenario_health

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "showLink": False,
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


@dataclass(frozen=True)
class Section:
    """One rendered section: its anchor id (``sec-<sid>``), title and inner HTML.

    css: "full" (page width), "half" (two to a row on screen and on paper) or "page" (a
    section with its own inner layout, starting a printed page). nav: listed in the top
    navigation."""

    sid: str
    title: str
    body: str
    css: str = "full"
    nav: bool = True

    def html(self) -> str:
        e = html.escape
        return (f"<section id='sec-{e(self.sid)}' class='{e(self.css)}'>"
                f"<h2>{e(self.title)}</h2>{self.body}</section>")


@dataclass
class ReportContext:
    """What a section builder reads (the results, language, the scenarios the reader chose)
    and where it registers its charts (`chart`)."""

    ds: xr.Dataset
    lang: str
    base: str
    map_scenario: str
    source: str = "results"
    specs: dict[str, object] = field(default_factory=dict)

    def t(self, key: str) -> str:
        """The glossary text of `key` in the report's language."""
        return t(key, self.lang)

    def chart(self, cid: str, fig, print_scale: float = 0.6) -> str:
        """Register `fig` (a plotly Figure) under the chart id `cid` and return the <div> it
        is drawn into. print_scale: the chart's height on paper relative to the screen."""
        if cid in self.specs:
            raise ValueError(f"chart id {cid!r} used twice in one report")
        spec = json.loads(pio.to_json(fig, validate=False, remove_uids=True))
        spec["config"] = PLOTLY_CONFIG
        spec["print_scale"] = print_scale
        self.specs[cid] = spec
        return f"<div class='chart' id='chart-{cid}' data-chart='{cid}'></div>"

    def note(self, key: str, css: str = "note") -> str:
        """A paragraph with the glossary text of `key`."""
        return f"<p class='{css}'>{html.escape(self.t(key))}</p>"

    def section(self, sid: str, body: str, css: str = "full") -> Section:
        """A `Section` titled with the glossary entry of `sid`."""
        return Section(sid, self.t(sid), body, css)

    @property
    def any_solution(self) -> bool:
        """True when at least one scenario has a solution (else figures are all NaN)."""
        return any(h.has_solution for h in scenario_health(self.ds).values())


SectionBuilder = Callable[[ReportContext], "Section | None"]


@dataclass(frozen=True)
class ChartSection:
    """A section builder for one chart.

    build(ds, lang, ctx) returns a Figure, or None when there is nothing to draw (the note
    `empty` is shown instead). `needs`: variables the section reads; when one is absent from
    the results (an older or newer file) the section says so instead of failing. `half`:
    printed two to a row. `print_scale`: chart height on paper relative to the screen.
    `note`: glossary key of a sentence shown above the chart. `without_solution`: drawn even
    when no scenario has a solution (inputs only: forecasts, the network).
    """

    cid: str
    build: Callable[[xr.Dataset, str, ReportContext], object]
    needs: tuple[str, ...] = ()
    empty: str = "no_data"
    half: bool = False
    print_scale: float = 0.6
    note: str | None = None
    without_solution: bool = False

    def figure(self, ctx: ReportContext) -> tuple[object, str]:
        """(figure or None, glossary key of the sentence shown instead)."""
        if any(v not in ctx.ds.variables for v in self.needs):
            return None, "no_data"
        if not self.without_solution and not ctx.any_solution:
            return None, "no_solution_any"
        return self.build(ctx.ds, ctx.lang, ctx), self.empty

    def __call__(self, ctx: ReportContext) -> Section:
        fig, empty = self.figure(ctx)
        if fig is None:
            body = ctx.note(empty, "note empty")
        else:
            body = (ctx.note(self.note) if self.note else "") + \
                ctx.chart(self.cid, fig, self.print_scale)
        return ctx.section(self.cid, body, "half" if self.half else "full")
