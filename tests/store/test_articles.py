from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from sqlalchemy import func, select

from pipeline.store.articles import (
    ArticleRecord,
    content_hash,
    decompress_html,
    save_articles,
    save_outlets,
)
from pipeline.store.db import session_scope
from pipeline.store.models import Article, Outlet
from tests.store.factories import OUTLETS, article


def _count(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(Article))


def test_same_articles_twice_is_a_no_op(engine):
    batch = [article(i) for i in range(50)]
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        first = save_articles(s, batch)
    with session_scope(engine) as s:
        rows_before = {a.canonical_url: (a.id, a.fetched_at) for a in s.scalars(select(Article))}
        second = save_articles(s, batch)
    assert (first.inserted, first.updated, first.unchanged) == (50, 0, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 50)
    with session_scope(engine) as s:
        rows_after = {a.canonical_url: (a.id, a.fetched_at) for a in s.scalars(select(Article))}
    assert rows_after == rows_before
    assert _count(engine) == 50


def test_duplicate_url_within_one_batch_counts_once(engine):
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        res = save_articles(s, [article(1), article(1), article(2)])
    assert res.inserted == 2 and _count(engine) == 2


def test_edited_article_is_updated_in_place(engine):
    original = article(7)
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [original])
    edited = dataclasses.replace(original, text=original.text + "\nОбновлено.")
    with session_scope(engine) as s:
        res = save_articles(s, [edited])
    assert res.updated == 1
    with session_scope(engine) as s:
        row = s.scalars(select(Article)).one()
        assert row.text.endswith("Обновлено.")
        assert row.content_hash == edited.content_hash
    assert _count(engine) == 1


@pytest.mark.parametrize("title,text", [
    ("Казахстан и Турция: «Анка» и Bayraktar", "Ёлка, щука, объём — «кавычки» и тире."),
    ("Қазақстан мен Түркия", "Әскери ынтымақтастық: ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І."),
    ("Emoji 🛡️ and mixed", "Тоқаев 🇰🇿 и Эрдоган 🇹🇷 — 100 % совместно\u00a0(NBSP)."),
])
def test_cyrillic_and_kazakh_round_trip(engine, title, text):
    rec = dataclasses.replace(article(1, lang="kk"), title=title, text=text, html=f"<p>{text}</p>")
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [rec])
    with session_scope(engine) as s:
        row = s.scalars(select(Article)).one()
        assert (row.title, row.text) == (title, text)
        assert decompress_html(row.raw_html) == f"<p>{text}</p>"
        assert row.content_hash == content_hash(title, text)


def test_times_are_stored_in_utc_and_come_back_aware(engine):
    from zoneinfo import ZoneInfo

    almaty = datetime(2025, 6, 6, 9, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    rec = dataclasses.replace(article(3), published_at=almaty)
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_articles(s, [rec])
    with session_scope(engine) as s:
        got = s.scalars(select(Article.published_at)).one()
    assert got == almaty and got.utcoffset().total_seconds() == 0


def test_outlets_upsert_updates_fields(engine):
    with session_scope(engine) as s:
        save_outlets(s, OUTLETS)
        save_outlets(s, [dataclasses.replace(OUTLETS[0], name="Renamed")])
    with session_scope(engine) as s:
        names = dict(s.execute(select(Outlet.id, Outlet.name)).all())
    assert names == {"replay-kz": "Renamed", "replay-ru": "Replay RU"}


def test_bad_records_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="date source"):
        dataclasses.replace(article(1), date_source="guess")
    with pytest.raises(ValueError, match="timezone-aware"):
        dataclasses.replace(article(1), published_at=datetime(2025, 1, 1))
    with pytest.raises(ValueError, match="group"):
        dataclasses.replace(OUTLETS[0], group="blogs")


def test_article_record_requires_known_outlet(engine):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), session_scope(engine) as s:
        save_articles(s, [ArticleRecord(**{**dataclasses.asdict(article(1)),
                                           "outlet_id": "nowhere"})])
