"""A tiny local web for the spider unit tests: one of each kind of endpoint plus the usual
faults, served by ``http.server`` on 127.0.0.1. Texts are written for these tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawlers.registry import OutletSpec, parse_registry

NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)

STORY = ("Министерство обороны Республики Казахстан сообщило о проведении совместных "
         "командно-штабных учений с вооружёнными силами Турции на полигоне Матыбулак. "
         "В учениях участвуют подразделения аэромобильных войск, беспилотные летательные "
         "аппараты отечественного производства и подразделения связи. По словам "
         "представителя ведомства, цель учений состоит в отработке взаимодействия штабов "
         "при планировании операций и в проверке совместимости систем управления. "
         "Наблюдатели из государств Организации тюркских государств приглашены на "
         "заключительный этап, который пройдёт в конце месяца.")
OTHER = ("Правительство обсудило ход строительства нового терминала в аэропорту Шымкента и "
         "поручило ускорить закупку оборудования для обработки багажа. Министр транспорта "
         "доложил, что работы выполнены на шестьдесят процентов, а ввод в эксплуатацию "
         "запланирован на осень. Отдельно рассмотрен вопрос о субсидировании региональных "
         "авиаперевозок в северных областях страны и о тарифах на внутренние рейсы.")
KAZ = ("Қазақстан Республикасы Қорғаныс министрлігі Түркия қарулы күштерімен бірлескен "
       "оқу-жаттығу өткізетінін хабарлады. Жаттығуға әуеде қонатын әскерлер мен отандық "
       "ұшқышсыз ұшу аппараттары қатысады. Ведомство өкілінің айтуынша, жаттығудың мақсаты "
       "штабтардың өзара іс-қимылын пысықтау және басқару жүйелерінің үйлесімділігін тексеру.")


_BANK = (
    "Делегация министерства обороны прибыла в Анкару для переговоров о совместном производстве",
    "Стороны обсудили поставки бронетехники и запасных частей к ней на ближайшие три года",
    "В Астане прошло заседание совета министров обороны государств Содружества",
    "Парламент ратифицировал соглашение о военно-техническом сотрудничестве с Китаем",
    "Эксперты считают, что рынок беспилотников в регионе вырастет вдвое к концу десятилетия",
    "Пограничная служба получила новые патрульные катера для работы на Каспийском море",
    "Военный университет подписал меморандум о подготовке офицеров с британской академией",
    "На заводе в Петропавловске начали сборку корпусов для бронетранспортёров",
    "Министр рассказал журналистам о планах по переходу армии на стандарты НАТО в связи",
    "Аналитики отметили рост расходов на оборону в бюджете следующего года",
    "В Алматинской области прошли сборы резервистов с боевой стрельбой",
    "Российская сторона предложила продлить аренду объектов полигона Сары-Шаган",
    "Турецкие инженеры проведут обучение персонала по обслуживанию ударных дронов",
    "ОДКБ объявила о проведении миротворческих учений осенью на территории Киргизии",
    "Американские военные советники посетили центр подготовки миротворцев в Капчагае",
    "В сенате обсуждают поправки к закону об оборонном заказе и закупках",
    "Оборонное предприятие сообщило о контракте на поставку радиостанций за рубеж",
    "Журналисты получили доступ к испытаниям нового бронеавтомобиля местной сборки",
    "Глава государства провёл совещание по вопросам национальной безопасности",
    "Китайская компания предложила построить завод по ремонту вертолётов",
    "Вооружённые силы получили партию транспортных самолётов европейского производства",
    "Экспертный совет рекомендовал увеличить число контрактников в сухопутных войсках",
    "Военная прокуратура проверяет исполнение контрактов по закупке обмундирования",
    "Учёные института разработали систему связи для подразделений в горной местности",
    "Правительство выделило средства на модернизацию военных городков в регионах",
    "В Шымкенте открылся новый центр подготовки сержантов для мотострелковых частей",
    "Союзники договорились о регулярном обмене данными о воздушной обстановке",
    "Представители Организации тюркских государств обсудили координацию оборонной промышленности",
    "Инспекция выявила нарушения при хранении боеприпасов на одном из складов",
    "Ветераны миротворческих миссий встретились с курсантами военного колледжа",
)


def story(n: int, sentences: int = 7) -> str:
    """A distinct article text (shared sentences between two stories are rare)."""
    import random
    picked = random.Random(n).sample(_BANK, sentences)
    return ". ".join(picked) + "."


def article_html(title: str, text: str, *, date: datetime | None, charset: str = "utf-8",
                 meta_charset: bool = True) -> str:
    meta = f'<meta property="article:published_time" content="{date.isoformat()}">' if date else ""
    cs = f'<meta charset="{charset}">' if meta_charset else ""
    paras = "".join(f"<p>{p.strip()}.</p>" for p in text.split(".") if p.strip())
    return (f"<!DOCTYPE html><html><head>{cs}<title>{title}</title>{meta}"
            f'<meta name="author" content="Айгерим Садыкова"></head><body>'
            f"<nav><a href='/'>Главная</a></nav><article><h1>{title}</h1>{paras}</article>"
            f"<footer>© Тестовое издание</footer></body></html>")


@dataclass(kw_only=True)
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    handler: Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]] | None = None


class Site:
    """Routes by path (query included); counts the hits per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.url = ""

    def add(self, path: str, body: str | bytes = b"", *, status: int = 200,
            content_type: str = "text/html; charset=utf-8", encoding: str = "utf-8",
            headers: dict[str, str] | None = None) -> None:
        data = body.encode(encoding) if isinstance(body, str) else body
        self.routes[path] = Route(status=status, body=data,
                                  headers={"Content-Type": content_type, **(headers or {})})

    def add_handler(self, path: str, handler: Callable[[BaseHTTPRequestHandler],
                                                          tuple[int, dict[str, str], bytes]]) -> None:
        self.routes[path] = Route(handler=handler)


