"""Tone of a sentence and of a whole document, with an alarm score.

* ``sentence_polarity``: Russian blends a sentence-level model (trained on RuSentNE-2023 by
  ``tone_train``, label = the sentence's dominant non-neutral target label) with the lexicon;
  Kazakh has only the lexicon.
* ``document_tone``: sentence polarities aggregated over the document, plus an alarm score:
  the density of danger-framing terms over the piece, or its strongest explicit threat of
  force (a strike, a target, a missile, nuclear weapons, mobilisation, an ultimatum) when that
  is higher. One threat in a piece of cooperative wording is still a threat.

Tone toward a target mention lives in ``target_tone``.
"""

from __future__ import annotations

import gzip
import json
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.models import model_file
from pipeline.nlp import lexicon
from pipeline.nlp import threat as threat_model
from pipeline.nlp.russian import models as natasha_models

DATA_DIR = Path(__file__).parent / "data"
SENTENCE_MODEL = model_file("tone_sentence.json.gz")
# Every word form whose lemma carries a weight in the sentence model -> that lemma, so that
# scoring a sentence needs dictionary look-ups, not pymorphy (built by ``build_form_table``).
SENTENCE_FORMS = model_file("tone_sentence_forms.json.gz")
LABELS = ("negative", "neutral", "positive")


