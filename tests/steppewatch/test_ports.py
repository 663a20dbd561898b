"""A taken port: one line and exit status 1 before any long work; `--port 0` picks a free
port and prints it; `demo` without --port moves on to the next free port by itself."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from steppewatch.cli import backfill_cmd, dashboard_cmd, main


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another server listens on for the duration of the test."""
    other = socket.socket()
    other.bind(("127.0.0.1", 0))
    other.listen(1)
    try:
        yield other.getsockname()[1]
    finally:
        other.close()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"STEPPEWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}",
            "STEPPEWATCH_VAR_DIR": str(tmp_path / "var"), "STEPPEWATCH_CONFIG": None, **extra}


def _no_backfill(*args, **kwargs):
    raise AssertionError("the backfill ran although the port was taken")


def test_dashboard_on_a_taken_port_says_so_in_one_line(tmp_path, taken_port):
    # No database exists: the port is checked before the database is opened.
    result = CliRunner().invoke(main, ["dashboard", "--port", str(taken_port)],
                                env=_env(tmp_path))
    assert result.exit_code == 1, result.output
    assert result.output.strip() == (f"Error: port {taken_port} is in use: pass --port, "
                                     "or stop the other server")
    assert not (tmp_path / "sw.db").exists()


def test_demo_with_a_taken_port_stops_before_the_backfill(tmp_path, taken_port, monkeypatch):
    monkeypatch.setattr(backfill_cmd, "run", _no_backfill)
    result = CliRunner().invoke(main, ["demo", "--port", str(taken_port)], env=_env(tmp_path))
    assert result.exit_code == 1, result.output
    assert f"port {taken_port} is in use: pass --port, or stop the other server" \
        in result.output
    assert "Traceback" not in result.output


def test_demo_takes_the_next_free_port_by_itself(tmp_path, taken_port, monkeypatch):
    served: list[int] = []
    monkeypatch.setattr(backfill_cmd, "run", lambda *a, **k: None)
    monkeypatch.setattr(dashboard_cmd, "serve",
                        lambda app, sock, **k: served.append(sock.getsockname()[1]))
    env = _env(tmp_path, STEPPEWATCH_DASHBOARD__PORT=str(taken_port))
    result = CliRunner().invoke(main, ["demo", "--source", "live", "--weeks", "1"], env=env)
    assert result.exit_code == 0, result.output
    assert len(served) == 1 and taken_port < served[0] < taken_port + 20
    assert f"port {taken_port} is in use: the dashboard will use port {served[0]}" \
        in result.output


def test_replay_web_on_a_taken_port_says_so_in_one_line(taken_port):
    result = CliRunner().invoke(main, ["replay", "serve", "--port", str(taken_port)])
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: port {taken_port} is in use: pass --port, "
                                     "or stop the other server")


@pytest.mark.parametrize("args,prefix", [
    (["replay", "serve", "--port", "0"], "replay web:  http://127.0.0.1:"),
    (["dashboard", "--port", "0"], "steppewatch dashboard on http://127.0.0.1:"),
])
def test_port_zero_picks_a_free_port_and_prints_it(tmp_path, args, prefix):
    env = {**os.environ, **{k: v for k, v in _env(tmp_path).items() if v is not None}}
    env.pop("STEPPEWATCH_CONFIG", None)
    if args[0] == "dashboard":
        subprocess.run([sys.executable, "-m", "steppewatch.cli", "db", "upgrade"], env=env,
                       cwd=tmp_path, check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen([sys.executable, "-m", "steppewatch.cli", *args], env=env,
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith(prefix), line + proc.stderr.read()
        port = int(line[len(prefix):].split("/")[0])
        assert port > 0
        with socket.create_connection(("127.0.0.1", port), timeout=10):
            pass  # it listens on the port it printed
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_demo_ends_with_the_planted_week_brief_and_dashboard_url(tmp_path, monkeypatch):
    served: list[int] = []
    monkeypatch.setattr(backfill_cmd, "run", lambda *a, **k: None)
    monkeypatch.setattr(dashboard_cmd, "serve",
                        lambda app, sock, **k: served.append(sock.getsockname()[1]))
    result = CliRunner().invoke(main, ["demo", "--port", "0"], env=_env(tmp_path))
    assert result.exit_code == 0, result.output
    outbox = (tmp_path / "var" / "outbox").resolve()
    lines = result.output.splitlines()
    assert f"  planted week: {outbox}/digest-2025-W24-preview.html (rise of Turkey coverage, " \
           "turn to alarm toward Russia and the CSTO)" in lines
    assert lines[-1] == (f"  planted week on the dashboard: http://127.0.0.1:{served[0]}/"
                         "?from=2025-04-07&to=2025-06-29&by=partner&at=2025-06-09#articles")
