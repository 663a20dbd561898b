"""The dashboard's session cookie: a value derived from the token, never the token; Secure
whenever the browser talks HTTPS, also behind a TLS-terminating proxy."""

from __future__ import annotations

import pytest

from pipeline.config import DashboardSettings, Settings, load_settings
from pipeline.profile import load_profile
from reports.dashboard import create_app
from reports.dashboard.auth import COOKIE
from tests.dashboard.builders import PV, write_store

TOKEN = "s3cret-t0ken"


def _client(engine, **dash):
    cfg = Settings(dashboard=DashboardSettings(token=TOKEN, **dash))
    return create_app(engine, cfg, load_profile(), profile_version=PV).test_client()


def _cookie(resp) -> str:
    header = resp.headers["Set-Cookie"]
    assert header.startswith(f"{COOKIE}=")
    return header


@pytest.fixture
def store(engine):
    write_store(engine)
    return engine


def test_the_cookie_carries_a_derived_value_not_the_token(store):
    c = _client(store)
    resp = c.get("/api/health?token=" + TOKEN)
    header = _cookie(resp)
    assert TOKEN not in header and "HttpOnly" in header and "SameSite=Strict" in header
    assert "Secure" not in header  # plain HTTP on loopback
    assert c.get("/api/health").status_code == 200  # the session works ...
    value = header.split(";")[0].split("=", 1)[1]
    other = _client(store)
    # ... but is no token: neither as Bearer nor as ?token=
    assert other.get("/api/health", headers={"Authorization": f"Bearer {value}"}
                     ).status_code == 401
    assert other.get(f"/api/health?token={value}").status_code == 401
    # and the raw token in the cookie is not a session.
    other.set_cookie(COOKIE, TOKEN)
    assert other.get("/api/health").status_code == 401


def test_secure_behind_a_tls_proxy_by_setting(store):
    c = _client(store, behind_tls=True)
    assert "Secure" in _cookie(c.get("/api/health?token=" + TOKEN))


def test_secure_when_a_trusted_proxy_says_https(store):
    trusted = _client(store, trusted_proxies=("127.0.0.1",))
    resp = trusted.get("/api/health?token=" + TOKEN, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in _cookie(resp)
    untrusted = _client(store, trusted_proxies=("10.0.0.1",))
    resp = untrusted.get("/api/health?token=" + TOKEN, headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in _cookie(resp)


def test_the_settings_come_from_the_environment():
    s = load_settings(env={"STEPPEWATCH_DASHBOARD__BEHIND_TLS": "true",
                           "STEPPEWATCH_DASHBOARD__TRUSTED_PROXIES": "10.0.0.1, 10.0.0.2"})
    assert s.dashboard.behind_tls and s.dashboard.trusted_proxies == ("10.0.0.1", "10.0.0.2")
