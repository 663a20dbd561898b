"""A small store for the dashboard tests: outlets, stories with syndicated copies, analyses
written as ``process`` writes them, crawl runs, then the real ``pipeline.aggregates.rebuild``.

The numbers the tests expect are read back from the database (``agg_sum``), never restated,
so that "the page shows what the database says" is what is checked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert, select

from pipeline import aggregates
from pipeline.config import DigestSettings, Settings
from pipeline.store.db import session_scope
from pipeline.store.models import (
    Analysis,
    AnalysisEntity,
    AnalysisPartner,
    AnalysisTopic,
    Article,
    CrawlRun,
    DailyAggregate,
    Outlet,
)
from reports.weeks import IsoWeek

PV = "dash-v1"
TZ = ZoneInfo("Asia/Almaty")
LAST = IsoWeek(year=2025, week=24)  # 2025-06-09 .. 2025-06-15 local
WEEKS = [LAST.shift(-i) for i in range(5, -1, -1)]  # W19 .. W24
XSS_TITLE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
OUTLETS = [
    ("kazinform", "Казинформ", "kz_state"),
    ("vlast", "Vlast.kz", "kz_independent"),
    ("ria", "РИА Новости", "ru_state"),
    ("tg-kz", "Telegram KZ", "telegram"),
]
TURKEY_LAST = 15  # stories on Turkey in the last week, against 3 a week before
PARTNER_OF = {"turkey": "TUR", "csto_russia": "RUS", "uk_cooperation": "GBR"}


@dataclass(kw_only=True)
class Story:
    outlet: str
    lang: str
    published_at: datetime
    title: str
    topic: str
    tone: float
    copies: list[str] = field(default_factory=list)
    url: str | None = None
    date_source: str = "page"


def local(week: IsoWeek, day: int, hour: int = 10) -> datetime:
    d = week.monday + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, tzinfo=TZ).astimezone(UTC)


def stories() -> list[Story]:
    """Steady weeks, then in the last week Turkey triples (with copies) and an XSS title."""
    out: list[Story] = []
    for w in WEEKS:
        last = w == LAST
        counts = (("turkey", TURKEY_LAST if last else 3), ("csto_russia", 4),
                  ("uk_cooperation", 2))
        for topic, n in counts:
            for i in range(n):
                lang = "kk" if i % 3 == 0 else "ru"
                outlet = OUTLETS[i % len(OUTLETS)][0]
                tone = {"turkey": 0.4, "csto_russia": -0.3, "uk_cooperation": 0.1}[topic]
                out.append(Story(
                    outlet=outlet, lang=lang, published_at=local(w, i % 7, 8 + i % 9),
                    title=f"{topic} {w} №{i}", topic=topic, tone=tone + 0.05 * (i % 3),
                    copies=["ria", "tg-kz"] if (last and topic == "turkey" and i < 3) else []))
    out.append(Story(outlet="vlast", lang="ru", published_at=local(LAST, 2, 12),
                     title=XSS_TITLE, topic="uk_cooperation", tone=-0.2,
                     url="javascript:alert(1)"))
    out.append(Story(outlet="ria", lang="ru", published_at=local(LAST, 3), title="undated",
                     topic="turkey", tone=0.0, date_source="crawl"))
    return out


def write_store(engine: Engine, items: list[Story] | None = None) -> None:
    items = stories() if items is None else items
    now = datetime(2025, 1, 1, tzinfo=UTC)
    articles, analyses, topics, partners, entities = [], [], [], [], []
    next_id = 1
    for n, st in enumerate(items):
        first = next_id
        for k, outlet in enumerate([st.outlet, *st.copies]):
            aid, next_id = next_id, next_id + 1
            when = st.published_at + timedelta(minutes=20 * k)
            url = st.url if (st.url and k == 0) else f"https://{outlet}.example/{n}/{k}"
            articles.append({
                "id": aid, "canonical_url": f"https://{outlet}.example/{n}/{k}", "url": url,
                "outlet_id": outlet, "source_kind": "feed", "lang": st.lang, "title": st.title,
                "text": st.title, "published_at": when, "date_source": st.date_source,
                "fetched_at": when + timedelta(hours=1), "content_hash": f"h{n}",
                "cluster_id": first if st.copies else None, "extra": {}})
            label = "positive" if st.tone > 0.2 else "negative" if st.tone < -0.2 else "neutral"
            analyses.append({
                "article_id": aid, "profile_version": PV, "content_hash": f"h{n}",
                "lang": st.lang, "relevant": True, "relevance": 0.9, "tone_label": label,
                "polarity": st.tone, "alarm": max(0.0, -st.tone),
                "evidence": {"terms": ["военное сотрудничество"],
                             "sentences": [f"Доказательство {n}: {st.title}"]},
                "analyzed_at": when})
            topics.append({"article_id": aid, "profile_version": PV, "topic_id": st.topic,
                           "score": 0.8})
            partners.append({"article_id": aid, "profile_version": PV,
                             "partner_id": PARTNER_OF[st.topic], "mentions": 1, "tone": st.tone})
            entities.append({"article_id": aid, "profile_version": PV,
                             "entity_key": f"org:{st.topic}", "type": "ORG", "canonical": None,
                             "text": st.topic.upper(), "mentions": 1})
            if st.published_at >= LAST.bounds(TZ)[0] and st.topic == "turkey":
                entities.append({"article_id": aid, "profile_version": PV,
                                 "entity_key": "org:aselsan", "type": "ORG", "canonical": None,
                                 "text": "Aselsan", "mentions": 1})
    runs = [
        {"run_key": "r1", "outlet_id": "kazinform", "started_at": local(LAST, 6),
         "finished_at": local(LAST, 6, 11), "status": "ok", "counts": {"stored/new": 5},
         "errors": [], "newest_published_at": local(LAST, 6)},
        {"run_key": "r1", "outlet_id": "vlast", "started_at": local(LAST, 6),
         "finished_at": local(LAST, 6, 11), "status": "failed", "counts": {},
         "errors": [{"url": "https://vlast.example/rss", "kind": "http",
                     "message": "HTTP 503 <b>down</b>"}], "newest_published_at": None},
        {"run_key": "r0", "outlet_id": "vlast", "started_at": local(LAST, 5),
         "finished_at": local(LAST, 5, 11), "status": "ok", "counts": {"stored/new": 2},
         "errors": [], "newest_published_at": local(LAST, 5)},
    ]
    with session_scope(engine) as s:
        s.execute(insert(Outlet), [
            {"id": oid, "name": name, "country": "KZ", "languages": ["ru", "kk"], "group": g,
             "endpoints": {}, "active": True, "updated_at": now} for oid, name, g in OUTLETS])
        for model, rows in ((Article, articles), (Analysis, analyses), (AnalysisTopic, topics),
                            (AnalysisPartner, partners), (AnalysisEntity, entities)):
            s.execute(insert(model), rows)
        s.execute(insert(CrawlRun), runs)
        aggregates.rebuild(s, profile_version=PV, days=aggregates.all_days(s, TZ), tz=TZ)


def agg_sum(engine: Engine, *, first: date, last: date, dimension: str = "all",
            key: str | None = "", field_name: str = "pieces", **where: Any) -> int:
    """A sum over ``daily_aggregates``: the number a chart point should show."""
    agg = DailyAggregate
    cond = [agg.profile_version == PV, agg.dimension == dimension, agg.day >= first,
            agg.day <= last]
    if key is not None:
        cond.append(agg.key == key)
    for name, value in where.items():
        cond.append(agg.outlet_id.in_(value) if name == "outlet_ids"
                    else getattr(agg, name) == value)
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.sum(getattr(agg, field_name)), 0))
                                .where(*cond)).scalar_one())


def settings() -> Settings:
    # The baseline is the five weeks the store has, so that the digest's tests have one.
    return Settings(timezone="Asia/Almaty", digest=DigestSettings(baseline_weeks=5))


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """The app on a free loopback port in a thread (waitress, as the CLI serves it)."""
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)
