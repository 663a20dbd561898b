"""The dashboard's endpoints on SQLite and PostgreSQL (opened read-only): numbers equal to the
aggregates, drill-downs equal to the points, exports equal to the JSON, strict parameters,
escaping and access control."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from pipeline.config import DashboardSettings, Settings
from pipeline.profile import load_profile
from pipeline.store.db import make_engine
from reports.dashboard import create_app
from reports.dashboard.auth import UnsafeBindError, check_bind
from tests.dashboard.builders import (
    LAST,
    PV,
    TURKEY_LAST,
    WEEKS,
    XSS_TITLE,
    agg_sum,
    settings,
    write_store,
)

RANGE = f"from={WEEKS[0].monday}&to={LAST.sunday}"


@pytest.fixture
def client(engine, db_url):
    write_store(engine)
    ro = make_engine(db_url, read_only=True)
    app = create_app(ro, settings(), load_profile(), profile_version=PV, inline_flags=True)
    yield app.test_client(), engine
    ro.dispose()


def _data(resp) -> dict:
    assert resp.status_code == 200, resp.data
    return resp.get_json()["data"]


def test_trend_by_topic_equals_the_aggregates(client):
    c, engine = client
    data = _data(c.get(f"/api/trend?{RANGE}&by=topic"))
    assert data["periods"] == [str(w.monday) for w in WEEKS]
    lines = {ln["key"]: ln for ln in data["lines"]}
    assert set(lines) == {"turkey", "csto_russia", "uk_cooperation"}
    for key, ln in lines.items():
        for w, pieces, copies in zip(WEEKS, ln["pieces"], ln["copies"], strict=True):
            assert pieces == agg_sum(engine, first=w.monday, last=w.sunday, dimension="topic",
                                     key=key)
            assert copies == agg_sum(engine, first=w.monday, last=w.sunday, dimension="topic",
                                     key=key, field_name="copies")
    assert lines["turkey"]["pieces"][-1] == TURKEY_LAST and lines["turkey"]["copies"][-1] == 6


def test_filters_narrow_the_counts(client):
    c, engine = client
    kz = ["kazinform", "vlast"]
    data = _data(c.get(f"/api/trend?{RANGE}&by=lang&topic=turkey&grain=day&lang=kk"))
    assert [ln["key"] for ln in data["lines"]] == ["kk"]
    assert sum(data["lines"][0]["pieces"]) == agg_sum(
        engine, first=WEEKS[0].monday, last=LAST.sunday, dimension="topic", key="turkey",
        lang="kk")
    groups = _data(c.get(f"/api/trend?{RANGE}&by=group&partner=TUR"))
    got = {ln["key"]: sum(ln["pieces"]) for ln in groups["lines"]}
    assert got["kz_state"] == agg_sum(engine, first=WEEKS[0].monday, last=LAST.sunday,
                                      dimension="partner", key="TUR", outlet_id="kazinform")
    only_kz = _data(c.get(f"/api/trend?{RANGE}&by=all&group=kz_independent"))
    assert sum(only_kz["lines"][0]["pieces"]) == agg_sum(
        engine, first=WEEKS[0].monday, last=LAST.sunday, outlet_ids=kz[1:])


def test_tone_per_partner_is_the_mean_of_the_aggregates(client):
    c, engine = client
    data = _data(c.get(f"/api/tone?{RANGE}"))
    rus = next(ln for ln in data["lines"] if ln["key"] == "RUS")
    w = WEEKS[2]
    n = agg_sum(engine, first=w.monday, last=w.sunday, dimension="partner", key="RUS",
                field_name="tone_n")
    with engine.connect() as conn:
        total = conn.execute(text(
            "SELECT sum(polarity_sum) FROM daily_aggregates WHERE dimension = 'partner' "
            "AND key = 'RUS' AND day BETWEEN :a AND :b"), {"a": w.monday, "b": w.sunday}).scalar()
    assert rus["n"][2] == n and rus["polarity"][2] == pytest.approx(total / n, abs=1e-4)


def test_drill_down_lists_exactly_the_point(client):
    c, engine = client
    data = _data(c.get(f"/api/articles?{RANGE}&by=topic&at={LAST.monday}&series=turkey"))
    assert data["pieces"] == TURKEY_LAST == agg_sum(engine, first=LAST.monday, last=LAST.sunday,
                                          dimension="topic", key="turkey")
    assert data["copies"] == 6
    folded = [s for s in data["stories"] if s["copies"]]
    assert len(folded) == 3 and all(len(s["copies"]) == 2 for s in folded)
    assert {c["outlet_id"] for s in folded for c in s["copies"]} == {"ria", "tg-kz"}
    assert all(s["head"]["first_copy"] for s in data["stories"])
    first = data["stories"][0]["head"]
    assert first["sentences"][0].startswith("Доказательство")
    assert first["topics"] == ["Turkey and Turkish arms"]


def test_exports_match_the_json(client):
    c, _ = client
    q = f"{RANGE}&by=topic&at={LAST.monday}&series=turkey"
    js = json.loads(c.get(f"/export/articles.json?{q}").data)["data"]
    resp = c.get(f"/export/articles.csv?{q}")
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(resp.data.decode())))
    assert [int(r["article_id"]) for r in rows] == [
        a["id"] for s in js["stories"] for a in [s["head"], *s["copies"]]]
    trend = json.loads(c.get(f"/export/trend.json?{RANGE}").data)["data"]
    trows = list(csv.DictReader(io.StringIO(c.get(f"/export/trend.csv?{RANGE}").data.decode())))
    assert sum(int(r["pieces"]) for r in trows) == sum(sum(ln["pieces"]) for ln in trend["lines"])
    for name in ("tone", "entities", "health", "shifts"):
        assert c.get(f"/export/{name}.csv?{RANGE}").status_code == 200


def test_untrusted_text_is_escaped_and_bad_links_dropped(client):
    c, _ = client
    page = c.get(f"/?{RANGE}&by=topic&at={LAST.monday}&series=uk_cooperation").data.decode()
    assert XSS_TITLE not in page and "<script>window.__xss" not in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page
    assert "javascript:alert" not in page
    assert "HTTP 503 &lt;b&gt;down&lt;/b&gt;" in page  # crawl errors are crawled text too
    csv_text = c.get(f"/export/articles.csv?{RANGE}&by=topic&at={LAST.monday}"
                     "&series=uk_cooperation").data.decode()
    assert XSS_TITLE.replace('"', '""') in csv_text  # exports carry the text unchanged


@pytest.mark.parametrize(("query", "message"), [
    ("from=2025-13-01", "'from' must be a date as YYYY-MM-DD"),
    ("from=2025-06-10&to=2025-06-01", "is after 'to'"),
    ("grain=month", "'grain' must be one of week, day"),
    ("topic=nope", "unknown topic 'nope'"),
    ("partner=%3Cscript%3E", "'partner' is malformed"),
    ("lang=de", "unknown lang 'de'"),
    ("page=0", "'page' must be a whole number"),
    ("by=topic&series=turkey", "'series' needs 'at'"),
    ("topic=turkey&topic=drones", "given 2 times"),
    ("sort=1", "unknown parameter 'sort'"),
    ("from=2020-01-01&to=2025-06-01", "longer than"),
    ("by=topic&partner=TUR", "topics and partners cannot be combined"),
])
def test_malformed_parameters_are_refused(client, query, message):
    c, _ = client
    resp = c.get(f"/api/trend?{query}")
    assert resp.status_code == 400
    assert resp.get_json()["error"] == "bad_request"
    assert message in resp.get_json()["message"]


def test_malformed_parameters_on_the_page_and_unknown_exports(client):
    c, _ = client
    resp = c.get("/?to=yesterday%3Cb%3E")
    assert resp.status_code == 400
    assert "&#39;to&#39; must be a date" in resp.data.decode() and "<b>" not in resp.data.decode()
    assert c.get("/export/trend.xlsx").status_code == 400
    assert c.get("/api/passwords").status_code == 400


def test_the_engine_is_read_only(client, db_url):
    ro = make_engine(db_url, read_only=True)
    with pytest.raises(DBAPIError), ro.begin() as conn:
        conn.execute(text("DELETE FROM daily_aggregates"))
    ro.dispose()


def test_security_headers(client):
    c, _ = client
    resp = c.get("/")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_credentials_are_required_off_loopback(engine):
    check_bind("127.0.0.1", DashboardSettings())
    check_bind("::1", DashboardSettings())
    with pytest.raises(UnsafeBindError, match="STEPPEWATCH_DASHBOARD__TOKEN"):
        check_bind("0.0.0.0", DashboardSettings())
    check_bind("0.0.0.0", DashboardSettings(token="t0ken"))
    check_bind("10.0.0.5", DashboardSettings(username="u", password="p"))
    with pytest.raises(UnsafeBindError):
        check_bind("10.0.0.5", DashboardSettings(username="u"))  # a user without password


def test_token_and_basic_auth(engine):
    write_store(engine)
    cfg = Settings(dashboard=DashboardSettings(token="s3cret", username="ana", password="pw"))
    c = create_app(engine, cfg, load_profile(), profile_version=PV).test_client()
    assert c.get("/api/health").status_code == 401
    assert c.get("/api/health", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert c.get("/api/health", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/api/health", auth=("ana", "pw")).status_code == 200
    assert c.get("/api/health", auth=("ana", "nope")).status_code == 401
    resp = c.get("/api/health?token=s3cret&by=lang")
    assert resp.status_code == 303 and resp.headers["Location"] == "/api/health?by=lang"
    assert "HttpOnly" in resp.headers["Set-Cookie"]
    assert c.get("/api/health").status_code == 200  # the cookie now carries the session


def test_flags_of_a_stored_digest_are_shown(client):
    c, engine = client
    week = LAST.shift(-1)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO digests (week, period_start, period_end, profile_version, status, "
            "subject, recipients, html, text, summary, rendered_at, attempts) VALUES "
            "(:w, :s, :e, :pv, 'sent', 's', '[]', '', '', :summary, :s, 1)"),
            {"w": str(week), "s": week.bounds(settings().tz)[0],
             "e": week.bounds(settings().tz)[1], "pv": PV, "summary": json.dumps({"shifts": [
                 {"metric": "volume", "kind": "topic", "key": "csto_russia", "direction": "up",
                  "estimate": 2.5, "q_value": 0.01}]})})
    data = _data(c.get(f"/api/trend?{RANGE}&by=topic"))
    stored = [x for x in data["flags"] if x["week"] == str(week)]
    assert stored == [{"week": str(week), "monday": str(week.monday), "metric": "volume",
                       "kind": "topic", "key": "csto_russia", "label": stored[0]["label"],
                       "direction": "up", "estimate": 2.5, "q_value": 0.01, "source": "digest"}]
    # The last week has no stored digest: the digest's own tests flag the Turkey rise.
    computed = {(x["kind"], x["key"]) for x in data["flags"] if x["week"] == str(LAST)}
    assert ("topic", "turkey") in computed
    narrowed = _data(c.get(f"/api/trend?{RANGE}&by=topic&lang=ru"))
    assert narrowed["flags"] == []  # flags belong to the unfiltered series
    assert _data(c.get(f"/api/trend?from={LAST.monday - timedelta(days=7)}&to={LAST.sunday}"
                       "&grain=day"))["flags"] == []


def test_flags_are_computed_in_the_background_by_default(engine):
    write_store(engine)
    c = create_app(engine, settings(), load_profile(), profile_version=PV).test_client()
    first = _data(c.get(f"/api/shifts?{RANGE}"))
    assert str(LAST) in first["pending"]  # the request did not wait for the digest's tests
    assert "being computed" in c.get(f"/?{RANGE}").data.decode()
    deadline = time.monotonic() + 30
    while (data := _data(c.get(f"/api/shifts?{RANGE}")))["pending"]:
        assert time.monotonic() < deadline, data
        time.sleep(0.1)
    assert ("topic", "turkey") in {(x["kind"], x["key"]) for x in data["items"]}
