"""The replay web's ground truth: what a perfect crawl and analysis of it should find.

A *piece* is one article as published by one outlet (a syndicated copy on another outlet is
its own piece); a *story* is the original and its copies (what near-duplicate clustering
should merge); an *exact duplicate* is another URL serving the very same page (not a piece).
Paths are relative to the server; pass ``base_url`` to get absolute URLs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from replayweb import faults, plan
from replayweb.corpus import Piece, build_corpus
from replayweb.outlets import OUTLETS


def _piece(p: Piece, base: str) -> dict[str, Any]:
    shown = p.shown_date
    return {
        "outlet": p.outlet, "lang": p.lang, "url": base + p.path, "week": p.week,
        "published": p.published.isoformat(), "title": p.title, "relevant": p.relevant,
        "topic": p.bank, "partners": list(p.partners), "tone": p.tone,
        "alarm": p.tone == "alarm", "story": p.story, "copy_of": p.copy_of,
        "date_in_page": shown.isoformat() if shown else None, "date_mode": p.date_mode,
        "duplicate_urls": [base + a for a in p.aliases], "chars": len(p.text),
    }


def _weekly(pieces: list[Piece]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for week in plan.WEEKS:
        mine = [p for p in pieces if p.week == week]
        stories = [p for p in mine if p.copy_of is None]
        rel = [p for p in stories if p.relevant]
        out[week] = {
            "pieces": len(mine),
            "stories": len(stories),
            "relevant_pieces": sum(p.relevant for p in mine),
            "relevant_stories": len(rel),
            "relevant_stories_by_partner": dict(Counter(p.partners[0] for p in rel)),
            "relevant_stories_by_topic": dict(Counter(p.bank for p in rel)),
            "alarm_stories_by_topic": dict(Counter(p.bank for p in rel if p.tone == "alarm")),
            "tone_by_topic": {bank: dict(Counter(p.tone for p in rel if p.bank == bank))
                              for bank in sorted({p.bank for p in rel})},
        }
    return out


def _planted(weekly: dict[str, dict[str, Any]]) -> dict[str, Any]:
    base_weeks = [w for w in plan.WEEKS if w != plan.PLANTED_WEEK]
    tur = [weekly[w]["relevant_stories_by_topic"].get("TUR", 0) for w in base_weeks]
    tur_week = weekly[plan.PLANTED_WEEK]["relevant_stories_by_topic"].get("TUR", 0)

    def alarm_share(weeks: list[str]) -> float:
        total = sum(weekly[w]["relevant_stories_by_topic"].get("RUS", 0) for w in weeks)
        alarm = sum(weekly[w]["alarm_stories_by_topic"].get("RUS", 0) for w in weeks)
        return round(alarm / total, 3) if total else 0.0

    baseline = sum(tur) / len(tur)
    return {
        "week": plan.PLANTED_WEEK, "week_start": "2025-06-09", "week_end": "2025-06-15",
        "volume": {"partner": "TUR", "topic": "turkey", "stories": tur_week,
                   "baseline_mean": round(baseline, 3), "ratio": round(tur_week / baseline, 2)},
        "tone": {"partner": "RUS", "partners": ["RUS", "CSTO"], "topic": "csto_russia",
                 "direction": "alarm",
                 "alarm_share": alarm_share([plan.PLANTED_WEEK]),
                 "baseline_alarm_share": alarm_share(base_weeks),
                 "vocabulary": ["угроза", "тревожный сигнал", "дестабилизация", "переворот",
                                "кризис", "қауіп", "алаңдатарлық белгі", "тұрақсыздандыру"]},
    }


def ground_truth(*, base_url: str = "", with_faults: bool = True) -> dict[str, Any]:
    """Counts per outlet, language and week, relevant ids, duplicates and syndicated copies,
    the planted shifts, and (``with_faults``) what each fault URL should produce."""
    corpus = build_corpus()
    base = base_url.rstrip("/")
    pieces = corpus.pieces
    stories = [p for p in pieces if p.copy_of is None]
    relevant = [p for p in pieces if p.relevant]
    weekly = _weekly(pieces)
    by_olw: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for (o, lang, w), n in sorted(Counter((p.outlet, p.lang, p.week) for p in pieces).items()):
        by_olw[o][lang][w] = n
    copies: dict[str, list[str]] = defaultdict(list)
    for p in pieces:
        if p.copy_of:
            copies[p.copy_of].append(p.id)
    truth: dict[str, Any] = {
        "synthetic": True,
        "seed": plan.SEED,
        "period": {"first_day": plan.FIRST_DAY.isoformat(), "last_day": plan.LAST_DAY.isoformat(),
                   "weeks": plan.WEEKS, "timezone": "Asia/Almaty"},
        "totals": {
            "pieces": len(pieces), "stories": len(stories),
            "relevant_pieces": len(relevant), "relevant_stories": sum(p.relevant for p in stories),
            "relevant_share": round(len(relevant) / len(pieces), 4),
            "relevant_story_share": round(sum(p.relevant for p in stories) / len(stories), 4),
            "syndicated_stories": len(copies), "syndicated_copies": sum(map(len, copies.values())),
            "duplicate_urls": sum(len(p.aliases) for p in pieces),
            "urls": len(pieces) + sum(len(p.aliases) for p in pieces),
            "undated": sum(p.date_mode == "none" for p in pieces),
            "future_dated": sum(p.date_mode == "future" for p in pieces),
            "by_lang": dict(Counter(p.lang for p in pieces)),
            "robots_blocked": len(corpus.blocked),
        },
        "by_outlet": {o.id: {"pieces": len(mine := [p for p in pieces if p.outlet == o.id]),
                             "stories": sum(p.copy_of is None for p in mine),
                             "relevant": sum(p.relevant for p in mine),
                             "by_lang": dict(Counter(p.lang for p in mine)),
                             "group": o.group}
                      for o in OUTLETS},
        "by_outlet_lang_week": {o: {lang: dict(w) for lang, w in d.items()}
                                for o, d in by_olw.items()},
        "by_week": weekly,
        "planted": _planted(weekly),
        "relevant_ids": sorted(p.id for p in relevant),
        "syndicated": [{"story": sid, "original": sid, "copies": sorted(ids)}
                       for sid, ids in sorted(copies.items())],
        "duplicates": [{"id": p.id, "canonical_url": base + p.path, "kind": p.alias_kind,
                        "duplicate_urls": [base + a for a in p.aliases]}
                       for p in pieces if p.aliases],
        "undated_ids": sorted(p.id for p in pieces if p.date_mode == "none"),
        "future_dated_ids": sorted(p.id for p in pieces if p.date_mode == "future"),
        "robots": {"disallowed": ["/o/sim_rubezh/private/", "/faults/robots/"],
                   "blocked_urls": [base + p.path for p in corpus.blocked]},
        "pieces": {p.id: _piece(p, base) for p in pieces},
    }
    if with_faults:
        truth["faults"] = faults.expectations(base)
    return truth
