"""A machine DRAFT of the seed profile, for an analyst to compare with ``seeds/profile.yaml``.

From the seed documents it lists the named entities natasha finds (normalised and counted),
the words and 2-3-word phrases that stand out against general Russian news, and each seed
document's own top words; every item says whether the curated profile already covers it.
The yardstick is a lemma-frequency table of general news shipped in the package
(``pipeline/models/background_ru.json.gz``), built by :func:`build_background` from
factRuEval-2016 texts and RuSentNE-2023 sentences (both MIT; see NOTICE).

Words are scored by the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
and Quinn 2008): it ranks by how much more frequent a lemma is in the seeds than in the
background, with the uncertainty of small counts taken into account.

The draft is written beside the profile as ``profile.draft.yaml``; it never replaces the
curated file unless asked to explicitly.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.analysis.matcher import get_matcher
from pipeline.models import model_file
from pipeline.profile import DEFAULT_PATH, load_profile

BACKGROUND_PATH = model_file("background_ru.json.gz")
DRAFT_NAME = "profile.draft.yaml"
CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})
MIN_BACKGROUND_COUNT = 2  # rarer lemmas are left out of the shipped table to keep it small
_PRIOR_MASS = 500.0  # total pseudo-count of the background prior


@dataclass(frozen=True, kw_only=True)
class _Parsed:
    lemmas: list[list[str]]  # per sentence, content lemmas in order ("" marks a gap)
    entities: list[tuple[str, str]]  # (normal form, type)


@lru_cache(maxsize=1)
def _natasha() -> tuple[Any, ...]:
    # Imported here: the CLI's other commands must not pay natasha's load time.
    from natasha import (
        Doc,
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        Segmenter,
    )

    emb = NewsEmbedding()
    return Doc, Segmenter(), MorphVocab(), NewsMorphTagger(emb), NewsNERTagger(emb)


def _parse(text: str, *, ner: bool = True) -> _Parsed:
    doc_cls, segmenter, vocab, morph, ner_tagger = _natasha()
    doc = doc_cls(text)
    doc.segment(segmenter)
    doc.tag_morph(morph)
    sentences: list[list[str]] = []
    for sent in doc.sents:
        row = []
        for token in sent.tokens:
            token.lemmatize(vocab)
            keep = token.pos in CONTENT_POS and token.lemma and token.lemma.isalpha()
            row.append(token.lemma.lower().replace("ё", "е") if keep else "")
        sentences.append(row)
    entities: list[tuple[str, str]] = []
    if ner:
        doc.tag_ner(ner_tagger)
        for span in doc.spans:
            span.normalize(vocab)
            entities.append((span.normal or span.text, span.type))
    return _Parsed(lemmas=sentences, entities=entities)


def _background_texts(paths: Iterable[Path]) -> Iterator[str]:
    seen: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8") as f:
            for line in f:
                text = json.loads(line).get("text", "")
                if text and text not in seen:  # RuSentNE repeats a sentence per target
                    seen.add(text)
                    yield text


def build_background(sources: Iterable[Path], output: Path = BACKGROUND_PATH) -> Path:
    """Count content lemmas of general news in ``sources`` (JSON Lines with a "text" field)
    and write the table shipped with the package."""
    counts: Counter[str] = Counter()
    docs = 0
    for text in _background_texts(sources):
        docs += 1
        for sentence in _parse(text, ner=False).lemmas:
            counts.update(lemma for lemma in sentence if lemma)
    table = {"docs": docs, "tokens": sum(counts.values()),
             "counts": {k: v for k, v in counts.most_common() if v >= MIN_BACKGROUND_COUNT}}
    output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(output, "wt", encoding="utf-8") as f:
        json.dump(table, f, ensure_ascii=False, separators=(",", ":"))
    return output


def load_background(path: Path = BACKGROUND_PATH) -> tuple[Counter[str], int]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        table = json.load(f)
    return Counter(table["counts"]), int(table["tokens"])


def log_odds(target: Counter[str], background: Counter[str], background_total: int
             ) -> dict[str, float]:
    """z-scores of the log-odds ratio of each target lemma against the background, with the
    background as an informative Dirichlet prior."""
    n_target = sum(target.values())
    scores = {}
    for word, y in target.items():
        b = background.get(word, 0)
        # Half a count on top of the background share: a lemma the small background never
        # saw (ОДКБ) must not get an infinite variance and vanish from the ranking.
        prior = 0.5 + _PRIOR_MASS * b / background_total
        delta = (math.log((y + prior) / (n_target + _PRIOR_MASS - y - prior))
                 - math.log((b + prior) / (background_total + _PRIOR_MASS - b - prior)))
        scores[word] = delta / math.sqrt(1.0 / (y + prior) + 1.0 / (b + prior))
    return scores


def _ngrams(sentences: list[list[str]], n: int) -> Counter[str]:
    grams: Counter[str] = Counter()
    for sentence in sentences:
        for i in range(len(sentence) - n + 1):
            window = sentence[i:i + n]
            if all(window):
                grams[" ".join(window)] += 1
    return grams


def _covered(text: str) -> list[str]:
    """What in the curated profile already matches ``text`` (kind:id)."""
    hits = get_matcher().match(text)
    return sorted({f"{h.kind}:{h.id}" for h in hits})


def build_draft(seed_dir: Path, *, background: Path = BACKGROUND_PATH,
                top_n: int = 40) -> dict[str, Any]:
    """The draft profile as a plain dict (see the module docstring)."""
    seeds = sorted(seed_dir.glob("*.txt"))
    if not seeds:
        raise FileNotFoundError(f"{seed_dir}: no seed documents (*.txt)")
    bg_counts, bg_total = load_background(background)
    parsed = {path.stem: _parse(path.read_text(encoding="utf-8")) for path in seeds}
    all_lemmas: Counter[str] = Counter()
    entity_counts: Counter[tuple[str, str]] = Counter()
    for doc in parsed.values():
        for sentence in doc.lemmas:
            all_lemmas.update(lemma for lemma in sentence if lemma)
        entity_counts.update(doc.entities)

    z = log_odds(all_lemmas, bg_counts, bg_total)
    terms = sorted(z, key=lambda w: -z[w])[:top_n]
    phrases: list[dict[str, Any]] = []
    for n in (2, 3):
        grams: Counter[str] = Counter()
        for doc in parsed.values():
            grams.update(_ngrams(doc.lemmas, n))
        # A phrase stands out when it recurs and its words stand out on their own.
        scored = {g: c * sum(max(z.get(w, 0.0), 0.0) for w in g.split()) / n
                  for g, c in grams.items() if c >= 2}
        for gram in sorted(scored, key=lambda g: -scored[g])[:top_n // 2]:
            phrases.append({"phrase": gram, "count": grams[gram], "score": round(scored[gram], 2),
                            "covered_by": _covered(gram)})

    documents = {}
    for stem, doc in parsed.items():
        own: Counter[str] = Counter(w for s in doc.lemmas for w in s if w)
        doc_z = log_odds(own, bg_counts + (all_lemmas - own), bg_total + sum(all_lemmas.values())
                         - sum(own.values()))
        documents[stem] = [w for w in sorted(doc_z, key=lambda w: -doc_z[w])[:15]]

    profile = load_profile()
    return {
        "draft_of": str(DEFAULT_PATH.name),
        "profile_version": profile.version,
        "seeds": [p.stem for p in seeds],
        "background": {"file": background.name, "tokens": bg_total},
        "entities": [{"text": text, "type": etype, "count": count, "covered_by": _covered(text)}
                     for (text, etype), count in entity_counts.most_common(top_n * 2)],
        "terms": [{"lemma": w, "count": all_lemmas[w], "z": round(z[w], 2),
                   "covered_by": _covered(w)} for w in terms],
        "phrases": phrases,
        "documents": documents,
    }


def write_draft(seed_dir: Path, output: Path | None = None, *, top_n: int = 40,
                background: Path = BACKGROUND_PATH, overwrite_profile: bool = False) -> Path:
    """Build the draft from ``seed_dir`` and write it as YAML (default
    ``seed_dir/profile.draft.yaml``); returns the path written. Refuses to replace the
    curated ``profile.yaml`` unless ``overwrite_profile`` is set."""
    output = output or seed_dir / DRAFT_NAME
    if output.name == DEFAULT_PATH.name and not overwrite_profile:
        raise FileExistsError(f"{output}: refusing to overwrite the curated profile; write the "
                              f"draft elsewhere (default {DRAFT_NAME})")
    draft = build_draft(seed_dir, background=background, top_n=top_n)
    header = ("# DRAFT written by `steppewatch seeds build`: compare with profile.yaml and copy\n"
              "# what is worth keeping by hand. covered_by lists what the profile matches.\n")
    output.write_text(header + yaml.safe_dump(draft, allow_unicode=True, sort_keys=False,
                                              width=100), encoding="utf-8")
    return output
