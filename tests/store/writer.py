"""A separate writer process for the concurrency and crash tests.

python -m tests.store.writer URL --count N --batch B [--row-delay S] [--seed K]
Writes articles 0..N-1 in batches, one transaction per batch, printing progress lines.
"""

from __future__ import annotations

import argparse
import sys
import time

from pipeline.store.articles import save_articles, save_outlets
from pipeline.store.db import make_engine, session_scope
from tests.store.factories import OUTLETS, article


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--row-delay", type=float, default=0.0,
                    help="write rows one at a time with this pause, inside the batch")
    a = ap.parse_args()
    engine = make_engine(a.url)
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
    for start in range(0, a.count, a.batch):
        records = [article(i) for i in range(start, min(start + a.batch, a.count))]
        with session_scope(engine) as s:
            if a.row_delay:
                for n, rec in enumerate(records):
                    save_articles(s, [rec])
                    s.flush()
                    print(f"row {start + n} in batch {start // a.batch}", flush=True)
                    time.sleep(a.row_delay)
            else:
                save_articles(s, records)
        print(f"committed {min(start + a.batch, a.count)}", flush=True)
    print("done", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
