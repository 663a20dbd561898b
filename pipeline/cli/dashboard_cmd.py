"""`steppewatch dashboard [--host 127.0.0.1] [--port 8050]`."""

from __future__ import annotations

import click

from pipeline.cli.context import AppContext, pass_app
from pipeline.profile import ProfileError, load_profile
from pipeline.store.db import check_connection

DEFAULT_THREADS = 16
CONNECTION_LIMIT = 1024  # open connections (readers) before new ones wait in the backlog


@click.command("dashboard")
@click.option("--host", default=None, metavar="ADDR",
              help="Address to listen on (default: the dashboard.host setting, 127.0.0.1). "
                   "Any non-loopback address needs STEPPEWATCH_DASHBOARD__TOKEN or "
                   "STEPPEWATCH_DASHBOARD__USERNAME and __PASSWORD in the environment.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on (default: the dashboard.port setting, 8050).")
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
    from waitress.server import create_server

    from pipeline.serving import bound_port
    from reports.dashboard import create_app
    from reports.dashboard.auth import UnsafeBindError, check_bind

    settings = app.settings
    host = host or settings.dashboard.host
    port = settings.dashboard.port if port is None else port
    try:
        check_bind(host, settings.dashboard)
    except UnsafeBindError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        profile = load_profile(settings.profile_path)
    except (ProfileError, OSError) as exc:
        raise click.ClickException(f"cannot load the seed profile: {exc}") from exc
    engine = app.engine(read_only=True)
    check_connection(engine)
    wsgi = create_app(engine, settings, profile, profile_version=profile_version)
    server = create_server(wsgi, host=host, port=port, threads=threads,
                           connection_limit=CONNECTION_LIMIT, backlog=CONNECTION_LIMIT)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"steppewatch dashboard on http://{shown}:{bound_port(server)}/ "
               "(Ctrl-C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        engine.dispose()
