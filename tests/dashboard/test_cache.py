"""Answers cached per query and data version: a repeated view is served from memory, and a
rebuild of the aggregates (what `process` does) or a recorded digest makes it fresh again."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import text

from pipeline import aggregates
from pipeline.profile import load_profile
from pipeline.store.db import session_scope
from reports.dashboard import create_app
from tests.dashboard.builders import LAST, PV, WEEKS, settings, write_store

URL = f"/api/trend?from={WEEKS[0].monday}&to={LAST.sunday}&by=all"


def _total(resp) -> int:
    assert resp.status_code == 200
    return sum(sum(line["pieces"]) for line in resp.get_json()["data"]["lines"])


def test_repeated_views_are_cached_until_the_aggregates_change(engine):
    write_store(engine)
    app = create_app(engine, settings(), load_profile(), profile_version=PV, inline_flags=True)
    app.extensions["steppewatch_cache"]._check_every = 0.0  # look at the version every time
    c = app.test_client()
    before = _total(c.get(URL))  # (computes the flags of its weeks: a new flags generation)
    assert _total(c.get(URL)) == before > 0
    # A change behind the dashboard's back (no version bump) is not seen: the answer is cached.
    with engine.begin() as conn:
        conn.execute(text("UPDATE daily_aggregates SET pieces = pieces + 1 "
                          "WHERE dimension = 'all' AND key = ''"))
    assert _total(c.get(URL)) == before
    assert c.get(URL + "&lang=ru").status_code == 200  # another query: computed
    # A rebuild, as `process` makes it, bumps the version: the view is computed again.
    with session_scope(engine) as s:
        aggregates.rebuild(s, profile_version=PV, days=[WEEKS[0].monday],
                           tz=ZoneInfo("Asia/Almaty"))
    after = _total(c.get(URL))
    assert after != before


def test_a_recorded_digest_refreshes_the_cache(engine):
    write_store(engine)
    app = create_app(engine, settings(), load_profile(), profile_version=PV, inline_flags=True)
    cache = app.extensions["steppewatch_cache"]
    cache._check_every = 0.0
    first = cache.version()
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO digests (week, period_start, period_end, profile_version, status, "
            "subject, recipients, html, text, summary, rendered_at, attempts) VALUES "
            "('2025-W01', '2024-12-29 19:00:00', '2025-01-05 19:00:00', :pv, 'sent', '', "
            "'[]', '', '', '{}', '2025-01-06 03:00:00', 1)"), {"pv": PV})
    assert cache.version() != first
