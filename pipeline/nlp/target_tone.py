"""Tone toward a target mention, trained on RuSentNE-2023 (``tone_train``).

Three models: a logistic regression on sparse context features (lemmas by side and
distance, negation, syntax head/children), one on navec vectors of the context, and a small
bidirectional GRU over the sentence's tokens (navec vector plus the token's position relative
to the target, its distance to the target in the dependency tree, relation, POS, syntactic
role toward the target and negation), pooled at the target, by max and by target-queried
attention. The GRU is trained from several seeds and their probabilities averaged, because a
single run's F1 swings by a few points with the seed. The three models' probabilities are
then averaged and shifted by offsets chosen by grouped cross-validation. Weights ship as gzip'd
JSON; inference is numpy (the GRUs were trained with PyTorch). natasha objects never leave
this module.
"""

from __future__ import annotations

import gzip
import json
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.models import model_file
from pipeline.nlp import lexicon
from pipeline.nlp.russian import models as natasha_models
from pipeline.nlp.tone import LABELS, sentence_bounds

TARGET_MODEL = model_file("tone_target.json.gz")
NEGATORS = frozenset({"не", "нет", "ни", "без"})
WINDOW = 5
EMB_DIM = 300

__all__ = ["LABELS", "TARGET_MODEL", "load_target_model", "parse", "target_tone",
           "target_tones"]

# ---- natasha, loaded once per process ----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Tok:
    """A parsed token: offsets in its sentence, form, lemma, POS, syntax head index and rel."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str
    head: int | None
    rel: str


@lru_cache(maxsize=1)
def _natasha() -> dict[str, Any]:
    return {"seg": natasha_models.segmenter(), "emb": natasha_models.embedding(),
            "morph": natasha_models.morph_tagger(), "syntax": natasha_models.syntax_parser(),
            "vocab": natasha_models.morph_vocab()}


@lru_cache(maxsize=4096)
def parse(text: str) -> tuple[Tok, ...]:
    """Tokens of a (short) text with lemmas and a dependency parse; offsets index ``text``."""
    from natasha import Doc

    nlp = _natasha()
    doc = Doc(text)
    doc.segment(nlp["seg"])
    doc.tag_morph(nlp["morph"])
    doc.parse_syntax(nlp["syntax"])
    out: list[Tok] = []
    for sent in doc.sents:
        ids = {t.id: k for k, t in enumerate(sent.tokens)}
        base = len(out)
        for t in sent.tokens:
            t.lemmatize(nlp["vocab"])
            head = ids.get(t.head_id)
            out.append(Tok(t.start, t.stop, t.text, lexicon.normalise(t.lemma or t.text),
                           t.pos or "", None if head is None else base + head, t.rel or ""))
    return tuple(out)




# ---- target features (shared with tone_train) ---------------------------------------------

def _bucket(d: int) -> str:
    return "1" if d == 1 else "2" if d <= 3 else "4" if d <= 6 else "7" if d <= 12 else "far"


def _target_span(toks: Sequence[Tok], start: int, end: int) -> tuple[int, int]:
    idx = [i for i, t in enumerate(toks) if t.start < end and t.end > start]
    if not idx:  # span between tokens: take the nearest one
        idx = [min(range(len(toks)), key=lambda i: abs(toks[i].start - start))]
    return min(idx), max(idx)


def sparse_features(toks: Sequence[Tok], start: int, end: int) -> list[str]:
    """Context of the target as feature strings: lemmas (negation-marked) in the sentence and
    by side/distance, the target's own lemmas, and its syntactic head, siblings and children."""
    if not toks:
        return []
    lo, hi = _target_span(toks, start, end)
    negated = [False] * len(toks)
    for i, t in enumerate(toks):
        if t.lemma in NEGATORS:
            for j in range(i + 1, min(i + 3, len(toks))):
                negated[j] = True
    out: list[str] = []
    for i, t in enumerate(toks):
        if lo <= i <= hi:
            out.append("T:" + t.lemma)
            continue
        if t.pos == "PUNCT":
            continue
        tag = ("NEG_" if negated[i] else "") + t.lemma
        out.append("w:" + tag)
        d = lo - i if i < lo else i - hi
        if d <= WINDOW:
            out.append(("L" if i < lo else "R") + _bucket(d) + ":" + tag)
    inside = range(lo, hi + 1)
    roots = [i for i in inside if toks[i].head not in inside] or [lo]
    for i in roots:
        out.append("REL:" + toks[i].rel)
        h, depth = toks[i].head, 0
        while h is not None and depth < 3:
            out.append(f"H{depth}:{toks[h].lemma}")
            if depth == 0:
                out.append(f"HR:{toks[i].rel}:{toks[h].lemma}")
                out += [f"S:{t.rel}:{t.lemma}" for k, t in enumerate(toks)
                        if t.head == h and k not in inside and t.pos != "PUNCT"]
            nxt = toks[h].head
            if nxt == h:
                break
            h, depth = nxt, depth + 1
    out += [f"C:{t.rel}:{t.lemma}" for k, t in enumerate(toks)
            if t.head in inside and k not in inside and t.pos != "PUNCT"]
    return out


