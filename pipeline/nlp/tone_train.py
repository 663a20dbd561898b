"""Train the tone models on RuSentNE-2023 (MIT) and export them as gzip'd JSON weights.

    python -m pipeline.nlp.tone_train --data ../shared/data/entity_tone_dev.jsonl \
        --report-dir /tmp/tone_report

Honest figures come from 5-fold cross-validation grouped by sentence text (RuSentNE has
several targets per sentence; a sentence never sits in both train and test). Decision offsets
for each fold are chosen on the out-of-fold predictions of the other folds. The shipped models
are then fitted on all rows. Deterministic: fixed folds, lbfgs, no sampling.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

from pipeline.nlp import lexicon, tone

SPARSE_C = 0.1
DENSE_C = 0.05
SENTENCE_C = 0.3
FOLDS = 5
GRID = np.round(np.linspace(-0.2, 0.2, 21), 3)
PN = ["positive", "negative"]


def _identity(x: list[str]) -> list[str]:
    return x


def load_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def featurise(rows: list[dict]) -> tuple[list[list[str]], np.ndarray]:
    sparse, dense = [], []
    for r in rows:
        toks = tone.parse(r["text"])
        s, e = r["targets"][0]["start"], r["targets"][0]["end"]
        sparse.append(tone.sparse_features(toks, s, e))
        dense.append(tone.dense_features(toks, s, e))
    return sparse, np.array(dense)


def _lr(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=5000, class_weight="balanced")


def fit(sparse: list[list[str]], dense: np.ndarray, y: np.ndarray):
    vec = CountVectorizer(analyzer=_identity, min_df=2, binary=True)
    xs = vec.fit_transform(sparse)
    ms = _lr(SPARSE_C).fit(xs, y)
    md = _lr(DENSE_C).fit(csr_matrix(dense), y)
    return vec, ms, md


def predict_proba(model, sparse: list[list[str]], dense: np.ndarray) -> np.ndarray:
    vec, ms, md = model
    return (ms.predict_proba(vec.transform(sparse)) + md.predict_proba(csr_matrix(dense))) / 2


def macro_pn(y: np.ndarray, pred: np.ndarray) -> float:
    return float(f1_score(y, pred, labels=PN, average="macro"))


def choose_offsets(p: np.ndarray, y: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Offsets (one per class, neutral fixed at 0) maximising macro-F1(pos, neg)."""
    ipos, ineg = list(classes).index("positive"), list(classes).index("negative")
    best, best_f = np.zeros(len(classes)), -1.0
    for a in GRID:
        for b in GRID:
            off = np.zeros(len(classes))
            off[ipos], off[ineg] = a, b
            f = macro_pn(y, classes[(p + off).argmax(1)])
            if f > best_f + 1e-9:
                best, best_f = off, f
    return best


def export_target(model, offsets: np.ndarray, path: Path, meta: dict) -> None:
    vec, ms, md = model
    names = vec.get_feature_names_out()
    feats = {str(n): [round(float(w), 4) for w in ms.coef_[:, i]] for i, n in enumerate(names)}
    # Features whose weights all round to zero cost space and change nothing.
    feats = {k: v for k, v in feats.items() if any(abs(w) >= 1e-3 for w in v)}
    raw = {"classes": [str(c) for c in ms.classes_], "meta": meta,
           "offsets": [round(float(o), 4) for o in offsets],
           "sparse": {"intercept": ms.intercept_.round(5).tolist(), "features": feats},
           "dense": {"intercept": md.intercept_.round(5).tolist(),
                     "coef": md.coef_.T.round(5).tolist()}}
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(raw, f, ensure_ascii=False, separators=(",", ":"))


