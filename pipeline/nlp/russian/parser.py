"""Russian analysis with natasha: sentences, lemmatised tokens and corrected named entities.

natasha objects stay inside this module; callers get the records of ``types``. The models
load once per process, on first use (about 0.7 s and 290 MB).

Two paths, because the project needs either entities or lemmas of a text, never both: with
``ner=True`` only razdel's segmentation and natasha's NER run (the corrector reads no
morphology), so tokens carry no lemma or POS; with ``ner=False`` the morphology tagger and
lemmatiser run and no NER. The morphology tagger alone costs about as much as the NER.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.nlp.russian import corrector
from pipeline.nlp.russian import models as natasha_models
from pipeline.nlp.russian.corrector import TaggedToken
from pipeline.nlp.types import EntitySpan, Sentence, Token

# Russian family names: stem in -ев/-ов/-ин/-ын plus an optional case ending. pymorphy often
# reads an unknown nominative (Токаев) as a plural form of something else (токай).
_FAMILY_NAME = re.compile(r"^(\w+?(?:ев|ов|ин|ын))(а|у|ым|ом|е|ой|ою|ы|ых|ыми)?$")


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def fix_lemma(text: str, lemma: str, *, proper: bool) -> str:
    """Repair the lemma of a family name («Токаев» → токаев, not токай); others pass through.

    Only proper nouns are touched, and only when natasha's lemma is not the name's own stem
    (or its feminine form), so «Ирина», «Берлине», «Ивановой» keep theirs.
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


def _entity_tags(words: list[str]) -> list[str]:
    """natasha's BIO tag for each razdel token of a text, as its ``tag_ner`` would give.

    Calls the slovnet model under natasha's tagger on our own razdel tokens (the ones it
    would make itself): ``Doc.tag_ner`` tokenizes the text a second time and maps its spans
    back onto the tokens, about 15% of the cost of segmentation plus NER.
    """
    if not words:
        return []
    infer = natasha_models.ner_tagger().infer
    batch = next(infer.encoder([words]))
    emissions = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)
    crf = infer.model.head.crf
    path = crf.decode(emissions, ~batch.pad_mask)[0] if batch.pad_mask.any() else \
        _viterbi(emissions[0], crf.transitions.array)
    tags: list[str] = [infer.decoder.tags_vocab.decode(t) for t in path]
    out: list[str] = []
    previous = "O"
    for tag in tags:
        # an I- that does not continue its type opens a span, as natasha's span markup reads it
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        previous = tag
    return out


def _viterbi(emissions: Any, transitions: Any) -> list[int]:
    """slovnet's ``CRF.decode`` for one unpadded sequence in a third of the numpy calls: the
    same float32 sums, in the same order, and the same first maximum at each step, so the
    same path (tests/nlp/test_russian_viterbi.py)."""
    score = emissions[0]
    history = []
    for row in emissions[1:]:
        step = score[:, None] + transitions  # previous tag x next tag
        step += row
        history.append(step.argmax(0))
        score = step.max(0)
    best = int(score.argmax())
    path = [best]
    for back in reversed(history):
        best = int(back[best])
        path.append(best)
    path.reverse()
    return path


def _sentence_groups(text: str, tokens: list[Token]) -> list[tuple[Sentence, list[int]]]:
    """razdel's sentences with the indexes of the tokens inside each (one sweep)."""
    from razdel import sentenize

    out: list[tuple[Sentence, list[int]]] = []
    k = 0
    for sent in sentenize(text) if text else []:
        inside: list[int] = []
        while k < len(tokens) and tokens[k].start < sent.stop:
            if tokens[k].start >= sent.start:
                inside.append(k)
            k += 1
        out.append((Sentence(start=sent.start, end=sent.stop, text=sent.text), inside))
    return out


def _tagged(text: str) -> list[tuple[Sentence, list[TaggedToken]]]:
    """Sentences of tokens with natasha's NER tags: razdel plus the NER model, no morphology."""
    from razdel import tokenize

    tokens = [Token(start=t.start, end=t.stop, text=t.text, lemma="", pos="")
              for t in tokenize(text)]
    tags = _entity_tags([t.text for t in tokens])
    return [(sentence, [TaggedToken(token=tokens[k], ner=tags[k]) for k in inside])
            for sentence, inside in _sentence_groups(text, tokens)]


def _lemmatised(text: str) -> list[tuple[Sentence, list[Token]]]:
    """natasha's segmentation, morphology and lemmas (family names repaired)."""
    from natasha import Doc

    vocab = natasha_models.morph_vocab()
    doc = Doc(text)
    doc.segment(natasha_models.segmenter())
    doc.tag_morph(natasha_models.morph_tagger())
    out: list[tuple[Sentence, list[Token]]] = []
    for sent in doc.sents:
        tokens: list[Token] = []
        for tok in sent.tokens:
            tok.lemmatize(vocab)
            lemma = fix_lemma(tok.text, _norm(tok.lemma or tok.text), proper=tok.pos == "PROPN")
            tokens.append(Token(start=tok.start, end=tok.stop, text=tok.text, lemma=lemma,
                                pos=tok.pos))
        out.append((Sentence(start=sent.start, end=sent.stop, text=sent.text), tokens))
    return out


def parse(text: str, *, ner: bool = True) -> tuple[list[Sentence], list[Token], list[EntitySpan]]:
    """Sentences, tokens and PER/LOC/ORG spans of a Russian text.

    ``ner=True``: entities are natasha's, re-tagged by the factRuEval-trained corrector (whole
    organisation mentions, nested LOC inside ORG, abbreviations typed by context); tokens
    carry empty ``lemma`` and ``pos``, since no morphology runs. ``ner=False``: no entities;
    tokens carry lower-case lemmas (ё→е) and UD POS. ``canonical`` is left empty; the
    gazetteer linker fills it.
    """
    if not ner:
        lemmatised = _lemmatised(text)
        return ([sentence for sentence, _ in lemmatised],
                [token for _, tokens in lemmatised for token in tokens], [])
    tagged = _tagged(text)
    entities: list[EntitySpan] = []
    for _, sentence in tagged:
        for start, end, entity_type in corrector.correct(sentence):
            entities.append(EntitySpan(start=start, end=end, type=entity_type,
                                       text=text[start:end]))
    entities.sort(key=lambda e: (e.start, -e.end, e.type))
    return ([sentence for sentence, _ in tagged],
            [item.token for _, sentence in tagged for item in sentence], entities)


def sentences(text: str) -> list[Sentence]:
    """Sentence split only (razdel, as natasha's segmenter; no tokens, no models)."""
    from razdel import sentenize

    return [Sentence(start=s.start, end=s.stop, text=s.text) for s in sentenize(text)] if text else []
