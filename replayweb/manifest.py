"""``GET /replay/outlets.yaml``: the simulated outlets as registry entries (format in
``crawlers/REGISTRY.md``), with URLs on the running server, so ``steppewatch crawl --replay``
crawls them like the live registry."""

from __future__ import annotations

from typing import Any

import yaml

from replayweb import site
from replayweb.outlets import OUTLETS
from replayweb.render.listings import DALA_SELECTOR, RUBEZH_SELECTOR

_ARTICLE_HINTS = {
    "sim_rubezh": {"text_selector": "div.newstext"},
    "sim_aziaregion": {"date_selector": "span[itemprop=datePublished]::attr(content)"},
}


def _ep(url: str, **extra: Any) -> dict[str, Any]:
    return {"url": url, **{k: v for k, v in extra.items() if v is not None},
            "evidence": "synthetic", "role": "primary"}


def entries(base: str, *, faults: bool = False) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for o in OUTLETS:
        root = base + o.prefix
        endpoints: dict[str, list[dict[str, Any]]] = {}
        for path, lang in site.FEEDS.get(o.id, []):
            endpoints.setdefault("feed", []).append(_ep(root + path, lang=lang))
        if o.id in site.SITEMAPS:
            path, include = site.SITEMAPS[o.id]
            endpoints["sitemap"] = [_ep(root + path, lang=o.languages[0], include=include)]
        if o.id == "sim_dalanews":
            endpoints["archive"] = [_ep(root + "/archive/{date:%Y/%m/%d}/", lang="ru",
                                        paging="date", link_selector=DALA_SELECTOR)]
        if o.id == "sim_rubezh":
            endpoints["archive"] = [_ep(root + "/news?page={page}", lang="ru", paging="page",
                                        link_selector=RUBEZH_SELECTOR, max_pages=10)]
        if o.telegram_channel:
            tg_lang = o.languages[0] if len(o.languages) == 1 else None
            endpoints["telegram"] = [_ep(f"{root}/s/{o.telegram_channel}", lang=tg_lang)]
        entry: dict[str, Any] = {
            "id": o.id, "name": o.name, "country": o.country, "languages": o.languages,
            "group": o.group, "homepage": root + "/", "endpoints": endpoints,
        }
        if o.id in _ARTICLE_HINTS:
            entry["article"] = _ARTICLE_HINTS[o.id]
        entry["notes"] = "Synthetic outlet of the steppewatch replay web. " + o.notes
        out.append(entry)
    if faults:
        out.append({
            "id": "sim_faulty", "name": "Сбойный сайт (synthetic fault outlet)", "country": "KZ",
            "languages": ["ru"], "group": "kz_independent", "homepage": base + "/faults/",
            "endpoints": {
                "feed": [_ep(base + p, lang="ru") for p in
                         ("/faults/feed/rss.xml", "/faults/feed/malformed.xml",
                          "/faults/feed/truncated.xml", "/faults/status/503")],
                "sitemap": [_ep(base + "/faults/sitemap.xml", lang="ru")],
            },
            "notes": "Synthetic fault outlet: every URL misbehaves in a documented way "
                     "(ground_truth()['faults']).",
        })
    return out


def manifest_yaml(base: str, *, faults: bool = False) -> str:
    header = ("# steppewatch replay web: synthetic outlets (texts and people are invented).\n"
              "# Format: crawlers/REGISTRY.md\n")
    return header + yaml.safe_dump(entries(base, faults=faults), allow_unicode=True,
                                   sort_keys=False, width=110)
