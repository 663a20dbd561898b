"""Expected failures of every command: one clear line on stderr, the right exit status, no
traceback (1 for a failure of the environment, 2 for a usage error)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _sw(cwd: Path, *args: str, db: str | None = None, **env: str):
    full = {**os.environ, "STEPPEWATCH_DATABASE_URL": db or f"sqlite:///{cwd}/sw.db",
            "STEPPEWATCH_VAR_DIR": str(cwd / "var"), **env}
    full.pop("STEPPEWATCH_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "steppewatch.cli", *args], cwd=cwd, env=full,
                          capture_output=True, text=True, timeout=120)


def _one_line(proc, status: int, needle: str) -> None:
    assert proc.returncode == status, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-3000:]
    assert needle in proc.stderr, proc.stderr[-2000:]


@pytest.mark.parametrize("kind,needle", [
    ("directory", "cannot open the SQLite database file"),
    ("garbage", "not an SQLite database"),
])
def test_digest_on_a_bad_database(tmp_path, kind, needle):
    path = tmp_path / "bad.db"
    if kind == "directory":
        path.mkdir()
    elif kind == "garbage":
        path.write_bytes(b"this is not a database\n" * 100)
    proc = _sw(tmp_path, "digest", "--preview", db=f"sqlite:///{path}")
    _one_line(proc, 1, needle)


def test_digest_on_an_unreachable_server(tmp_path):
    proc = _sw(tmp_path, "digest", "--preview", db="postgresql+psycopg://sw:pw@127.0.0.1:9/x")
    _one_line(proc, 1, "error:")
    assert proc.stderr.count("\n") <= 2 and "pw@" not in proc.stderr


def test_digest_on_a_database_without_schema(tmp_path):
    import sqlite3
    sqlite3.connect(tmp_path / "empty.db").execute("CREATE TABLE x (y)").connection.close()
    proc = _sw(tmp_path, "digest", "--preview", db=f"sqlite:///{tmp_path / 'empty.db'}")
    _one_line(proc, 1, "no steppewatch schema")


@pytest.mark.parametrize("args,needle", [
    (("crawl", "--since", "0001-01-01", "--replay", "http://127.0.0.1:9"), "year must be"),
    (("crawl", "--replay", "notaurl"), "not a replay web URL"),
    (("digest", "--week", "9999-W52", "--preview"), "outside 1900 .. 2999"),
    (("digest", "--week", "0001-W01", "--preview"), "outside 1900 .. 2999"),
    (("backfill", "--from", "0001-01-01", "--to", "2025-01-01"), "year must be"),
    (("process", "--batch-size", "0"), "--batch-size"),
    (("process", "--batch-size", "-5"), "--batch-size"),
    (("process", "--limit", "-1"), "--limit"),
])
def test_usage_errors(tmp_path, args, needle):
    proc = _sw(tmp_path, *args)
    expected = 1 if args[:2] == ("crawl", "--replay") else 2
    _one_line(proc, expected, needle)


@pytest.mark.parametrize("setting", ["STEPPEWATCH_DASHBOARD__PORT", "STEPPEWATCH_SMTP__PORT"])
@pytest.mark.parametrize("value", ["99999", "-1"])
def test_ports_out_of_range_are_refused(tmp_path, setting, value):
    proc = _sw(tmp_path, "config", "show", **{setting: value})
    _one_line(proc, 1, "is not a port")


def test_unwritable_outbox(tmp_path):
    var = tmp_path / "var"
    (var / "outbox").mkdir(parents=True)
    (var / "outbox" / "digest-2025-W24-preview.eml").mkdir()  # cannot be written as a file
    assert _sw(tmp_path, "db", "upgrade").returncode == 0
    proc = _sw(tmp_path, "digest", "--week", "2025-W24", "--preview")
    _one_line(proc, 1, "digest-2025-W24-preview.eml")


@pytest.mark.postgres
def test_digest_on_a_read_only_database(tmp_path, pg_url):
    assert _sw(tmp_path, "db", "upgrade", db=pg_url).returncode == 0
    read_only = pg_url + "?options=-c%20default_transaction_read_only%3Don"
    proc = _sw(tmp_path, "digest", "--week", "2025-W24", "--send", db=read_only)
    _one_line(proc, 1, "read-only transaction")
    assert proc.stderr.count("\n") <= 2
