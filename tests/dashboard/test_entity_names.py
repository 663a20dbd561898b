"""Entity lists show one normal form per name: inflected forms and abbreviations of one name
(Казахстана, Казахстане, РК; Минобороны РК, Министерство обороны Республики Казахстан) are
one entity on the dashboard, through the real analysis and ``process``; an outlet's own name
is never an entity."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.analyze import Analyzer
from pipeline.config import Settings
from pipeline.process import process
from pipeline.profile import load_profile
from pipeline.store.articles import ArticleRecord, save_articles, save_outlets
from pipeline.store.db import session_scope
from reports.dashboard import create_app
from tests.store.factories import OUTLETS

WHEN = datetime(2025, 6, 10, 6, 0, tzinfo=UTC)
TEXTS = [
    "Министерство обороны Республики Казахстан и Министерство обороны Великобритании "
    "подписали в Лондоне план военного сотрудничества на 2026 год.",
    "Минобороны РК сообщило, что офицеры Казахстана пройдут обучение в британских военных "
    "академиях по плану сотрудничества с Великобританией.",
    "В Казахстане прошли совместные учения с военными Турции; турецкие инструкторы обучали "
    "казахстанских военных управлению беспилотниками.",
    "Министр обороны РК Руслан Жаксылыков провел переговоры с министром национальной обороны "
    "Турции Яшаром Гюлером о военном сотрудничестве.",
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_profile(), entities="relevant")


def test_one_entity_per_name_on_the_dashboard(engine, analyzer):
    outlet = OUTLETS[0]
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [ArticleRecord(
            canonical_url=f"https://e.example/{i}", url=f"https://e.example/{i}",
            outlet_id=outlet.id, source_kind="feed", title=f"{outlet.name}: новость {i}",
            text=t, published_at=WHEN, date_source="page", fetched_at=WHEN)
            for i, t in enumerate(TEXTS)])
    settings = Settings()
    summary = process(engine, analyzer, tz=settings.tz)
    assert summary.relevant == len(TEXTS)
    c = create_app(engine, settings, analyzer.profile).test_client()
    data = c.get("/api/entities?from=2025-06-09&to=2025-06-15").get_json()["data"]
    names = [e["text"] for e in data["top"]]
    assert len(names) == len(set(names)), names
    keys = {e["key"]: e for e in data["top"]}
    # Kazakhstan under one key and its profile name, whatever form each article used.
    kaz = [e for e in data["top"] if e["text"] == "Казахстан"]
    assert len(kaz) == 1 and kaz[0]["key"] == "KAZ", data["top"]
    mod = [e for e in data["top"] if ("обороны" in e["text"] and "Казах" in e["text"])
           or e["text"].endswith("РК")]
    assert len(mod) <= 1, mod
    if "kz_mod" in keys:
        assert keys["kz_mod"]["stories"] >= 2
    for form in ("Казахстана", "Казахстане", "РК", "Минобороны РК", outlet.name):
        assert form not in names, (form, names)
