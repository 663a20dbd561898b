"""`steppewatch dashboard [--host 127.0.0.1] [--port 8050]`."""

from __future__ import annotations

import socket

import click

from pipeline.config import Settings
from pipeline.profile import ProfileError, load_profile
from pipeline.store.db import check_connection
from steppewatch.cli import ports
from steppewatch.cli.context import AppContext, pass_app

DEFAULT_THREADS = 16
CONNECTION_LIMIT = 1024  # open connections (readers) before new ones wait in the backlog


@click.command("dashboard")
@click.option("--host", default=None, metavar="ADDR",
              help="Address to listen on (default: the dashboard.host setting, 127.0.0.1). "
                   "Any non-loopback address needs STEPPEWATCH_DASHBOARD__TOKEN or "
                   "STEPPEWATCH_DASHBOARD__USERNAME and __PASSWORD in the environment.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on (default: the dashboard.port setting, 8050; 0 picks a "
                   "free port and prints it). A taken port ends the command at once.")
@click.option("--threads", type=click.IntRange(1, 256), default=DEFAULT_THREADS,
              show_default=True,
              help="Requests served at once (answers are cached per query and data version, "
                   "so most take a millisecond; the rest wait on the database).")
@click.option("--profile-version", default=None,
              help="Analyses to show (default: the version of the current seed profile).")
@pass_app
def command(app: AppContext, host: str | None, port: int | None, threads: int,
            profile_version: str | None) -> None:
    """Serve the dashboard of trend counts (read-only over the database)."""
    settings = app.settings
    host = host or settings.dashboard.host
    check_host(host, settings)
    sock = ports.bind(host, settings.dashboard.port if port is None else port)
    serve(app, sock, threads=threads, profile_version=profile_version)


def check_host(host: str, settings: Settings) -> None:
    """Refuse a public address without credentials (before any port is taken)."""
    from reports.dashboard.auth import UnsafeBindError, check_bind

    try:
        check_bind(host, settings.dashboard)
    except UnsafeBindError as exc:
        raise click.ClickException(str(exc)) from exc


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(app: AppContext, sock: socket.socket, *, threads: int,
          profile_version: str | None, path: str = "") -> None:
    """Serve on a socket bound by `ports.bind` until Ctrl-C; prints the URL first.

    `path` (a query such as ``?from=...``) is appended to the printed URL.
    """
    from waitress.server import create_server

    from reports.dashboard import create_app

    settings = app.settings
    try:
        profile = load_profile(settings.profile_path)
    except (ProfileError, OSError) as exc:
        sock.close()
        raise click.ClickException(f"cannot load the seed profile: {exc}") from exc
    engine = app.engine(read_only=True)
    check_connection(engine)
    wsgi = create_app(engine, settings, profile, profile_version=profile_version)
    server = create_server(wsgi, sockets=[sock], threads=threads,
                           connection_limit=CONNECTION_LIMIT, backlog=CONNECTION_LIMIT)
    click.echo(f"steppewatch dashboard on {url_of(sock)}{path} (Ctrl-C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        engine.dispose()
