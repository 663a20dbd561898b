"""Train the tone models on RuSentNE-2023 (MIT) and export them as gzip'd JSON weights.

    python -m pipeline.nlp.tone_train --data ../shared/data/entity_tone_dev.jsonl \
        --report-dir /tmp/tone_report

Honest figures come from 5-fold cross-validation grouped by sentence text (RuSentNE has
several targets per sentence; a sentence never sits in both train and test). Decision offsets
for each fold are chosen on the out-of-fold predictions of the other folds. The shipped models
are then fitted on all rows. Deterministic: fixed folds, lbfgs, and for the sequence model
fixed seeds, a fixed thread count and PyTorch's deterministic algorithms.

The sequence model (a bidirectional GRU, see ``tt.seq_probs``) is trained with PyTorch, a
training-only dependency (``pip install torch==2.13.0``, the CPU build), once per seed in
``SEQ_SEEDS`` on length-bucketed batches; the seeds' weights are exported to the same gzip'd
JSON, run in numpy and averaged. ``--no-seq`` trains the two logistic regressions alone,
without torch.
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

from pipeline.models import MODELS_DIR
from pipeline.nlp import lexicon, tone
from pipeline.nlp import target_tone as tt

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


def featurise(rows: list[dict]) -> tuple[list[list[str]], np.ndarray, list]:
    sparse, dense, seq = [], [], []
    for r in rows:
        toks = tt.parse(r["text"])
        s, e = r["targets"][0]["start"], r["targets"][0]["end"]
        sparse.append(tt.sparse_features(toks, s, e))
        dense.append(tt.dense_features(toks, s, e))
        seq.append(tt.seq_inputs(toks, s, e))
    return sparse, np.array(dense), seq


# ---- the sequence model (PyTorch for training only) ---------------------------------------

SEQ_HIDDEN = 64
SEQ_EPOCHS = 8
SEQ_LR = 2e-3
SEQ_BATCH = 32
SEQ_DROPOUT = 0.3  # before the output layer
SEQ_WORD_DROPOUT = 0.2  # on the word vectors
SEQ_CLASS_POWER = 0.5  # class weights (max count / count) ** power
SEQ_SEEDS = (0, 1, 2)  # one GRU per seed, averaged: single runs differ by a few F1 points
SEQ_BUCKET = 20  # batches are cut from SEQ_BUCKET * SEQ_BATCH rows sorted by length
SEQ_THREADS = 1  # a second thread was 18x slower on the shared 2-core box, not faster


class SeqData:
    """Padded arrays of the sequence inputs, with the navec vectors of the words they use."""

    def __init__(self, seq: list) -> None:
        emb = tt._natasha()["emb"]
        words = sorted({k for keys, _ in seq for k in keys if k is not None})
        index = {w: i + 1 for i, w in enumerate(words)}
        self.vectors = np.zeros((len(words) + 1, tt.EMB_DIM), dtype=np.float32)
        for w, i in index.items():
            self.vectors[i] = emb[w]
        width = max(len(keys) for keys, _ in seq)
        self.ids = np.zeros((len(seq), width), dtype=np.int64)
        self.cats = np.zeros((len(seq), width, len(tt.SEQ_CATS) + 1), dtype=np.int64)
        self.lens = np.array([len(keys) for keys, _ in seq], dtype=np.int64)
        for r, (keys, cats) in enumerate(seq):
            self.ids[r, : len(keys)] = [0 if k is None else index[k] for k in keys]
            self.cats[r, : len(keys)] = cats

    def batch(self, ix: np.ndarray):
        import torch

        width = int(self.lens[ix].max())
        return (torch.from_numpy(self.ids[ix, :width]), torch.from_numpy(self.cats[ix, :width]),
                torch.from_numpy(self.lens[ix]))


def _seq_net(vectors: np.ndarray):
    import torch
    from torch import nn

    class SeqNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.words = nn.Embedding.from_pretrained(torch.from_numpy(vectors), freeze=True)
            self.cats = nn.ModuleList([nn.Embedding(n, 16 if k == 0 else 8)
                                       for k, n in enumerate(tt.SEQ_SIZES)])
            self.word_drop = nn.Dropout(SEQ_WORD_DROPOUT)
            width = tt.EMB_DIM + 16 + 8 * (len(tt.SEQ_SIZES) - 1) + 1
            self.gru = nn.GRU(width, SEQ_HIDDEN, batch_first=True, bidirectional=True)
            self.att = nn.Linear(2 * SEQ_HIDDEN, 2 * SEQ_HIDDEN, bias=False)
            self.drop = nn.Dropout(SEQ_DROPOUT)
            self.out = nn.Linear(6 * SEQ_HIDDEN, 3)

        def forward(self, ids, cats, lens):
            n = len(tt.SEQ_CATS)
            x = torch.cat([self.word_drop(self.words(ids))]
                          + [e(cats[..., k]) for k, e in enumerate(self.cats)]
                          + [cats[..., n:].float()], -1)
            mask = torch.arange(ids.shape[1])[None, :] < lens[:, None]
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True,
                                                       enforce_sorted=False)
            hs, _ = self.gru(packed)
            hs, _ = nn.utils.rnn.pad_packed_sequence(hs, batch_first=True,
                                                     total_length=ids.shape[1])
            tm = (cats[..., tt.SEQ_CATS.index("role")] == 1) & mask
            t = (hs * tm[..., None]).sum(1) / tm.sum(1, keepdim=True).clamp(min=1)
            mx = hs.masked_fill(~mask[..., None], -1e4).max(1).values
            sc = (self.att(hs) * t[:, None, :]).sum(-1).masked_fill(~mask, -1e4)
            at = (torch.softmax(sc, 1)[..., None] * hs).sum(1)
            return self.out(self.drop(torch.cat([t, mx, at], -1)))

    return SeqNet()


def _batches(rng: np.random.RandomState, tr: np.ndarray, lens: np.ndarray) -> list[np.ndarray]:
    """Shuffled batches of rows of similar length: the GRU runs as many steps as the longest
    row of a batch, so mixing lengths wastes most of the time on padding."""
    order = rng.permutation(tr)
    out: list[np.ndarray] = []
    size = SEQ_BUCKET * SEQ_BATCH
    for c in range(0, len(order), size):
        chunk = order[c : c + size]
        chunk = chunk[np.argsort(lens[chunk], kind="stable")]
        out += [chunk[b : b + SEQ_BATCH] for b in range(0, len(chunk), SEQ_BATCH)]
    return [out[i] for i in rng.permutation(len(out))]


def fit_seq(data: SeqData, tr: np.ndarray, y: np.ndarray, classes: np.ndarray,
            seed: int = 0):
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(SEQ_THREADS)
    torch.use_deterministic_algorithms(True)
    rng = np.random.RandomState(seed)
    yi = np.array([list(classes).index(c) for c in y])
    net = _seq_net(data.vectors)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=SEQ_LR)
    counts = np.bincount(yi[tr], minlength=len(classes))
    weight = torch.tensor((counts.max() / counts) ** SEQ_CLASS_POWER, dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
    for _ in range(SEQ_EPOCHS):
        net.train()
        for ix in _batches(rng, tr, data.lens):
            loss = loss_fn(net(*data.batch(ix)), torch.from_numpy(yi[ix]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net.eval()


def predict_seq(net, data: SeqData, te: np.ndarray) -> np.ndarray:
    import torch

    out = []
    with torch.no_grad():
        for b in range(0, len(te), 256):
            out.append(torch.softmax(net(*data.batch(te[b : b + 256])), -1).numpy())
    return np.concatenate(out)


def predict_seqs(nets: list, data: SeqData, te: np.ndarray) -> np.ndarray:
    """The seeds' GRUs averaged, as ``tt.target_probs`` does."""
    return np.mean([predict_seq(net, data, te) for net in nets], axis=0)


