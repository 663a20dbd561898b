"""Train the Kazakh NER CRF on KazNERD-format JSON Lines and report honest figures.

    python -m pipeline.nlp.kazakh.train --data ../shared/data/ner_kk_dev.jsonl \\
        --out pipeline/models/ner_kk.crf.bin --holdout 0.2 [--cv 5]

With ``--holdout`` the rows whose id hashes into the held-out share are scored by a model
trained on the rest (printed first), then the shipped model is trained on all rows. The split
depends only on the ids, and L-BFGS is deterministic, so a rerun gives the same model.
Token F1 is computed the way ``shared/eval/score.py ner`` does; ``--eval-dir`` also writes
gold and prediction files for that scorer.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from pipeline.nlp.kazakh.features import sentence_features
from pipeline.nlp.kazakh.ner import KazakhNER
from pipeline.nlp.kazakh.tokenizer import tokenize
from pipeline.nlp.types import Token

# KazNERD label -> ours; every other KazNERD label (DATE, POSITION, NORP, ...) is O.
LABEL_MAP = {"PERSON": "PER", "GPE": "LOC", "LOCATION": "LOC", "ORGANISATION": "ORG"}
TYPES = ("PER", "LOC", "ORG")
PARAMS = {"c1": 0.1, "c2": 0.02, "max_iterations": 150}  # chosen by 4-fold CV inside the 80 %


@dataclass(frozen=True, slots=True)
class Example:
    id: str
    text: str
    tokens: list[Token]
    labels: list[str]  # BIO
    gold: list[dict]  # the row's original spans, for scoring


def read_examples(path: Path) -> list[Example]:
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            text, tokens = row["text"], tokenize(row["text"])
            labels = ["O"] * len(tokens)
            for span in row.get("labels") or []:
                kind = LABEL_MAP.get(span["label"])
                if not kind:
                    continue
                inside = [
                    i
                    for i, t in enumerate(tokens)
                    if t.start < span["end"] and t.end > span["start"]
                ]
                for n, i in enumerate(inside):
                    labels[i] = f"{'B' if n == 0 else 'I'}-{kind}"
            out.append(Example(row["id"], text, tokens, labels, row.get("labels") or []))
    return out


def in_holdout(example_id: str, share: float, fold: int = 0) -> bool:
    """Deterministic membership by id: bucket ``fold`` of ``round(1/share)`` hash buckets."""
    buckets = max(1, round(1 / share))
    h = int(hashlib.md5(example_id.encode("utf-8")).hexdigest(), 16)
    return h % buckets == fold


def train(examples: list[Example], out: Path, params: dict | None = None) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for ex in examples:
        trainer.append(sentence_features(ex.text, ex.tokens), ex.labels)
    trainer.select("lbfgs")
    trainer.set_params({**PARAMS, **(params or {})})
    trainer.train(str(out))


def predict(model: Path, examples: list[Example]) -> dict[str, list[dict]]:
    """Contract-form entities per id, tagging each row's text as a whole article would be."""
    ner = KazakhNER(model)
    return {
        ex.id: [
            {"start": s.start, "end": s.end, "type": s.type, "text": s.text, "canonical": None}
            for s in ner.tag(ex.text)
        ]
        for ex in examples
    }


_WORD = re.compile(r"\w+", re.UNICODE)  # the scorer's notion of a token


