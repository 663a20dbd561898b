"""Daily aggregates: counts and tone sums per local day, rebuilt for the days that changed.

Days are calendar days in the configured time zone (default Asia/Almaty) so that they add up
exactly to the weeks of the digest. Articles whose date is only the crawl time
(``date_source == 'crawl'``) are never counted in trends; they are counted apart under
dimension ``all``, key ``undated``, so that an operator can see how many there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pipeline.store.db import id_chunks
from pipeline.store.models import (
    Analysis,
    AnalysisPartner,
    AnalysisTopic,
    Article,
    DailyAggregate,
    DirtyDay,
    Outlet,
    StoreVersion,
    first_copy,
)
from pipeline.store.upsert import table_of, upsert

# A topic counts for an article when its score reaches this share of the article's best
# topic score and this absolute floor: an article is about one or two topics, not ten.
TOPIC_MIN_SCORE = 0.2
TOPIC_MIN_SHARE = 0.5


@dataclass(kw_only=True)
class _Cell:
    articles: int = 0
    pieces: int = 0
    copies: int = 0
    polarity_sum: float = 0.0
    alarm_sum: float = 0.0
    tone_n: int = 0


def local_day(ts: datetime, tz: ZoneInfo) -> date:
    return ts.astimezone(tz).date()


def day_bounds(day_from: date, day_to: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC instants covering local days ``day_from`` .. ``day_to`` inclusive."""
    start = datetime.combine(day_from, time.min, tz).astimezone(UTC)
    end = datetime.combine(day_to + timedelta(days=1), time.min, tz).astimezone(UTC)
    return start, end


def counted_topics(scores: dict[str, float]) -> list[str]:
    if not scores:
        return []
    best = max(scores.values())
    return [t for t, s in scores.items()
            if s >= TOPIC_MIN_SCORE and s >= TOPIC_MIN_SHARE * best]


def rebuild(session: Session, *, profile_version: str, days: Iterable[date],
            tz: ZoneInfo) -> int:
    """Recompute the aggregates of ``days`` from articles and analyses; returns rows written.

    Idempotent: the days' rows are deleted and written again in the caller's transaction.
    """
    wanted = sorted(set(days))
    if not wanted:
        return 0
    bump_version(session)
    written = 0
    # Contiguous runs of days keep each query a simple range scan on published_at.
    for first, last in _runs(wanted):
        written += _rebuild_range(session, profile_version, first, last, tz)
    return written


def bump_version(session: Session, name: str = "aggregates") -> None:
    """Count one more change of the aggregates (in the transaction that makes it)."""
    table = table_of(StoreVersion)
    ins = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    now = datetime.now(UTC)
    stmt = ins(table).values(name=name, version=1, changed_at=now)
    session.execute(stmt.on_conflict_do_update(
        index_elements=["name"], set_={"version": table.c.version + 1, "changed_at": now}))


def mark_dirty(session: Session, *, profile_version: str, days: Iterable[date]) -> None:
    """Record that these days' analyses changed, in the caller's (the analyses') transaction."""
    now = datetime.now(UTC)
    upsert(session, DirtyDay, [{"profile_version": profile_version, "day": d, "marked_at": now}
                               for d in sorted(set(days))],
           key=["profile_version", "day"], update=["marked_at"])


def dirty_days(session: Session, profile_version: str) -> list[date]:
    return list(session.scalars(select(DirtyDay.day).where(
        DirtyDay.profile_version == profile_version).order_by(DirtyDay.day)))


