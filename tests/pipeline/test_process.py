"""`process`: analyses stored once per profile version, aggregates that count stories once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from pipeline.analyze import Analyzer
from pipeline.process import count_pending, process
from pipeline.profile import load_profile
from pipeline.store.articles import ArticleRecord, save_articles, save_outlets
from pipeline.store.db import session_scope
from pipeline.store.models import Analysis, AnalysisPartner, Article, DailyAggregate
from tests.store.factories import OUTLETS

TZ = ZoneInfo("Asia/Almaty")
RELEVANT = ("Министерство обороны Казахстана и Министерство обороны Великобритании подписали "
            "в Лондоне план военного сотрудничества. Казахстанские офицеры пройдут обучение в "
            "британских военных академиях.")
OTHER = "В Астане открылся новый торговый центр, сообщает пресс-служба акимата."


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_profile(), entities="relevant")


def _rec(i: int, text: str, *, outlet: str = "replay-kz", date_source: str = "page",
         when: datetime | None = None) -> ArticleRecord:
    when = when or datetime(2025, 6, 10, 6, 0, tzinfo=UTC)
    return ArticleRecord(canonical_url=f"https://{outlet}.example/{i}",
                         url=f"https://{outlet}.example/{i}", outlet_id=outlet,
                         source_kind="feed", title=f"Заголовок {i}", text=text,
                         published_at=when, date_source=date_source, fetched_at=when)


def test_process_stores_results_and_counts_stories_once(engine, analyzer):
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [_rec(1, RELEVANT), _rec(2, RELEVANT + " Копия.", outlet="replay-ru"),
                          _rec(3, OTHER), _rec(4, OTHER + " Без даты.", date_source="crawl")])
        # Article 2 is a syndicated copy of article 1.
        first = s.scalar(select(Article.id).where(Article.canonical_url.like("%kz.example/1")))
        s.execute(update(Article).values(cluster_id=first).where(
            Article.canonical_url.in_(["https://replay-kz.example/1",
                                       "https://replay-ru.example/2"])))
    summary = process(engine, analyzer, tz=TZ)
    assert (summary.analysed, summary.relevant, summary.failed) == (4, 2, 0)
    version = analyzer.profile.version
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Analysis)) == 4
        assert s.scalars(select(AnalysisPartner.partner_id)).all() == ["GBR", "GBR"]
        cells = {(a.outlet_id, a.dimension, a.key): a for a in s.scalars(
            select(DailyAggregate).where(DailyAggregate.profile_version == version))}
    all_kz, all_ru = cells[("replay-kz", "all", "")], cells[("replay-ru", "all", "")]
    assert (all_kz.articles, all_kz.pieces, all_kz.copies) == (2, 1, 0)
    assert (all_ru.articles, all_ru.pieces, all_ru.copies) == (1, 0, 1)
    assert cells[("replay-kz", "all", "undated")].articles == 1
    assert cells[("replay-kz", "partner", "GBR")].pieces == 1
    assert cells[("replay-ru", "partner", "GBR")].copies == 1
    assert all(c.day == datetime(2025, 6, 10).date() for c in cells.values())


def test_rerun_is_a_no_op_and_edits_are_reanalysed(engine, analyzer):
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [_rec(1, RELEVANT), _rec(2, OTHER)])
    assert process(engine, analyzer, tz=TZ).analysed == 2
    assert count_pending(engine, analyzer.profile.version) == 0
    assert process(engine, analyzer, tz=TZ).analysed == 0
    with session_scope(engine) as s:
        save_articles(s, [dataclasses.replace(_rec(2, OTHER), text=RELEVANT)])
    again = process(engine, analyzer, tz=TZ)
    assert (again.analysed, again.relevant) == (1, 1)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Analysis)) == 2
        agg = s.scalar(select(func.sum(DailyAggregate.pieces)).where(
            DailyAggregate.dimension == "all"))
    assert agg == 2


def test_days_are_local_days(engine, analyzer):
    late = datetime(2025, 6, 10, 20, 30, tzinfo=UTC)  # 01:30 on June 11 in Almaty
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [_rec(1, RELEVANT, when=late)])
    process(engine, analyzer, tz=TZ)
    with session_scope(engine) as s:
        days = set(s.scalars(select(DailyAggregate.day)))
    assert days == {(late + timedelta(hours=5)).date()}


def test_copies_of_one_story_share_the_best_copys_relevance(engine, analyzer):
    # A short flash of the same event, stored as a copy of the article, says too little to be
    # judged relevant on its own; the story is relevant, so the copy counts as its reach.
    flash = "Лондон: подписан план. Подробности позже."
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [_rec(1, RELEVANT), _rec(2, flash, outlet="replay-ru")])
        first = s.scalar(select(Article.id).where(Article.canonical_url.like("%kz.example/1")))
        s.execute(update(Article).values(cluster_id=first))
    process(engine, analyzer, tz=TZ)
    version = analyzer.profile.version
    with session_scope(engine) as s:
        got = {a.article_id: (a.relevant, a.evidence.get("story")) for a in s.scalars(
            select(Analysis).where(Analysis.profile_version == version))}
        copy = s.scalar(select(Article.id).where(Article.canonical_url.like("%ru.example/2")))
        partners = s.scalars(select(AnalysisPartner.partner_id).where(
            AnalysisPartner.article_id == copy)).all()
        ru = s.scalar(select(DailyAggregate).where(
            DailyAggregate.outlet_id == "replay-ru", DailyAggregate.dimension == "all",
            DailyAggregate.key == ""))
    assert got[first] == (True, None)
    assert got[copy] == (True, {"relevant_by": first})
    assert partners == ["GBR"]
    assert (ru.pieces, ru.copies) == (0, 1)
    assert process(engine, analyzer, tz=TZ).analysed == 0  # a rerun changes nothing
