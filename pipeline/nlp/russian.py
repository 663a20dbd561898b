"""Russian analysis with natasha: sentences, lemmatised tokens and corrected named entities.

natasha objects stay inside this module; callers get the records of ``types``. The models
load once per process, on first use (about 0.7 s and 290 MB).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.nlp import natasha_models, ru_ner_corrector
from pipeline.nlp.ru_ner_corrector import TaggedToken
from pipeline.nlp.types import EntitySpan, Sentence, Token

# Russian family names: stem in -ев/-ов/-ин/-ын plus an optional case ending. pymorphy often
# reads an unknown nominative (Токаев) as a plural form of something else (токай).
_FAMILY_NAME = re.compile(r"^(\w+?(?:ев|ов|ин|ын))(а|у|ым|ом|е|ой|ою|ы|ых|ыми)?$")


@dataclass(frozen=True, slots=True)
class _Models:
    segmenter: Any
    morph: Any
    ner: Any
    vocab: Any


def _segmenter() -> Any:
    return natasha_models.segmenter()


@lru_cache(maxsize=1)
def _models() -> _Models:
    return _Models(natasha_models.segmenter(), natasha_models.morph_tagger(),
                   natasha_models.ner_tagger(), natasha_models.morph_vocab())


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def fix_lemma(text: str, lemma: str, *, proper: bool) -> str:
    """Repair the lemma of a family name («Токаев» → токаев, not токай); others pass through.

    Only proper nouns and PER tokens are touched, and only when natasha's lemma is not the
    name's own stem (or its feminine form), so «Ирина», «Берлине», «Ивановой» keep theirs.
    """
    if not proper:
        return lemma
    match = _FAMILY_NAME.match(_norm(text))
    if match is None:
        return lemma
    stem = match.group(1)
    if lemma in (stem, stem + "а"):
        return lemma
    return stem


def _tag(start: int, spans: list[tuple[int, int, str]]) -> str:
    for s_start, s_end, s_type in spans:
        if s_start <= start < s_end:
            return ("B-" if start == s_start else "I-") + s_type
    return "O"


def _analyse(text: str, *, ner: bool) -> list[tuple[Sentence, list[TaggedToken]]]:
    """natasha's segmentation, morphology and (optionally) NER, as project records."""
    from natasha import Doc

    models = _models()
    doc = Doc(text)
    doc.segment(models.segmenter)
    doc.tag_morph(models.morph)
    natasha_spans: list[tuple[int, int, str]] = []
    if ner:
        doc.tag_ner(models.ner)
        natasha_spans = [(s.start, s.stop, s.type) for s in doc.spans]
    out: list[tuple[Sentence, list[TaggedToken]]] = []
    for sent in doc.sents:
        tagged: list[TaggedToken] = []
        for tok in sent.tokens:
            tok.lemmatize(models.vocab)
            tag = _tag(tok.start, natasha_spans)
            proper = tok.pos == "PROPN" or tag.endswith("PER")
            lemma = fix_lemma(tok.text, _norm(tok.lemma or tok.text), proper=proper)
            token = Token(start=tok.start, end=tok.stop, text=tok.text, lemma=lemma, pos=tok.pos)
            tagged.append(TaggedToken(token=token, case=tok.feats.get("Case", ""), ner=tag))
        sentence = Sentence(start=sent.start, end=sent.stop, text=sent.text)
        out.append((sentence, tagged))
    return out


def parse(text: str, *, ner: bool = True) -> tuple[list[Sentence], list[Token], list[EntitySpan]]:
    """Sentences, tokens (lower-case lemmas, ё→е) and PER/LOC/ORG spans of a Russian text.

    Entities are natasha's, re-tagged by the factRuEval-trained corrector: whole organisation
    mentions, nested LOC inside ORG, abbreviations typed by context. ``canonical`` is left
    empty; the gazetteer linker fills it.
    """
    analysed = _analyse(text, ner=ner)
    sentences = [sentence for sentence, _ in analysed]
    tokens = [item.token for _, tagged in analysed for item in tagged]
    entities: list[EntitySpan] = []
    if ner:
        for _, tagged in analysed:
            for start, end, entity_type in ru_ner_corrector.correct(tagged):
                entities.append(
                    EntitySpan(start=start, end=end, type=entity_type, text=text[start:end])
                )
        entities.sort(key=lambda e: (e.start, -e.end, e.type))
    return sentences, tokens, entities


def sentences(text: str) -> list[Sentence]:
    """Sentence split only (natasha's razdel-based segmenter, no models run)."""
    from natasha import Doc

    doc = Doc(text)
    doc.segment(_segmenter())
    return [Sentence(start=s.start, end=s.stop, text=s.text) for s in doc.sents]
