"""Open the HTML report in a real headless Chromium with networking disabled and check it.

Chromium is driven over the DevTools protocol through `--remote-debugging-pipe` (fd 3/4,
NUL-separated JSON; standard library only). The checks: the page renders, no console error
or uncaught exception, every chart drawn with data, the network map drawn, the language of
the labels, and no request to anything but the local file. Screenshots are saved under
test-artifacts/ (gitignored).

Chromium comes from Debian's `chromium` package; the session fixture installs it with apt-get
when it is missing (as root); the tests skip, saying why, only if that fails.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from report_fixtures import build_results, with_all_sections

from netdesign.report.html import render_report

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
OFFLINE_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-first-run",
    "--no-default-browser-check", "--disable-domain-reliability", "--metrics-recording-only",
    "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
    "--hide-scrollbars", "--font-render-hinting=none",
)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _apt_install(*packages: str) -> tuple[bool, str]:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(["apt-get", "update"], check=True, capture_output=True, timeout=600,
                       env=env)
        subprocess.run(["apt-get", "install", "-y", *packages],
                       check=True, capture_output=True, timeout=900, env=env)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        return False, f"{exc} {detail.decode(errors='replace')[-400:]}"
    return True, ""


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a Chromium binary; installs Debian's `chromium` (and a CJK font) if missing."""
    path = _find_chromium()
    if path is None:
        if shutil.which("apt-get") is None or os.geteuid() != 0:
            pytest.skip("chromium is not installed and cannot be installed here "
                        "(needs apt-get as root)")
        ok, why = _apt_install("chromium")
        path = _find_chromium()
        if not ok or path is None:
            pytest.skip(f"installing Debian's chromium failed: {why}")
    if (shutil.which("fc-list") and os.geteuid() == 0 and shutil.which("apt-get")
            and not subprocess.run(["fc-list", ":lang=zh"], capture_output=True,
                                   text=True).stdout.strip()):
        _apt_install("fonts-wqy-microhei")  # only for readable screenshots; optional
    return path


class DevTools:
    """A minimal Chrome DevTools Protocol client over --remote-debugging-pipe."""

    def __init__(self, binary: str, profile: Path, log: Path):
        cmd_r, self._cmd_w = os.pipe()
        self._res_r, res_w = os.pipe()
        # move the child's ends above 4 so that the shell's 3<& / 4>& cannot clobber them
        cmd_r, res_w = (self._high_fd(fd) for fd in (cmd_r, res_w))
        args = [binary, *OFFLINE_FLAGS, f"--user-data-dir={profile}",
                "--remote-debugging-pipe", "about:blank"]
        shell = f'exec "$@" 3<&{cmd_r} 4>&{res_w} {cmd_r}<&- {res_w}>&-'
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log, "wb")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(["bash", "-c", shell, "chromium", *args],
                                     pass_fds=(cmd_r, res_w), stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=self._log)
        os.close(cmd_r)
        os.close(res_w)
        self._buf = b""
        self._next_id = 0
        self.events: list[dict] = []

    @staticmethod
    def _high_fd(fd: int) -> int:
        high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
        os.close(fd)
        return high

    def _read_messages(self, timeout: float) -> None:
        ready, _, _ = select.select([self._res_r], [], [], timeout)
        if not ready:
            return
        chunk = os.read(self._res_r, 1 << 20)
        if not chunk:
            raise RuntimeError("chromium closed the DevTools pipe (crashed?)")
        self._buf += chunk
        while b"\0" in self._buf:
            raw, self._buf = self._buf.split(b"\0", 1)
            self.events.append(json.loads(raw))

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 60.0) -> dict:
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, ev in enumerate(self.events):
                if ev.get("id") == self._next_id:
                    del self.events[i]
                    if "error" in ev:
                        raise RuntimeError(f"{method}: {ev['error']}")
                    return ev.get("result", {})
            self._read_messages(0.2)
        raise TimeoutError(f"no answer to {method} within {timeout} s")

    def evaluate(self, session: str, expression: str):
        res = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                        session)
        return res.get("result", {}).get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=15)
        for fd in (self._cmd_w, self._res_r):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()


