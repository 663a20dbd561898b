"""The `steppewatch` command: thin wrappers over library functions.

Expected failures (bad configuration, unreachable database, failed migration) print one
clear line on stderr and exit 1; usage errors exit 2; nothing expected shows a traceback.
"""

from __future__ import annotations

import os

# The numeric libraries behind natasha spawn a thread pool per process; on a small machine
# running several workers that oversubscribes the cores (measured: 784 ms vs 164 ms per
# article). Set before numpy is first imported; an operator's own setting wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import logging  # noqa: E402
import sys  # noqa: E402

import click  # noqa: E402
from sqlalchemy.exc import SQLAlchemyError  # noqa: E402

from pipeline import __version__  # noqa: E402
from pipeline.cli.context import AppContext  # noqa: E402
from pipeline.config import ConfigError  # noqa: E402
from pipeline.store.db import StoreError, database_problem  # noqa: E402

EXPECTED_ERRORS: tuple[type[Exception], ...] = (ConfigError, StoreError)


class _Group(click.Group):
    """Turns expected errors into a message and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except EXPECTED_ERRORS as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(1)
        except SQLAlchemyError as exc:  # the database failed under a command: one line
            click.secho(f"error: {database_problem(exc)}", fg="red", err=True)
            ctx.exit(1)
        except OSError as exc:  # an unwritable var/ or outbox, a full disk: one line
            where = f": {exc.filename}" if exc.filename else ""
            click.secho(f"error: {exc.strerror or exc}{where}", fg="red", err=True)
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
    from pipeline.cli import (
        analyze_cmd,
        backfill_cmd,
        config_cmd,
        crawl_cmd,
        dashboard_cmd,
        db_cmd,
        demo_cmd,
        digest_cmd,
        import_cmd,
        outlets_cmd,
        process_cmd,
        replay_cmd,
        seeds_cmd,
    )

    for module in (config_cmd, db_cmd, outlets_cmd, crawl_cmd, replay_cmd, seeds_cmd,
                   import_cmd, analyze_cmd, process_cmd, backfill_cmd, digest_cmd,
                   dashboard_cmd, demo_cmd):
        main.add_command(module.command)


_register()
