"""What a page says about itself besides its body text: its headline forms, its lead and its
machine-readable publication date.

Real pages disagree with themselves: ``og:title`` and ``<title>`` are often an SEO variant of
the ``h1``; the lead (subtitle, intro, dateline paragraph) sits in its own element that
trafilatura leaves out; the date is in JSON-LD, in a dozen meta-tag spellings, or in a
``<time>`` element, sometimes with and sometimes without a time zone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html
from lxml.etree import ParserError, XMLSyntaxError

_WS = re.compile(r"\s+")
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle", "backgroundnewsarticle",
                  "webpage"}
# Meta tags that carry the publication date, in the order they are trusted.
_DATE_META = ("article:published_time", "og:published_time", "published_time", "pubdate",
              "publish-date", "publishdate", "date", "dc.date.issued", "dc.date",
              "sailthru.date", "parsely-pub-date")
_ARTICLE_XPATH = ("ancestor-or-self::*[self::article or self::main or @itemprop='articleBody'"
                  " or contains(@class, 'article') or contains(@class, 'news')"
                  " or contains(@class, 'post') or contains(@class, 'content')]")
_BLOCKS = {"p", "div", "h2", "h3", "h4", "li", "blockquote", "section", "td", "header"}
_SUFFIX = re.compile(r"\s+[—–-]\s+[^—–-]{2,40}\.?$")  # " — Укринформ." after a description


def clean(text: str | None) -> str:
    return _WS.sub(" ", (text or "").replace("\u00a0", " ").replace("\u200b", "")).strip()


@dataclass(frozen=True, kw_only=True)
class PageMeta:
    h1: tuple[tuple[str, bool], ...] = ()   # (text, sits in the article)
    og_title: str = ""
    title_tag: str = ""
    description: str = ""
    ld_lead: str = ""                        # first paragraph of JSON-LD articleBody
    dates: tuple[str, ...] = ()              # machine-readable dates, most trusted first
    tree: Any = field(default=None, repr=False, compare=False)


def read_meta(html: str) -> PageMeta:
    try:
        tree = lxml_html.fromstring(html)
    except (ParserError, XMLSyntaxError, ValueError):
        return PageMeta()
    meta: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        value = node.get("content")
        if key and value and key not in meta:
            meta[key] = value
    h1 = tuple((text, bool(node.xpath(_ARTICLE_XPATH))) for node in tree.iter("h1")
               if (text := clean(node.text_content())))
    titles = tree.xpath("//head/title/text()") or tree.xpath("//title/text()")
    ld_dates, ld_lead = _json_ld(tree)
    dates = list(ld_dates)
    dates += [meta[k] for k in _DATE_META if meta.get(k)]
    for node in tree.xpath("//*[@itemprop='datePublished']"):
        value = node.get("content") or node.get("datetime")
        if value:
            dates.append(value)
    dates += [v for v in tree.xpath("//time/@datetime")[:1] if v]
    return PageMeta(h1=h1, og_title=clean(meta.get("og:title")),
                    title_tag=clean(titles[0]) if titles else "",
                    description=clean(meta.get("og:description") or meta.get("description")),
                    ld_lead=ld_lead, dates=tuple(dict.fromkeys(clean(d) for d in dates)),
                    tree=tree)


def _json_ld(tree: Any) -> tuple[list[str], str]:
    dates: list[str] = []
    lead = ""
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script, strict=False)
        except ValueError:
            continue
        for obj in _objects(data):
            kind = obj.get("@type")
            kinds = {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}
            if not kinds & _ARTICLE_TYPES:
                continue
            value = obj.get("datePublished")
            # A bare epoch number is a different convention (and sits on WebPage objects).
            if isinstance(value, str) and not value.strip().isdigit():
                dates.append(value)
            body = obj.get("articleBody")
            if isinstance(body, str) and not lead:
                first = next((p for p in re.split(r"\n\s*\n|\r?\n", body) if clean(p)), "")
                lead = clean(first)
    return dates, lead


def _objects(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [o for item in data for o in _objects(item)]
    if isinstance(data, dict):
        return [data, *_objects(data.get("@graph", []))]
    return []


def headline(meta: PageMeta, fallback: str) -> tuple[str, str]:
    """(headline, where from). The page's ``h1`` wins when it is a longer form of the
    ``og:title``/``<title>`` headline or when they differ and the ``h1`` sits in the article;
    otherwise trafilatura's title stands."""
    candidates = [t for t, _ in meta.h1 if len(t.split()) >= 3 and len(t) <= 300]
    if len(candidates) != 1:
        # No h1, or several (listing pages, logos): nothing settles it.
        return fallback, "meta"
    h1 = candidates[0]
    in_article = next(a for t, a in meta.h1 if t == h1)
    short = [clean(x) for x in (fallback, meta.og_title, meta.title_tag) if clean(x)]
    if not short or any(_key(s) == _key(h1) for s in short[:1]):
        return fallback or h1, "meta"
    if any(_key(h1).startswith(_key(s)) and len(h1) > len(s) for s in short):
        return h1, "h1"
    if in_article:
        return h1, "h1"
    return fallback, "meta"


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower().replace("ё", "е")).strip()


def lead(meta: PageMeta, title: str) -> str:
    """The page's lead paragraph, as the page's body shows it: the JSON-LD articleBody's first
    paragraph, or the description when an element of the body holds it. An SEO description
    found nowhere in the body is not a lead."""
    for candidate in (meta.ld_lead, meta.description):
        candidate = _SUFFIX.sub("", candidate) if candidate else ""
        if len(candidate) < 40 or _key(candidate) == _key(title):
            continue
        found = _in_body(meta.tree, candidate)
        if found:
            return found
        if candidate == meta.ld_lead:
            return candidate  # articleBody is the body itself
    return ""


def _in_body(tree: Any, candidate: str) -> str:
    """The text of the body element that holds ``candidate``'s opening words, if any."""
    if tree is None:
        return ""
    whole = _key(candidate)
    probe = whole[:60]
    head = probe[:25]
    # Walk the text nodes (cheap), and only from one that opens like the candidate up to its
    # block element (a paragraph, an intro div).
    for text in tree.xpath("//body//text()[not(ancestor::script or ancestor::style)]"):
        if not _key(text).startswith(head):
            continue
        node = text.getparent()
        if text.is_tail and node is not None:
            node = node.getparent()
        while node is not None and node.tag not in _BLOCKS:
            node = node.getparent()
        if node is None:
            continue
        own = _key(node.text_content())
        if own.startswith(probe) and len(own) <= 2.5 * len(whole) + 40:
            return clean(node.text_content())
    return ""
