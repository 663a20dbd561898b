"""`steppewatch dashboard`: refuses a public address without credentials, and serves the
page read-only on loopback, printing its URL."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request

from click.testing import CliRunner

from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade
from steppewatch.cli import main
from tests.dashboard.builders import write_store

LAUNCH = "from steppewatch.cli import main; main()"


def test_public_address_without_credentials_is_refused(tmp_path):
    env = {"STEPPEWATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = CliRunner().invoke(main, ["dashboard", "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 1
    assert "refusing to serve on 0.0.0.0" in result.output
    assert "STEPPEWATCH_DASHBOARD__TOKEN" in result.output


def test_serves_the_page_and_prints_the_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    engine = make_engine(url)
    upgrade(engine)
    write_store(engine)
    engine.dispose()
    env = {**os.environ, "STEPPEWATCH_DATABASE_URL": url}
    proc = subprocess.Popen([sys.executable, "-c", LAUNCH, "dashboard", "--port", "0",
                             "--profile-version", "dash-v1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("steppewatch dashboard on http://127.0.0.1:"), \
            line + proc.stderr.read()
        base = line.split()[3]
        with urllib.request.urlopen(base + "api/health", timeout=10) as resp:
            assert resp.status == 200
        with urllib.request.urlopen(base + "vendor/plotly.min.js", timeout=10) as resp:
            assert b"plotly.js" in resp.read(400)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
