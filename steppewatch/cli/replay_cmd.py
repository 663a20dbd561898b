"""`steppewatch replay serve`: the offline replay web in the foreground."""

from __future__ import annotations

import signal

import click

from replayweb import ReplayServer
from steppewatch.cli import ports


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.group("replay")
def command() -> None:
    """The replay web: synthetic outlets on a local server, for trying the crawler offline."""


@command.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0 picks a free one and prints it).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; keep 127.0.0.1 unless you know why not.")
@click.option("--faults", is_flag=True,
              help="List the fault outlet sim_faulty in the manifest (its /faults/ URLs are "
                   "always served).")
@click.option("--slow-delay", type=click.FloatRange(0), default=20.0, show_default=True,
              help="Seconds /faults/slow waits before answering.")
def serve(port: int, host: str, faults: bool, slow_delay: float) -> None:
    """Serve the replay web until Ctrl-C; prints its URL and the manifest URL."""
    sock = ports.bind(host, port)  # a taken port: one line and exit 1, before the corpus
    server = ReplayServer(host=host, faults=faults, slow_delay=slow_delay, sock=sock).start()
    # SIGTERM (e.g. from `make demo` cleanup) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    click.echo(f"replay web:  {server.url}/")
    click.echo(f"manifest:    {server.manifest_url}")
    click.echo(f"crawl it:    steppewatch crawl --replay {server.url}")
    click.echo("faults:      " + ("in the manifest (sim_faulty)" if faults else
                                  f"{server.url}/faults/ (not in the manifest)"))
    click.echo("Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo("replay web stopped.")
