"""Which of the profile's topics an article is about, from the matcher's hits.

A TF-IDF over the profile itself: each matched topic term counts sublinearly (1 + log tf),
weighted by how specific it is (a term listed under k topics weighs 1/k), and mentions of a
topic's partners add half a term each. The sum saturates into [0, 1] so that a long feature
and a short news item on the same subject land near each other.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from pipeline.analysis.matcher import Hit
from pipeline.profile import Profile, load_profile

SATURATION = 3.0  # raw evidence at which a topic scores 1 - 1/e (~0.63)
PARTNER_WEIGHT = 0.5
MIN_SCORE = 0.05

_SPECIFICITY: dict[str, dict[str, float]] = {}  # profile version -> term -> 1/k


def _specificity(profile: Profile) -> dict[str, float]:
    if profile.version not in _SPECIFICITY:
        owners: dict[str, set[str]] = defaultdict(set)
        for topic in profile.topics:
            for term in topic.terms.all():
                owners[term].add(topic.id)
        _SPECIFICITY[profile.version] = {t: 1.0 / len(ids) for t, ids in owners.items()}
    return _SPECIFICITY[profile.version]


def score_topics(hits: list[Hit], *, profile: Profile | None = None,
                 min_score: float = MIN_SCORE) -> list[tuple[str, float]]:
    """``[(topic_id, score)]`` best first, scores in [0, 1]; topics under ``min_score`` are left
    out. ``hits`` are the matcher's hits over title and text."""
    profile = profile or load_profile()
    weight = _specificity(profile)
    term_tf: dict[str, Counter[str]] = defaultdict(Counter)
    partner_tf: Counter[str] = Counter()
    for hit in hits:
        if hit.kind == "topic":
            term_tf[hit.id][hit.term] += 1
        elif hit.kind == "partner":
            partner_tf[hit.id] += 1
        elif hit.kind == "entity":
            entity = profile.lookup(hit.id)
            partner = getattr(entity, "partner", None)
            if partner:
                partner_tf[partner] += 1
    scored = []
    for topic in profile.topics:
        raw = sum((1.0 + math.log(tf)) * weight.get(term, 1.0)
                  for term, tf in term_tf[topic.id].items())
        raw += PARTNER_WEIGHT * sum(1.0 + math.log(partner_tf[p]) for p in topic.partners
                                    if partner_tf[p])
        score = 1.0 - math.exp(-raw / SATURATION)
        if score >= min_score:
            scored.append((topic.id, round(score, 4)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored
