"""Train the Russian NER corrector on factRuEval-style JSON Lines and measure it honestly.

    python -m pipeline.nlp.russian.train classes [--out FILE]
    python -m pipeline.nlp.russian.train fit GOLD.jsonl [--out DIR]
    python -m pipeline.nlp.russian.train cv GOLD.jsonl --pred PRED.jsonl [--folds 5]

``classes`` builds the word classes (k-means over navec's vectors; needs no gold data);
``fit`` writes the shipped CRFs (trained on all of GOLD); ``cv`` writes out-of-fold
predictions in the contract's form, for ``shared/eval/score.py ner``: every document is
tagged by models that never saw it (folds are whole documents). CRF settings are fixed a
priori, not tuned on this data. Everything is deterministic (fixed seeds).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.nlp.russian import corrector
from pipeline.nlp.russian.corrector import TaggedToken
from pipeline.nlp.russian.parser import _tagged
from pipeline.nlp.types import ENTITY_TYPES

# factRuEval's labels; LocOrg (a state or city acting as an actor) is a location in scoring.
GOLD_TYPES = {"Person": "PER", "Location": "LOC", "LocOrg": "LOC", "Org": "ORG"}
C1, C2, ITERATIONS = 0.1, 0.05, 150
CLASS_WORDS = 100_000  # the most frequent navec words get a class; rarer ones share "none"
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Document:
    row: dict
    sentences: list[list[TaggedToken]]
    features: list[list[list[str]]]  # per sentence, computed once for every fold


def gold_labels(sentence: list[TaggedToken], spans: list[tuple[int, int]]) -> list[str]:
    """B/I/O for one type: a token is inside when it overlaps a gold span of that type.

    Same-type nesting collapses to the outermost span; punctuation never opens a span.
    """
    labels: list[str] = []
    current: tuple[int, int] | None = None
    for item in sentence:
        tok = item.token
        inside = [s for s in spans if tok.start < s[1] and tok.end > s[0]]
        if not inside or (current is None and not _WORD.search(tok.text)):
            labels.append("O")
            current = None
            continue
        outer = min(inside, key=lambda s: (s[0], -s[1]))
        labels.append("I" if current is not None and outer[0] < tok.start else "B")
        current = outer
    return labels


def load(path: Path) -> list[Document]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    docs = []
    for row in rows:
        sentences = [tagged for _, tagged in _tagged(row["text"])]
        docs.append(Document(row, sentences, [corrector.features(s) for s in sentences]))
    return docs


def _type_spans(row: dict, entity_type: str) -> list[tuple[int, int]]:
    return [
        (s["start"], s["end"]) for s in row["labels"] if GOLD_TYPES.get(s["label"]) == entity_type
    ]


def _train(docs: list[Document], entity_type: str, path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for doc in docs:
        spans = _type_spans(doc.row, entity_type)
        for sentence, x in zip(doc.sentences, doc.features, strict=True):
            trainer.append(x, gold_labels(sentence, spans))
    trainer.set_params({"c1": C1, "c2": C2, "max_iterations": ITERATIONS,
                        "feature.possible_transitions": True})
    trainer.train(str(path))


def fit(docs: list[Document], out_dir: Path) -> None:
    for entity_type in ENTITY_TYPES:
        _train(docs, entity_type, corrector.model_path(entity_type, out_dir))


def _predict(doc: Document, tagger: corrector.Tagger) -> list[dict]:
    text = doc.row["text"]
    return [{"start": start, "end": end, "type": t, "text": text[start:end], "canonical": None}
            for sentence in doc.sentences for start, end, t in tagger(sentence)]


def cross_validate(docs: list[Document], folds: int, seed: int = 0) -> list[dict]:
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    predictions: dict[int, list[dict]] = {}
    for fold in range(folds):
        held_out = set(order[fold::folds])
        with tempfile.TemporaryDirectory() as tmp:
            fit([docs[k] for k in order if k not in held_out], Path(tmp))
            tagger = corrector.Tagger(Path(tmp))
            for k in held_out:
                predictions[k] = _predict(docs[k], tagger)
    return [{"id": docs[k].row["id"], "entities": predictions[k]} for k in range(len(docs))]


def build_word_classes(out: Path, words: int = CLASS_WORDS, seed: int = 0) -> None:
    """k-means (cosine, 15 rounds) of the most frequent navec words at each granularity of
    ``corrector.CLASS_SIZES``; written as little-endian uint16 rows aligned with navec's
    vocabulary, the class count itself standing for "rare word"."""
    import numpy as np

    from pipeline.nlp.russian import models as natasha_models

    emb = natasha_models.embedding()
    counts = np.asarray(emb.vocab.counts)
    top = np.argsort(-counts, kind="stable")[:words]
    pq = emb.pq
    codes = pq.indexes[top]
    x = np.concatenate([pq.codes[q][codes[:, q]] for q in range(pq.qdim)], axis=1)
    x = x.astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(seed)
    rows = []
    for k in corrector.CLASS_SIZES:
        centres = x[rng.choice(len(x), k, replace=False)].copy()
        labels = np.empty(len(x), dtype=np.int64)
        for _ in range(15):
            for s in range(0, len(x), 20_000):
                labels[s:s + 20_000] = np.argmax(x[s:s + 20_000] @ centres.T, axis=1)
            for c in range(k):
                members = labels == c
                if members.any():
                    centre = x[members].mean(0)
                    centres[c] = centre / (np.linalg.norm(centre) + 1e-9)
        row = np.full(len(emb.vocab.words), k, dtype="<u2")
        row[top] = labels
        rows.append(row)
    np.stack(rows).tofile(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("command", choices=["classes", "fit", "cv"])
    ap.add_argument("gold", type=Path, nargs="?")
    ap.add_argument("--out", type=Path, help="model folder (fit) or word-class file (classes)")
    ap.add_argument("--pred", type=Path, help="out-of-fold predictions to write (cv)")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    if args.command == "classes":
        build_word_classes(args.out or corrector.WORDCLASS_PATH)
        return
    if args.gold is None:
        ap.error(f"{args.command} needs GOLD")
    docs = load(args.gold)
    if args.command == "fit":
        fit(docs, args.out or corrector.MODEL_DIR)
        return
    if args.pred is None:
        ap.error("cv needs --pred")
    rows = cross_validate(docs, args.folds)
    with args.pred.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
