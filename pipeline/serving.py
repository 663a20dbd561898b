"""What the waitress server the dashboard runs on listens on."""

from __future__ import annotations

from waitress.server import BaseWSGIServer, MultiSocketServer


def bound_port(server: MultiSocketServer | BaseWSGIServer) -> int:
    """The port ``server`` listens on.

    A host name that resolves to several addresses (``localhost`` as 127.0.0.1 and ::1) gets
    one socket each, and waitress then returns a MultiSocketServer, which has no
    ``effective_port`` of its own: its first socket's port is the one to show (the same on
    every socket unless port 0 let each pick its own).
    """
    if isinstance(server, MultiSocketServer):
        return int(server.effective_listen[0][1])
    # waitress sets effective_port on every single-socket server; types-waitress omits it.
    return int(server.effective_port)  # type: ignore[attr-defined]