def rebuild_dirty(session: Session, *, profile_version: str, tz: ZoneInfo,
                  also: Iterable[date] = ()) -> int:
    """Rebuild every day marked dirty (plus ``also``) and clear the marks seen; returns the
    number of days rebuilt. A mark renewed meanwhile by another writer stays for its own
    rebuild, so concurrent runs never lose a day."""
    marks = session.execute(select(DirtyDay.day, DirtyDay.marked_at).where(
        DirtyDay.profile_version == profile_version)).all()
    days = {d for d, _ in marks} | set(also)
    rebuild(session, profile_version=profile_version, days=days, tz=tz)
    for d, marked_at in marks:
        session.execute(delete(DirtyDay).where(
            DirtyDay.profile_version == profile_version, DirtyDay.day == d,
            DirtyDay.marked_at == marked_at))
    return len(days)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for d in days:
        if runs and d - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _rebuild_range(session: Session, version: str, first: date, last: date,
                   tz: ZoneInfo) -> int:
    start, end = day_bounds(first, last, tz)
    cells: dict[tuple[date, str, str, str, str], _Cell] = defaultdict(_Cell)

    rows = session.execute(
        select(Article.id, Article.outlet_id, Article.lang, Article.published_at,
               Article.date_source, Article.cluster_id, Analysis.lang, Analysis.relevant,
               Analysis.polarity, Analysis.alarm)
        .join(Analysis, and_(Analysis.article_id == Article.id,
                             Analysis.profile_version == version), isouter=True)
        .where(Article.published_at >= start, Article.published_at < end)
    ).all()
    relevant_ids = [r[0] for r in rows if r[7]]
    topics, partners = topics_and_partners(session, version, relevant_ids)

    for (aid, outlet, art_lang, published, date_source, cluster_id, an_lang, relevant,
         polarity, alarm) in rows:
        day = local_day(published, tz)
        lang = an_lang or art_lang or "other"
        if date_source == "crawl":
            cells[(day, outlet, lang, "all", "undated")].articles += 1
            continue
        cells[(day, outlet, lang, "all", "")].articles += 1
        if not relevant:
            continue
        is_first = first_copy(aid, cluster_id)
        keys = [("all", "")] + [("topic", t) for t in counted_topics(topics.get(aid, {}))]
        for key in keys:
            cell = cells[(day, outlet, lang, *key)]
            _count(cell, is_first, polarity, alarm)
        for pid, tone in partners.get(aid, {}).items():
            _count(cells[(day, outlet, lang, "partner", pid)], is_first, tone, alarm)

    session.execute(delete(DailyAggregate).where(
        DailyAggregate.profile_version == version,
        DailyAggregate.day >= first, DailyAggregate.day <= last))
    out = [{"day": d, "profile_version": version, "outlet_id": o, "lang": lg, "dimension": dim,
            "key": k, "articles": c.articles, "pieces": c.pieces, "copies": c.copies,
            "polarity_sum": c.polarity_sum, "alarm_sum": c.alarm_sum, "tone_n": c.tone_n}
           for (d, o, lg, dim, k), c in cells.items()]
    upsert(session, DailyAggregate, out,
           key=["day", "profile_version", "outlet_id", "lang", "dimension", "key"],
           update=["articles", "pieces", "copies", "polarity_sum", "alarm_sum", "tone_n"])
    return len(out)


def topics_and_partners(conn: Session | Connection, version: str, ids: Sequence[int]
                        ) -> tuple[dict[int, dict[str, float]], dict[int, dict[str, float]]]:
    """Topic scores and partner tones of these articles: ``{id: {topic: score}}``,
    ``{id: {partner: tone}}``."""
    topics: dict[int, dict[str, float]] = defaultdict(dict)
    partners: dict[int, dict[str, float]] = defaultdict(dict)
    for chunk in id_chunks(ids):
        for aid, tid, score in conn.execute(
                select(AnalysisTopic.article_id, AnalysisTopic.topic_id, AnalysisTopic.score)
                .where(AnalysisTopic.profile_version == version,
                       AnalysisTopic.article_id.in_(chunk))):
            topics[aid][tid] = score
        for aid, pid, tone in conn.execute(
                select(AnalysisPartner.article_id, AnalysisPartner.partner_id,
                       AnalysisPartner.tone)
                .where(AnalysisPartner.profile_version == version,
                       AnalysisPartner.article_id.in_(chunk))):
            partners[aid][pid] = tone
    return topics, partners


def _count(cell: _Cell, is_first: bool, polarity: float | None, alarm: float | None) -> None:
    if is_first:
        cell.pieces += 1
        # Tone is averaged over stories, not over their copies, like the counts.
        if polarity is not None:
            cell.polarity_sum += polarity
            cell.alarm_sum += alarm or 0.0
            cell.tone_n += 1
    else:
        cell.copies += 1


def all_days(session: Session, tz: ZoneInfo) -> list[date]:
    """Every local day that has an article (for a full rebuild)."""
    first, last = session.execute(
        select(Article.published_at).order_by(Article.published_at).limit(1)
    ).scalar(), session.execute(
        select(Article.published_at).order_by(Article.published_at.desc()).limit(1)
    ).scalar()
    if first is None or last is None:
        return []
    d0, d1 = local_day(first, tz), local_day(last, tz)
    return [d0 + timedelta(days=i) for i in range((d1 - d0).days + 1)]


def outlet_groups(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Outlet.id, Outlet.group)).all())