def open_in_chromium(binary: str, html_file: Path, screenshot: Path,
                     timeout: float = 120.0) -> dict:
    """Load `html_file` (file://) offline, wait for the report to finish rendering, and return
    {status, lang, text, console_errors, requests}; save a full-page PNG to `screenshot`."""
    profile = Path(tempfile.mkdtemp(prefix="netdesign-chromium-"))
    browser = DevTools(binary, profile, screenshot.with_suffix(".chromium.log"))
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget",
                               {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
                     session)
        browser.call("Page.navigate", {"url": html_file.resolve().as_uri()}, session)
        deadline = time.monotonic() + timeout
        while not browser.evaluate(session, "!!(window.__reportStatus && "
                                            "window.__reportStatus.done)"):
            if time.monotonic() > deadline:
                break
            time.sleep(0.25)
        status = json.loads(browser.evaluate(
            session, "JSON.stringify(window.__reportStatus || null)") or "null")
        text = browser.evaluate(session, "document.body ? document.body.innerText : ''")
        lang = browser.evaluate(session, "document.documentElement.lang")
        map_texts = browser.evaluate(
            session, "Array.from(document.querySelectorAll('#chart-network_map g.trace text'))"
                     ".map(function (n) { return n.textContent; })") or []
        basemap_paths = browser.evaluate(
            session, "document.querySelectorAll('#chart-network_map g.trace.scatter "
                     "path.js-fill').length") or 0
        dom_status = browser.evaluate(
            session, "document.getElementById('report-status').getAttribute('data-done')")
        height = int(browser.evaluate(session, "document.documentElement.scrollHeight") or 1000)
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": 1400, "height": min(height, 16000), "deviceScaleFactor": 1,
                      "mobile": False}, session)
        time.sleep(1.0)
        shot = browser.call("Page.captureScreenshot", {"format": "png"}, session)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        for cid in ["summary", *(status or {}).get("expected", []), "provenance"]:
            # one picture per section, to review
            rect = json.loads(browser.evaluate(
                session, f"JSON.stringify((document.getElementById('sec-{cid}') || "
                         f"document.getElementById('chart-{cid}')).getBoundingClientRect())"))
            clip = {"x": rect["x"], "y": rect["y"], "width": rect["width"],
                    "height": rect["height"], "scale": 1}
            part = browser.call("Page.captureScreenshot", {"format": "png", "clip": clip},
                                session)
            screenshot.with_name(f"{screenshot.stem}_{cid}.png").write_bytes(
                base64.b64decode(part["data"]))
        browser._read_messages(0.5)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)

    errors, requests = [], []
    for ev in browser.events:
        method, params = ev.get("method"), ev.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(json.dumps(params.get("args", []))[:500])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(params["entry"].get("text", "")[:500])
        elif method == "Network.requestWillBeSent":
            requests.append(params.get("request", {}).get("url", ""))
    return {"status": status, "dom_done": dom_status, "lang": lang, "text": text or "",
            "map_texts": map_texts, "basemap_fills": basemap_paths,
            "console_errors": errors, "requests": requests}


