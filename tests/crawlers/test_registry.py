"""Meta-tests: the live registry is valid and broad enough, every spider imports, and
broken entries are refused with messages naming the entry."""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter

import pytest
import yaml

import crawlers.spiders
from crawlers.registry import REGISTRY_PATH, RegistryError, load_registry, parse_registry
from pipeline.store.models import OUTLET_GROUPS


def test_every_spider_module_imports_and_every_outlet_has_a_spider() -> None:
    for info in pkgutil.iter_modules(crawlers.spiders.__path__):
        importlib.import_module(f"crawlers.spiders.{info.name}")
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(Settings({"SPIDER_MODULES": ["crawlers.spiders.registered"]}))
    assert sorted(loader.list()) == sorted(o.id for o in load_registry())


def test_live_registry_is_valid_and_covers_every_group() -> None:
    outlets = load_registry()
    assert len(outlets) >= 30
    groups = Counter(o.group for o in outlets)
    assert set(groups) == set(OUTLET_GROUPS)
    langs = Counter(lang for o in outlets for lang in o.languages)
    assert langs["kk"] >= 5 and langs["ru"] >= 30
    names = {o.id for o in outlets}
    assert {"bbc_russian", "azattyq_ru", "tengrinews", "ria", "tass"} <= names


def test_no_address_reported_dead_is_used() -> None:
    raw = yaml.safe_load(REGISTRY_PATH.read_text(encoding="utf-8"))
    found = yaml.safe_load((REGISTRY_PATH.parents[2] / "shared" / "outlets_found.yaml")
                           .read_text(encoding="utf-8")) \
        if (REGISTRY_PATH.parents[2] / "shared" / "outlets_found.yaml").is_file() else []
    dead = {f["url"] for o in found for f in o["feeds"] if f["confidence"] == "tested-dead"}
    used = {e["url"] for o in raw for eps in o["endpoints"].values() for e in eps}
    assert not (dead & used)
    # every outlet has a primary endpoint and the evidence of each address is written down
    for o in load_registry():
        assert any(e.primary for e in o.endpoints), o.id
        assert all(e.evidence for e in o.endpoints)


@pytest.mark.parametrize("entry, message", [
    ({"id": "Bad-Id", "name": "x", "country": "KZ", "languages": ["ru"], "group": "kz_state",
      "endpoints": {"feed": [{"url": "https://x.kz/rss"}]}}, "must match"),
    ({"id": "x", "name": "x", "country": "KZ", "languages": ["ru"], "group": "tabloid",
      "endpoints": {"feed": [{"url": "https://x.kz/rss"}]}}, "group 'tabloid'"),
    ({"id": "x", "name": "x", "country": "KZ", "languages": ["ru"], "group": "kz_state",
      "endpoints": {"archive": [{"url": "https://x.kz/news/", "paging": "page",
                                 "link_selector": "a::attr(href)"}]}}, "{page}"),
    ({"id": "x", "name": "x", "country": "KZ", "languages": ["ru"], "group": "kz_state",
      "endpoints": {"feed": [{"url": "https://x.kz/rss", "role": "fallback"}]}},
     "no primary endpoint"),
    ({"id": "x", "name": "x", "country": "KZ", "languages": ["ru"], "group": "kz_state",
      "endpoints": {"feed": [{"url": "https://x.kz/rss", "evidence": "rumour"}]}}, "evidence"),
])
def test_broken_entries_are_refused_with_the_reason(entry: dict, message: str) -> None:
    with pytest.raises(RegistryError, match="outlet") as err:
        parse_registry([entry], where="t.yaml")
    assert message in str(err.value)
