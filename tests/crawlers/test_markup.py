"""Real-page markup rules in small: dates in visible text (Russian and Kazakh), zone-less
dates in the outlet's zone, the text-quality gate, the headline and the encoding choice."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawlers.dates import outlet_zone, parse_date
from crawlers.encoding import choose_encoding, cyrillic_score
from crawlers.extract import extract_article
from crawlers.registry import RegistryError, parse_registry
from crawlers.textdate import find_text_date
from crawlers.textgate import judge_text
from tests.crawlers.fixtures import STORY

HEAD = "Учения с Турцией начались на полигоне"


@pytest.mark.parametrize("text, when", [
    (f"Новости {HEAD} 15 августа 2016, 13:43 Текст", datetime(2016, 8, 15, 13, 43)),
    (f"{HEAD} 3 мая 2024 г. в 09:05", datetime(2024, 5, 3, 9, 5)),
    (f"{HEAD} 2024 жылғы 15 тамыз, 13:43", datetime(2024, 8, 15, 13, 43)),
    (f"{HEAD} 7 желтоқсан 2023 ж. 18:20", datetime(2023, 12, 7, 18, 20)),
    (f"{HEAD} 19.10.2020 09:34", datetime(2020, 10, 19, 9, 34)),
    (f"12 марта 2021 {HEAD} ... 1 января 2020 в подвале", datetime(2021, 3, 12)),  # nearest
    (f"{HEAD} © 2025 Редакция", None),          # a year alone is not a date
    ("15 августа 2016 — без заголовка", None),  # no headline to anchor on
])
def test_dates_in_visible_text(text: str, when: datetime | None) -> None:
    assert find_text_date(text, HEAD) == when


def test_zoneless_dates_take_the_outlets_zone() -> None:
    spec = parse_registry([{"id": "x", "name": "X", "country": "KZ", "languages": ["ru"],
                            "group": "kz_state",
                            "endpoints": {"feed": [{"url": "https://x.kz/rss"}]}}])[0]
    zone = outlet_zone(spec)
    assert zone.key == "Asia/Almaty"
    assert parse_date("2020-12-01T14:02:00", zone=zone).isoformat() == "2020-12-01T08:02:00+00:00"
    assert parse_date("2020-12-01T14:02:00+03:00", zone=zone).isoformat() == \
        "2020-12-01T11:02:00+00:00"
    html = (f"<html><head><script type='application/ld+json'>{{\"@type\": \"NewsArticle\", "
            f"\"datePublished\": \"2020-12-03T18:47\"}}</script></head><body><article>"
            f"<h1>{HEAD}</h1><p>{STORY}</p></article></body></html>")
    found = extract_article(html, zone=ZoneInfo("Europe/Kyiv")).date
    assert found is not None and found.zone == "outlet:Europe/Kyiv"
    assert found.when.isoformat() == "2020-12-03T16:47:00+00:00"


def test_registry_timezone_is_validated() -> None:
    entry = {"id": "x", "name": "X", "country": "KZ", "languages": ["ru"], "group": "kz_state",
             "endpoints": {"feed": [{"url": "https://x.kz/rss"}]}}
    assert outlet_zone(parse_registry([{**entry, "timezone": "Asia/Oral"}])[0]).key == "Asia/Oral"
    with pytest.raises(RegistryError, match="timezone"):
        parse_registry([{**entry, "timezone": "Mars/Olympus"}])


def test_text_gate() -> None:
    regions = "\n".join(["Ваш регион:", "Москва", "Рязань", "Тула", "Омск", "Томск", "Курск",
                         "Орёл", "Тверь", "Пермь", "Уфа", "Казань"])
    assert judge_text(regions) == "navigation"
    assert judge_text(STORY) is None
    assert judge_text("Фото: пресс-служба", description=STORY) == "short_of_description"
    assert judge_text("") is None  # empty text has its own reason (empty_text)


def test_headline_prefers_the_articles_h1() -> None:
    longer = (f"<html><head><title>Нюша поддержала Putin Team</title>"
              f"<meta property='og:title' content='Нюша поддержала Putin Team'></head><body>"
              f"<h1>Нюша поддержала Putin Team и поздравила детей</h1><p>{STORY}</p></body></html>")
    assert extract_article(longer).title == "Нюша поддержала Putin Team и поздравила детей"
    seo = (f"<html><head><meta property='og:title' content='Модель рассказала: новости, фото'>"
           f"</head><body><article><h1>Модель: «Посмотри на красотку»</h1><p>{STORY}</p>"
           f"</article></body></html>")
    assert extract_article(seo).title == "Модель: «Посмотри на красотку»"


def test_lead_is_put_back_once() -> None:
    lead = "Министр обороны Казахстана провёл переговоры с турецким коллегой в Анкаре сегодня."
    html = (f"<html><head><meta name='description' content='{lead}'></head><body><article>"
            f"<h1>{HEAD}</h1><p class='intro'>{lead}</p><div class='body'><p>{STORY}</p>"
            f"<p>{STORY}</p></div></article></body></html>")
    text = extract_article(html).text
    assert text.count(lead[:50]) == 1 and HEAD not in text


def test_encoding_disagreements_are_settled_by_the_text() -> None:
    body = f"<?xml version='1.0' encoding='koi8-r'?><rss><title>{STORY}</title></rss>"
    koi8 = body.encode("koi8-r")
    # KOI8-R served as windows-1251: the declaration wins
    choice = choose_encoding(koi8, header="windows-1251", declared="koi8-r",
                             current="windows-1251")
    assert (choice.encoding, choice.reason) == ("koi8-r", "declared_over_header")
    # windows-1251 served as UTF-8 with the right <meta>: never U+FFFD garbage
    cp = STORY.encode("cp1251")
    choice = choose_encoding(cp, header="utf-8", declared="windows-1251", current="utf-8")
    assert choice.encoding == "windows-1251" and not choice.garbage
    # ... and with no declaration at all: found by sniffing
    assert choose_encoding(cp, header="utf-8", declared=None, current="utf-8").reason == "sniffed"
    # agreeing and right: kept as is
    assert choose_encoding(STORY.encode(), header="utf-8", declared="utf-8").reason == "kept"
    # double-encoded (UTF-8 bytes read as windows-1251, saved again): garbage in any encoding
    mojibake = STORY.encode("utf-8").decode("cp1251").encode("utf-8")
    assert choose_encoding(mojibake, header="utf-8", declared="utf-8").garbage
    assert cyrillic_score("Hello world") is None  # nothing Cyrillic to judge
