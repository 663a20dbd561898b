"""Short posts and headlines as Telegram channels and news sites publish them (threats,
reassurance, cooperation, neutral reports; Russian and Kazakh; relevant and not), each
labelled for relevance, tone and whether it carries an explicit threat of force.

    python -m tests.nlp.short_posts          # the figures of every set
    python -m tests.nlp.short_posts --write  # pin them as floors (short_posts_baseline.json)

The sets were written blind to the rules by colleagues (`tests/nlp/data/short_posts_check*.jsonl`,
see NOTICE); the README says which of them the rules were later tuned on. Figures: relevance
F1, 3-class tone macro-F1, alarm AUC (threat posts against all others: the chance that a
threat post gets more alarm than a non-threat one), and the number of threat posts labelled
positive, which must stay 0.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SETS = ("short_posts_check.jsonl", "short_posts_check2.jsonl", "short_posts_check3.jsonl")
BASELINE = Path(__file__).resolve().parent / "short_posts_baseline.json"
LABELS = ("negative", "neutral", "positive")


def rows(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def binary_f1(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for c in LABELS:
        tp = sum(g == c == p for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c == p for g, p in zip(gold, pred, strict=True))
        fn = sum(p != c == g for g, p in zip(gold, pred, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def auc(positive: list[float], negative: list[float]) -> float:
    """Mann-Whitney: P(a positive scores above a negative), ties counting half."""
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def evaluate(name: str, analyzer=None) -> dict[str, float]:
    from pipeline.analyze import Analyzer
    from pipeline.profile import load_profile

    analyzer = analyzer or Analyzer(load_profile(), entities="relevant")
    data = rows(name)
    results = [analyzer.analyze(text=r["text"], title=r.get("title") or "") for r in data]
    figures = {
        "relevance_f1": binary_f1([r["relevant"] for r in data], [x.relevant for x in results]),
        "tone_macro_f1": macro_f1([r["tone"] for r in data], [x.tone.label for x in results]),
        "alarm_auc": auc([x.tone.alarm for r, x in zip(data, results, strict=True) if r["threat"]],
                         [x.tone.alarm for r, x in zip(data, results, strict=True)
                          if not r["threat"]]),
        "threats_positive": float(sum(r["threat"] and x.tone.label == "positive"
                                      for r, x in zip(data, results, strict=True))),
    }
    for lang in ("ru", "kk"):
        pairs = [(r["relevant"], x.relevant) for r, x in zip(data, results, strict=True)
                 if r["lang"] == lang]
        figures[f"relevance_f1_{lang}"] = binary_f1([g for g, _ in pairs], [p for _, p in pairs])
    return {k: round(v, 4) for k, v in figures.items()}


def available() -> list[str]:
    return [name for name in SETS if (DATA / name).is_file()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="pin the figures as the new floors")
    a = ap.parse_args(argv)
    from pipeline.analyze import Analyzer
    from pipeline.profile import load_profile

    analyzer = Analyzer(load_profile(), entities="relevant")
    figures = {name: evaluate(name, analyzer) for name in available()}
    print(json.dumps(figures, indent=1))
    if a.write:
        BASELINE.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(f"pinned in {BASELINE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
