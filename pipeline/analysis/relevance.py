"""Is an article about Kazakhstan's defence ties? A cheap, explainable decision.

The contract's definition has three parts: Kazakhstan (its state, officials, ministry), a
foreign state or bloc, and a defence matter. The hard negatives each lack one of them:
Kazakhstan's domestic military news has no foreign side, Kazakhstan news on trade or
diplomacy has no defence matter, and other countries' defence news has no Kazakhstan. So the
core evidence is a *triple*: all three inside one sentence or two neighbouring sentences.

Blocs are special: the CSTO and NATO are defence matters by name; Kazakhstan is a member of
the CSTO, the OTS, the SCO and the CIS, so a bloc-and-defence sentence counts when the article
names Kazakhstan in the headline, the lead or that sentence; and the security side of the OTS counts even without Kazakhstan
(see ``standalone`` in the profile). Peacekeeping terms imply a foreign side (UN missions).

Articles run from one-line excerpts to long features, and a long piece that mentions
Kazakhstan's ties once in passing is not *about* them: the score reads the title, the lead,
the number of triple sentences and their share of all sentences. Domestic-military and
foreign-war vocabulary pull the score down. The weights are set by hand, one per feature, so
that a reviewer can follow a decision from its evidence.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from pipeline.analysis.matcher import Hit, get_matcher
from pipeline.profile import Entity, Partner, Profile, load_profile

# Hand-set weights of the logistic combination (see module docstring).
BIAS = -3.0
W_TITLE = 2.0  # the headline itself holds a triple
W_LEAD = 2.0  # headline + first two sentences hold a triple
W_COUNT = 1.2  # per triple sentence, up to COUNT_CAP
COUNT_CAP = 4
W_SPREAD = 0.5  # a triple across two neighbouring sentences counts half
W_SHARE = 2.0  # share of sentences with a triple: long pieces need ties throughout
W_RELATION = 0.3  # a triple window also says cooperation/agreement/visit/supply
W_DOMESTIC = 0.5  # per domestic-military cue, up to CUE_CAP, weighed by (1 - share)
W_WAR = 0.5  # per foreign-war cue, up to CUE_CAP, weighed by (1 - share)
CUE_CAP = 4
THRESHOLD = 0.5

_MIN_WORDS = 4
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\s\"»”]+(?=[\"«“A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])|\n+")


@dataclass(frozen=True, kw_only=True)
class Relevance:
    relevant: bool
    score: float  # in [0, 1]
    evidence_terms: tuple[str, ...] = ()
    evidence_sentences: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()  # partner ids seen inside triples, most mentioned first
    features: dict[str, float] = field(default_factory=dict)


@dataclass(kw_only=True)
class _Window:
    """What one sentence (or headline) holds."""

    home: bool = False
    partners: set[str] = field(default_factory=set)
    blocs: set[str] = field(default_factory=set)  # member or standalone blocs
    foreign: bool = False  # an unnamed foreign side ("other countries", "abroad")
    defence: bool = False
    armed: bool = False  # the defence matter is an armed body or bloc by name, not hardware
    civil: bool = False  # rescue, floods, farming: drones and helicopters in civil use
    relation: bool = False
    hits: list[Hit] = field(default_factory=list)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Cheap sentence boundaries: end punctuation before a capital, or a line break.

    Fragments of under four words (datelines such as "Астана. 7 декабря.") are joined to the
    next sentence, so that they neither push the real lead out of the first two sentences
    nor dilute the share of triple sentences.
    """
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start()
        if end > start and not text[start:end].isspace():  # not blank
            spans.append((start, end))
        start = m.end()
    if start < len(text) and not text[start:].isspace():
        spans.append((start, len(text)))
    merged: list[tuple[int, int]] = []
    pending: int | None = None
    for s, e in spans:
        s = s if pending is None else pending
        # fewer than _MIN_WORDS words (split no further than needed to tell)
        if len(text[s:e].split(None, _MIN_WORDS - 1)) < _MIN_WORDS:
            pending = s
            continue
        merged.append((s, e))
        pending = None
    if pending is not None:
        if merged:
            merged[-1] = (merged[-1][0], len(text))
        else:
            merged.append((pending, len(text)))
    return merged


