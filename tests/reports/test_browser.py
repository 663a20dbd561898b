"""The digest HTML in headless Chromium: it lays out, the charts load, a screenshot is kept.

Chromium is the Debian package at /usr/bin/chromium, driven by Playwright. Outside CI a
machine without it skips this test; in CI (CI=true) a missing browser fails it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade
from reports.digest import build_digest
from reports.render import render
from tests.reports.builders import PV, WEEK, scenario, write, write_outlets

CHROMIUM = Path(os.environ.get("STEPPEWATCH_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _need_chromium() -> None:
    if CHROMIUM.is_file():
        return
    reason = f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
    if IN_CI:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    _need_chromium()
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('b') / 'b.db'}")
    upgrade(engine)
    write_outlets(engine)
    write(engine, *scenario())
    out = render(build_digest(engine, Settings(), WEEK, profile_version=PV))
    engine.dispose()
    return out


@pytest.fixture(scope="module")
def browser(brief):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser, html: str, width: int, height: int = 1000):
    page = browser.new_page(viewport={"width": width, "height": height})
    # No network: everything the page needs is inline (styles, data: images).
    page.route("**/*", lambda route: route.abort())
    page.set_content(html, wait_until="load")
    return page


def test_digest_renders_in_headless_chromium(brief, browser):
    html = brief.standalone_html()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"digest-{WEEK}.png"
    page = _open(browser, html, 800)
    try:
        sizes = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.clientWidth])")
        headline = page.inner_text("#headline")
        shift_text = page.locator("table.shift").all_inner_texts()
        summary = page.locator("#summary .summary-sentence").all_inner_texts()
        titles = [page.locator(f"#entry-{n} table.stories a").all_inner_texts()
                  for n in range(1, len(shift_text) + 1)]
        width = page.evaluate("document.body.scrollWidth")
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()
    assert len(sizes) == 2 and all(ok and natural > 0 and shown > 0
                                   for ok, natural, shown in sizes)
    assert "52 relevant pieces" in headline
    # Nine series moved over two events: the partner Türkiye and the topic Turkey over the
    # same stories (one entry), Russia's tone and alarm as partner and as topic (one entry);
    # all relevant coverage is a line of its own.
    assert len(shift_text) == 3
    assert "Tests it passed" in shift_text[0]
    assert "Topic turkey: coverage rose" in shift_text[0]
    assert "Partner TUR: coverage rose" in shift_text[0]
    # The summary: one sentence per entry, each pointing to it; every story once per entry.
    assert [s.split(":")[0] for s in summary] == ["turkey / TUR", "RUS / csto_russia",
                                                 "All relevant coverage"]
    assert all(len(t) == len(set(t)) for t in titles) and titles[0]
    # The text part says the same.
    for sentence in summary:
        assert sentence in " ".join(brief.text.split())
    assert width <= 800  # the 640 px column does not overflow the viewport
    assert shot.stat().st_size > 20_000


@pytest.mark.parametrize("width", [600, 1200])
def test_brief_screenshot_at_phone_and_desktop_widths(brief, browser, width):
    """The brief reads at 600 px (a phone's mail app) and 1200 px (a desktop client): no
    sideways scrolling, the summary on the first screen, the charts scaled to the column."""
    page = _open(browser, brief.standalone_html(), width, height=900)
    shot = ARTIFACTS / f"digest-{width}px.png"
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        box = page.locator("#summary").bounding_box()
        last = page.locator("#summary .summary-sentence").last.bounding_box()
        images = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => i.getBoundingClientRect().right)")
        column = page.locator("table.shift").first.bounding_box()
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()
    assert scroll <= width
    assert box is not None and last is not None
    assert last["y"] + last["height"] <= 900  # the whole summary on the first screen
    assert all(right <= width for right in images)
    assert column is not None and column["width"] <= 640
    assert shot.stat().st_size > 20_000
