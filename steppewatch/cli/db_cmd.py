"""`steppewatch db upgrade|status`."""

from __future__ import annotations

import click

from pipeline.config import mask_url
from pipeline.store import migrate
from steppewatch.cli.context import AppContext, pass_app


@click.group("db")
def command() -> None:
    """Create and migrate the database."""


@command.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@pass_app
def upgrade(app: AppContext, revision: str) -> None:
    """Apply the pending migrations (creates the SQLite file when needed)."""
    url = mask_url(app.settings.effective_database_url)
    before = migrate.status(app.engine())
    after = migrate.upgrade(app.engine(), revision)
    applied = len(before.pending) - len(after.pending)
    click.echo(f"{url}: {applied} migration(s) applied; now at {after.current}")


@command.command("status")
@pass_app
def status(app: AppContext) -> None:
    """Show the current revision and the migrations not yet applied (exit 3 if any)."""
    st = migrate.status(app.engine())
    click.echo(f"database: {mask_url(app.settings.effective_database_url)}")
    click.echo(f"current:  {st.current or '(empty: no migrations applied)'}")
    click.echo(f"head:     {st.head}")
    if st.up_to_date:
        click.echo("up to date")
        return
    click.echo(f"pending ({len(st.pending)}):")
    for rev, msg in st.pending:
        click.echo(f"  {rev}  {msg}")
    raise SystemExit(3)
