"""Train the Russian NER corrector on factRuEval-style JSON Lines and measure it honestly.

    python -m pipeline.nlp.ru_ner_train fit GOLD.jsonl [--out DIR]
    python -m pipeline.nlp.ru_ner_train cv GOLD.jsonl --pred PRED.jsonl [--folds 5]

``fit`` writes the shipped models (trained on all of GOLD); ``cv`` writes out-of-fold
predictions in the contract's form, for ``shared/eval/score.py ner``: every document is
tagged by models that never saw it (folds are whole documents).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
from pathlib import Path

from pipeline.nlp import ru_ner_corrector as corrector
from pipeline.nlp.ru_ner_corrector import TaggedToken
from pipeline.nlp.russian import _analyse
from pipeline.nlp.types import ENTITY_TYPES

# factRuEval's labels; LocOrg (a state or city acting as an actor) is a location in scoring.
GOLD_TYPES = {"Person": "PER", "Location": "LOC", "LocOrg": "LOC", "Org": "ORG"}
C1, C2, ITERATIONS = 0.1, 0.05, 150
_WORD = re.compile(r"\w")

Sentences = list[list[TaggedToken]]


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


def load(path: Path) -> list[tuple[dict, Sentences]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(row, [tagged for _, tagged in _analyse(row["text"], ner=True)]) for row in rows]


def _type_spans(row: dict, entity_type: str) -> list[tuple[int, int]]:
    return [
        (s["start"], s["end"]) for s in row["labels"] if GOLD_TYPES.get(s["label"]) == entity_type
    ]


def fit(docs: list[tuple[dict, Sentences]], out_dir: Path) -> None:
    import pycrfsuite

    for entity_type in ENTITY_TYPES:
        trainer = pycrfsuite.Trainer(verbose=False)
        for row, sentences in docs:
            spans = _type_spans(row, entity_type)
            for sentence in sentences:
                trainer.append(corrector.features(sentence), gold_labels(sentence, spans))
        trainer.set_params({"c1": C1, "c2": C2, "max_iterations": ITERATIONS,
                            "feature.possible_transitions": True})
        trainer.train(str(corrector.model_path(entity_type, out_dir)))


def _predict(sentences: Sentences, model_dir: Path, text: str) -> list[dict]:
    import pycrfsuite

    entities = []
    for entity_type in ENTITY_TYPES:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(corrector.model_path(entity_type, model_dir)))
        for sentence in sentences:
            labels = tagger.tag(corrector.features(sentence))
            for start, end, t in corrector.spans_from_labels(sentence, labels, entity_type):
                entities.append({"start": start, "end": end, "type": t,
                                 "text": text[start:end], "canonical": None})
    return entities


def cross_validate(docs: list[tuple[dict, Sentences]], folds: int, seed: int = 0) -> list[dict]:
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    predictions: dict[int, list[dict]] = {}
    for fold in range(folds):
        held_out = set(order[fold::folds])
        with tempfile.TemporaryDirectory() as tmp:
            fit([d for k, d in enumerate(docs) if k not in held_out], Path(tmp))
            for k in held_out:
                row, sentences = docs[k]
                predictions[k] = _predict(sentences, Path(tmp), row["text"])
    return [{"id": docs[k][0]["id"], "entities": predictions[k]} for k in range(len(docs))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("command", choices=["fit", "cv"])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--out", type=Path, default=corrector.MODEL_DIR, help="model folder (fit)")
    ap.add_argument("--pred", type=Path, help="out-of-fold predictions to write (cv)")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    docs = load(args.gold)
    if args.command == "fit":
        fit(docs, args.out)
        return
    if args.pred is None:
        ap.error("cv needs --pred")
    rows = cross_validate(docs, args.folds)
    with args.pred.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
