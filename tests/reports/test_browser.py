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


def test_digest_renders_in_headless_chromium(tmp_path):
    _need_chromium()
    from playwright.sync_api import sync_playwright

    engine = make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    upgrade(engine)
    write_outlets(engine)
    write(engine, *scenario())
    html = render(build_digest(engine, Settings(), WEEK, profile_version=PV)).standalone_html()
    engine.dispose()

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"digest-{WEEK}.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 1000})
            # No network: everything the page needs is inline (styles, data: images).
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            sizes = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.clientWidth])")
            headline = page.inner_text("#headline")
            shifts = page.locator("table.shift").count()
            shift_text = page.locator("table.shift").all_inner_texts()
            width = page.evaluate("document.body.scrollWidth")
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert len(sizes) == 2 and all(ok and natural > 0 and shown > 0
                                   for ok, natural, shown in sizes)
    assert "52 relevant pieces" in headline
    # Nine series moved; the partner Türkiye and the topic Turkey (and Russia's tone and the
    # CSTO topic's, and their alarm) moved over the same stories, so they share an entry.
    assert shifts == 6
    assert "The same shift, seen as: Partner" in shift_text[0]
    assert width <= 800  # the 640 px column does not overflow the viewport
    assert shot.stat().st_size > 20_000
