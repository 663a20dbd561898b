"""Who may see the dashboard.

On the loopback interface with no credentials configured, anyone on the machine may; bound
to any other address the server refuses to start unless a token or basic-auth credentials
come from the environment (``STEPPEWATCH_DASHBOARD__TOKEN``, or ``..._USERNAME`` and
``..._PASSWORD``). Once credentials exist they are always required.

A token is accepted as ``Authorization: Bearer <token>`` (scripts, exports) or once as
``?token=`` (a link for a browser): that sets an HttpOnly cookie and redirects to the same
address without it, so the token does not stay in the address bar or in shared links. The
cookie holds a value derived from the token (an HMAC), never the token itself: a stolen
cookie does not give the token for ``Bearer`` use or for other links. It is ``Secure`` when
the request is HTTPS, when ``dashboard.behind_tls`` says a proxy terminates TLS, or when
``X-Forwarded-Proto: https`` comes from an address in ``dashboard.trusted_proxies``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
from urllib.parse import urlencode

from flask import Request, redirect
from werkzeug.wrappers import Response

from pipeline.config import DashboardSettings

COOKIE = "steppewatch_token"


class UnsafeBindError(RuntimeError):
    """Binding to a non-loopback address without credentials."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere: treat it as public


def check_bind(host: str, cfg: DashboardSettings) -> None:
    if is_loopback(host) or cfg.token or (cfg.username and cfg.password):
        return
    raise UnsafeBindError(
        f"refusing to serve on {host}: a non-loopback address needs credentials from the "
        "environment: STEPPEWATCH_DASHBOARD__TOKEN, or STEPPEWATCH_DASHBOARD__USERNAME and "
        "STEPPEWATCH_DASHBOARD__PASSWORD")


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"),
                               expected.encode("utf-8", "surrogatepass"))


def session_value(token: str) -> str:
    """What the cookie carries: derived from the token, useless as a token."""
    return hmac.new(token.encode("utf-8", "surrogatepass"), b"steppewatch dashboard session",
                    hashlib.sha256).hexdigest()


def over_tls(request: Request, cfg: DashboardSettings) -> bool:
    if request.is_secure or cfg.behind_tls:
        return True
    proto = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return proto == "https" and (request.remote_addr or "") in cfg.trusted_proxies


def guard(request: Request, cfg: DashboardSettings) -> Response | None:
    """None if the request may proceed, else the response to send instead."""
    if not cfg.token and not (cfg.username and cfg.password):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if cfg.token:
        if scheme.lower() == "bearer" and _same(value.strip(), cfg.token):
            return None
        if _same(request.cookies.get(COOKIE, ""), session_value(cfg.token)):
            return None
        given = request.args.get("token")
        if given is not None and _same(given, cfg.token):
            rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
            target = request.path + (f"?{urlencode(rest)}" if rest else "")
            resp = redirect(target, code=303)
            resp.set_cookie(COOKIE, session_value(cfg.token), httponly=True,
                            samesite="Strict", secure=over_tls(request, cfg))
            return resp
    if cfg.username and cfg.password and scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value.strip()).decode().partition(":")
        except (binascii.Error, ValueError):  # bad base64, non-ASCII header, not UTF-8
            user, password = "", ""
        if _same(user, cfg.username) and _same(password, cfg.password):
            return None
    resp = Response("authentication required\n", status=401, mimetype="text/plain")
    if cfg.username and cfg.password:
        resp.headers["WWW-Authenticate"] = 'Basic realm="steppewatch", charset="UTF-8"'
    return resp