def export_seq(net) -> dict:
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    out = {f"emb_{name}": sd[f"cats.{k}.weight"] for k, name in enumerate(tt.SEQ_CATS)}
    for a, b in (("w_ih", "weight_ih_l0"), ("w_hh", "weight_hh_l0"),
                 ("b_ih", "bias_ih_l0"), ("b_hh", "bias_hh_l0")):
        out[a], out[a + "_r"] = sd[f"gru.{b}"], sd[f"gru.{b}_reverse"]
    out.update(att=sd["att.weight"], out_w=sd["out.weight"], out_b=sd["out.bias"])
    return {k: np.round(v.astype(np.float64), 5).tolist() for k, v in out.items()}


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


def export_target(model, offsets: np.ndarray, path: Path, meta: dict,
                  seqs: list[dict] | None = None) -> None:
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
    if seqs:
        raw["seqs"] = seqs
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
    ap.add_argument("--out-dir", type=Path, default=MODELS_DIR)
    ap.add_argument("--fold0-dir", type=Path, default=Path("tests/nlp/data"),
                    help="where the test-only fold-0 model and its held-out ids go")
    ap.add_argument("--report-dir", type=Path, default=None,
                    help="write fold-0 gold/prediction files for shared/eval/score.py here")
    ap.add_argument("--no-seq", action="store_true",
                    help="leave out the GRU sequence model (no PyTorch needed)")
    a = ap.parse_args(argv)
    rows = load_rows(a.data)
    y = np.array([r["label"] for r in rows])
    groups = [r["text"] for r in rows]
    sparse, dense, seq = featurise(rows)
    data = None if a.no_seq else SeqData(seq)
    folds = list(GroupKFold(FOLDS).split(sparse, y, groups))
    oof = np.zeros((len(rows), 3))
    fold0 = None
    for k, (tr, te) in enumerate(folds):
        model = fit([sparse[i] for i in tr], dense[tr], y[tr])
        classes = model[1].classes_
        oof[te] = predict_proba(model, [sparse[i] for i in te], dense[te])
        nets = []
        if data is not None:
            nets = [fit_seq(data, tr, y, classes, seed) for seed in SEQ_SEEDS]
            oof[te] = (2 * oof[te] + predict_seqs(nets, data, te)) / 3
        if k == 0:
            fold0 = (model, nets)
        print(f"fold {k} fitted", flush=True)
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
            "cv_macro_f1_pn_folds": [round(float(f), 4) for f in per_fold],
            "models": ["sparse_lr", "dense_lr"]
            + ([] if data is None else [f"bigru_seed{s}" for s in SEQ_SEEDS]),
            "source": "RuSentNE-2023 (MIT), dialogue-evaluation/RuSentNE-evaluation"}
    a.out_dir.mkdir(parents=True, exist_ok=True)
    # A model that never saw fold 0 (the CV's own fold-0 models, with offsets chosen on the
    # other folds' out-of-fold predictions), so tests can check a held-out floor on real rows.
    tr, te = folds[0]
    rest_off = choose_offsets(oof[tr], y[tr], classes)
    if fold0 is None:
        raise SystemExit("cross-validation gave no folds: nothing to export")
    fold_model, fold_nets = fold0
    a.fold0_dir.mkdir(parents=True, exist_ok=True)
    fold0_path = a.fold0_dir / "tone_target_fold0.json.gz"
    export_target(fold_model, rest_off, fold0_path,
                  {**meta, "held_out_fold": 0, "held_out_ids": None},
                  [export_seq(net) for net in fold_nets])
    (a.fold0_dir / "tone_fold0_ids.txt").write_text(
        "\n".join(sorted(rows[i]["id"] for i in te)) + "\n", encoding="utf-8")
    if fold_nets and data is not None:  # the numpy port must agree with PyTorch
        m = tt.load_target_model(fold0_path)
        gap = max(float(np.abs(tt.seq_probs(p, *seq[i])
                               - predict_seq(net, data, np.array([i]))[0]).max())
                  for i in te[:50] for p, net in zip(m.seqs, fold_nets, strict=True))
        print(f"numpy vs torch GRU, max probability gap on 50 rows: {gap:.2e}")
        assert gap < 1e-3, gap
    if a.report_dir:
        a.report_dir.mkdir(parents=True, exist_ok=True)
        ipos, ineg = list(classes).index("positive"), list(classes).index("negative")
        with open(a.report_dir / "fold0_gold.jsonl", "w", encoding="utf-8") as g, \
                open(a.report_dir / "fold0_pred.jsonl", "w", encoding="utf-8") as o:
            for i in te:
                row, pr = rows[i], oof[i]
                g.write(json.dumps(row, ensure_ascii=False) + "\n")
                t = row["targets"][0]
                o.write(json.dumps({"id": row["id"], "target_tones": [{
                    "start": t["start"], "end": t["end"],
                    "label": str(classes[int((pr + rest_off).argmax())]),
                    "score": round(float(pr[ipos] - pr[ineg]), 4)}]}, ensure_ascii=False) + "\n")
    full = fit(sparse, dense, y)
    everyone = np.arange(len(rows))
    full_nets = [] if data is None else [fit_seq(data, everyone, y, classes, seed)
                                         for seed in SEQ_SEEDS]
    export_target(full, offsets, a.out_dir / "tone_target.json.gz", meta,
                  [export_seq(net) for net in full_nets])
    p_full = predict_proba(full, sparse, dense)
    if full_nets and data is not None:
        p_full = (2 * p_full + predict_seqs(full_nets, data, everyone)) / 3
    print("full-dev (train = test, optimistic) macro-F1(pos,neg):",
          round(macro_pn(y, classes[(p_full + offsets).argmax(1)]), 4))
    print("sentence model:", train_sentence_model(rows, a.out_dir / "tone_sentence.json.gz"))
    # The run-time form -> lemma table must follow the sentence model's vocabulary.
    print("form table:", tone.write_form_table(a.out_dir / "tone_sentence_forms.json.gz",
                                               a.out_dir / "tone_sentence.json.gz"), "forms")


if __name__ == "__main__":
    main()