def _handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            site.hits[self.path] = site.hits.get(self.path, 0) + 1
            site.requests.append((self.path, dict(self.headers)))
            route = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
            etag = route.headers.get("ETag") if route is not None else None
            if etag and self.headers.get("If-None-Match") == etag:
                status, headers, body = 304, {"ETag": etag}, b""
            elif route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            elif route.handler is not None:
                status, headers, body = route.handler(self)
            else:
                status, headers, body = route.status, route.headers, route.body
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(site))
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def registry(site: Site, entries: list[dict]) -> list[OutletSpec]:
    """Registry entries whose endpoint URLs are paths on the site."""
    out = []
    for entry in entries:
        entry = {"country": "KZ", "languages": ["ru"], "group": "kz_independent",
                 "name": entry["id"], **entry}
        eps = {}
        for kind, items in entry["endpoints"].items():
            eps[kind] = [{"evidence": "synthetic", "role": "primary", **item,
                          "url": site.url + item["url"]} for item in items]
        entry["endpoints"] = eps
        out.append(entry)
    return parse_registry(out, where="test")


FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_BACKOFF_BASE": 0.05,
        "RETRY_AFTER_MAX": 2.0, "DOWNLOAD_TIMEOUT": 5, "LOG_LEVEL": "INFO"}


def settings_for(db_url: str, tmp_path, **crawl: object):
    from pipeline.config import load_settings
    return load_settings(env={}, overrides={"database_url": db_url, "var_dir": str(tmp_path),
                                            "crawl": {"retries": 2, **crawl}})


def migrated(db_url: str) -> str:
    """The database at ``db_url`` brought up to date, as commands and DAG tasks do before a
    crawl (the crawl worker never migrates)."""
    from pipeline.store.db import make_engine
    from pipeline.store.migrate import ensure_schema

    engine = make_engine(db_url)
    ensure_schema(engine)
    engine.dispose()
    return db_url


def run(site_specs: list[OutletSpec], db_url: str, tmp_path, *, since: datetime | None = None,
        until: datetime | None = None, events: list | None = None, **scrapy: object):
    from crawlers.runner import crawl

    migrated(db_url)
    return crawl(settings_for(db_url, tmp_path), site_specs, since or NOW - 10 * DAY,
                 until or NOW, progress=events.append if events is not None else None,
                 scrapy_overrides={**FAST, **scrapy})


def rss(items: list[tuple[str, str, datetime | None]], *, encoding: str = "utf-8") -> str:
    """An RSS 2.0 feed of (link, title, date) items."""
    from email.utils import format_datetime
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link>"
        + (f"<pubDate>{format_datetime(d)}</pubDate>" if d else "")
        + f"<description>{t}</description></item>" for link, t, d in items)
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
            f"<title>Тест</title><link>http://example.kz/</link>{body}</channel></rss>")


def _sitemap_index(children: list[tuple[str, datetime]]) -> str:
    body = "".join(f"<sitemap><loc>{u}</loc><lastmod>{d.isoformat()}</lastmod></sitemap>"
                   for u, d in children)
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>')


