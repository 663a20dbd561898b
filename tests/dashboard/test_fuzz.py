"""Hostile and clumsy requests: every malformed request is a 400 with a message, never a
500; a store that is not a database gives a clear error page."""

from __future__ import annotations

import base64
import dataclasses
import random
from urllib.parse import quote

import pytest

from pipeline.config import DashboardSettings
from pipeline.profile import load_profile
from pipeline.store.db import make_engine
from reports.dashboard import create_app
from reports.dashboard.params import NAMES
from tests.dashboard.builders import PV, settings, write_store

PATHS = ("/", "/api/trend", "/api/tone", "/api/articles", "/api/entities", "/api/flags",
         "/api/health", "/export/trend.csv", "/export/articles.json", "/api/nope",
         "/export/trend.xml")
EXTREME = ["0001-01-01", "9999-12-31", "1900-01-01", "2999-12-31", "1899-12-31",
           "3000-01-01", "2025-02-30", "2025-13-01", "２０２５-０１-０１", "2025-1-1", "", " ",
           "%C2%B2", "²", "0", "-1", "99999999999999999999", "1e9", "1000", "1001", "NaN",
           "week", "day", "all", "topic", "partner", "turkey", "TUR", "ru", "<script>",
           "' OR 1=1 --", "..%2F..%2Fetc%2Fpasswd", "%00", "%FF%FE", "%ED%A0%80", "a" * 5000,
           "2025-06-09", "2025-06-15"]


def _value(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return quote(rng.choice(EXTREME), safe="%")
    if kind < 0.7:
        return quote("".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 12))))
    if kind < 0.85:
        return f"{rng.randint(0, 9999):04d}-{rng.randint(0, 19):02d}-{rng.randint(0, 39):02d}"
    return str(rng.choice([0, -1, 1, 2, 10**6, 2**63, -(2**63)]))


@pytest.fixture
def client(engine, db_url):
    write_store(engine)
    ro = make_engine(db_url, read_only=True)
    app = create_app(ro, settings(), load_profile(), profile_version=PV, inline_flags=True)
    yield app.test_client()
    ro.dispose()


def test_known_bad_requests_are_400(client):
    for query in ("from=0001-01-01&to=9999-12-31", "to=0001-01-01", "page=%C2%B2",
                  "from=9999-12-31", "at=0001-01-01", "page=99999999999999999999999"):
        resp = client.get(f"/api/trend?{query}")
        assert resp.status_code == 400, (query, resp.data[:300])
        assert resp.get_json()["error"] == "bad_request"
        assert client.get(f"/?{query}").status_code == 400


def test_random_and_extreme_parameters_never_give_500(client):
    rng = random.Random(18)
    names = [*sorted(NAMES), "token", "nope", "FROM", ""]
    statuses = set()
    for _ in range(400):
        params = [f"{quote(rng.choice(names))}={_value(rng)}"
                  for _ in range(rng.randint(0, 5))]
        url = f"{rng.choice(PATHS)}?{'&'.join(params)}"
        resp = client.get(url)
        statuses.add(resp.status_code)
        assert resp.status_code in (200, 400, 404), (url, resp.status_code, resp.data[:300])
    assert {200, 400} <= statuses


def test_hostile_authorization_headers_are_401_not_500(engine, db_url):
    write_store(engine)
    ro = make_engine(db_url, read_only=True)
    cfg = dataclasses.replace(settings(), dashboard=DashboardSettings(username="analyst",
                                                                       password="pw"))
    c = create_app(ro, cfg, load_profile(), profile_version=PV, inline_flags=True).test_client()
    for header in ("Basic ÄÖÜ", "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
                   "Basic !!!", "Bearer ", "Basic", "Basic " + "A" * 10000):
        assert c.get("/api/health", headers={"Authorization": header}).status_code == 401
    ro.dispose()


def test_a_store_that_is_not_a_database_gives_a_clear_page(tmp_path):
    path = tmp_path / "steppewatch.db"
    path.write_bytes(b"definitely not SQLite\n" * 200)
    ro = make_engine(f"sqlite:///{path}", read_only=True)
    app = create_app(ro, settings(), load_profile(), profile_version=PV, inline_flags=True)
    c = app.test_client()
    page = c.get("/")
    assert page.status_code == 503
    assert "not an SQLite database" in page.get_data(as_text=True)
    api = c.get("/api/trend")
    assert api.status_code == 503 and "not an SQLite database" in api.get_json()["message"]
    ro.dispose()