def _vec(t: Tok) -> np.ndarray | None:
    emb = _natasha()["emb"]
    for w in (t.text.lower(), t.lemma):
        if w in emb:
            return emb[w]
    return None


def dense_features(toks: Sequence[Tok], start: int, end: int) -> np.ndarray:
    """Mean navec vectors of: 3 words left, 3 right, the rest, the target, and its head."""
    zero = np.zeros(EMB_DIM, dtype=np.float32)
    if not toks:
        return np.zeros(5 * EMB_DIM, dtype=np.float32)
    lo, hi = _target_span(toks, start, end)
    vecs = [None if t.pos == "PUNCT" else _vec(t) for t in toks]

    def mean(keep: Iterable[int]) -> np.ndarray:
        vs = [v for i in keep if (v := vecs[i]) is not None]
        return np.mean(vs, axis=0) if vs else zero

    n = len(toks)
    inside = range(lo, hi + 1)
    roots = [i for i in inside if toks[i].head not in inside] or [lo]
    head = toks[roots[0]].head
    head_vec = vecs[head] if head is not None and vecs[head] is not None else zero
    return np.concatenate([
        mean(range(max(0, lo - 3), lo)), mean(range(hi + 1, min(n, hi + 4))),
        mean([i for i in range(n) if i < lo - 3 or i > hi + 3]), mean(inside), head_vec,
    ]).astype(np.float32)


# Categorical inputs of the sequence model: relative position (clipped to +-15), tree distance
# to the target (clipped to 8), relation, POS, role toward the target, negated.
SEQ_RELS = ("punct", "nmod", "case", "amod", "obl", "nsubj", "root", "appos", "conj", "obj",
            "flat:name", "cc", "advmod", "det", "xcomp", "mark", "parataxis", "acl", "nummod",
            "fixed", "flat:foreign", "ccomp", "iobj", "nsubj:pass", "acl:relcl", "flat", "advcl",
            "aux:pass", "nummod:gov", "cop", "csubj", "aux", "obl:agent", "discourse")
SEQ_POS = ("NOUN", "PUNCT", "PROPN", "ADP", "ADJ", "VERB", "CCONJ", "ADV", "PRON", "NUM",
           "SCONJ", "DET", "X", "PART", "AUX", "SYM")
SEQ_CATS = ("relpos", "dist", "rel", "pos", "role")  # then the negation flag
SEQ_SIZES = (31, 9, len(SEQ_RELS) + 1, len(SEQ_POS) + 1, 6)


