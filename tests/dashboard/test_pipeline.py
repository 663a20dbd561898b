"""End to end through the real analysis: articles saved as the crawler saves them, the real
``process`` with the real Analyzer, then the dashboard shows what it stored (counts from the
aggregates, the drill-down with the analysis' own evidence sentences, the copy folded)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from pipeline.analyze import Analyzer
from pipeline.config import Settings
from pipeline.process import process
from pipeline.profile import load_profile
from pipeline.store.articles import ArticleRecord, save_articles, save_outlets
from pipeline.store.db import session_scope
from pipeline.store.models import Article
from reports.dashboard import create_app
from tests.store.factories import OUTLETS

RELEVANT = ("Министерство обороны Казахстана и Министерство обороны Великобритании подписали "
            "в Лондоне план военного сотрудничества. Казахстанские офицеры пройдут обучение в "
            "британских военных академиях.")
OTHER = "В Астане открылся новый торговый центр, сообщает пресс-служба акимата."
WHEN = datetime(2025, 6, 10, 6, 0, tzinfo=UTC)  # Tuesday of 2025-W24 in Almaty


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_profile(), entities="relevant")


def _rec(i: int, text: str, outlet: str = "replay-kz") -> ArticleRecord:
    url = f"https://{outlet}.example/{i}"
    return ArticleRecord(canonical_url=url, url=url, outlet_id=outlet, source_kind="feed",
                         title=f"Заголовок {i}", text=text, published_at=WHEN,
                         date_source="page", fetched_at=WHEN)


def test_processed_articles_reach_the_dashboard(engine, analyzer):
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [_rec(1, RELEVANT), _rec(2, RELEVANT + " Копия.", "replay-ru"),
                          _rec(3, OTHER)])
        first = s.scalar(select(Article.id).where(Article.canonical_url.like("%kz.example/1")))
        s.execute(update(Article).values(cluster_id=first).where(
            Article.canonical_url.in_(["https://replay-kz.example/1",
                                       "https://replay-ru.example/2"])))
    settings = Settings()
    summary = process(engine, analyzer, tz=settings.tz)
    assert summary.relevant == 2
    c = create_app(engine, settings, analyzer.profile).test_client()
    q = "from=2025-06-09&to=2025-06-15"
    trend = c.get(f"/api/trend?{q}&by=partner").get_json()["data"]
    gbr = next(ln for ln in trend["lines"] if ln["key"] == "GBR")
    assert (gbr["pieces"], gbr["copies"]) == ([1], [1])
    drill = c.get(f"/api/articles?{q}&by=partner&at=2025-06-09&series=GBR").get_json()["data"]
    assert (drill["pieces"], drill["copies"]) == (1, 1)
    (story,) = drill["stories"]
    assert story["head"]["outlet_id"] == "replay-kz"
    assert [x["outlet_id"] for x in story["copies"]] == ["replay-ru"]
    assert any("Великобритании" in s for s in story["head"]["sentences"])
    page = c.get(f"/?{q}&by=partner&at=2025-06-09&series=GBR").data.decode()
    assert "Заголовок 1" in page and "1 more copy" in page
