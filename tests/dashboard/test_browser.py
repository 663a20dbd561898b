"""The dashboard in a real headless Chromium (Debian /usr/bin/chromium driven by Playwright),
served by waitress from a read-only SQLite store: the page loads without console errors, the
charts render the database's numbers, filters and clicks change them through the URL, exports
download the same data, crawled markup stays text. Screenshots go to test-artifacts/.

Outside CI a machine without Chromium skips; in CI (CI=true) a missing browser fails.
"""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.profile import load_profile
from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade
from reports.dashboard import create_app
from tests.dashboard.builders import (
    LAST,
    PV,
    TURKEY_LAST,
    WEEKS,
    XSS_TITLE,
    agg_sum,
    serve,
    settings,
    write_store,
)

CHROMIUM = Path(os.environ.get("STEPPEWATCH_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
RANGE = f"from={WEEKS[0].monday}&to={LAST.sunday}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, Any]]:
    if not CHROMIUM.is_file():
        reason = f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
        if IN_CI:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'dash.db'}"
    writer = make_engine(url)
    upgrade(writer)
    write_store(writer)
    ro = make_engine(url, read_only=True)
    app = create_app(ro, settings(), load_profile(), profile_version=PV, inline_flags=True)
    with serve(app) as base:
        yield base, writer
    ro.dispose()
    writer.dispose()


@pytest.fixture(scope="module")
def browser(site) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site) -> Iterator[Any]:
    base = site[0]
    context = browser.new_context(viewport={"width": 1280, "height": 1000},
                                  accept_downloads=True)
    pg = context.new_page()
    pg.problems = []  # console errors and uncaught exceptions seen by the test
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    # Nothing may leave the machine: a CDN or any other host would fail the page.
    pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
             or r.request.url.startswith("data:") else r.abort())
    yield pg
    context.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def _plotted(page, chart: str = "trend-chart") -> dict[str, list]:
    page.wait_for_selector(f"#{chart}[data-rendered=true]", timeout=15_000)
    traces = page.evaluate(f"""() => document.getElementById('{chart}').data.map(
        t => [t.customdata ? t.customdata[0][0] : t.name, Array.from(t.y), t.mode])""")
    return {key: y for key, y, mode in traces if mode != "markers"}


def test_page_loads_and_charts_render_the_database(page, site):
    base, engine = site
    resp = page.goto(f"{base}/?{RANGE}&by=topic")
    assert resp.status == 200
    plotted = _plotted(page)
    assert set(plotted) == {"turkey", "csto_russia", "uk_cooperation"}
    for key, ys in plotted.items():
        assert ys == [agg_sum(engine, first=w.monday, last=w.sunday, dimension="topic",
                              key=key) for w in WEEKS]
    assert page.locator("#trend-chart .scatterlayer .trace").count() == 4  # + the flags
    assert page.locator("#tone-chart[data-rendered=true] .scatterlayer .trace").count() >= 6
    markers = page.evaluate("() => document.getElementById('trend-chart').data"
                            ".filter(t => t.mode === 'markers')[0].customdata")
    assert ["turkey", str(LAST.monday)] in markers  # the digest's flagged rise
    _shot(page, "overview")
    assert page.problems == []


def test_filters_change_the_numbers_through_the_url(page, site):
    base, engine = site
    page.goto(f"{base}/?{RANGE}&by=topic")
    _plotted(page)
    with page.expect_navigation():
        page.select_option("#f-lang", "kk")
    assert "lang=kk" in page.url and "topic=" not in page.url  # empty filters stay out
    plotted = _plotted(page)
    assert plotted["turkey"] == [agg_sum(engine, first=w.monday, last=w.sunday,
                                         dimension="topic", key="turkey", lang="kk")
                                 for w in WEEKS]
    with page.expect_navigation():
        page.select_option("#f-by", "outlet")
    plotted = _plotted(page)
    assert plotted["vlast"] == [agg_sum(engine, first=w.monday, last=w.sunday, lang="kk",
                                        outlet_id="vlast") for w in WEEKS]
    total = int(page.inner_text("#trend-totals tr[data-key=vlast] .pieces"))
    assert total == sum(plotted["vlast"])
    _shot(page, "filtered")
    assert page.problems == []


