"""Real processes against real databases: concurrent writers and a writer killed mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from pipeline.store.db import session_scope
from pipeline.store.models import Article
from tests.store.factories import article

ROOT = Path(__file__).resolve().parents[2]


def _writer(url: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.store.writer", url, *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _rows(engine) -> list[Article]:
    with session_scope(engine) as s:
        return list(s.scalars(select(Article).order_by(Article.canonical_url)))


def test_two_processes_writing_the_same_1000_articles(engine, db_url):
    procs = [_writer(db_url, "--count", "1000", "--batch", "50") for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert out.strip().endswith("done")
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 1000
        assert s.scalar(select(func.count(func.distinct(Article.canonical_url)))) == 1000


def test_a_writer_killed_mid_batch_leaves_no_partial_article(engine, db_url):
    batch = 25
    proc = _writer(db_url, "--count", "200", "--batch", str(batch), "--row-delay", "0.01")
    # Wait until the writer is inside its third batch, with rows written but not committed.
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("row") and line.rstrip().endswith("in batch 2") and \
                int(line.split()[1]) % batch >= 10:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    rows = _rows(engine)
    assert len(rows) == 2 * batch, "only the two committed batches survive"
    for row in rows:
        i = int(row.canonical_url.rsplit("/", 1)[1])
        expected = article(i)
        assert (row.title, row.text, row.content_hash) == \
            (expected.title, expected.text, expected.content_hash)
    # The rerun completes the work without duplicates or gaps.
    done = _writer(db_url, "--count", "200", "--batch", str(batch))
    _, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    rows = _rows(engine)
    assert sorted(int(r.canonical_url.rsplit("/", 1)[1]) for r in rows) == list(range(200))
