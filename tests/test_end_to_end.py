"""The demo path at a smaller scale: backfill the replay web, analyse, render the digests,
serve the dashboard; the planted shifts are flagged with their driving articles, and a rerun
adds nothing."""

from __future__ import annotations

import email
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from replayweb import ReplayServer, ground_truth

ROOT = Path(__file__).resolve().parents[1]
ALMATY = ZoneInfo("Asia/Almaty")
# W16..W24: the planted week and its eight baseline weeks.
FROM, TO = "2025-04-14", "2025-06-15"

pytestmark = pytest.mark.slow


def _steppewatch(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STEPPEWATCH_DATABASE_URL": f"sqlite:///{cwd}/var/steppewatch.db"}
    env.pop("STEPPEWATCH_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "steppewatch.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    work = tmp_path_factory.mktemp("demo")
    with ReplayServer(port=0) as srv:
        first = _steppewatch(work, "backfill", "--replay", srv.url, "--from", FROM, "--to", TO,
                             "--digests", "--chunk-days", "63")
        assert first.returncode == 0, first.stderr[-3000:]
        db = sqlite3.connect(work / "var" / "steppewatch.db")
        before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        dated = db.execute("SELECT published_at FROM articles WHERE date_source != 'crawl'"
                           ).fetchall()
        second = _steppewatch(work, "backfill", "--replay", srv.url, "--from", FROM, "--to",
                              TO, "--chunk-days", "63")
        after = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        db.close()
    return {"dir": work, "first": first, "second": second, "before": before, "after": after,
            "dated": [datetime.fromisoformat(d).replace(tzinfo=UTC) for (d,) in dated]}


def _digest_text(work: Path, week: str) -> str:
    path = work / "var" / "outbox" / f"digest-{week}-preview.eml"
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    return msg.get_body(("plain",)).get_content()


def test_collects_what_the_replay_web_published(demo):
    def day(moment: datetime) -> str:
        return moment.astimezone(ALMATY).date().isoformat()

    truth = ground_truth()
    expected = sorted(day(datetime.fromisoformat(p["published"]))
                      for p in truth["pieces"].values() if p["date_mode"] in ("page", "url"))
    expected = [d for d in expected if FROM <= d <= TO]
    # Pieces a day after the range may come along (the crawler's window has a day of slack);
    # undated pieces are kept on their crawl date and never trended, so not counted here.
    got = sorted(d for d in map(day, demo["dated"]) if FROM <= d <= TO)
    # A date taken from a URL has no time, so a late-evening piece can move to the next day.
    missing, extra = Counter(expected) - Counter(got), Counter(got) - Counter(expected)
    assert sum(missing.values()) <= 3 and sum(extra.values()) <= 3, (missing, extra)
    assert abs(len(got) - len(expected)) <= 2


def test_planted_shifts_are_flagged_with_their_articles(demo):
    text = _digest_text(demo["dir"], "2025-W24")
    # The summary at the top names both planted events, each pointing to its entry.
    summary = text.split("== This week in one minute ==")[1].split("\n== ")[0]
    sentences = [line for line in summary.splitlines() if line.startswith("[")]
    assert any("Turkey" in s and "coverage rose" in s for s in sentences), summary
    assert any("Russia" in s and "threat framing rose" in s for s in sentences), summary
    # One entry per event plus the line on all coverage: "* [n] subjects: what moved", the
    # tests it passed, and its stories, each once.
    entries = ["* " + e for e in text.split("\n* ")[1:]]
    assert len(entries) <= 3, [e.splitlines()[0] for e in entries]
    turkey = [e for e in entries if "Turkey" in e.splitlines()[0] and "rose" in e.splitlines()[0]]
    assert turkey, entries
    assert any("Russia" in e.splitlines()[0] and "negative" in e.splitlines()[0]
               for e in entries), entries
    assert "Tests it passed" in turkey[0] and "http://127.0.0.1" in turkey[0]
    for entry in entries:
        urls = [line.strip() for line in entry.splitlines() if line.startswith("    http")]
        assert len(urls) == len(set(urls)), entry


def test_quiet_weeks_raise_no_volume_alarm(demo):
    text = _digest_text(demo["dir"], "2025-W22")
    shifts = [line for line in text.splitlines() if line.startswith("* ")]
    assert not any("Turkey" in s for s in shifts), shifts


def test_rerun_adds_nothing(demo):
    assert demo["second"].returncode == 0, demo["second"].stderr[-3000:]
    assert demo["after"] == demo["before"]
    assert "0 new article(s)" in demo["second"].stderr


def test_the_dashboard_answers_with_the_stored_numbers(demo):
    from pipeline.config import load_settings
    from pipeline.profile import load_profile
    from pipeline.store.db import make_engine
    from reports.dashboard import create_app

    db = demo["dir"] / "var" / "steppewatch.db"
    engine = make_engine(f"sqlite:///{db}", read_only=True)
    app = create_app(engine, load_settings(env={}), load_profile(), inline_flags=True)
    client = app.test_client()
    page = client.get("/?from=2025-04-14&to=2025-06-15&by=partner")
    assert page.status_code == 200 and "Turkey" in page.get_data(as_text=True)
    trend = client.get("/api/trend?from=2025-04-14&to=2025-06-15&by=all").get_json()
    shown = sum(sum(line["pieces"]) for line in trend["data"]["lines"])
    con = sqlite3.connect(db)
    stored = con.execute("SELECT sum(pieces) FROM daily_aggregates WHERE dimension = 'all' "
                         "AND key = '' AND day BETWEEN '2025-04-14' AND '2025-06-15' "
                         "AND profile_version = ?", (load_profile().version,)).fetchone()[0]
    con.close()
    engine.dispose()
    assert shown == stored > 0


def test_the_dashboard_opens_on_the_backfilled_weeks_in_a_browser(demo):
    """No parameters after the backfill: the charts show the backfilled weeks, not empty
    weeks up to today; the demo's planted-week link lists that week's articles."""
    from pipeline.config import load_settings
    from pipeline.profile import load_profile
    from pipeline.store.db import make_engine
    from reports.dashboard import create_app
    from steppewatch.cli.demo_cmd import planted_query
    from tests.dashboard.builders import serve
    from tests.dashboard.test_browser import ARGS, CHROMIUM

    engine = make_engine(f"sqlite:///{demo['dir'] / 'var' / 'steppewatch.db'}", read_only=True)
    app = create_app(engine, load_settings(env={}), load_profile(), inline_flags=True)
    client = app.test_client()
    con = sqlite3.connect(demo["dir"] / "var" / "steppewatch.db")
    newest = date.fromisoformat(con.execute(
        "SELECT max(day) FROM daily_aggregates WHERE dimension = 'all' AND key = '' "
        "AND pieces > 0").fetchone()[0])
    con.close()
    monday = newest - timedelta(days=newest.weekday())
    trend = client.get("/api/trend?by=all").get_json()
    # The replay publishes until 2025-06-29: a few pieces after TO are stored too.
    assert trend["filters"]["end"] == str(monday + timedelta(days=6)) >= TO
    assert sum(trend["data"]["lines"][0]["pieces"][-10:]) > 0
    planted = client.get("/?" + planted_query("2025-W24", date.fromisoformat(FROM),
                                              date.fromisoformat(TO)).split("#")[0])
    assert 'id="drill-pieces"' in planted.get_data(as_text=True)
    if not CHROMIUM.is_file():
        engine.dispose()
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with serve(app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{base}/")
        page.wait_for_selector("#trend-chart[data-rendered=true]", timeout=20_000)
        page.wait_for_selector("#tone-chart[data-rendered=true]", timeout=20_000)
        shown = page.evaluate("() => document.getElementById('trend-chart').data"
                              ".filter(t => t.mode !== 'markers')"
                              ".reduce((n, t) => n + t.y.reduce((a, b) => a + b, 0), 0)")
        axis = page.evaluate("() => document.getElementById('trend-chart')"
                             "._fullLayout.xaxis.range")
        browser.close()
    engine.dispose()
    assert shown > 0
    assert str(axis[1]).startswith(str(monday))
