"""The command line: every command documented, expected failures without tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner

from pipeline.store.migrate import alembic_config
from steppewatch.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # loads lazily registered commands
        cmd = group.get_command(ctx, name)
        assert cmd is not None, f"steppewatch {' '.join((*prefix, name))} does not load"
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path,cmd", list(_commands(main)), ids=lambda x: " ".join(x)
                         if isinstance(x, tuple) else "")
def test_every_command_has_help(path, cmd):
    assert cmd.help and cmd.help.strip(), f"steppewatch {' '.join(path)} lacks a docstring"
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    for param in cmd.params:
        if isinstance(param, click.Option):
            assert param.help, f"option {param.name} of {' '.join(path)} lacks help"


def test_every_command_is_listed_and_loads_only_when_used():
    from steppewatch.cli import COMMANDS

    assert len(list(_commands(main))) > len(COMMANDS)  # groups' subcommands too
    # A fresh interpreter running `analyze --help` imports neither the digest nor matplotlib.
    code = ("import sys; from steppewatch.cli import main\n"
            "try:\n    main(['analyze', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('matplotlib', 'reports.mail', 'reports.dashboard.app',"
            " 'scrapy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("[]"), out


def test_db_upgrade_and_status(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    env = {"STEPPEWATCH_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    shipped = len(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    r = runner.invoke(main, ["db", "status"], env=env)
    assert r.exit_code == 3 and f"pending ({shipped})" in r.output
    r = runner.invoke(main, ["db", "upgrade"], env=env)
    assert r.exit_code == 0 and f"{shipped} migration(s) applied" in r.output
    r = runner.invoke(main, ["db", "status"], env=env)
    assert r.exit_code == 0 and "up to date" in r.output


def test_config_show_masks_secrets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"STEPPEWATCH_SMTP__PASSWORD": "topsecret",
           "STEPPEWATCH_DATABASE_URL": "postgresql+psycopg://sw:dbsecret@db:5432/sw"}
    r = CliRunner().invoke(main, ["config", "show"], env=env)
    assert r.exit_code == 0
    assert "topsecret" not in r.output and "dbsecret" not in r.output
    assert "********" in r.output and "Asia/Almaty" in r.output


@pytest.mark.parametrize("url,message", [
    ("not a url", "not a database URL"),
    ("postgresql+psycopg://nobody@127.0.0.1:9/none", "cannot reach the database"),
    ("mysql://x@h/d", "unsupported database"),
])
def test_expected_failures_exit_1_without_traceback(tmp_path, url, message):
    proc = subprocess.run([sys.executable, "-m", "steppewatch.cli", "db", "status"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "STEPPEWATCH_DATABASE_URL": url})
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_usage_error_exits_2():
    assert CliRunner().invoke(main, ["db", "frobnicate"]).exit_code == 2
