"""The replay web over real HTTP: every outlet's entry points and articles, conditional GET,
the manifest, the ground truth, and every fault. No internet; a few seconds."""

from __future__ import annotations

import gzip
import http.client
import re
import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import feedparser
import pytest
import yaml
from parsel import Selector

from replayweb import ReplayServer, build_corpus, ground_truth
from replayweb.outlets import ALMATY

KAZAKH_LETTERS = re.compile("[әғқңөұүһі]")
GROUPS = {"kz_state", "kz_independent", "ru_state", "ru_nationalist", "international",
          "telegram"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, headers: dict[str, str] | None = None, *, follow: bool = True,
        timeout: float = 10) -> tuple[int, http.client.HTTPMessage, bytes]:
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


@pytest.fixture(scope="module")
def srv():
    with ReplayServer(faults=True, slow_delay=3.0) as server:
        yield server


@pytest.fixture(scope="module")
def manifest(srv):
    status, _headers, body = get(srv.manifest_url)
    assert status == 200
    return yaml.safe_load(body)


@pytest.fixture(scope="module")
def truth(srv):
    return srv.ground_truth()


def _endpoints(manifest, kind):
    return [(o["id"], ep) for o in manifest for ep in o["endpoints"].get(kind, [])
            if o["id"] != "sim_faulty"]


# -- manifest ------------------------------------------------------------------------------

def test_manifest_lists_the_outlets_in_the_registry_schema(srv, manifest):
    from crawlers.registry import parse_registry

    specs = parse_registry(manifest, where="replay manifest")
    simulated = [s for s in specs if s.id != "sim_faulty"]
    assert len(simulated) >= 8
    assert {s.group for s in simulated} == GROUPS
    assert {lang for s in simulated for lang in s.languages} == {"ru", "kk"}
    assert all(e.url.startswith(srv.url) and e.evidence == "synthetic"
               for s in specs for e in s.endpoints)
    kinds = {e.kind for s in simulated for e in s.endpoints}
    assert kinds == {"feed", "sitemap", "archive", "telegram"}
    assert "sim_faulty" in {s.id for s in specs}  # listed because faults=True


def test_manifest_without_faults_has_no_fault_outlet():
    with ReplayServer() as plain:
        ids = [o["id"] for o in yaml.safe_load(get(plain.manifest_url)[2])]
    assert "sim_faulty" not in ids and len(ids) >= 8


# -- feeds ---------------------------------------------------------------------------------

def test_every_feed_parses_with_cyrillic_intact(srv, manifest, truth):
    titles = {p["title"] for p in truth["pieces"].values()}
    seen_cp1251 = 0
    for _outlet_id, ep in _endpoints(manifest, "feed"):
        status, headers, body = get(ep["url"])
        assert status == 200, ep["url"]
        feed = feedparser.parse(body, response_headers={"content-type": headers["Content-Type"]})
        assert not feed.bozo, (ep["url"], feed.get("bozo_exception"))
        assert len(feed.entries) >= 20
        assert "synthetic" in (feed.feed.get("subtitle") or feed.feed.get("description") or "")
        assert all(e.title in titles and e.link.startswith(srv.url) for e in feed.entries)
        if "windows-1251" in headers["Content-Type"]:
            seen_cp1251 += 1
            assert body.startswith(b'<?xml version="1.0" encoding="windows-1251"?>')
            assert feed.encoding.lower() in ("windows-1251", "cp1251")
            assert re.search("[а-яё]", feed.entries[0].title)
            with pytest.raises(UnicodeDecodeError):
                body.decode("utf-8")
    assert seen_cp1251 == 2
    versions = {feedparser.parse(get(ep["url"])[2]).version
                for _, ep in _endpoints(manifest, "feed")}
    assert {"rss20", "atom10", "rss10"} <= versions


