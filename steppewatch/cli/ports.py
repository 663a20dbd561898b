"""Claiming a listening port before any long work, with one clear line when it is taken.

The dashboard and the replay web bind their socket first and serve on that very socket
later, so `steppewatch demo` learns of a taken port before its backfill, not after, and no
other program can take the port in between.
"""

from __future__ import annotations

import errno
import socket

import click

FREE_PORT_TRIES = 20  # `demo` tries the configured port and the next 19


class PortInUse(click.ClickException):
    """The port is taken by another server (exit status 1, one line)."""

    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} is in use: pass --port, or stop the other server")
        self.port = port


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound (not yet listening) to host:port; port 0 takes a free one."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc.strerror}") from exc
    # "localhost" may resolve to ::1 first; the URL people type is the IPv4 one.
    infos.sort(key=lambda info: info[0] != socket.AF_INET)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    # As waitress and http.server do: a port left in TIME_WAIT by a stopped server is free,
    # a port another server listens on is not.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(port) from exc
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def bind_first_free(host: str, port: int, tries: int = FREE_PORT_TRIES) -> socket.socket:
    """Bind `port`, or the next free one among the following `tries - 1` ports."""
    for candidate in range(port, min(port + tries, 65536)):
        try:
            return bind(host, candidate)
        except PortInUse:
            continue
    last = min(port + tries, 65536) - 1
    raise click.ClickException(
        f"ports {port} to {last} are all in use: pass --port (0 picks any free port), "
        "or stop the other servers")


def bound_port(sock: socket.socket) -> int:
    return int(sock.getsockname()[1])
