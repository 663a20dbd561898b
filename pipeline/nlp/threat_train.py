"""Train the threat model (``threat.py``) and export its weights.

    python -m pipeline.nlp.threat_train            # train on the default sets, write the model
    python -m pipeline.nlp.threat_train --check tests/nlp/data/short_posts_check3.jsonl

Training data: the short-post sets written blind for the project (``tests/nlp/data/
short_posts_check.jsonl`` and ``short_posts_check2.jsonl``, 486 posts, 120 threats; see
NOTICE), label ``threat``. ``short_posts_check3.jsonl`` is held out: it was written after
the model's settings were fixed and is never trained on. The scorer in ``threat.py`` is
compared with scikit-learn's on every training text; the run stops if they differ.
Needs the ``train`` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from pipeline.nlp import threat

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "nlp" / "data"
TRAIN = (DATA / "short_posts_check.jsonl", DATA / "short_posts_check2.jsonl")
C = 4.0  # inverse regularisation, fixed before the held-out set was read
MIN_DF = 2


def post_text(row: dict) -> str:
    return " ".join(p for p in (row.get("title") or "", row["text"]) if p)


def rows(paths: list[Path]) -> list[dict]:
    out = []
    for path in paths:
        with path.open(encoding="utf-8") as f:
            out += [json.loads(line) for line in f if line.strip()]
    return out


def train(paths: list[Path]) -> tuple[TfidfVectorizer, LogisticRegression]:
    data = rows(paths)
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=threat.NGRAMS, min_df=MIN_DF,
                          sublinear_tf=True, lowercase=False, preprocessor=threat.normalise)
    x = vec.fit_transform([post_text(r) for r in data])
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(x, [bool(r["threat"]) for r in data])
    return vec, model


def export(vec: TfidfVectorizer, model: LogisticRegression, out: Path) -> None:
    coef = model.coef_[0]
    grams = {g: [round(float(vec.idf_[i]), 6), round(float(coef[i]), 6)]
             for g, i in vec.vocabulary_.items()}
    payload = {"ngrams": grams, "intercept": float(model.intercept_[0]),
               "trained_on": [p.name for p in TRAIN], "c": C, "min_df": MIN_DF}
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    with out.open("wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as z:
        z.write(raw)  # mtime 0: the same training gives the same bytes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, nargs="*", default=list(TRAIN))
    ap.add_argument("--out", type=Path, default=threat.MODEL_PATH)
    ap.add_argument("--check", type=Path, nargs="*", default=[],
                    help="held-out sets to report AUC on (never trained on)")
    a = ap.parse_args(argv)
    vec, model = train(a.data)
    export(vec, model, a.out)
    threat._model.cache_clear()
    threat._known_grams.cache_clear()
    texts = [post_text(r) for r in rows(a.data)]
    ours = np.array([threat.probability(t) for t in texts])
    theirs = model.predict_proba(vec.transform(texts))[:, 1]
    gap = float(np.max(np.abs(ours - theirs)))
    if gap > 1e-4:
        raise SystemExit(f"the plain scorer differs from scikit-learn's by {gap:.2e}")
    print(f"wrote {a.out} ({len(vec.vocabulary_)} n-grams); scorer matches scikit-learn "
          f"(max gap {gap:.1e})")
    for path in a.check:
        data = rows([path])
        p = [threat.probability(post_text(r)) for r in data]
        print(f"{path.name}: AUC {roc_auc_score([r['threat'] for r in data], p):.3f} "
              f"({sum(r['threat'] for r in data)} threats of {len(data)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
