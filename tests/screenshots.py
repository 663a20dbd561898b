"""Refresh the README's screenshots from a finished demo (`python -m tests.screenshots VAR`).

VAR is the demo's var/ directory (``var/steppewatch.db`` and ``var/outbox/``). The brief of
the planted week is shot at 900 px, the dashboard as it opens without parameters at 1300 px,
both in Debian's Chromium, into ``reports/screenshots/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.config import load_settings
from pipeline.profile import load_profile
from pipeline.store.db import make_engine
from reports.dashboard import create_app
from tests.dashboard.builders import serve
from tests.dashboard.test_browser import ARGS, CHROMIUM

OUT = Path(__file__).resolve().parents[1] / "reports" / "screenshots"
WEEK = "2025-W24"


def shoot(var: Path) -> None:
    from playwright.sync_api import sync_playwright

    engine = make_engine(f"sqlite:///{var / 'steppewatch.db'}", read_only=True)
    app = create_app(engine, load_settings(env={}), load_profile(), inline_flags=True)
    brief = (var / "outbox" / f"digest-{WEEK}-preview.html").read_text(encoding="utf-8")
    with serve(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 1400})
        page.route("**/*", lambda route: route.abort())
        page.set_content(brief, wait_until="load")
        page.screenshot(path=str(OUT / "digest.png"))
        page = browser.new_page(viewport={"width": 1300, "height": 1600})
        page.goto(f"{base}/")
        page.wait_for_selector("#trend-chart[data-rendered=true]", timeout=30_000)
        page.wait_for_selector("#tone-chart[data-rendered=true]", timeout=30_000)
        page.screenshot(path=str(OUT / "dashboard.png"))
        browser.close()
    engine.dispose()


if __name__ == "__main__":
    shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "var"))
    print(f"written: {OUT / 'digest.png'}, {OUT / 'dashboard.png'}")
