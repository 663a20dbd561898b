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

import importlib  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402

import click  # noqa: E402
from sqlalchemy.exc import SQLAlchemyError  # noqa: E402

from pipeline.config import ConfigError  # noqa: E402
from pipeline.store.db import StoreError, database_problem  # noqa: E402
from steppewatch import __version__  # noqa: E402
from steppewatch.cli.context import AppContext  # noqa: E402

EXPECTED_ERRORS: tuple[type[Exception], ...] = (ConfigError, StoreError)


# Command name -> module in this package. A command's module is imported only when that
# command runs (or help lists it), as click's documentation shows for large CLIs: `analyze`
# must not pay for the digest's mail, charts and matplotlib before it reads its first line.
COMMANDS = {
    "config": "config_cmd", "db": "db_cmd", "outlets": "outlets_cmd", "crawl": "crawl_cmd",
    "replay": "replay_cmd", "seeds": "seeds_cmd", "import": "import_cmd",
    "analyze": "analyze_cmd", "process": "process_cmd", "backfill": "backfill_cmd",
    "digest": "digest_cmd", "dashboard": "dashboard_cmd", "demo": "demo_cmd",
}


class _Group(click.Group):
    """Loads commands on first use; turns expected errors into a message and exit status 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module = importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}")
            self.add_command(module.command, cmd_name)
        return super().get_command(ctx, cmd_name)

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
