"""Dashboard under load: p95 latency and throughput with 50 and 200 concurrent readers.

The store is ``bench_dashboard``'s (``bench_digest``'s generator, 1,000,000 articles by
default, SQLite), served by the real command, ``steppewatch dashboard`` (waitress, read-only),
in its own process. Readers are threads in four client processes, each on its own keep-alive
connection, asking for the views of ``bench_dashboard`` (trends, tones, drill-downs) at
random for ``SECONDS`` per level. The views are asked once before timing, as the first
analysts of the morning would; the answers are then served per query and data version from
the dashboard's cache until ``process`` changes the aggregates.

``BENCH_DASHBOARD_N`` scales the store down for a quick run (e.g. 50000).
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "10"))
LEVELS = (50, 200)
PROCS = 4
TARGET_MS = 500.0
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reader(port: int, urls: list[str], until: float, seed: int, out) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times, errors = [], 0
    while time.monotonic() < until:
        url = rng.choice(urls)
        t0 = time.perf_counter()
        try:
            conn.request("GET", url)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        times.append(time.perf_counter() - t0)
    out.put((times, errors))


def _client_proc(port: int, urls: list[str], until: float, threads: int, seed: int,
                 out) -> None:
    import queue
    import threading

    local: queue.Queue = queue.Queue()
    workers = [threading.Thread(target=_reader, args=(port, urls, until, seed * 1000 + i,
                                                      local)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    times, errors = [], 0
    while not local.empty():
        t, e = local.get()
        times += t
        errors += e
    out.put((times, errors))


def _load(port: int, urls: list[str], clients: int) -> tuple[list[float], int]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    until = time.monotonic() + SECONDS
    per = [clients // PROCS + (i < clients % PROCS) for i in range(PROCS)]
    procs = [ctx.Process(target=_client_proc, args=(port, urls, until, n, i, out))
             for i, n in enumerate(per)]
    for p in procs:
        p.start()
    times, errors = [], 0
    for _ in procs:
        t, e = out.get()
        times += t
        errors += e
    for p in procs:
        p.join()
    return times, errors


def _get(port: int, url: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", url)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _wait(port: int, proc: subprocess.Popen) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the dashboard did not start")


def run() -> list[tuple[str, str, str, str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_dashboard

    data = bench_dashboard._digest_bench()
    n = bench_dashboard.N
    trend, drill = bench_dashboard._urls(data)
    urls = trend + drill
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "server.log", "w") as log:
        path = Path(tmp) / "bench.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        data._load_sqlite(path)
        engine = make_engine(f"sqlite:///{path}")
        data._aggregate(engine)
        engine.dispose()
        port = _free_port()
        env = {**os.environ, "STEPPEWATCH_DATABASE_URL": f"sqlite:///{path}",
               "STEPPEWATCH_VAR_DIR": str(Path(tmp) / "var")}
        env.pop("STEPPEWATCH_CONFIG", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "steppewatch.cli", "dashboard", "--port", str(port),
             "--profile-version", data.PV], cwd=tmp, env=env, stdout=subprocess.DEVNULL,
            stderr=log, text=True)
        try:
            _wait(port, server)
            t0 = time.perf_counter()
            for url in urls:  # the first readers: every view computed once
                status, body = _get(port, url)
                if status != 200:
                    raise RuntimeError(f"{url}: {status} {body[:300]!r}")
            # The digest's flags come from a background thread; let it finish.
            while b'"pending": []' not in _get(port, urls[0].replace("/api/trend",
                                                                     "/api/shifts"))[1]:
                time.sleep(0.5)
            rows.append((f"sqlite, {n:,} articles: first pass over {len(urls)} views and "
                         "flags", "s", f"{time.perf_counter() - t0:.1f}", ""))
            for clients in LEVELS:
                if server.poll() is not None:
                    raise RuntimeError(f"the dashboard exited with status {server.returncode}")
                times, errors = _load(port, urls, clients)
                ms = np.array(times) * 1000
                p95 = float(np.percentile(ms, 95))
                ok = "ok" if p95 <= TARGET_MS and not errors else "MISSED"
                rows.append((f"sqlite, {n:,} articles: {clients} concurrent readers, "
                             f"{SECONDS:.0f}s", "p95 ms",
                             f"{p95:.0f} (p50 {np.percentile(ms, 50):.0f}, "
                             f"{len(times) / SECONDS:.0f} req/s, {errors} errors) {ok}",
                             f"<= {TARGET_MS:.0f}"))
        except (OSError, http.client.HTTPException, RuntimeError) as exc:
            tail = (Path(tmp) / "server.log").read_text(errors="replace")[-1500:]
            raise RuntimeError(f"{exc!r}; server log: {tail}") from exc
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