def score_relevance(text: str, title: str = "", lang: str = "ru", hits: list[Hit] | None = None,
                    *, title_hits: list[Hit] | None = None, profile: Profile | None = None,
                    spans: list[tuple[int, int]] | None = None) -> Relevance:
    """Decide relevance from the matcher's hits in ``text`` (and ``title``); hits and
    sentence spans are computed here when not given. ``lang`` "other" is never relevant."""
    if lang not in ("ru", "kk"):
        return Relevance(relevant=False, score=0.0, features={"lang_other": 1.0})
    profile = profile or load_profile()
    matcher = get_matcher(profile)
    hits = matcher.match(text) if hits is None else hits
    title_hits = (matcher.match(title) if title else []) if title_hits is None else title_hits

    spans = sentence_spans(text) if spans is None else spans
    starts = [s for s, _ in spans]
    # Windows only for the sentences that hold a hit: most hold none, and an empty window
    # adds nothing to a merge and is never a triple.
    held: dict[int, _Window] = {}
    title_window = _Window()
    for hit in title_hits:
        _add(title_window, hit, profile)
    for hit in hits:
        index = max(bisect_right(starts, hit.start) - 1, 0)
        if spans:
            window = held.get(index)
            if window is None:
                window = held[index] = _Window()
            _add(window, hit, profile)
    n_spans = len(spans)
    # A bloc Kazakhstan belongs to counts without Kazakhstan in the same sentence only when
    # the headline or lead is about Kazakhstan: a piece on Armenia and the CSTO that lists
    # Kazakhstan among the members once is not about Kazakhstan's ties.
    home_lead = title_window.home or any(held[i].home for i in range(min(n_spans, 2))
                                         if i in held)

    def triple(*parts: _Window) -> bool:
        """Do the windows, merged, hold a triple?"""
        home = any(w.home for w in parts)
        defence = any(w.defence for w in parts)
        # A defence matter, unless its only evidence is hardware in a civil setting.
        military = defence and (any(w.armed for w in parts) or not any(w.civil for w in parts))
        if not military:
            return False
        foreign = any(w.partners or w.foreign for w in parts)
        if home and foreign:
            return True
        near = home_lead or home
        return any(_bloc_counts(profile.lookup(b), near) for w in parts for b in w.blocs)

    triples: list[int] = []
    strong: list[int] = []
    previous: _Window | None = None
    for i in range(n_spans):
        w = held.get(i)
        if w is not None and triple(w):
            strong.append(i)
            triples.append(i)
        elif previous is not None and (triple(previous) if w is None else triple(w, previous)):
            triples.append(i)
        previous = w
    title_triple = triple(title_window)
    if (title and spans and not title_triple and 0 not in triples
            and triple(title_window, *([held[0]] if 0 in held else []))):
        # The headline and the first sentence are neighbours: a flash headlined "Tokayev: ..."
        # whose sentence names the partners and the defence matter holds a spread triple.
        triples.insert(0, 0)
    lead_triple = triple(title_window, *(held[i] for i in range(min(n_spans, 2)) if i in held))
    n = max(n_spans, 1)
    # A triple spread over two sentences is weaker evidence than one inside a sentence.
    count = len(strong) + W_SPREAD * (len(triples) - len(strong))
    share = min(count / n, 1.0)
    related = [held[i] for i in triples if i in held] + ([title_window] if title_triple else [])
    relation = any(w.relation for w in related)
    all_hits = [*title_hits, *hits]
    domestic = min(sum(h.kind == "domestic" for h in all_hits), CUE_CAP)
    war = min(sum(h.kind == "war" for h in all_hits), CUE_CAP)

    features = {"title_triple": float(title_triple), "lead_triple": float(lead_triple),
                "triples": count, "share": share, "relation": float(relation),
                "domestic": float(domestic), "war": float(war), "sentences": float(n)}
    z = (BIAS + W_TITLE * title_triple + W_LEAD * lead_triple
         + W_COUNT * min(count, COUNT_CAP) + W_SHARE * share + W_RELATION * relation
         - (W_DOMESTIC * domestic + W_WAR * war) * (1.0 - share))
    score = 1.0 / (1.0 + math.exp(-z))
    # Without any triple nothing supports relevance, whatever else the article says.
    if not (title_triple or triples):
        score = min(score, THRESHOLD - 0.01)

    evidence_sentences = ([title] if title_triple else []) + [
        text[spans[i][0]:spans[i][1]].strip() for i in (strong or triples)][:3]
    terms: dict[str, None] = {}
    partner_count: dict[str, int] = {}
    for w in related:
        for hit in w.hits:
            if hit.kind in ("partner", "entity", "defence", "defence_intl", "relation"):
                terms.setdefault(hit.text, None)
        for pid in w.partners | w.blocs:
            partner_count[pid] = partner_count.get(pid, 0) + 1
    partners = tuple(sorted(partner_count, key=lambda p: -partner_count[p]))
    return Relevance(relevant=score >= THRESHOLD, score=round(score, 4),
                     evidence_terms=tuple(terms)[:12],
                     evidence_sentences=tuple(evidence_sentences[:3]),
                     partners=partners, features=features)


def _bloc_counts(bloc: Entity | Partner | None, home_near: bool) -> bool:
    if not isinstance(bloc, Partner):
        return False
    return bloc.standalone or (bloc.member and home_near)


def _add(window: _Window, hit: Hit, profile: Profile) -> None:
    window.hits.append(hit)
    kind = hit.kind
    if kind == "partner":
        partner = profile.lookup(hit.id)
        window.partners.add(hit.id)
        if isinstance(partner, Partner):
            if partner.member or partner.standalone:
                window.blocs.add(hit.id)
            if partner.military:
                window.defence = window.armed = True
    elif kind == "entity":
        entity = profile.lookup(hit.id)
        if isinstance(entity, Entity):
            window.home = window.home or entity.home
            window.defence = window.defence or entity.military
            window.armed = window.armed or entity.military
            if entity.partner:
                window.partners.add(entity.partner)
    elif kind == "defence":
        window.defence = True
    elif kind == "defence_intl":
        # Peacekeeping is international by nature: a partner (the UN) and a defence matter.
        window.defence = window.armed = True
        window.partners.add("UN")
    elif kind == "relation":
        window.relation = True
    elif kind == "foreign":
        window.foreign = True
    elif kind == "civil":
        window.civil = True
