"""Every DAG file loads into a DagBag without import errors and declares tags, docs and
retries; the schedules are the ones the README promises."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.airflow.harness import DAGS, base_env, require_airflow

# Runs in a child process: Airflow reads AIRFLOW_HOME and its config once, at import.
_INSPECT = r"""
import json
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=DAGS, safe_mode=False)
out = {"errors": {k: str(v) for k, v in bag.import_errors.items()}, "dags": {}}
for dag_id, dag in bag.dags.items():
    out["dags"][dag_id] = {
        "file": dag.fileloc, "tags": sorted(dag.tags), "doc": dag.doc_md or "",
        "timetable": repr(dag.timetable), "catchup": dag.catchup,
        "tasks": {t.task_id: {"retries": t.retries, "doc": t.doc_md or "", "pool": t.pool,
                              "outlets": [getattr(a, "name", "") for a in t.outlets]}
                  for t in dag.tasks},
    }
print("JSON" + json.dumps(out))
"""

EXPECTED = {"steppewatch_crawl", "steppewatch_process", "steppewatch_weekly_digest"}


@pytest.fixture(scope="module")
def bag(tmp_path_factory) -> dict:
    require_airflow()
    env = base_env(tmp_path_factory.mktemp("airflow-home"))
    env["STEPPEWATCH_RECIPIENTS"] = "analyst@example.org"  # builds the failure notifiers too
    proc = subprocess.run([sys.executable, "-c", f"DAGS = {str(DAGS)!r}\n" + _INSPECT],
                          env=env, capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(x for x in proc.stdout.splitlines() if x.startswith("JSON"))
    return json.loads(line[4:])


def test_every_dag_file_loads(bag: dict) -> None:
    assert bag["errors"] == {}
    assert set(bag["dags"]) == EXPECTED
    files = {p.name for p in DAGS.glob("*.py")}
    assert {d["file"].rsplit("/", 1)[-1] for d in bag["dags"].values()} == files


@pytest.mark.parametrize("dag_id", sorted(EXPECTED))
def test_dag_has_tags_docs_and_retries(bag: dict, dag_id: str) -> None:
    dag = bag["dags"][dag_id]
    assert "steppewatch" in dag["tags"] and len(dag["tags"]) >= 2
    assert len(dag["doc"]) > 200, "the DAG's doc_md explains what a run does"
    assert not dag["catchup"], "the past is collected by backfills, not by catch-up"
    for task_id, task in dag["tasks"].items():
        assert task["retries"] >= 2, task_id
        assert task["doc"], task_id


def test_schedules_and_wiring(bag: dict) -> None:
    crawl, process, digest = (bag["dags"][d] for d in sorted(EXPECTED))
    assert "CronDataIntervalTimetable(expression='0 * * * *', timezone='UTC')" \
        in crawl["timetable"]
    assert crawl["tasks"]["crawl"]["pool"] == "steppewatch_crawl"
    assert crawl["tasks"]["crawl"]["outlets"] == ["steppewatch_articles"]
    assert "AssetTriggeredTimetable" in process["timetable"]
    assert "steppewatch_articles" in process["timetable"]
    assert "expression='0 8 * * 1'" in digest["timetable"]
    assert "Asia/Almaty" in digest["timetable"]
