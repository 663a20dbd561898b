"""The simulated outlets: who they are, how much they publish, and where their pages live.

Every outlet is served under ``/o/<id>/`` on the one replay host. Each has a different page
template and different entry points (feed flavours, sitemaps, archives, Telegram previews) so
that every base spider of the crawler meets a site of its kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone

ALMATY = timezone(timedelta(hours=5), "Asia/Almaty")
MOSCOW = timezone(timedelta(hours=3), "Europe/Moscow")
BISHKEK = timezone(timedelta(hours=6), "Asia/Bishkek")


@dataclass(frozen=True, kw_only=True)
class OutletDef:
    id: str
    name: str
    country: str
    group: str
    weekly: dict[str, int]            # pieces per ISO week, by language
    tz: timezone
    template: str                     # page family in render/
    date_in: str                      # where article pages carry their date (see render/)
    focus: float = 1.0                # how much defence coverage it attracts
    bias: tuple[str, ...] = ()        # partner banks it covers more than others
    categories: tuple[str, ...] = ("economy", "sport", "weather", "domestic_mil", "society")
    authors: tuple[str, ...] = ()
    telegram_channel: str | None = None
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        return list(self.weekly)

    @property
    def prefix(self) -> str:
        return f"/o/{self.id}"


OUTLETS: tuple[OutletDef, ...] = (
    OutletDef(
        id="sim_kazwire", name="KazWire / ҚазХабар (synthetic state news agency)", country="KZ",
        group="kz_state", weekly={"ru": 8, "kk": 4}, tz=ALMATY, template="kazwire",
        date_in="meta", focus=1.4,
        categories=("economy", "oil", "sport", "weather", "domestic_mil", "society"),
        authors=("Алия Нурпеисова", "Тимур Сейткали", "Жанна Ибраева", "Ерлан Оспанов"),
        notes="State agency in Russian and Kazakh; the wire others republish. RSS 2.0 per "
              "language, sitemap index of monthly news sitemaps (date in article:published_time)."),
    OutletDef(
        id="sim_dalanews", name="DalaNews (synthetic independent site)", country="KZ",
        group="kz_independent", weekly={"ru": 7}, tz=ALMATY, template="dalanews",
        date_in="jsonld", focus=1.2, bias=("RUS", "CHN"),
        categories=("economy", "society", "domestic_mil", "foreign_def", "sport"),
        authors=("Динара Калиева", "Арман Тулегенов", "Ольга Ким"),
        notes="Independent site: Atom feed and a by-date archive (date only in JSON-LD)."),
    OutletDef(
        id="sim_anasozi", name="Ана сөзі (synthetic Kazakh-language site)", country="KZ",
        group="kz_independent", weekly={"kk": 5}, tz=ALMATY, template="anasozi",
        date_in="time", focus=1.0, bias=("TUR", "OTS"),
        categories=("economy", "sport", "weather", "domestic_mil", "foreign_def"),
        authors=("Айгүл Сәрсенова", "Нұрлан Әбдірахманов", "Гүлмира Қасымова"),
        notes="Kazakh-language site: RSS 1.0 (RDF) feed, plain sitemap with lastmod, <time> dates."),
    OutletDef(
        id="sim_rosvestnik", name="Российский вестник (synthetic federal outlet)", country="RU",
        group="ru_state", weekly={"ru": 7}, tz=MOSCOW, template="rosvestnik",
        date_in="meta", focus=1.2, bias=("RUS", "TUR"),
        categories=("foreign_def", "oil", "economy", "sport"),
        authors=("Алексей Смирнов", "Мария Волкова", "Дмитрий Орлов"),
        notes="Federal outlet: RSS 2.0 in windows-1251, news sitemap index, AMP copies."),
    OutletDef(
        id="sim_rubezh", name="Русский рубеж (synthetic nationalist outlet)", country="RU",
        group="ru_nationalist", weekly={"ru": 5}, tz=MOSCOW, template="rubezh",
        date_in="url", focus=1.8, bias=("RUS", "TUR", "OTS"),
        categories=("foreign_def", "domestic_mil", "economy"),
        authors=("Игорь Воронцов", "Станислав Громов"),
        notes="Nationalist outlet: pages in windows-1251, archive by page number, the date only "
              "in the URL."),
    OutletDef(
        id="sim_efir", name="Мировой эфир (synthetic international Russian service)",
        country="GB", group="international", weekly={"ru": 5}, tz=UTC,
        template="efir", date_in="jsonld_time", focus=1.3, bias=("GBR", "USA", "CHN", "PKO"),
        categories=("foreign_def", "economy", "society"),
        authors=("Анна Рейнольдс", "Павел Лернер", "Сауле Жанибекова"),
        notes="International Russian-language service: Atom feed and news sitemap index."),
    OutletDef(
        id="sim_aziaregion", name="Азия-Регион (synthetic Central Asian outlet)", country="KG",
        group="international", weekly={"ru": 5}, tz=BISHKEK, template="aziaregion",
        date_in="microdata", focus=1.0, bias=("CHN", "OTS"),
        categories=("economy", "weather", "society", "sport", "domestic_mil"),
        authors=("Бакыт Асанов", "Елена Ли"),
        notes="Regional outlet in Bishkek: RSS 2.0 and a plain sitemap; a few pages carry no date."),
    OutletDef(
        id="sim_tg_qalqan", name="Qalqan News (synthetic Telegram channel)", country="KZ",
        group="telegram", weekly={"ru": 5, "kk": 2}, tz=ALMATY, template="telegram",
        date_in="telegram", focus=1.0, telegram_channel="qalqan_kz",
        categories=("economy", "sport", "weather", "domestic_mil", "society"),
        notes="Kazakh channel posting in Russian and Kazakh."),
    OutletDef(
        id="sim_tg_voenkor", name="Военкор Степи (synthetic Telegram channel)", country="RU",
        group="telegram", weekly={"ru": 7}, tz=MOSCOW, template="telegram",
        date_in="telegram", focus=1.6, bias=("RUS", "TUR", "OTS"),
        telegram_channel="voenkor_stepi",
        categories=("foreign_def", "domestic_mil", "economy"),
        notes="Russian military blogger channel."),
)

BY_ID: dict[str, OutletDef] = {o.id: o for o in OUTLETS}