def print_to_pdf(binary: str, html_file: Path, pdf: Path, timeout: float = 120.0) -> Path:
    """Open `html_file` offline and print it to an A4 PDF as a user's "print to PDF" would:
    print media, the page's `beforeprint` handler (redraws the charts at paper size), then
    Page.printToPDF with the page's own @page size."""
    profile = Path(tempfile.mkdtemp(prefix="netdesign-chromium-"))
    browser = DevTools(binary, profile, pdf.with_suffix(".chromium.log"))
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget",
                               {"targetId": target, "flatten": True})["sessionId"]
        browser.call("Page.enable", session=session)
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
                     session)
        browser.call("Page.navigate", {"url": html_file.resolve().as_uri()}, session)
        deadline = time.monotonic() + timeout
        while not browser.evaluate(session, "!!(window.__reportStatus && "
                                            "window.__reportStatus.done)"):
            if time.monotonic() > deadline:
                raise TimeoutError("report did not finish rendering")
            time.sleep(0.25)
        browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session)
        browser.evaluate(session, "window.dispatchEvent(new Event('beforeprint'))")
        time.sleep(1.5)
        res = browser.call("Page.printToPDF", {"preferCSSPageSize": True,
                                               "printBackground": True}, session,
                           timeout=timeout)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(base64.b64decode(res["data"]))
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    return pdf


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    ds = build_results()
    out = tmp_path_factory.mktemp("reports")
    paths = {}
    for lang in ("zh", "en"):
        path = out / f"report_{lang}.html"
        path.write_text(render_report(ds, lang=lang, map_scenario="2035-high"), encoding="utf-8")
        paths[lang] = path
    # a sweep in which one scenario failed (all its figures NaN) must render too
    failed = build_results(failed="2035-high-co2_300")
    paths["failed"] = out / "report_failed.html"
    paths["failed"].write_text(render_report(failed, lang="en"), encoding="utf-8")
    # the harness must notice a script error and an attempt to reach the network
    broken = paths["en"].read_text(encoding="utf-8").replace(
        "</body>", "<img src='https://example.invalid/x.png'>"
                   "<script>throw new Error('deliberate test error');</script></body>")
    paths["broken"] = out / "report_broken.html"
    paths["broken"].write_text(broken, encoding="utf-8")
    return paths


EXPECTED_CHARTS = {"mode_split", "hub_capacity", "cost_breakdown", "co2", "on_time", "rural",
                   "unserved", "forecasts", "network_map", "change_vs_base", "tradeoff_co2",
                   "tradeoff_on_time"}


@pytest.fixture(scope="module")
def rendered(chromium, reports) -> dict[str, dict]:
    return {lang: open_in_chromium(chromium, path, ARTIFACTS / f"report_{lang}.png")
            for lang, path in reports.items()}


@pytest.mark.parametrize("lang", ["zh", "en", "failed"])
def test_report_renders_every_chart_offline(rendered, lang):
    page = rendered[lang]
    status = page["status"]
    assert status is not None and status["done"], f"report did not finish rendering: {status}"
    assert page["dom_done"] == "true"
    assert page["console_errors"] == []
    assert status["errors"] == []
    # every request stays on the local machine (the page itself; data:/blob: URIs)
    remote = [u for u in page["requests"] if not u.startswith(LOCAL_SCHEMES)]
    assert remote == []
    assert set(status["expected"]) == EXPECTED_CHARTS
    for cid in EXPECTED_CHARTS:
        chart = status["charts"].get(cid)
        assert chart is not None, f"chart {cid} missing"
        assert chart["tracesWithData"] >= 1 and chart["points"] > 0, (cid, chart)
        assert chart["svgTraces"] >= 1 and chart["marks"] > 0, (cid, chart)


def test_harness_detects_errors_and_network_requests(rendered):
    page = rendered["broken"]
    assert page["status"]["done"]  # the charts still render ...
    errors = " ".join(page["console_errors"] + page["status"]["errors"])
    assert "deliberate test error" in errors  # ... but the exception is caught
    # the image is refused by the page's Content-Security-Policy (a console error) or, failing
    # that, shows up as a request to a remote address
    assert "example.invalid" in errors or any("example.invalid" in u for u in page["requests"])


def test_network_map_draws_every_leg_and_node(rendered):
    ds = build_results()
    chart = rendered["en"]["status"]["charts"]["network_map"]
    # node markers (one point per node) + one hover marker per leg, at least
    assert chart["points"] >= ds.sizes["node"] + ds.sizes["link"]


def test_language_switch_applied(rendered):
    zh, en = rendered["zh"], rendered["en"]
    assert zh["lang"] == "zh-CN" and en["lang"] == "en"
    for text in ("运输方式结构", "枢纽分拣能力", "杭州分拨中心", "数据来源与可追溯信息"):
        assert text in zh["text"]
        assert text not in en["text"]
    for text in ("Mode split", "Hub sorting capacity", "Provenance"):
        assert text in en["text"]
        assert text not in zh["text"]


def test_screenshots_saved(rendered):
    for lang in ("zh", "en"):
        png = ARTIFACTS / f"report_{lang}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 50_000