def seq_inputs(toks: Sequence[Tok], start: int, end: int) -> tuple[list[str | None], np.ndarray]:
    """Per token: its navec key (or None) and the categorical codes of ``SEQ_CATS`` + negation.
    Roles: 1 target, 2 its head, 3 its child, 4 its sibling, 5 a further ancestor, 0 other."""
    emb = _natasha()["emb"]
    lo, hi = _target_span(toks, start, end)
    n = len(toks)
    inside = set(range(lo, hi + 1))
    adj: list[list[int]] = [[] for _ in range(n)]
    for i, t in enumerate(toks):
        if t.head is not None and t.head != i:
            adj[i].append(t.head)
            adj[t.head].append(i)
    dist = [99] * n
    for i in inside:
        dist[i] = 0
    queue = deque(sorted(inside))
    while queue:
        a = queue.popleft()
        for b in adj[a]:
            if dist[b] > dist[a] + 1:
                dist[b] = dist[a] + 1
                queue.append(b)
    roots = [i for i in sorted(inside) if toks[i].head not in inside] or [lo]
    head = toks[roots[0]].head
    ancestors: set[int] = set()
    h = head
    while h is not None and h not in ancestors:
        ancestors.add(h)
        h = toks[h].head
    negated = [False] * n
    for i, t in enumerate(toks):
        if t.lemma in NEGATORS:
            for j in range(i + 1, min(i + 3, n)):
                negated[j] = True
    keys: list[str | None] = []
    cats = np.zeros((n, len(SEQ_CATS) + 1), dtype=np.int64)
    for i, t in enumerate(toks):
        w = t.text.lower()
        keys.append(w if w in emb else t.lemma if t.lemma in emb else None)
        rp = 0 if i in inside else (i - lo if i < lo else i - hi)
        role = (1 if i in inside else 2 if i == head else 3 if t.head in inside
                else 4 if head is not None and t.head == head else 5 if i in ancestors else 0)
        cats[i] = (max(-15, min(15, rp)) + 15, min(dist[i], 8),
                   SEQ_RELS.index(t.rel) + 1 if t.rel in SEQ_RELS else 0,
                   SEQ_POS.index(t.pos) + 1 if t.pos in SEQ_POS else 0, role, int(negated[i]))
    return keys, cats


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _gru(x: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b_ih: np.ndarray,
         b_hh: np.ndarray) -> np.ndarray:
    """One GRU direction over ``x`` (n, d), PyTorch gate order (r, z, n); returns (n, h)."""
    hid = w_hh.shape[1]
    gi = x @ w_ih.T + b_ih
    h = np.zeros(hid, dtype=np.float32)
    out = np.empty((len(x), hid), dtype=np.float32)
    for i in range(len(x)):
        gh = w_hh @ h + b_hh
        r = _sigmoid(gi[i, :hid] + gh[:hid])
        z = _sigmoid(gi[i, hid:2 * hid] + gh[hid:2 * hid])
        c = np.tanh(gi[i, 2 * hid:] + r * gh[2 * hid:])
        h = (1 - z) * c + z * h
        out[i] = h
    return out


def seq_input_matrix(keys: Sequence[str | None], cats: np.ndarray) -> np.ndarray:
    """The navec vectors of the tokens (zero when unknown); shared by every seed's GRU."""
    emb = _natasha()["emb"]
    zero = np.zeros(EMB_DIM, dtype=np.float32)
    return np.stack([emb[k] if k is not None else zero for k in keys]).astype(np.float32)