@lru_cache(maxsize=100_000)
def _lemma(word: str) -> str:
    return lexicon.normalise(natasha_models.morph_vocab().parse(word)[0].normal_form)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence (razdel's rules, no model)."""
    from razdel import sentenize

    return [(s.start, s.stop) for s in sentenize(text)]


# ---- sentence polarity and document tone --------------------------------------------------

@lru_cache(maxsize=1)
def _sentence_model() -> tuple[dict[str, float], float]:
    """Sentence model as one weight per lemma for (positive - negative) log-odds, and bias."""
    with gzip.open(SENTENCE_MODEL, "rt", encoding="utf-8") as f:
        raw = json.load(f)
    return raw["weights"], float(raw["bias"])


@lru_cache(maxsize=1)
def _form_weights() -> dict[str, tuple[str, float]]:
    weights, _ = _sentence_model()
    with gzip.open(SENTENCE_FORMS, "rt", encoding="utf-8") as f:
        forms: dict[str, str] = json.load(f)
    return {form: (lemma, weights["w:" + lemma]) for form, lemma in forms.items()
            if "w:" + lemma in weights}


def _model_polarity(tokens: list[str]) -> float:
    """The sentence model: one weight per distinct lemma of the sentence, plus the bias."""
    _, bias = _sentence_model()
    table = _form_weights()
    lemmas = dict(table[t] for t in tokens if t in table)
    return math.tanh(0.5 * (bias + sum(lemmas.values())))


def build_form_table(weights: dict[str, float]) -> dict[str, str]:
    """Form -> lemma for every form of the lemmas the sentence model weighs, by pymorphy's
    lexemes, keeping a form only where pymorphy's own lemma of it is a weighted one (so the
    table gives what ``_lemma`` would: on 41,000 weighted tokens of news text it differs once).
    """
    vocab = natasha_models.morph_vocab()
    forms = {lexicon.normalise(f.word) for key in weights if key.startswith("w:")
             for parse in vocab.parse(key[2:]) for f in parse.lexeme}
    table = {form: _lemma(form) for form in sorted(forms)}
    return {form: lemma for form, lemma in table.items() if "w:" + lemma in weights}


def write_form_table(path: Path = SENTENCE_FORMS, model: Path = SENTENCE_MODEL) -> int:
    with gzip.open(model, "rt", encoding="utf-8") as f:
        weights = json.load(f)["weights"]
    table = build_form_table(weights)
    with gzip.GzipFile(path, "wb", mtime=0) as f:  # mtime 0: the same bytes on a rebuild
        f.write(json.dumps(table, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return len(table)


# The lexicon's cooperative-minus-conflict mass is squashed so one strong term gives ~0.6.
_LEX_SCALE = 1.5
_MODEL_SHARE_RU = 0.4


def _polarity(tokens: list[str], lang: str, hits: list[lexicon.Hit] | None = None, *,
              model: bool = True) -> float:
    hits = lexicon.find_hits(tokens, lang) if hits is None else hits
    lex = math.tanh(lexicon.lexicon_polarity(hits) / _LEX_SCALE)
    if lang != "ru" or not tokens or not model:
        return lex
    return (1 - _MODEL_SHARE_RU) * lex + _MODEL_SHARE_RU * _model_polarity(tokens)


def sentence_polarity(text: str, lang: str) -> float:
    """Polarity of one sentence in [-1, 1]: cooperative/positive > 0, conflict/negative < 0."""
    return _polarity(lexicon.tokenize(text), lang)


@dataclass(frozen=True, slots=True)
class DocumentTone:
    label: str  # negative | neutral | positive
    polarity: float  # [-1, 1]
    alarm: float  # [0, 1]
    sentences: list[str] = field(default_factory=list)  # the sentences that drove the tone
    terms: list[str] = field(default_factory=list)  # lexicon terms, strongest first


# Label thresholds on document polarity; alarm above ALARM_NEGATIVE makes a piece negative
# unless its polarity is clearly positive, since threat framing is a negative tone here.
# Calibrated by 5-fold cross-validation on tests/nlp/data/doc_tone_tune.jsonl (see
# tests/nlp/test_doc_tone.py); thresholds chosen on each fold's training part.
POSITIVE_AT = 0.18
NEGATIVE_AT = -0.2
ALARM_NEGATIVE = 0.6
# Alarm is 1 - exp(-density / ALARM_DENSITY): terms per 100 words; ~1.2 weighted hits per 100
# words (a threat term every other paragraph) gives ~0.63. Short pieces count as ALARM_MIN_WORDS
# long, so that one threat word in a 100-word note does not make it alarming.
ALARM_DENSITY = 1.2
ALARM_MIN_WORDS = 150
# An explicit threat of force sets alarm by its strongest sentence (or headline): 1 - exp(-mass
# / THREAT_SCALE), so one strong threat phrase (weight 2: "нанести удар", "ядерное оружие")
# gives ~0.86 and a bare weapon word (0.6: "ракета") ~0.45. From THREAT_AT on, the piece
# carries a threat: it is labelled negative, and its polarity is at most -THREAT_POLARITY
# times that alarm, whatever cooperative wording surrounds it.
THREAT_SCALE = 1.0
# Danger framing without an explicit threat ("угроза", "провокация") adds to a unit's peak at
# this share: a sentence dense with it is alarming however long the piece around it.
ALARM_PEAK_SHARE = 0.5
# A sentence about an exercise ("отработали уничтожение условного противника") rehearses a
# conflict: its framing counts at this share.
DRILL_SHARE = 0.3
THREAT_AT = 0.6
THREAT_POLARITY = 0.5
# The threat model (``threat.py``) reads each unit too: a unit's threat peak is the larger of
# the lexicon's and the model's probability times this share (so the model alone marks a
# threat, THREAT_AT, from a probability of 0.75). Without the full model (pieces nobody reads
# the tone of) it reads the headline and the lead sentence only.
THREAT_MODEL_SHARE = 0.8
THREAT_MODEL_CHEAP_UNITS = 2
THREAT_MODEL_FLOOR = 0.5
# Below THREAT_AT, a headline or lead the model reads as a likely threat (probability about 0.6
# and more) still keeps the piece from being labelled positive.
HINT_NOT_POSITIVE = 0.15
# ... and only in a piece about military matters (``defence``: the caller saw a defence term)
# or in a unit with conflict or danger wording of the lexicon: trained on short posts about
# defence, the model would read names and turns of phrase of unrelated news (elections,
# business) as threats.
_THREAT_GATE = frozenset({"threat", "alarm", "conflict"})
_BOUNDARY = "|"  # never produced by lexicon.tokenize
# News puts its verdict up front: the headline and the lead sentence weigh more than the body.
TITLE_WEIGHT = 2.0
LEAD_WEIGHT = 2.0


def document_tone(text: str, lang: str, sentences: list[str] | None = None, *,
                  model: bool = True, title: str = "", defence: bool = True) -> DocumentTone:
    """Tone of an article: weighted mean sentence polarity, weighted toward the headline
    (``title``, optional), the lead sentence and opinionated sentences.

    ``model=False`` scores Russian sentences by the lexicon alone (as Kazakh always is): a
    few times cheaper, for pieces whose tone nobody reads (irrelevant ones in a stream).
    ``defence=False`` says the piece names no military matter: the threat model then reads only
    units with conflict or danger wording."""
    sents = sentences if sentences is not None else [text[a:b] for a, b in sentence_bounds(text)]
    # (polarity, sentence, position weight, shown as evidence)
    scored: list[tuple[float, str, float, bool]] = []
    all_hits: list[lexicon.Hit] = []
    peak = 0.0  # the strongest unit's threat framing, 0..1
    model_peak = 0.0  # the threat model's reading of the headline and lead
    n_tokens = 0
    units = ([(title, TITLE_WEIGHT, False)] if title and title.strip() else []) + [
        (s, 1.0, True) for s in sents]
    # The lexicon is matched once over the whole piece (units joined by a token no entry or
    # negator can match, so no hit or negation crosses a sentence) and its hits dealt back.
    tokenized = [(lexicon.tokenize(s), s, w, in_text) for s, w, in_text in units]
    tokenized = [u for u in tokenized if u[0]]
    joined: list[str] = []
    starts: list[int] = []
    for tokens, *_ in tokenized:
        starts.append(len(joined))
        joined += [*tokens, _BOUNDARY]
    per_unit: list[list[lexicon.Hit]] = [[] for _ in tokenized]
    for hit in lexicon.find_hits(joined, lang):
        per_unit[bisect_right(starts, hit.token_index) - 1].append(hit)
    lead_done = False
    for i, ((tokens, s, pos_weight, in_text), hits) in enumerate(
            zip(tokenized, per_unit, strict=True)):
        if in_text and not lead_done:
            pos_weight, lead_done = LEAD_WEIGHT, True
        if hits:
            all_hits += hits
            explicit = lexicon.threat_mass(hits)
            framing = explicit + ALARM_PEAK_SHARE * (lexicon.alarm_mass(hits) - explicit)
            if framing and lexicon.is_drill(tokens, lang):
                framing *= DRILL_SHARE
            unit_peak = 1.0 - math.exp(-framing / THREAT_SCALE)
            gate = defence or any(h.category in _THREAT_GATE for h in hits)
        else:  # most sentences: no framing, and the lexicon's polarity is 0
            unit_peak, gate = 0.0, defence
        if THREAT_MODEL_SHARE and (model or i < THREAT_MODEL_CHEAP_UNITS) and gate:
            p = threat_model.probability(s)
            from_model = THREAT_MODEL_SHARE * max(0.0, p - THREAT_MODEL_FLOOR) / (
                1.0 - THREAT_MODEL_FLOOR)
            if i < THREAT_MODEL_CHEAP_UNITS:
                model_peak = max(model_peak, from_model)
            unit_peak = max(unit_peak, from_model)
        peak = max(peak, unit_peak)
        n_tokens += len(tokens)
        unit_polarity = _polarity(tokens, lang, hits, model=model) if hits or (
            model and lang == "ru") else 0.0
        scored.append((unit_polarity, s, pos_weight, in_text))
    if not scored:
        return DocumentTone(label="neutral", polarity=0.0, alarm=0.0)
    # Opinionated sentences count more than the neutral ones that surround them.
    weights = [w * (0.2 + abs(p)) for p, _, w, _ in scored]
    polarity = sum(w * p for w, (p, *_) in zip(weights, scored, strict=True)) / sum(weights)
    density = 100.0 * lexicon.alarm_mass(all_hits) / max(n_tokens, ALARM_MIN_WORDS)
    alarm = max(1.0 - math.exp(-density / ALARM_DENSITY), peak)
    if peak >= THREAT_AT:
        polarity = min(polarity, -THREAT_POLARITY * peak)
    elif model_peak >= HINT_NOT_POSITIVE:
        polarity = min(polarity, POSITIVE_AT - 0.01)  # a veiled threat is not good news
    label = label_for(polarity, alarm)
    top = sorted((x for x in scored if x[3]), key=lambda x: -abs(x[0]))[:3]
    mass: dict[str, float] = {}
    for h in all_hits:
        mass[h.term] = mass.get(h.term, 0.0) + abs(h.weight)
    terms = [t for t, _ in sorted(mass.items(), key=lambda x: -x[1])[:10]]
    return DocumentTone(label=label, polarity=round(max(-1.0, min(1.0, polarity)), 4),
                        alarm=round(alarm, 4), sentences=[s for _, s, _, _ in top], terms=terms)


def label_for(polarity: float, alarm: float, positive_at: float | None = None,
              negative_at: float | None = None) -> str:
    """The document label from polarity and alarm (thresholds default to the module's)."""
    pos = POSITIVE_AT if positive_at is None else positive_at
    neg = NEGATIVE_AT if negative_at is None else negative_at
    if polarity >= pos and alarm < ALARM_NEGATIVE:
        return "positive"
    if polarity <= neg or (alarm >= ALARM_NEGATIVE and polarity < pos):
        return "negative"
    return "neutral"