def test_print_to_pdf_is_a_short_a4_document_with_the_whole_headline_table(chromium, reports):
    """Printing the default (zh) report gives at most 6 A4 pages; the headline table's last
    column (its header, 提示 = flags, and the last mode-share column, 航空 = air) is on page 1
    or 2, i.e. the table was not cut off at the page's right edge; the title page carries the
    study's own title; no chart toolbar is printed."""
    pypdf = pytest.importorskip("pypdf")
    pdf = print_to_pdf(chromium, reports["zh"], ARTIFACTS / "report_zh.pdf")
    reader = pypdf.PdfReader(str(pdf))
    pages = reader.pages
    assert 2 <= len(pages) <= 6, len(pages)
    for page in pages:  # A4 portrait: 595 x 842 pt
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.3) < 3 and abs(h - 841.9) < 3, (w, h)
    texts = [p.extract_text() or "" for p in pages]
    assert "合成测试研究" in texts[0]  # the config's title.zh (tests/report_fixtures.py)
    early = "".join(texts[:2]).replace(" ", "").replace("\n", "")
    assert "提示" in early and "航空" in early and "主要指标" in early
    assert "Download plot" not in "".join(texts)


def _pdf_texts(chromium: str, html: str, pdf: Path) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    page = pdf.with_suffix(".html")
    page.write_text(html, encoding="utf-8")
    reader = pypdf.PdfReader(str(print_to_pdf(chromium, page, pdf)))
    for p in reader.pages:  # A4 portrait
        assert abs(float(p.mediabox.width) - 595.3) < 3
        assert abs(float(p.mediabox.height) - 841.9) < 3
    return [(p.extract_text() or "").replace(" ", "").replace("\n", "") for p in reader.pages]


def test_print_of_a_report_with_every_section_is_the_main_document_and_its_annex(chromium):
    """Results with every section kind of the default study (segments, base-year check, rural
    tier, parks, three scenarios, forecasts) print to at most 6 A4 pages with the headline table
    whole on page 1 or 2, the map, on-time and base-year check on paper, the annex named in
    one line; with the annex (`print_annex`, i.e. `netdesign report --print-annex`) the
    segment and park tables, forecasts and provenance are printed too, on more pages."""
    ds = with_all_sections(build_results())
    main = _pdf_texts(chromium, render_report(ds, "zh", map_scenario="2035-high"),
                      ARTIFACTS / "report_all_zh.pdf")
    assert 2 <= len(main) <= 6, len(main)
    early = "".join(main[:2])
    assert "主要指标" in early and "提示" in early and "航空" in early
    text = "".join(main)
    for title in ("情景比较", "全球123快货物流圈", "网络图", "基年校核", "快递进村"):
        assert title in text, title
    assert "附件（屏幕版完整显示，打印时从略）" in text and "--print-annex" in text
    # the segment table (its segment 跨境直邮), the park tables and the provenance (配置哈希)
    # are annex
    assert "跨境直邮" not in text and "PARK_00" not in text and "配置哈希" not in text
    annexed = _pdf_texts(chromium, render_report(ds, "zh", map_scenario="2035-high",
                                                 print_annex=True),
                         ARTIFACTS / "report_all_zh_annex.pdf")
    assert len(annexed) > len(main)
    text = "".join(annexed)
    assert "跨境直邮" in text and "PARK_00" in text and "配置哈希" in text
    assert "附件（屏幕版完整显示，打印时从略）" not in text


def test_comparison_page_present_with_two_or_more_scenarios(rendered):
    page = rendered["zh"]
    charts = page["status"]["charts"]
    for cid in ("change_vs_base", "tradeoff_co2", "tradeoff_on_time"):
        assert charts.get(cid, {}).get("points", 0) >= 2, cid
    assert "情景比较" in page["text"] and "基准情景主要指标" in page["text"]


def test_map_draws_the_basemap_and_labels_the_hubs(rendered):
    page = rendered["zh"]
    ds = build_results()
    assert page["basemap_fills"] >= 2  # filled land: the world layer and China
    drawn = set(page["map_texts"])
    for name in ds["hub_name_zh"].values:
        assert str(name) in drawn, (name, sorted(drawn)[:20])
