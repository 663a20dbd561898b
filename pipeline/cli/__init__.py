"""The `steppewatch` command: thin wrappers over library functions.

Expected failures (bad configuration, unreachable database, failed migration) print one
clear line on stderr and exit 1; usage errors exit 2; nothing expected shows a traceback.
"""

from __future__ import annotations

import logging
import sys

import click

from pipeline import __version__
from pipeline.cli.context import AppContext
from pipeline.config import ConfigError
from pipeline.store.db import StoreError

EXPECTED_ERRORS: tuple[type[Exception], ...] = (ConfigError, StoreError)


class _Group(click.Group):
    """Turns expected errors into a message and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except EXPECTED_ERRORS as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              envvar="STEPPEWATCH_CONFIG", help="Settings file (default: ./steppewatch.toml).")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug).")
@click.version_option(__version__, prog_name="steppewatch")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """steppewatch: weekly shifts in Russian- and Kazakh-language coverage of
    Kazakhstan's defence ties."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = AppContext(config_path=config_path)


def _register() -> None:
    from pipeline.cli import config_cmd, db_cmd

    for module in (config_cmd, db_cmd):
        main.add_command(module.command)


_register()