def _news_sitemap(urls: list[tuple[str, datetime]]) -> str:
    body = "".join(
        f"<url><loc>{u}</loc><news:news><news:publication>"
        f"<news:name>Тест</news:name><news:language>ru</news:language></news:publication>"
        f"<news:publication_date>{d.isoformat()}</news:publication_date>"
        f"<news:title>t</news:title></news:news></url>" for u, d in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{body}</urlset>')


def _plain_sitemap(urls: list[tuple[str, datetime]]) -> str:
    body = "".join(f"<url><loc>{u}</loc><lastmod>{d:%Y-%m-%d}</lastmod></url>" for u, d in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>')


def _telegram_page(channel: str, posts: list[tuple[int, str, datetime, str]]) -> str:
    body = "".join(
        f'<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" '
        f'data-post="{channel}/{pid}"><div class="tgme_widget_message_text">{text}</div>'
        f'<div class="tgme_widget_message_footer"><span class="tgme_widget_message_views">'
        f'{views}</span><a class="tgme_widget_message_date" href="https://t.me/{channel}/{pid}">'
        f'<time datetime="{when.isoformat()}">x</time></a></div></div></div>'
        for pid, text, when, views in posts)
    return f"<html><head><meta charset='utf-8'></head><body><section>{body}</section></body></html>"


def variant(text: str) -> str:
    """A lightly edited copy, as another outlet would run a syndicated story."""
    return (text.replace("сообщило о проведении", "объявило о проведении")
            .replace("в конце месяца", "в последнюю неделю месяца")
            + " Об этом сообщает пресс-служба ведомства.")


def build_site(site: Site) -> dict[str, object]:
    """Every kind of endpoint and fault on one local site; returns the registry entries and
    the expected outcome of a first crawl."""
    u = site.url
    d1, d2, d3 = NOW - DAY, NOW - 2 * DAY, NOW - 3 * DAY
    old = NOW - 40 * DAY
    # --- feed outlet (windows-1251 feed and pages, one page without a charset header) -----
    site.add("/feed/rss.xml", rss([
        (u + "/feed/a1.html?utm_source=rss&utm_medium=x", "Учения с Турцией", d1),
        (u + "/feed/a2.html", "Терминал в Шымкенте", d2),
        (u + "/feed/a3.html", "Без даты", None),
        (u + "/feed/a4.html", "Дата из будущего", d1),
        (u + "/feed/copy.html", "Повтор", d1),           # same text as a1: duplicate_content
        (u + "/feed/missing.html", "Нет страницы", d1),   # 404
        (u + "/feed/broken.html", "Ошибка сервера", d1),  # 500 (retried, then recorded)
        (u + "/feed/busy.html", "Перегрузка", d1),        # 503 + Retry-After once, then OK
        (u + "/feed/loop.html", "Петля", d1),             # redirect loop
        (u + "/feed/trunc.html", "Обрыв", d1),            # truncated HTML, still extractable
        (u + "/feed/old.html", "Старая", old),            # out of range: never fetched
    ], encoding="windows-1251"), content_type="application/rss+xml; charset=windows-1251",
        encoding="cp1251", headers={"ETag": '"v1"'})
    site.add("/feed/a1.html", article_html("Учения с Турцией", STORY, date=d1,
                                           charset="windows-1251"),
             content_type="text/html; charset=windows-1251", encoding="cp1251")
    site.add("/feed/a2.html", article_html("Терминал в Шымкенте", OTHER, date=None,
                                           charset="windows-1251"),
             content_type="text/html", encoding="cp1251")   # charset only in <meta>
    site.add("/feed/a3.html", article_html("Без даты", KAZ, date=None))
    site.add("/feed/a4.html", article_html("Дата из будущего", story(1),
                                           date=NOW + 30 * DAY))
    site.add("/feed/copy.html", article_html("Учения с Турцией", STORY, date=d1,
                                             charset="windows-1251"),
             content_type="text/html; charset=windows-1251", encoding="cp1251")
    site.add("/feed/broken.html", "oops", status=500, content_type="text/plain")
    busy = {"n": 0}

    def busy_handler(_h: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        busy["n"] += 1
        if busy["n"] == 1:
            return 503, {"Retry-After": "1", "Content-Type": "text/plain"}, b"busy"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, article_html(
            "Перегрузка", story(2), date=d2).encode()
    site.add_handler("/feed/busy.html", busy_handler)
    site.add("/feed/loop.html", b"", status=302, headers={"Location": "/feed/loop2.html"})
    site.add("/feed/loop2.html", b"", status=302, headers={"Location": "/feed/loop.html"})
    full = article_html("Обрыв", story(3, 12), date=d3)
    site.add("/feed/trunc.html", full[: int(len(full) * 0.7)])
    # --- a broken primary feed with a working fallback --------------------------------------
    site.add("/broken/rss.xml", "<?xml version='1.0'?><rss><channel><item><title>x",
             content_type="application/rss+xml")
    site.add("/broken/atom.xml", (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>t</title><entry><title>Синдикация</title><link href="{u}/b/syn.html"/>'
        f"<updated>{d1.isoformat()}</updated></entry>"
        f'<entry><title>Пересказ</title><link href="{u}/b/near.html"/>'
        f"<updated>{d1.isoformat()}</updated></entry></feed>"),
        content_type="application/atom+xml")
    site.add("/b/syn.html", article_html("Учения с Турцией", STORY, date=d1))   # syndicated copy
    site.add("/b/near.html", article_html("Учения с Турцией", variant(STORY), date=d1))
    # --- sitemap outlet: index -> news sitemap + an old child skipped by lastmod -------------
    site.add("/sm/index.xml", _sitemap_index([(u + "/sm/news.xml", d1), (u + "/sm/old.xml", old)]),
             content_type="application/xml")
    site.add("/sm/news.xml", _news_sitemap([(u + "/sm/s1.html", d1), (u + "/sm/s2.html", old)]),
             content_type="application/xml")
    site.add("/sm/plain.xml", _plain_sitemap([(u + "/sm/2025/p1.html", d2)]),
             content_type="application/xml")
    site.add("/sm/s1.html", article_html("Беспилотники", story(4), date=d1))
    site.add("/sm/2025/p1.html", article_html("Связь", story(5), date=d2))
    # --- archive outlet, two pages ------------------------------------------------------------
    listing = "<html><body><ul class='news'>{}</ul><a href='/about'>о нас</a></body></html>"
    site.add("/ar/page/1", listing.format(
        "<li><a class='t' href='/ar/x1.html'>1</a></li><li><a class='t' href='/ar/x2.html'>2</a></li>"))
    site.add("/ar/page/2", listing.format("<li><a class='t' href='/ar/x3.html'>3</a></li>"))
    site.add("/ar/x1.html", article_html("Архив 1", story(6), date=d2))
    site.add("/ar/x2.html", article_html("Архив 2", story(7), date=d2))
    site.add("/ar/x3.html", article_html("Архив 3", story(8), date=d3))
    # --- telegram channel, two pages via ?before= ----------------------------------------------
    site.add("/tg/s/chan", _telegram_page("chan", [
        (11, "Учения начались.<br>Подробности в канале: участвуют подразделения связи и "
             "беспилотники отечественного производства.", d1, "1.2K"),
        (12, "Второй пост о визите делегации Турции в Астану и переговорах министров обороны.",
         d1, "845")]))
    site.add("/tg/s/chan?before=11", _telegram_page("chan", [
        (9, "Старый пост о переговорах с Россией по поставкам вооружений и техники для армии.",
         d2, "3M")]))
    site.add("/tg/s/chan?before=9", _telegram_page("chan", []))
    entries = [
        {"id": "t_feed", "endpoints": {"feed": [{"url": "/feed/rss.xml"}]}},
        {"id": "t_fallback", "endpoints": {"feed": [
            {"url": "/broken/rss.xml"}, {"url": "/broken/atom.xml", "role": "fallback"}]}},
        {"id": "t_sitemap", "endpoints": {"sitemap": [{"url": "/sm/index.xml"},
                                                      {"url": "/sm/plain.xml"}]}},
        {"id": "t_archive", "endpoints": {"archive": [
            {"url": "/ar/page/{page}", "paging": "page", "max_pages": 5,
             "link_selector": "ul.news a.t::attr(href)"}]}},
        {"id": "t_telegram", "languages": ["ru"], "group": "telegram",
         "endpoints": {"telegram": [{"url": "/tg/s/chan"}]}},
        {"id": "t_dead", "endpoints": {"feed": [{"url": "/nowhere.xml"}]}},
    ]
    expected = {
        # stored per outlet on the first crawl
        "stored": {"t_feed": 6, "t_fallback": 2, "t_sitemap": 2, "t_archive": 3,
                   "t_telegram": 3, "t_dead": 0},
        "errors": {"t_feed": {"http_404", "http_500", "redirect_loop"},
                   "t_fallback": {"parse_error"}, "t_dead": {"http_404"}},
    }
    return {"entries": entries, "expected": expected}
