"""Secrets: a password in the settings file is refused wherever it sits; every printed URL
is masked; what a dead crawl leaves (its job file, its ``running`` rows) is cleaned up by the
next one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from crawlers.runner import JOB_PREFIX, remove_stale_jobs
from crawlers.runs import mark_interrupted
from pipeline.config import ConfigError, load_settings, mask_url
from pipeline.store.articles import save_outlets
from pipeline.store.db import session_scope
from pipeline.store.models import CrawlRun
from tests.store.factories import OUTLETS


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://sw:hunter2@db:5432/sw",
    "postgresql+psycopg://sw@db:5432/sw?password=hunter2",
    "postgresql+psycopg://db/sw?sslmode=require&PassWord=hunter2",
])
def test_a_password_in_the_files_database_url_is_refused(tmp_path, url):
    path = tmp_path / "steppewatch.toml"
    path.write_text(f'database_url = "{url}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="carries a password") as err:
        load_settings(path, env={})
    assert "hunter2" not in str(err.value)
    # The same URL from the environment is fine.
    assert load_settings(env={"STEPPEWATCH_DATABASE_URL": url}).database_url == url


def test_a_file_url_without_password_is_accepted(tmp_path):
    path = tmp_path / "steppewatch.toml"
    path.write_text('database_url = "postgresql+psycopg://sw@db:5432/sw?sslmode=require"\n',
                    encoding="utf-8")
    assert load_settings(path, env={}).database_url.endswith("sslmode=require")


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://sw:hunter2@db:5432/sw",
    "postgresql+psycopg://sw:hun@ter:2@db/sw",
    "postgresql+psycopg://sw:h%40nter2@db/sw?application_name=x",
    "postgresql+psycopg://sw@db/sw?password=hunter2",
    "postgresql+psycopg://sw@db/sw?sslmode=disable&password=hunter2&x=1",
    "postgresql+psycopg://sw@db/sw?PASSWORD=hunter2",
    "postgresql+psycopg://sw:hunter2@db/sw?password=hunter2#frag",
])
def test_every_form_of_password_is_masked(url):
    masked = mask_url(url)
    assert "hunter2" not in masked and "h%40nter2" not in masked and "ter:2" not in masked
    assert "********" in masked


@pytest.mark.parametrize("command", [("config", "show"), ("db", "status")])
def test_printed_urls_are_masked(tmp_path, command):
    env = {**os.environ,
           "STEPPEWATCH_DATABASE_URL": "postgresql+psycopg://sw@127.0.0.1:9/sw?password=hunter2"}
    env.pop("STEPPEWATCH_CONFIG", None)
    proc = subprocess.run([sys.executable, "-m", "steppewatch.cli", *command], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=60)
    assert "hunter2" not in proc.stdout + proc.stderr
    assert "********" in proc.stdout + proc.stderr


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_job_files_of_dead_crawls_are_removed():
    tmp = Path(tempfile.gettempdir())
    dead = tmp / f"{JOB_PREFIX}{_dead_pid()}-abc.json"
    mine = tmp / f"{JOB_PREFIX}{os.getpid()}-abc.json"
    for path in (dead, mine):
        path.write_text('{"settings": {"database_url": "postgresql://u:secret@h/d"}}')
    try:
        assert remove_stale_jobs() >= 1
        assert not dead.exists() and mine.exists()
    finally:
        mine.unlink(missing_ok=True)
        dead.unlink(missing_ok=True)


def test_running_rows_of_dead_crawls_become_interrupted(engine):
    host = socket.gethostname()
    now = datetime.now(UTC)
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        outlet = OUTLETS[0].id
        for key, worker, started in [
                ("dead", f"{host}:{_dead_pid()}", now),
                ("alive", f"{host}:{os.getpid()}", now),
                ("elsewhere-recent", "otherhost:1", now - timedelta(hours=1)),
                ("elsewhere-old", "otherhost:1", now - timedelta(days=2)),
                ("unknown-old", None, now - timedelta(days=2))]:
            s.add(CrawlRun(run_key=key, outlet_id=outlet, started_at=started, status="running",
                           counts={}, errors=[], worker=worker))
    assert mark_interrupted(engine) == 3
    with session_scope(engine) as s:
        status = dict(s.execute(select(CrawlRun.run_key, CrawlRun.status)).all())
    assert status == {"dead": "interrupted", "alive": "running",
                      "elsewhere-recent": "running", "elsewhere-old": "interrupted",
                      "unknown-old": "interrupted"}
