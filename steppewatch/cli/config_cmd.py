"""`steppewatch config show`."""

from __future__ import annotations

import json

import click

from steppewatch.cli.context import AppContext, pass_app


@click.group("config")
def command() -> None:
    """Inspect the effective settings."""


@command.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of TOML-like text.")
@pass_app
def show(app: AppContext, as_json: bool) -> None:
    """Print the effective settings, secrets masked, and where they came from."""
    values = app.settings.to_dict(mask_secrets=True)
    if as_json:
        click.echo(json.dumps(values, ensure_ascii=False, indent=2))
        return
    click.echo(f"# sources: {', '.join(app.settings.source)}")
    flat = {k: v for k, v in values.items() if not isinstance(v, dict)}
    for key, value in flat.items():
        click.echo(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    for section, sub in values.items():
        if isinstance(sub, dict):
            click.echo(f"\n[{section}]")
            for key, value in sub.items():
                click.echo(f"{key} = {json.dumps(value, ensure_ascii=False)}")
