"""The replay web's HTTP server: one ThreadingHTTPServer on 127.0.0.1 for every outlet.

Delivery is done here once for every route: conditional GET (ETag, Last-Modified, 304),
gzip when the client accepts it, and the delivery faults a route asks for (delay, short
read, streamed oversized body). Every request is logged so tests can assert, for instance,
that a robots-disallowed URL was never fetched.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from replayweb import faults as fault_routes
from replayweb import manifest, plan
from replayweb.corpus import build_corpus
from replayweb.outlets import OUTLETS
from replayweb.reply import Reply, html, not_found
from replayweb.site import Site
from replayweb.truth import ground_truth

ROBOTS = """# steppewatch replay web (synthetic). Crawlers welcome, except:
User-agent: *
Disallow: /o/sim_rubezh/private/
Disallow: /faults/robots/
"""
SERVER_EPOCH = datetime(2025, 6, 29, 18, 0, tzinfo=UTC)  # Last-Modified of static documents


@dataclass(frozen=True, kw_only=True)
class Hit:
    method: str
    path: str           # with the query string
    status: int
    user_agent: str


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: crawlers reuse connections
    server_version = "steppewatch-replay/1"
    replay: ReplayServer  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:  # quiet; requests are in .hits
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, *, head: bool) -> None:
        split = urlsplit(self.path)
        try:
            reply = self.replay.route(split.path, split.query)
        except Exception as exc:  # a bug in a route must show as a 500, not a dead socket
            reply = Reply(status=500, body=f"replay error: {exc!r}".encode(), conditional=False)
        status = self._deliver(reply, head=head)
        self.replay._record(Hit(method=self.command, path=self.path, status=status,
                                user_agent=self.headers.get("User-Agent", "")))

    def _deliver(self, reply: Reply, *, head: bool) -> int:
        if reply.delay and self.replay._stopping.wait(reply.delay):
            self.close_connection = True
            return 0
        headers = dict(reply.headers)
        headers["Content-Type"] = reply.content_type
        body = reply.body
        if reply.stream is not None:
            return self._stream(reply, headers, head=head)
        if reply.conditional and reply.status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            modified = (reply.last_modified or SERVER_EPOCH).astimezone(UTC).replace(microsecond=0)
            headers["ETag"] = etag
            headers["Last-Modified"] = format_datetime(modified, usegmt=True)
            if self._not_modified(etag, modified):
                self.send_response(304)
                for k in ("ETag", "Last-Modified"):
                    self.send_header(k, headers[k])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return 304
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if reply.force_gzip or (reply.compress and accepts and len(body) > 1024):
            body = gzip.compress(body, compresslevel=5, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        length = reply.declared_length or len(body)
        self.send_response(reply.status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(length))
        if reply.declared_length:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
        return reply.status

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                return modified <= parsedate_to_datetime(ims)
            except (TypeError, ValueError):
                return False
        return False

    def _stream(self, reply: Reply, headers: dict[str, str], *, head: bool) -> int:
        self.send_response(reply.status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(reply.stream_length))
        self.end_headers()
        if head:
            return reply.status
        try:
            for chunk in reply.chunks():
                if self.replay._stopping.is_set():
                    break
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should on an oversized body
        self.close_connection = True
        return reply.status


class ReplayServer:
    """The replay web in a background thread: ``with ReplayServer() as srv: srv.url``.

    ``now`` is the replay clock: only pieces published by then are listed and served
    (default: the end of the period, Sunday 2025-06-29). ``faults`` adds the fault outlet
    to the manifest; the ``/faults/`` routes are always served. ``slow_delay`` is how long
    ``/faults/slow`` waits.
    """

    def __init__(self, *, port: int = 0, host: str = "127.0.0.1", faults: bool = False,
                 slow_delay: float = 20.0, now: datetime | None = None,
                 sock: socket.socket | None = None) -> None:
        self.host, self.port = host, port
        self._sock = sock  # bound in advance (the CLI checks the port before the corpus)
        self.faults = faults
        self.slow_delay = slow_delay
        self.now = now or plan.PERIOD_END
        self.corpus = build_corpus()
        self.site = Site(self.corpus, lambda: self.now)
        self._fault_state = fault_routes.FaultState()
        self._hits: list[Hit] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> ReplayServer:
        handler = type("ReplayHandler", (_Handler,), {"replay": self})
        if self._sock is None:
            self._httpd = ThreadingHTTPServer((self.host, self.port), handler)
        else:
            self._httpd = _on_socket(self._sock, handler)
            self._sock = None
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._stopping.clear()
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="replay-web",
                                        kwargs={"poll_interval": 0.2}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def serve_forever(self) -> None:
        """Run in the foreground until interrupted (the CLI's ``replay serve``)."""
        if self._httpd is None:
            self.start()
        assert self._thread is not None
        try:
            while self._thread.is_alive():
                self._thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def manifest_url(self) -> str:
        return self.url + "/replay/outlets.yaml"

    def ground_truth(self) -> dict:
        return ground_truth(base_url=self.url, with_faults=True)

    # -- request log ---------------------------------------------------------------------
    def _record(self, hit: Hit) -> None:
        with self._lock:
            self._hits.append(hit)

    @property
    def hits(self) -> list[Hit]:
        with self._lock:
            return list(self._hits)

    def clear_hits(self) -> None:
        with self._lock:
            self._hits.clear()

    # -- routing -------------------------------------------------------------------------
    def route(self, path: str, query: str) -> Reply:
        base = self.url
        if path == "/robots.txt":
            return Reply(body=ROBOTS.encode(), content_type="text/plain; charset=utf-8")
        if path == "/replay/outlets.yaml":
            return Reply(body=manifest.manifest_yaml(base, faults=self.faults).encode(),
                         content_type="application/yaml; charset=utf-8")
        if path == "/replay/ground_truth.json":
            body = json.dumps(self.ground_truth(), ensure_ascii=False, indent=1)
            return Reply(body=body.encode(), content_type="application/json")
        if path.startswith("/o/"):
            return self.site.route(path, query, base)
        if path.startswith(fault_routes.PREFIX):
            return fault_routes.route(path, query, base, self._fault_state, self.slow_delay)
        if path == "/":
            return html(_index(self))
        return not_found()


def _index(srv: ReplayServer) -> str:
    rows = "".join(f'<li><a href="{o.prefix}/">{o.name}</a></li>' for o in OUTLETS)
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            '<meta name="generator" content="steppewatch replay (synthetic)">'
            "<title>steppewatch replay web</title></head><body>"
            "<h1>steppewatch replay web (synthetic)</h1>"
            f"<p>Manifest: <a href='/replay/outlets.yaml'>/replay/outlets.yaml</a>; ground truth: "
            f"<a href='/replay/ground_truth.json'>/replay/ground_truth.json</a>; faults: "
            f"<a href='/faults/'>/faults/</a></p><ul>{rows}</ul></body></html>")


def _on_socket(sock: socket.socket, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A ThreadingHTTPServer listening on a socket that is already bound."""
    httpd = ThreadingHTTPServer(sock.getsockname()[:2], handler, bind_and_activate=False)
    httpd.socket.close()
    httpd.socket = sock
    httpd.server_address = sock.getsockname()
    httpd.server_name, httpd.server_port = str(httpd.server_address[0]), httpd.server_address[1]
    httpd.server_activate()
    return httpd