def token_f1(examples: list[Example], pred: dict[str, list[dict]]) -> dict[str, float]:
    """Token-level P/R/F1 overall and per type, as ``score.py ner`` counts them."""
    counts = {t: [0, 0, 0] for t in TYPES}
    for ex in examples:
        gold = _token_types(
            ex.text, [(s["start"], s["end"], LABEL_MAP.get(s["label"])) for s in ex.gold]
        )
        got = _token_types(
            ex.text, [(s["start"], s["end"], s["type"]) for s in pred.get(ex.id, [])]
        )
        for pos in set(gold) | set(got):
            for t in TYPES:
                a, b = t in gold.get(pos, ()), t in got.get(pos, ())
                counts[t][0] += a and b
                counts[t][1] += b and not a
                counts[t][2] += a and not b
    res = {f"f1_{t}": _f1(*counts[t]) for t in TYPES}
    res["f1"] = _f1(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return res


def _token_types(text: str, spans: list[tuple[int, int, str | None]]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for start, end, kind in spans:
        if kind in TYPES:
            for m in _WORD.finditer(text, start, end):
                out[m.start()].add(kind)
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _fmt(res: dict[str, float]) -> str:
    return f"token F1 {res['f1']:.3f} (PER {res['f1_PER']:.3f} LOC {res['f1_LOC']:.3f} ORG {res['f1_ORG']:.3f})"


def _fit_and_score(
    train_set: list[Example], test_set: list[Example], params: dict
) -> tuple[dict, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "model.crf"
        train(train_set, model, params)
        pred = predict(model, test_set)
    return token_f1(test_set, pred), pred


def _write_eval(directory: Path, examples: list[Example], pred: dict[str, list[dict]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with (
        (directory / "gold.jsonl").open("w", encoding="utf-8") as g,
        (directory / "pred.jsonl").open("w", encoding="utf-8") as p,
    ):
        for ex in examples:
            g.write(
                json.dumps({"id": ex.id, "text": ex.text, "labels": ex.gold}, ensure_ascii=False)
                + "\n"
            )
            p.write(json.dumps({"id": ex.id, "entities": pred[ex.id]}, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, required=True, help="KazNERD-format JSON Lines")
    ap.add_argument("--out", type=Path, help="where to write the model trained on all rows")
    ap.add_argument(
        "--holdout", type=float, default=0.0, help="share of rows (by id hash) to score, e.g. 0.2"
    )
    ap.add_argument("--cv", type=int, default=0, help="also run K-fold cross-validation by id hash")
    ap.add_argument(
        "--eval-dir", type=Path, help="write gold.jsonl/pred.jsonl of the held-out rows here"
    )
    ap.add_argument("--c1", type=float, default=PARAMS["c1"])
    ap.add_argument("--c2", type=float, default=PARAMS["c2"])
    ap.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    a = ap.parse_args(argv)
    params = {"c1": a.c1, "c2": a.c2, "max_iterations": a.iterations}
    examples = read_examples(a.data)
    print(f"{len(examples)} sentences from {a.data}")

    if a.holdout > 0:
        held = [ex for ex in examples if in_holdout(ex.id, a.holdout)]
        rest = [ex for ex in examples if not in_holdout(ex.id, a.holdout)]
        res, pred = _fit_and_score(rest, held, params)
        print(f"held-out ({len(held)} rows, trained on {len(rest)}): {_fmt(res)}")
        if a.eval_dir:
            _write_eval(a.eval_dir, held, pred)
            print(f"wrote {a.eval_dir}/gold.jsonl and pred.jsonl for score.py ner")
    if a.cv > 1:
        folds = []
        for k in range(a.cv):
            test = [ex for ex in examples if in_holdout(ex.id, 1 / a.cv, k)]
            rest = [ex for ex in examples if not in_holdout(ex.id, 1 / a.cv, k)]
            res, _ = _fit_and_score(rest, test, params)
            folds.append(res)
            print(f"  fold {k}: {_fmt(res)}")
        mean = {key: sum(r[key] for r in folds) / len(folds) for key in folds[0]}
        print(f"{a.cv}-fold CV mean: {_fmt(mean)}")
    if a.out:
        t0 = time.perf_counter()
        train(examples, a.out, params)
        print(f"trained on all {len(examples)} rows in {time.perf_counter() - t0:.1f}s -> {a.out}")
        res = token_f1(examples, predict(a.out, examples))
        print(f"train-on-dev (all rows, NOT held out): {_fmt(res)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
