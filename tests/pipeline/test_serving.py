"""The dashboard's listening port, on one socket or on several (a host name with more than
one address gives waitress's MultiSocketServer, which has no ``effective_port``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from waitress.server import MultiSocketServer, create_server

from pipeline.serving import bound_port


def _app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def test_port_of_a_single_socket_server() -> None:
    server = create_server(_app, host="127.0.0.1", port=0)
    try:
        assert not isinstance(server, MultiSocketServer)
        assert bound_port(server) == server.socket.getsockname()[1] > 0
    finally:
        server.close()


def test_port_of_a_server_on_several_sockets() -> None:
    server = create_server(_app, listen="127.0.0.1:0 127.0.0.1:0")
    try:
        assert isinstance(server, MultiSocketServer)
        assert not hasattr(server, "effective_port")  # what the dashboard used to read
        assert bound_port(server) == int(server.effective_listen[0][1]) > 0
    finally:
        server.close()
