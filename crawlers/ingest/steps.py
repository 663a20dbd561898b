"""The ingest steps, in order: ``clean``, ``date``, ``canonicalise``, ``dedup``, ``store``.

Moved out of the Scrapy item pipelines so that the crawler and ``steppewatch import`` share
them; each mutates the ``ArticleItem`` it is given and raises ``Discard`` to drop it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crawlers.context import CrawlContext
from crawlers.dates import choose_date
from crawlers.ingest import Count, Discard
from crawlers.ingest.stories import StoryMatch, find_story
from crawlers.items import ArticleItem
from crawlers.neardup import JACCARD_MIN, jaccard, shingles, simhash
from crawlers.urls import canonical_url, date_from_url
from pipeline.store.articles import ArticleRecord, content_hash, save_articles
from pipeline.store.db import session_scope
from pipeline.store.models import Article

_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_BLANK_LINES = re.compile(r"\n{3,}")
MIN_TEXT_CHARS = 40  # below this a "text" is a caption or an error page, not an article


def tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u200b", "")
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def clean(item: ArticleItem, count: Count) -> None:
    """Tidy whitespace and fill what extraction missed from the feed or post metadata."""
    if item.no_text:
        # Extraction judged the page's text not an article (a menu, a stub): counted by
        # reason; the feed's summary may still stand in for it below.
        count(f"no_text/{item.no_text}")
        item.extra["no_text"] = item.no_text
        item.text = ""
    item.text = tidy(item.text)
    item.title = tidy(item.title).replace("\n", " ")
    summary = tidy(item.listing_summary or "")
    if len(item.text) < MIN_TEXT_CHARS and len(summary) > len(item.text):
        count("clean/text_from_feed")
        item.text = summary
    if not item.title and item.listing_title:
        item.title = tidy(item.listing_title).replace("\n", " ")
    if not item.author and item.listing_author:
        item.author = item.listing_author
    if item.source_kind != "telegram" and len(item.text) < MIN_TEXT_CHARS:
        raise Discard("no_text" if item.no_text else "empty_text", item.url)
    if not item.text:
        raise Discard("empty_text", item.url)
    if not item.title:
        item.title = item.text.split("\n", 1)[0][:200]


def date(item: ArticleItem, count: Count,
         in_range: Callable[[datetime], bool] = lambda _: True) -> None:
    """Pick the publication date by precedence (page > feed > text > URL > crawl), set aside
    future dates with their reason, and drop pieces dated outside the range."""
    choice = choose_date(page=item.page_date, feed=item.listing_date,
                         url=date_from_url(item.listed_url), fetched_at=item.fetched_at,
                         text=item.text_date)
    item.published_at = choice.published_at
    item.date_source = choice.date_source
    count(f"date/{choice.date_source}")
    if choice.rejected:
        count("date/future_rejected")
        item.extra["date_rejected"] = choice.rejected
    if choice.date_source != "crawl" and not in_range(choice.published_at):
        raise Discard("out_of_range",
                      f"{item.url} dated {choice.published_at:%Y-%m-%d} ({choice.date_source})")


def canonicalise(item: ArticleItem) -> None:
    """The key the article is stored under, from the address its listing gave."""
    item.canonical_url = canonical_url(item.listed_url)


def dedup(item: ArticleItem, ctx: CrawlContext) -> None:
    """Exact copies by canonical URL and content hash, near copies by SimHash + Jaccard,
    reworded short posts of one event by ``stories.find_story``.

    Same outlet, same URL or same content: a duplicate, dropped. Another outlet's identical
    or nearly identical text, or its flash on the same event: a copy, kept as reach and put in
    the story's cluster so the story counts once.
    """
    digest = content_hash(item.title, item.text)
    with ctx.engine.connect() as conn:
        if conn.execute(select(Article.id).where(
                Article.canonical_url == item.canonical_url)).first():
            raise Discard("duplicate_url", item.canonical_url)
        same = conn.execute(
            select(Article.id, Article.outlet_id, Article.cluster_id)
            .where(Article.content_hash == digest).order_by(Article.id)).all()
    if any(row.outlet_id == item.outlet_id for row in same):
        raise Discard("duplicate_content", f"{item.url} repeats a stored article")
    item.simhash = simhash(item.text)
    if same:
        first = same[0]
        item.cluster_id = first.cluster_id or first.id
        item.extra["dedup"] = {"kind": "syndicated", "of": first.id}
        return
    if item.simhash is not None:
        match = _near(item, ctx)
        if match is not None:
            article_id, cluster_id, score = match
            item.cluster_id = cluster_id or article_id
            item.extra["dedup"] = {"kind": "near_duplicate", "of": article_id,
                                   "jaccard": round(score, 3)}
            return
    story: StoryMatch | None = find_story(ctx.engine, item)
    if story is not None:
        item.cluster_id = story.cluster_id
        item.extra["dedup"] = {"kind": "same_event", "of": story.article_id,
                               "score": round(story.score, 3)}


def _near(item: ArticleItem, ctx: CrawlContext) -> tuple[int, int | None, float] | None:
    assert item.simhash is not None
    ids = ctx.simhashes.candidates(item.simhash)
    if not ids:
        return None
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(Article.id, Article.cluster_id, Article.text)
                            .where(Article.id.in_(ids))).all()
    mine = shingles(item.text)
    best: tuple[int, int | None, float] | None = None
    for row in rows:
        score = jaccard(mine, shingles(row.text))
        if score >= JACCARD_MIN and (best is None or score > best[2]):
            best = (row.id, row.cluster_id, score)
    return best


def store(item: ArticleItem, ctx: CrawlContext) -> str:
    """Write the piece in its own transaction and settle its cluster; returns its kind
    (new | syndicated | near_duplicate | same_event).

    One transaction per piece means a crawl or an import killed at any moment leaves only
    whole pieces behind, and the rerun stores exactly what is missing. ``cluster_id`` is the
    id of the story's earliest copy (by trusted publication date), its own id for a first one.
    """
    assert item.published_at is not None
    record = ArticleRecord(
        canonical_url=item.canonical_url, url=item.url, outlet_id=item.outlet_id,
        source_kind=item.source_kind, title=item.title, text=item.text,
        published_at=item.published_at, date_source=item.date_source,
        fetched_at=item.fetched_at, lang=item.lang, author=item.author, html=item.html,
        simhash=item.simhash, cluster_id=item.cluster_id, extra=item.extra)
    with session_scope(ctx.engine) as session:
        save_articles(session, [record])
        article_id = session.execute(select(Article.id).where(
            Article.canonical_url == item.canonical_url)).scalar_one()
        item.cluster_id = _settle_cluster(session, article_id, item)
    if item.simhash is not None:
        ctx.simhashes.add(article_id, item.simhash)
    return item.extra.get("dedup", {}).get("kind", "new")


def _settle_cluster(session: Session, article_id: int, item: ArticleItem) -> int:
    root_id = item.cluster_id
    if root_id is None:
        session.execute(update(Article).where(Article.id == article_id)
                        .values(cluster_id=article_id))
        return article_id
    root = session.execute(select(Article.published_at, Article.date_source)
                           .where(Article.id == root_id)).first()
    earlier = (root is not None and item.date_source != "crawl"
               and root.date_source != "crawl" and item.published_at < root.published_at)
    if earlier:
        # The new copy is the story's earliest: it becomes the cluster's root.
        session.execute(update(Article).where(Article.cluster_id == root_id)
                        .values(cluster_id=article_id))
        root_id = article_id
    session.execute(update(Article).where(Article.id == article_id).values(cluster_id=root_id))
    return root_id