def seq_probs(p: dict[str, np.ndarray], keys: Sequence[str | None] | None,
              cats: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
    """Class probabilities of one sequence model (numpy port of ``tone_train.SeqNet``);
    ``x`` is ``seq_input_matrix(keys, cats)`` when the caller already has it."""
    parts = [seq_input_matrix(keys or [], cats) if x is None else x]
    parts += [p[f"emb_{name}"][cats[:, j]] for j, name in enumerate(SEQ_CATS)]
    parts.append(cats[:, len(SEQ_CATS):].astype(np.float32))
    x = np.concatenate(parts, axis=1)
    fwd = _gru(x, p["w_ih"], p["w_hh"], p["b_ih"], p["b_hh"])
    bwd = _gru(x[::-1], p["w_ih_r"], p["w_hh_r"], p["b_ih_r"], p["b_hh_r"])[::-1]
    hs = np.concatenate([fwd, bwd], axis=1)
    t = hs[cats[:, SEQ_CATS.index("role")] == 1].mean(axis=0)
    att = _softmax((hs @ p["att"].T) @ t)
    z = np.concatenate([t, hs.max(axis=0), att @ hs]) @ p["out_w"].T + p["out_b"]
    return _softmax(z)


# ---- target tone inference ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _TargetModel:
    classes: tuple[str, ...]
    vocab: dict[str, int]
    sparse_w: np.ndarray  # (n_features, n_classes)
    sparse_b: np.ndarray
    dense_w: np.ndarray  # (5 * EMB_DIM, n_classes)
    dense_b: np.ndarray
    offsets: np.ndarray  # added to the averaged probabilities before argmax
    seqs: tuple[dict[str, np.ndarray], ...] = ()  # one GRU per training seed


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def load_target_model(path: Path = TARGET_MODEL) -> _TargetModel:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = json.load(f)
    feats = raw["sparse"]["features"]
    return _TargetModel(
        tuple(raw["classes"]), {k: i for i, k in enumerate(feats)},
        np.array([feats[k] for k in feats], dtype=np.float32).reshape(len(feats), -1),
        np.array(raw["sparse"]["intercept"], dtype=np.float32),
        np.array(raw["dense"]["coef"], dtype=np.float32),
        np.array(raw["dense"]["intercept"], dtype=np.float32),
        np.array(raw["offsets"], dtype=np.float32),
        tuple({k: np.array(v, dtype=np.float32) for k, v in net.items()}
              for net in raw.get("seqs", [])))


@lru_cache(maxsize=4)
def _target_model(path: str = str(TARGET_MODEL)) -> _TargetModel:
    return load_target_model(Path(path))


def target_probs(model: _TargetModel, feats: list[str], dense: np.ndarray,
                 seq: tuple[Sequence[str | None], np.ndarray] | None = None) -> np.ndarray:
    """Averaged class probabilities of the sparse, the dense and (when given) the sequence
    model, itself the mean over its seeds."""
    idx = sorted({model.vocab[f] for f in feats if f in model.vocab})
    zs = model.sparse_b + model.sparse_w[idx].sum(axis=0)
    zd = model.dense_b + dense @ model.dense_w
    probs = [_softmax(zs), _softmax(zd)]
    if model.seqs and seq is not None:
        x = seq_input_matrix(*seq)
        probs.append(np.mean([seq_probs(p, None, seq[1], x=x) for p in model.seqs], axis=0))
    return np.mean(probs, axis=0)


def _sentence_of(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence holding the span, and its offset, so long articles parse quickly."""
    if len(text) <= 400:
        return text, 0
    for s_start, s_end in sentence_bounds(text):
        if s_start <= start < s_end:
            return text[s_start : max(s_end, end)], s_start
    return text, 0


def target_tones(items: Sequence[tuple[str, int, int]],
                 model_path: Path = TARGET_MODEL) -> list[tuple[str, float]]:
    """Batch form of ``target_tone`` over (text, start, end) triples."""
    model = _target_model(str(model_path))
    pos, neg = model.classes.index("positive"), model.classes.index("negative")
    out: list[tuple[str, float]] = []
    for text, start, end in items:
        sent, off = _sentence_of(text, start, end)
        toks = parse(sent)
        if not toks:
            out.append(("neutral", 0.0))
            continue
        s, e = start - off, end - off
        p = target_probs(model, sparse_features(toks, s, e), dense_features(toks, s, e),
                         seq_inputs(toks, s, e) if model.seqs else None)
        label = model.classes[int(np.argmax(p + model.offsets))]
        out.append((label, round(float(p[pos] - p[neg]), 4)))
    return out


def target_tone(text: str, start: int, end: int) -> tuple[str, float]:
    """Tone toward the mention ``text[start:end]``: (label, score in [-1, 1])."""
    return target_tones([(text, start, end)])[0]