def test_conditional_get_returns_304(srv):
    url = srv.url + "/o/sim_rosvestnik/export/rss2/index.xml"
    status, headers, _body = get(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(url, {"If-None-Match": '"stale"'})[0] == 200
    older = "Mon, 02 Jun 2025 10:00:00 GMT"
    assert get(url, {"If-Modified-Since": older})[0] == 200


def test_gzip_when_accepted(srv):
    _status, headers, body = get(srv.url + "/o/sim_kazwire/rss/ru.xml",
                                {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert feedparser.parse(gzip.decompress(body)).entries


# -- sitemaps ------------------------------------------------------------------------------

def _locs(body: bytes) -> list[str]:
    return re.findall(r"<loc>([^<]+)</loc>", body.decode())


def test_sitemaps_reach_every_dated_piece(srv, manifest, truth):
    found: set[str] = set()
    for _outlet_id, ep in _endpoints(manifest, "sitemap"):
        status, _, body = get(ep["url"])
        assert status == 200
        if b"<sitemapindex" in body:
            children = _locs(body)
            news = [c for c in children if ep.get("include", "") in c]
            assert (len(news) >= 3 and len(news) < len(children)) or "include" not in ep
            for child in news:
                status, _, child_body = get(child.replace("&amp;", "&"))
                assert status == 200 and b"<news:publication_date>" in child_body
                found.update(u.replace("&amp;", "&") for u in _locs(child_body))
        else:
            assert b"<lastmod>" in body
            found.update(u.replace("&amp;", "&") for u in _locs(body))
    sitemap_outlets = {o for o, _ in _endpoints(manifest, "sitemap")}
    wanted = {p["url"] for p in truth["pieces"].values() if p["outlet"] in sitemap_outlets}
    assert wanted <= found
    dup_urls = {u for d in truth["duplicates"] for u in d["duplicate_urls"]}
    assert any(u in found for u in dup_urls)  # AMP and utm copies are listed too


# -- archives ------------------------------------------------------------------------------

def test_date_archive_links_are_css_selectable(srv, manifest, truth):
    (_, ep), = [x for x in _endpoints(manifest, "archive") if x[1]["paging"] == "date"]
    day = datetime(2025, 6, 6)
    status, _, body = get(ep["url"].format(date=day))
    assert status == 200
    links = Selector(text=body.decode()).css(ep["link_selector"]).getall()
    expected = {p["url"] for p in truth["pieces"].values()
                if p["outlet"] == "sim_dalanews" and p["published"].startswith("2025-06-06")}
    assert expected and {srv.url + link.split("?")[0] for link in links} == expected
    empty = get(ep["url"].format(date=datetime(2025, 1, 1)))
    assert empty[0] == 200 and not Selector(text=empty[2].decode()).css(ep["link_selector"])


def test_page_archive_covers_the_outlet(srv, manifest, truth):
    (_, ep), = [x for x in _endpoints(manifest, "archive") if x[1]["paging"] == "page"]
    links: list[str] = []
    for page in range(1, ep["max_pages"] + 1):
        status, headers, body = get(ep["url"].format(page=page))
        if status == 404:
            break
        assert "windows-1251" in headers["Content-Type"]
        links += Selector(text=body.decode("cp1251")).css(ep["link_selector"]).getall()
    assert page > 3
    got = {srv.url + link for link in links}
    mine = {p["url"] for p in truth["pieces"].values() if p["outlet"] == "sim_rubezh"}
    assert mine <= got
    assert set(truth["robots"]["blocked_urls"]) <= got  # listed, but robots.txt forbids them


def test_robots_txt_disallows_one_path(srv):
    status, _, body = get(srv.url + "/robots.txt")
    assert status == 200 and b"Disallow: /o/sim_rubezh/private/" in body


# -- telegram ------------------------------------------------------------------------------

def test_telegram_previews_paginate_back_to_the_start(srv, manifest, truth):
    for outlet_id, ep in _endpoints(manifest, "telegram"):
        url, posts = ep["url"], []
        while True:
            status, _, body = get(url)
            assert status == 200
            sel = Selector(text=body.decode())
            page = sel.css("div.tgme_widget_message")
            if not page:
                break
            for msg in page:
                assert msg.css("time::attr(datetime)").get()
                assert msg.css(".tgme_widget_message_views::text").get()
                assert msg.css(".tgme_widget_message_text").get()
                posts.append(msg.attrib["data-post"])
            before = sel.css("a.tme_messages_more::attr(data-before)").get()
            url = f"{ep['url']}?before={before}"
        assert len(posts) == len(set(posts)) == truth["by_outlet"][outlet_id]["pieces"]


# -- articles ------------------------------------------------------------------------------

def test_every_outlet_serves_its_articles(srv, truth):
    by_outlet: dict[str, list[dict]] = {}
    for p in truth["pieces"].values():
        by_outlet.setdefault(p["outlet"], []).append(p)
    for _outlet_id, pieces in by_outlet.items():
        for p in pieces[:: max(1, len(pieces) // 6)]:
            status, headers, body = get(p["url"])
            assert status == 200, p["url"]
            charset = "cp1251" if "windows-1251" in headers["Content-Type"] else "utf-8"
            page = body.decode(charset)
            assert 'content="steppewatch replay (synthetic)"' in page
            title = p["title"].replace('"', "&quot;").replace("'", "&#x27;")
            assert title in page or p["title"] in Selector(text=page).css("title::text").get("")


def test_dates_sit_where_the_ground_truth_says(srv, truth):
    pieces = truth["pieces"]
    undated = [pieces[i] for i in truth["undated_ids"]]
    future = [pieces[i] for i in truth["future_dated_ids"]]
    for p in undated:
        page = get(p["url"])[2].decode()
        assert "datePublished" not in page and "datetime=" not in page and "2025" not in p["url"]
    for p in future:
        assert str(2052) in get(p["url"])[2].decode()
    rubezh = next(p for p in pieces.values() if p["outlet"] == "sim_rubezh")
    page = get(rubezh["url"])[2].decode("cp1251")
    assert "published_time" not in page and "datetime" not in page
    assert re.search(r"/news/\d{4}-\d\d-\d\d/", rubezh["url"])
    dala = next(p for p in pieces.values() if p["outlet"] == "sim_dalanews"
                and p["date_mode"] == "page")
    assert f'"datePublished": "{dala["published"]}"' in get(dala["url"])[2].decode()


def test_duplicate_urls_serve_the_same_text(srv, truth):
    kinds = set()
    for dup in truth["duplicates"]:
        kinds.add(dup["kind"])
        original = Selector(text=get(dup["canonical_url"])[2].decode("utf-8", "replace"))
        for url in dup["duplicate_urls"]:
            copy = Selector(text=get(url)[2].decode("utf-8", "replace"))
            assert copy.css("link[rel=canonical]::attr(href)").get() == dup["canonical_url"]
            assert " ".join(copy.css("p::text").getall()[:3]) in " ".join(
                original.css("p::text").getall())
    assert kinds == {"utm", "amp", "mobile"}


def test_the_clock_hides_what_is_not_yet_published():
    early = datetime(2025, 5, 1, 12, tzinfo=ALMATY)
    with ReplayServer(now=early) as server:
        feed = feedparser.parse(get(server.url + "/o/sim_aziaregion/rss/")[2])
        later = next(p for p in build_corpus().pieces if p.published > early)
        assert get(server.url + later.path)[0] == 404
        server.now = early + timedelta(days=60)
        assert get(server.url + later.path)[0] == 200
    assert all(datetime(*e.published_parsed[:6]) < datetime(2025, 5, 1, 12)
               for e in feed.entries if e.get("published_parsed"))


def test_serves_requests_concurrently(srv):
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        slow = pool.submit(get, srv.url + "/faults/slow?delay=1.5")
        fast = list(pool.map(get, [srv.url + "/o/sim_efir/russian/index.xml"] * 14))
        assert all(r[0] == 200 for r in fast)
        assert time.monotonic() - started < 1.2  # did not wait behind the slow one
        assert slow.result()[0] == 200


# -- ground truth --------------------------------------------------------------------------

def test_ground_truth_totals_and_planted_shifts(truth):
    t = truth["totals"]
    assert truth["synthetic"] is True
    assert t["pieces"] >= 600 and t["stories"] >= 600
    assert 0.10 <= t["relevant_share"] <= 0.20 and 0.10 <= t["relevant_story_share"] <= 0.20
    assert len(truth["by_outlet"]) >= 8 and set(t["by_lang"]) == {"ru", "kk"}
    assert sum(o["pieces"] for o in truth["by_outlet"].values()) == t["pieces"]
    assert sum(w["pieces"] for w in truth["by_week"].values()) == t["pieces"]
    assert len(truth["relevant_ids"]) == t["relevant_pieces"]
    assert truth["period"]["weeks"][0] == "2025-W15" and truth["period"]["weeks"][-1] == "2025-W26"
    planted = truth["planted"]
    assert planted["week"] == "2025-W24"
    assert planted["volume"]["partner"] == "TUR" and planted["volume"]["ratio"] >= 2.2
    assert planted["tone"]["alarm_share"] >= 0.6 > 0.1 >= planted["tone"]["baseline_alarm_share"]
    assert t["syndicated_copies"] >= 20 and t["duplicate_urls"] >= 10
    assert t["undated"] and t["future_dated"]


def test_ground_truth_is_deterministic_and_texts_read_like_news(truth):
    assert ground_truth(with_faults=False)["relevant_ids"] == truth["relevant_ids"]
    corpus = build_corpus()
    for p in corpus.pieces:
        if p.relevant and not p.outlet.startswith("sim_tg"):
            assert 1500 <= len(p.text) <= 5000, p.id
            assert len(p.paragraphs) >= 4
        if p.lang == "kk":
            assert KAZAKH_LETTERS.search(p.text), p.id
    alarm = [p for p in corpus.pieces if p.tone == "alarm" and p.lang == "ru"]
    assert all(re.search("угроз|тревожн|дестабилизац|переворот|кризис", p.text) for p in alarm)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}


def test_copies_are_near_duplicates_and_unrelated_pieces_are_not():
    corpus = build_corpus()
    by_id = {p.id: p for p in corpus.pieces}
    for p in corpus.pieces:
        if p.copy_of:
            a, b = _shingles(p.text), _shingles(by_id[p.copy_of].text)
            assert len(a & b) / len(a | b) > 0.75, p.id
    turkish = [p for p in corpus.pieces if p.bank == "TUR" and p.copy_of is None]
    sets = [_shingles(p.text) for p in turkish]
    worst = max(len(a & b) / len(a | b) for i, a in enumerate(sets) for b in sets[i + 1:])
    assert worst < 0.5


# -- faults --------------------------------------------------------------------------------

def test_fault_statuses(srv, truth):
    urls = truth["faults"]["urls"]
    assert get(srv.url + "/faults/status/404")[0] == 404
    assert get(srv.url + "/faults/status/500")[0] == 500
    status, headers, _ = get(srv.url + "/faults/status/503")
    assert status == 503 and headers["Retry-After"] == "1"
    flaky = srv.url + "/faults/flaky/503-once"
    assert [get(flaky)[0], get(flaky)[0]] == [503, 200]
    assert {spec["kind"] for spec in urls.values()} >= {
        "http_404", "http_500", "http_503_retry_after", "slow", "malformed_xml_feed",
        "truncated_xml_feed", "truncated_html", "cp1251_charset_header", "cp1251_no_charset",
        "cp1251_wrong_header", "gzip_forced", "redirect_chain", "redirect_loop", "oversized",
        "exact_duplicate", "syndicated_copy", "missing_date", "future_date"}


def test_fault_slow_passes_the_timeout(srv):
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        get(srv.url + "/faults/slow?delay=2", timeout=0.3)


def test_fault_feeds_and_sitemaps(srv, truth):
    good = feedparser.parse(get(srv.url + "/faults/feed/rss.xml")[2])
    assert not good.bozo
    linked = {e.link for e in good.entries}
    assert {u for u, s in truth["faults"]["urls"].items() if s["outcome"] == "article"} <= linked
    for name in ("malformed", "truncated"):
        parsed = feedparser.parse(get(srv.url + f"/faults/feed/{name}.xml")[2])
        assert parsed.bozo
    _status, headers, body = get(srv.url + "/faults/sitemap-news.xml.gz")
    assert headers["Content-Type"] == "application/x-gzip"
    assert b"<urlset" in gzip.decompress(body)
    assert get(srv.url + "/faults/sitemap/missing.xml")[0] == 404
    assert not get(srv.url + "/faults/sitemap/truncated.xml")[2].endswith(b"</urlset>")


def test_fault_windows_1251_pages(srv):
    from replayweb.faults import PHRASE

    for variant, header in [("header", "windows-1251"), ("meta-only", None),
                            ("no-charset", None), ("wrong-header", "utf-8")]:
        status, headers, body = get(srv.url + f"/faults/cp1251/{variant}")
        assert status == 200
        declared = re.search(r"charset=([\w-]+)", headers["Content-Type"])
        assert (declared.group(1) if declared else None) == header
        assert PHRASE in body.decode("cp1251")
        assert (b'charset="windows-1251"' in body) == (variant != "no-charset")


def test_fault_html_gzip_truncation_and_short_read(srv):
    _status, headers, body = get(srv.url + "/faults/gzip/article")  # no Accept-Encoding sent
    assert headers["Content-Encoding"] == "gzip" and b"<h1>" in gzip.decompress(body)
    page = get(srv.url + "/faults/html/truncated")[2]
    assert b"<p>" in page and not page.rstrip().endswith(b"</html>")
    with pytest.raises(http.client.IncompleteRead):
        get(srv.url + "/faults/html/short-read")


def test_fault_redirects(srv, truth):
    hops, url = [], srv.url + "/faults/redirect/chain"
    while True:
        status, headers, _ = get(url, follow=False)
        if status not in (301, 302, 307):
            break
        hops.append(status)
        url = srv.url + headers["Location"]
    assert hops == [301, 302, 307] and status == 200
    assert url == truth["faults"]["urls"][srv.url + "/faults/redirect/chain"]["final_url"]
    with pytest.raises(urllib.error.HTTPError, match="redirect"):
        urllib.request.urlopen(srv.url + "/faults/redirect/loop", timeout=5)


def test_fault_oversized_body_is_streamed(srv):
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=5)
    conn.request("GET", "/faults/huge")
    resp = conn.getresponse()
    assert resp.status == 200 and int(resp.headers["Content-Length"]) > 10 * 1024 * 1024
    assert resp.read(65536).startswith(b"<!DOCTYPE html>")
    conn.close()  # the server notices the hang-up and stops streaming


def test_fault_copies_and_dates(srv, truth):
    base = srv.url + "/faults/articles/"
    assert get(base + "dup")[2] == get(base + "dup?utm_source=rss&utm_medium=feed")[2]
    assert "2052" in get(base + "future-date")[2].decode()
    assert "published_time" not in get(base + "no-date")[2].decode()
    source = build_corpus().pieces
    copy_of = truth["faults"]["urls"][base + "syndicated"]["copy_of"]
    original = next(p for p in source if p.id == copy_of)
    page = get(base + "syndicated")[2].decode()
    assert original.paragraphs[1][:60].replace('"', "&quot;") in page.replace("&#x27;", "'")
