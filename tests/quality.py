"""Quality on the shared dev data, scored by the shared scorer (../shared/eval/score.py).

    python -m tests.quality                 # print every figure
    python -m tests.quality --write         # pin the current figures in quality_baseline.json

tests/test_quality.py fails when a figure drops below its pinned floor, so a regression in
the analysis fails CI. Figures on data the shipped models were trained on (Kazakh NER on
KazNERD dev, entity tone on RuSentNE dev) guard against regressions only; the honest
held-out figures are in the training modules' reports.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BASELINE = Path(__file__).resolve().parent / "quality_baseline.json"

# task -> (gold file, scorer task, figures pinned, analyzer entities mode)
TASKS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "relevance": ("relevance_dev.jsonl", "relevance", ("f1", "lang_accuracy"), "relevant"),
    "entity_tone": ("entity_tone_dev.jsonl", "entity_tone", ("f1_pn_macro",), "relevant"),
    "ner_ru": ("ner_ru_dev.jsonl", "ner", ("token_f1", "token_f1_PER", "token_f1_LOC",
                                           "token_f1_ORG"), "all"),
    "ner_kk": ("ner_kk_dev.jsonl", "ner", ("token_f1", "token_f1_PER", "token_f1_LOC",
                                           "token_f1_ORG"), "all"),
}


def scorer():
    path = SHARED / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("shared_score", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise FileNotFoundError(f"the shared scorer is missing: {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def evaluate(task: str, analyzer_cache: dict | None = None) -> dict[str, float]:
    from pipeline.analyze import Analyzer
    from pipeline.profile import load_profile

    gold_name, score_task, figures, mode = TASKS[task]
    gold_path = SHARED / "data" / gold_name
    cache = analyzer_cache if analyzer_cache is not None else {}
    if mode not in cache:
        cache[mode] = Analyzer(load_profile(), entities=mode)
    analyzer = cache[mode]
    gold, pred = {}, {}
    for row in _rows(gold_path):
        gold[row["id"]] = row
        targets = [(t["start"], t["end"]) for t in row.get("targets") or []]
        result = analyzer.analyze(text=row["text"], title=row.get("title") or "",
                                  lang_hint=row.get("lang"), targets=targets)
        pred[row["id"]] = {"id": row["id"], **result.to_contract()}
    figures_all = getattr(scorer(), score_task)(gold, pred)
    return {k: round(float(figures_all[k]), 4) for k in figures}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="pin the figures as the new floors")
    ap.add_argument("tasks", nargs="*", choices=[*TASKS, []], help="tasks (default: all)")
    a = ap.parse_args(argv)
    cache: dict = {}
    results = {t: evaluate(t, cache) for t in (a.tasks or TASKS)}
    print(json.dumps(results, indent=1))
    if a.write:
        old = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
        old.update(results)
        BASELINE.write_text(json.dumps(old, indent=1, sort_keys=True) + "\n")
        print(f"written {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