def train_sentence_model(rows: list[dict], path: Path) -> dict:
    """Sentence polarity: a sentence's label is its dominant non-neutral target label."""
    votes: dict[str, Counter] = {}
    for r in rows:
        votes.setdefault(r["text"], Counter())[r["label"]] += 1
    texts, labels = [], []
    for text, c in votes.items():
        pos, neg = c["positive"], c["negative"]
        if pos == neg and pos:
            continue  # mixed: no sentence-level direction to learn
        texts.append(text)
        labels.append("positive" if pos > neg else "negative" if neg > pos else "neutral")
    feats = [sorted({"w:" + tone._lemma(t) for t in lexicon.tokenize(x)}) for x in texts]
    y = np.array(labels)
    vec = CountVectorizer(analyzer=_identity, min_df=2, binary=True)
    oof = np.empty(len(y), dtype=object)
    for tr, te in GroupKFold(FOLDS).split(feats, y, texts):
        v = CountVectorizer(analyzer=_identity, min_df=2, binary=True)
        m = _lr(SENTENCE_C).fit(v.fit_transform([feats[i] for i in tr]), y[tr])
        oof[te] = m.predict(v.transform([feats[i] for i in te]))
    m = _lr(SENTENCE_C).fit(vec.fit_transform(feats), y)
    ipos, ineg = list(m.classes_).index("positive"), list(m.classes_).index("negative")
    diff = m.coef_[ipos] - m.coef_[ineg]
    weights = {str(n): round(float(w), 4) for n, w in zip(vec.get_feature_names_out(), diff,
                                                            strict=True) if abs(w) >= 1e-3}
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump({"bias": round(float(m.intercept_[ipos] - m.intercept_[ineg]), 5),
                   "weights": weights}, f, ensure_ascii=False, separators=(",", ":"))
    return {"sentences": len(y), "cv_macro_f1_pn": macro_pn(y, oof.astype(str))}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data/entity_tone_dev.jsonl"))
    ap.add_argument("--out-dir", type=Path, default=tone.DATA_DIR)
    ap.add_argument("--report-dir", type=Path, default=None,
                    help="write fold-0 gold/prediction files for shared/eval/score.py here")
    a = ap.parse_args(argv)
    rows = load_rows(a.data)
    y = np.array([r["label"] for r in rows])
    groups = [r["text"] for r in rows]
    sparse, dense = featurise(rows)
    folds = list(GroupKFold(FOLDS).split(sparse, y, groups))
    oof = np.zeros((len(rows), 3))
    for tr, te in folds:
        model = fit([sparse[i] for i in tr], dense[tr], y[tr])
        oof[te] = predict_proba(model, [sparse[i] for i in te], dense[te])
    classes = model[1].classes_
    per_fold = []
    for k, (_, te) in enumerate(folds):
        rest = np.setdiff1d(np.arange(len(rows)), te)
        off = choose_offsets(oof[rest], y[rest], classes)
        per_fold.append(macro_pn(y[te], classes[(oof[te] + off).argmax(1)]))
        print(f"fold {k}: held-out macro-F1(pos,neg) {per_fold[-1]:.4f} offsets {off.tolist()}")
    print(f"grouped {FOLDS}-fold CV macro-F1(pos,neg): mean {np.mean(per_fold):.4f} "
          f"(min {min(per_fold):.4f}); argmax without offsets "
          f"{macro_pn(y, classes[oof.argmax(1)]):.4f}")
    offsets = choose_offsets(oof, y, classes)
    meta = {"trained_on": str(a.data.name), "rows": len(rows), "cv_folds": FOLDS,
            "cv_macro_f1_pn": round(float(np.mean(per_fold)), 4),
            "source": "RuSentNE-2023 (MIT), dialogue-evaluation/RuSentNE-evaluation"}
    a.out_dir.mkdir(parents=True, exist_ok=True)
    full = fit(sparse, dense, y)
    export_target(full, offsets, a.out_dir / "tone_target.json.gz", meta)
    print("full-dev (train = test, optimistic) macro-F1(pos,neg):",
          round(macro_pn(y, classes[(predict_proba(full, sparse, dense) + offsets).argmax(1)]), 4))
    # A model that never saw fold 0, so tests can check a held-out floor on real rows.
    tr, te = folds[0]
    rest_off = choose_offsets(oof[tr], y[tr], classes)
    fold_model = fit([sparse[i] for i in tr], dense[tr], y[tr])
    export_target(fold_model, rest_off, a.out_dir / "tone_target_fold0.json.gz",
                  {**meta, "held_out_fold": 0, "held_out_ids": None})
    (a.out_dir / "tone_fold0_ids.txt").write_text(
        "\n".join(sorted(rows[i]["id"] for i in te)) + "\n", encoding="utf-8")
    if a.report_dir:
        a.report_dir.mkdir(parents=True, exist_ok=True)
        p = predict_proba(fold_model, [sparse[i] for i in te], dense[te])
        with open(a.report_dir / "fold0_gold.jsonl", "w", encoding="utf-8") as g, \
                open(a.report_dir / "fold0_pred.jsonl", "w", encoding="utf-8") as o:
            for row, pr in zip((rows[i] for i in te), p, strict=True):
                g.write(json.dumps(row, ensure_ascii=False) + "\n")
                t = row["targets"][0]
                ipos, ineg = list(classes).index("positive"), list(classes).index("negative")
                o.write(json.dumps({"id": row["id"], "target_tones": [{
                    "start": t["start"], "end": t["end"],
                    "label": str(classes[int((pr + rest_off).argmax())]),
                    "score": round(float(pr[ipos] - pr[ineg]), 4)}]}, ensure_ascii=False) + "\n")
    print("sentence model:", train_sentence_model(rows, a.out_dir / "tone_sentence.json.gz"))


if __name__ == "__main__":
    main()