def test_clicking_a_point_lists_its_articles(page, site):
    base, engine = site
    page.goto(f"{base}/?{RANGE}&by=topic")
    _plotted(page)
    index = page.evaluate("""() => document.getElementById('trend-chart').data.findIndex(
        t => t.mode !== 'markers' && t.customdata[0][0] === 'turkey')""")
    point = page.locator("#trend-chart .scatterlayer .trace").nth(index) \
        .locator(".points path").last
    box = point.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert f"at={LAST.monday}" in page.url and "series=turkey" in page.url
    page.wait_for_selector("#drill")
    expected = agg_sum(engine, first=LAST.monday, last=LAST.sunday, dimension="topic",
                       key="turkey")
    assert int(page.inner_text("#drill-pieces")) == expected == TURKEY_LAST
    assert page.locator("#drill tbody.story").count() == expected
    api = json.loads(urllib.request.urlopen(
        f"{base}/api/articles?{page.url.split('?', 1)[1].split('#')[0]}").read())["data"]
    shown = page.eval_on_selector_all("#drill tbody.story", "els => els.map(e => +e.dataset.id)")
    assert shown == [s["head"]["id"] for s in api["stories"]]
    assert page.locator("#drill details.copies").count() == 3
    assert page.locator("#drill li.copy").count() == int(page.inner_text("#drill-copies")) == 6
    _shot(page, "drill-down")
    assert page.problems == []


def test_exports_download_the_data_behind_the_view(page, site):
    base, _ = site
    page.goto(f"{base}/?{RANGE}&by=partner&at={LAST.monday}&series=TUR")
    _plotted(page)
    for name in ("trend", "articles"):
        with page.expect_download() as info:
            page.click(f"a.export[data-set={name}][data-fmt=csv]")
        rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text())))
        with page.expect_download() as info:
            page.click(f"a.export[data-set={name}][data-fmt=json]")
        data = json.loads(Path(info.value.path()).read_text())["data"]
        if name == "trend":
            assert [(r["period"], r["series"], int(r["pieces"])) for r in rows] == [
                (p, ln["key"], n) for ln in data["lines"]
                for p, n in zip(data["periods"], ln["pieces"], strict=True)]
            plotted = _plotted(page)
            assert {ln["key"]: ln["pieces"] for ln in data["lines"]} == plotted
        else:
            assert [int(r["article_id"]) for r in rows] == [
                a["id"] for s in data["stories"] for a in [s["head"], *s["copies"]]]
            assert len(rows) == TURKEY_LAST + 6
    assert page.problems == []


def test_crawled_markup_renders_as_text(page, site):
    base, _ = site
    page.goto(f"{base}/?{RANGE}&by=topic&at={LAST.monday}&series=uk_cooperation")
    page.wait_for_selector("#drill")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None
    assert XSS_TITLE in page.inner_text("#drill")
    assert page.locator("#drill a[href^='javascript']").count() == 0
    assert "HTTP 503 <b>down</b>" in page.inner_text("#health")
    _shot(page, "escaped")
    assert page.problems == []


def test_malformed_parameters_get_a_400_page(page, site):
    base, _ = site
    resp = page.goto(f"{base}/?from=2025-02-30&by=topic")
    assert resp.status == 400
    assert "'from' must be a date as YYYY-MM-DD, not '2025-02-30'" in page.inner_text("#error")
    _shot(page, "bad-request")


def test_without_parameters_the_page_opens_on_the_data(page, site):
    base, _ = site
    assert page.goto(f"{base}/").status == 200
    plotted = _plotted(page)
    assert sum(sum(ys) for ys in plotted.values()) > 0
    axis = page.evaluate("() => document.getElementById('trend-chart')._fullLayout.xaxis.range")
    assert str(axis[0]).startswith("2024-12") and str(axis[1]).startswith(str(LAST.monday))
    # The tone view: one labelled panel per partner, each with a tone line and an alarm area.
    page.wait_for_selector("#tone-chart[data-rendered=true]", timeout=15_000)
    titles = page.evaluate("() => document.getElementById('tone-chart')._fullLayout"
                           ".annotations.map(a => a.text)")
    assert {"<b>Turkey</b>", "<b>Russia</b>", "<b>United Kingdom</b>"} <= {
        t.replace(" ▲", "").replace(" ▼", "") for t in titles}
    years = page.evaluate("() => Object.entries(document.getElementById('tone-chart')"
                          "._fullLayout).filter(([k]) => /^xaxis\\d*$/.test(k))"
                          ".map(([, a]) => String(a.range[0]).slice(0, 4))")
    assert years and set(years) == {"2024"}  # never plotly's empty default, the year 2000
    _shot(page, "first-view")
    assert page.problems == []


def test_an_empty_range_draws_no_chart_and_links_to_the_data(page, site):
    base, _ = site
    page.goto(f"{base}/?from=2020-01-06&to=2020-03-01")
    assert "No relevant pieces between 2020-01-06 and 2020-03-01" in \
        page.locator("#empty-range").inner_text()
    assert page.locator("#trend-chart").count() == 0
    page.locator("#empty-link").click()
    page.wait_for_selector("#trend-chart[data-rendered=true]", timeout=15_000)
    assert page.locator("#empty-range").count() == 0
    assert page.problems == []
