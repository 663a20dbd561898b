"""The analysis of one article, in order: one article in, one ``AnalysisResult`` out
(shared/CONTRACT.md). ``analysis/`` holds the stages that decide what it is about; ``nlp/`` the
language tools they and the later stages stand on.

The order is written once, here, cheapest first:

1. language (lingua + Kazakh letters) - pieces in other languages stop here;
2. the profile matcher over title and text (compiled patterns, no NLP model) and the
   relevance decision built on its hits;
3. topics from the same hits; document tone and alarm (linear model + lexicon);
4. named entities - natasha for Russian, the KazNERD-trained tagger for Kazakh, both
   corrected and linked by the profile's gazetteer. This is the expensive step; with
   ``entities="relevant"`` (what ``process`` uses) it runs only on pieces the cheap stages
   kept or nearly kept, and the tone of the others is scored by the lexicon alone, since
   the product never shows entities or tone of irrelevant pieces;
5. tone toward each partner relationship, from the sentences where Kazakhstan and that
   partner meet, and tone toward the caller's target spans.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pipeline.analysis.matcher import Hit, get_matcher
from pipeline.analysis.relevance import score_relevance, sentence_spans
from pipeline.analysis.topics import score_topics
from pipeline.nlp import lang as langid
from pipeline.nlp import names as entity_names
from pipeline.nlp import target_tone
from pipeline.nlp import tone as tone_model
from pipeline.nlp.gazetteer import Gazetteer, link
from pipeline.nlp.types import EntitySpan
from pipeline.profile import Profile

# Entities are computed for pieces scoring at least this relevance when
# entities="relevant": a margin under the decision threshold so that a piece the analyst may
# review still carries its entities.
ENTITY_MIN_RELEVANCE = 0.3
# Marks Kazakhstan's side of a relationship (profile entities with `home: true`).
HOME = "__home__"
MAX_EVIDENCE_SENTENCES = 5


@dataclass(frozen=True, kw_only=True)
class TopicScore:
    id: str
    score: float


@dataclass(frozen=True, kw_only=True)
class PartnerTone:
    id: str
    mentions: int
    tone: float  # [-1, 1]


@dataclass(frozen=True, kw_only=True)
class Tone:
    label: str  # negative | neutral | positive
    polarity: float  # [-1, 1]
    alarm: float  # [0, 1]


@dataclass(frozen=True, kw_only=True)
class TargetTone:
    start: int
    end: int
    label: str
    score: float


@dataclass(frozen=True, kw_only=True)
class AnalysisResult:
    lang: str
    relevant: bool
    relevance: float
    topics: list[TopicScore] = field(default_factory=list)
    partners: list[PartnerTone] = field(default_factory=list)
    entities: list[EntitySpan] = field(default_factory=list)
    tone: Tone = field(default_factory=lambda: Tone(label="neutral", polarity=0.0, alarm=0.0))
    target_tones: list[TargetTone] = field(default_factory=list)
    evidence_terms: list[str] = field(default_factory=list)
    evidence_sentences: list[str] = field(default_factory=list)
    # Entities as counted and shown (``Analyzer.entity_rows``): one row per name.
    entity_groups: list[dict[str, Any]] = field(default_factory=list)

    def evidence_dict(self) -> dict[str, list[str]]:
        return {"terms": self.evidence_terms, "sentences": self.evidence_sentences}

    def to_contract(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "relevant": self.relevant,
            "relevance": round(self.relevance, 4),
            "topics": [{"id": t.id, "score": round(t.score, 4)} for t in self.topics],
            "partners": [{"id": p.id, "mentions": p.mentions, "tone": round(p.tone, 4)}
                         for p in self.partners],
            "entities": [{"start": e.start, "end": e.end, "type": e.type, "text": e.text,
                          "canonical": e.canonical} for e in self.entities],
            "tone": {"label": self.tone.label, "polarity": round(self.tone.polarity, 4),
                     "alarm": round(self.tone.alarm, 4)},
            "target_tones": [{"start": t.start, "end": t.end, "label": t.label,
                              "score": round(t.score, 4)} for t in self.target_tones],
            "evidence": self.evidence_dict(),
        }

    def entity_rows(self) -> list[dict[str, Any]]:
        """Entities grouped for storage: one row per canonical id or normal form."""
        return self.entity_groups


class Analyzer:
    """Holds the profile and its compiled matchers; models load once per process."""

    def __init__(self, profile: Profile, *, entities: str = "all") -> None:
        if entities not in {"all", "relevant"}:
            raise ValueError("entities must be 'all' or 'relevant'")
        self.profile = profile
        self.entities = entities
        self.matcher = get_matcher(profile)
        self.gazetteer = Gazetteer(profile.gazetteer_entries())
        # Lower-cased names never counted as entities: agencies and channel signatures, plus
        # whatever the caller adds (the names of the outlets in the store).
        self.not_entities: set[str] = set(entity_names.not_entities())
        # A name the tagger found but did not link (nested in a longer one, or inflected)
        # is linked when its normal form is one of the profile's names.
        self._by_alias = {" ".join(a.lower().replace("ё", "е").split()): e.id
                          for e in profile.gazetteer_entries() for a in e.aliases}
        langid.load_models()

    def analyze(self, *, text: str, title: str = "", lang_hint: str | None = None,
                targets: list[tuple[int, int]] | None = None) -> AnalysisResult:
        lang = langid.detect(text, title)
        target_tones = [self._target_tone(text, s, e) for s, e in (targets or [])]
        if lang == "other":
            return AnalysisResult(lang=lang, relevant=False, relevance=0.0,
                                  target_tones=target_tones)
        hits = self.matcher.match(text)
        title_hits = self.matcher.match(title) if title else []
        spans = sentence_spans(text)
        rel = score_relevance(text, title, lang, hits=hits, title_hits=title_hits,
                              profile=self.profile, spans=spans)
        topics = [TopicScore(id=t, score=s)
                  for t, s in score_topics(title_hits + hits, profile=self.profile)]
        deep = self.entities == "all" or rel.score >= ENTITY_MIN_RELEVANCE
        military = rel.relevant or any(h.kind in ("defence", "defence_intl")
                                       for h in (*title_hits, *hits))
        doc = tone_model.document_tone(text, lang, [text[a:b] for a, b in spans], model=deep,
                                       title=title, defence=military)
        entities = self._entities(text, lang) if deep else []
        partners = self._partners(text, lang, hits, rel.partners, spans) if rel.relevant else []
        sentences = list(rel.evidence_sentences) or list(doc.sentences)
        terms = list(dict.fromkeys([*rel.evidence_terms, *doc.terms]))
        return AnalysisResult(
            lang=lang, relevant=rel.relevant, relevance=rel.score, topics=topics,
            partners=partners, entities=entities, entity_groups=self.entity_rows(entities, lang),
            tone=Tone(label=doc.label, polarity=doc.polarity, alarm=doc.alarm),
            target_tones=target_tones, evidence_terms=terms[:20],
            evidence_sentences=sentences[:MAX_EVIDENCE_SENTENCES])

    # -- steps -------------------------------------------------------------------------------

    def _entities(self, text: str, lang: str) -> list[EntitySpan]:
        if lang == "ru":
            from pipeline.nlp import russian

            _, _, spans = russian.parse(text)
        else:
            from pipeline.nlp.kazakh import ner as kk_ner

            spans = kk_ner.tag(text)
        return link(spans, self.gazetteer.find(text))

    def entity_rows(self, entities: list[EntitySpan], lang: str) -> list[dict[str, Any]]:
        """One row per name: a linked entity under its canonical id and the profile's name,
        any other under its normal form (``Казахстана``, ``Казахстане``, ``РК`` -> one
        ``Казахстан``); outlet names, signatures and lower-case words are left out."""
        counts: Counter[str] = Counter()
        shown: dict[str, tuple[str, str | None, str]] = {}
        for e in entities:
            if e.canonical:
                key, text = e.canonical, self._display_name(e.canonical, lang) or e.text
            else:
                if not e.text[:1].isupper():
                    continue  # a common word the tagger took for a name
                text = entity_names.normal_form(e.text, e.type, lang)
                if self._not_an_entity(text) or self._not_an_entity(e.text):
                    continue
                key = entity_names.key_of(e.text, e.type, lang)
                canonical = next((self._by_alias[k] for k in (
                    key.split(":", 1)[1], " ".join(text.lower().replace("ё", "е").split()),
                    " ".join(e.text.lower().replace("ё", "е").split())) if k in self._by_alias),
                    None)  # "РК" alone is the profile's alias of Kazakhstan
                if canonical:
                    key, text = canonical, self._display_name(canonical, lang) or text
                    e = EntitySpan(start=e.start, end=e.end, type=e.type, text=e.text,
                                   canonical=canonical)
            counts[key] += 1
            shown.setdefault(key, (e.type, e.canonical, text))
        return [{"entity_key": k, "type": shown[k][0], "canonical": shown[k][1],
                 "text": shown[k][2][:500], "mentions": n} for k, n in counts.items()]

    def _not_an_entity(self, text: str) -> bool:
        """An outlet, agency or signature, alone or inside the span ("Канал Mash")."""
        low = " ".join(text.lower().split())
        if low in self.not_entities:
            return True
        words = set(low.split())
        return any(len(n) >= 4 and (n in words or f" {n} " in f" {low} ")
                   for n in self.not_entities)

    def _display_name(self, canonical: str, lang: str) -> str | None:
        item = self.profile.lookup(canonical)
        names = getattr(item, "names", None)
        if names is not None:
            return names.kk if lang == "kk" else names.ru
        aliases = getattr(item, "aliases", None)
        if aliases is not None:
            forms = aliases.kk if lang == "kk" else aliases.ru
            return next((a for a in forms if "*" not in a and "(" not in a), None)
        return None

    def _target_tone(self, text: str, start: int, end: int) -> TargetTone:
        label, score = target_tone.target_tone(text, start, end)
        return TargetTone(start=start, end=end, label=label, score=score)

    def _partners(self, text: str, lang: str, hits: list[Hit],
                  relevant_partners: tuple[str, ...],
                  spans: list[tuple[int, int]]) -> list[PartnerTone]:
        """Tone toward each relationship: mean polarity of the sentences where Kazakhstan
        and the partner meet (the partner's own sentences when they never meet)."""
        home_in: set[int] = set()
        partner_in: dict[str, set[int]] = {}
        mentions: Counter[str] = Counter()
        for h in hits:
            pid = self._partner_of(h)
            idx = _sentence_index(spans, h.start)
            if idx is None:
                continue
            if pid == HOME:
                home_in.add(idx)
            elif pid in relevant_partners:
                partner_in.setdefault(pid, set()).add(idx)
                mentions[pid] += 1
        out = []
        for pid in relevant_partners:
            where = partner_in.get(pid, set())
            meet = sorted(where & home_in) or sorted(where)
            if not meet:
                continue
            scores = [tone_model.sentence_polarity(text[spans[i][0]:spans[i][1]], lang)
                      for i in meet]
            out.append(PartnerTone(id=pid, mentions=mentions[pid],
                                   tone=sum(scores) / len(scores)))
        return sorted(out, key=lambda p: -p.mentions)

    def _partner_of(self, hit: Hit) -> str | None:
        """The partner a hit stands for, or HOME for Kazakhstan's side (state, officials,
        ministry)."""
        if hit.kind == "partner":
            return hit.id
        if hit.kind == "entity":
            entity = self.profile.lookup(hit.id)
            if getattr(entity, "home", False):
                return HOME
            return getattr(entity, "partner", None)
        return None


def _sentence_index(spans: list[tuple[int, int]], pos: int) -> int | None:
    for i, (s, e) in enumerate(spans):
        if s <= pos < e:
            return i
    return None
