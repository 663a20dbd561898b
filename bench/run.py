"""Run every benchmark in bench/ (modules named bench_*.py with a ``run()`` function) and
print one table of figures. ``python bench/run.py [NAME ...]`` runs only the named ones."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]


def main(names: list[str]) -> int:
    table = Table(title="steppewatch benchmarks")
    for col in ("benchmark", "case", "figure", "value", "target"):
        table.add_column(col)
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if names and name not in names:
            continue
        # Imported by name (bench/ is on sys.path) so that benchmarks can hand their own
        # functions to child processes.
        module = importlib.import_module(path.stem)
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            rows = module.run()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failed += 1
            table.add_row(name, "-", "error", f"{type(exc).__name__}: {exc}", "")
            continue
        for case, figure, value, target in rows:
            table.add_row(name, case, figure, value, target)
        print(f"  {name} took {time.perf_counter() - started:.0f}s", file=sys.stderr)
    Console(width=140).print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
