"""The outlet registry: load, validate and convert the declarative outlet entries.

The live registry (``crawlers/outlets.yaml``) and the replay web's manifest share the format
described in ``crawlers/REGISTRY.md``. Validation collects every problem of a file and
reports them together, each with the entry it belongs to, so a broken edit is fixed in one go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from pipeline.store.articles import OutletRecord
from pipeline.store.models import ENDPOINT_KINDS, OUTLET_GROUPS

REGISTRY_PATH = Path(__file__).resolve().parent / "outlets.yaml"
EVIDENCE = ("tested", "multi", "probably-tested", "single", "weak", "unverified", "legacy",
            "synthetic")
ROLES = ("primary", "fallback")
PAGINGS = ("date", "page")
_ID = re.compile(r"^[a-z0-9_]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_OUTLET_KEYS = {"id", "name", "country", "languages", "group", "homepage", "endpoints",
                "article", "notes", "active", "timezone"}
_ENDPOINT_KEYS = {"url", "lang", "evidence", "role", "include", "paging", "link_selector",
                  "max_pages", "notes"}


class RegistryError(ValueError):
    """The registry cannot be used; the message lists every problem found."""


@dataclass(frozen=True, kw_only=True)
class Endpoint:
    kind: str
    url: str
    lang: str | None = None
    evidence: str = "unverified"
    role: str = "primary"
    include: str | None = None          # sitemap: substring filter on child sitemap URLs
    paging: str | None = None           # archive: date | page
    link_selector: str | None = None    # archive: CSS selector of article links
    max_pages: int = 20                 # archive by page: how far back at most

    @property
    def primary(self) -> bool:
        return self.role == "primary"


@dataclass(frozen=True, kw_only=True)
class ArticleHints:
    text_selector: str | None = None
    date_selector: str | None = None


@dataclass(frozen=True, kw_only=True)
class OutletSpec:
    id: str
    name: str
    country: str
    languages: tuple[str, ...]
    group: str
    homepage: str | None = None
    endpoints: tuple[Endpoint, ...] = ()
    article: ArticleHints = field(default_factory=ArticleHints)
    notes: str = ""
    active: bool = True
    timezone: str | None = None         # IANA zone when the country's own zone is wrong

    def by_kind(self, kind: str) -> list[Endpoint]:
        return [e for e in self.endpoints if e.kind == kind]

    def to_record(self) -> OutletRecord:
        endpoints: dict[str, list[dict[str, Any]]] = {}
        for e in self.endpoints:
            entry = {k: v for k, v in vars(e).items() if k != "kind" and v is not None}
            endpoints.setdefault(e.kind, []).append(entry)
        return OutletRecord(id=self.id, name=self.name, country=self.country,
                            languages=self.languages, group=self.group, homepage=self.homepage,
                            endpoints=endpoints, active=self.active)


def load_registry(source: str | Path | None = None, *, text: str | None = None) -> list[OutletSpec]:
    """Read and validate a registry file (default: the live registry) or YAML ``text``."""
    where = "<text>"
    if text is None:
        path = Path(source) if source else REGISTRY_PATH
        where = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RegistryError(f"{where}: cannot read the registry: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{where}: not valid YAML: {exc}") from exc
    return parse_registry(data, where=where)


def parse_registry(data: Any, *, where: str = "<registry>") -> list[OutletSpec]:
    if not isinstance(data, list) or not data:
        raise RegistryError(f"{where}: expected a non-empty YAML list of outlets")
    problems: list[str] = []
    outlets: list[OutletSpec] = []
    seen: set[str] = set()
    for i, entry in enumerate(data):
        label = f"{where}: entry {i + 1}"
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
            label = f"{where}: outlet {entry['id']}"
        errors: list[str] = []
        spec = _outlet(entry, errors)
        if spec is not None and spec.id in seen:
            errors.append(f"duplicate id {spec.id!r}")
        problems += [f"{label}: {e}" for e in errors]
        if spec is not None and not errors:
            seen.add(spec.id)
            outlets.append(spec)
    if problems:
        raise RegistryError(f"{len(problems)} problem(s) in the registry:\n  " + "\n  ".join(problems))
    return outlets


def _outlet(entry: Any, errors: list[str]) -> OutletSpec | None:
    if not isinstance(entry, Mapping):
        errors.append("expected a mapping")
        return None
    unknown = sorted(set(entry) - _OUTLET_KEYS)
    if unknown:
        errors.append(f"unknown key(s) {', '.join(unknown)}")
    for key in ("id", "name", "country", "group"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            errors.append(f"'{key}' is required and must be a string")
    if errors:
        return None
    if not _ID.match(entry["id"]):
        errors.append(f"id {entry['id']!r} must match [a-z0-9_]+")
    if not _COUNTRY.match(entry["country"]):
        errors.append(f"country {entry['country']!r} must be an ISO 3166 alpha-2 code")
    if entry["group"] not in OUTLET_GROUPS:
        errors.append(f"group {entry['group']!r} must be one of {', '.join(OUTLET_GROUPS)}")
    languages = entry.get("languages")
    if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
        errors.append("'languages' must be a non-empty list of language codes")
        languages = []
    endpoints = _endpoints(entry.get("endpoints"), errors)
    hints = entry.get("article") or {}
    if not isinstance(hints, Mapping) or set(hints) - {"text_selector", "date_selector"}:
        errors.append("'article' may hold only text_selector and date_selector")
        hints = {}
    timezone = entry.get("timezone")
    if timezone is not None and not _valid_zone(timezone):
        errors.append(f"timezone {timezone!r} is not an IANA time zone (e.g. Asia/Almaty)")
    return OutletSpec(
        id=entry["id"], name=entry["name"], country=entry["country"], timezone=timezone,
        languages=tuple(languages), group=entry["group"], homepage=entry.get("homepage"),
        endpoints=tuple(endpoints), article=ArticleHints(**hints),
        notes=str(entry.get("notes") or ""), active=bool(entry.get("active", True)))


def _valid_zone(name: Any) -> bool:
    if not isinstance(name, str):
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _endpoints(raw: Any, errors: list[str]) -> list[Endpoint]:
    if not isinstance(raw, Mapping) or not raw:
        errors.append("'endpoints' must map at least one kind to a list of endpoints")
        return []
    out: list[Endpoint] = []
    for kind, items in raw.items():
        if kind not in ENDPOINT_KINDS:
            errors.append(f"unknown endpoint kind {kind!r} (expected {', '.join(ENDPOINT_KINDS)})")
            continue
        if not isinstance(items, list) or not items:
            errors.append(f"endpoints.{kind} must be a non-empty list")
            continue
        for j, item in enumerate(items):
            ep = _endpoint(kind, item, f"endpoints.{kind}[{j}]", errors)
            if ep is not None:
                out.append(ep)
    if out and not any(e.primary for e in out):
        errors.append("no primary endpoint: mark the best-evidenced address role: primary")
    return out


def _endpoint(kind: str, item: Any, where: str, errors: list[str]) -> Endpoint | None:
    if not isinstance(item, Mapping) or not isinstance(item.get("url"), str):
        errors.append(f"{where}: expected a mapping with a 'url'")
        return None
    before = len(errors)
    unknown = sorted(set(item) - _ENDPOINT_KEYS)
    if unknown:
        errors.append(f"{where}: unknown key(s) {', '.join(unknown)}")
    url = item["url"]
    if not url.startswith(("http://", "https://")):
        errors.append(f"{where}: url {url!r} must be absolute http(s)")
    evidence = item.get("evidence", "unverified")
    if evidence not in EVIDENCE:
        errors.append(f"{where}: evidence {evidence!r} must be one of {', '.join(EVIDENCE)}")
    role = item.get("role", "primary")
    if role not in ROLES:
        errors.append(f"{where}: role {role!r} must be primary or fallback")
    paging = item.get("paging")
    if kind == "archive":
        if paging not in PAGINGS:
            errors.append(f"{where}: archive endpoints need paging: date | page")
        if not item.get("link_selector"):
            errors.append(f"{where}: archive endpoints need a link_selector")
        if paging == "page" and "{page}" not in url:
            errors.append(f"{where}: paging by page needs '{{page}}' in the url")
        if paging == "date" and "{date:" not in url:
            errors.append(f"{where}: paging by date needs '{{date:FORMAT}}' in the url")
    if kind == "telegram" and not re.match(r"^https://t\.me/s/[A-Za-z0-9_]+/?$", url) \
            and evidence != "synthetic":
        errors.append(f"{where}: telegram endpoints are public previews https://t.me/s/NAME")
    if len(errors) > before:
        return None
    return Endpoint(kind=kind, url=url, lang=item.get("lang"), evidence=evidence, role=role,
                    include=item.get("include"), paging=paging,
                    link_selector=item.get("link_selector"),
                    max_pages=int(item.get("max_pages", 20)))


def select(outlets: Iterable[OutletSpec], ids: Iterable[str] = (), group: str | None = None,
           ) -> list[OutletSpec]:
    """The outlets named by ``ids`` (all active ones if none), optionally of one group."""
    outlets = list(outlets)
    wanted = list(ids)
    if wanted:
        known = {o.id: o for o in outlets}
        missing = [i for i in wanted if i not in known]
        if missing:
            raise RegistryError(f"unknown outlet id(s): {', '.join(missing)}")
        chosen = [known[i] for i in wanted]
    else:
        chosen = [o for o in outlets if o.active]
    if group:
        chosen = [o for o in chosen if o.group == group]
    return chosen


def load_manifest(url: str, *, timeout: float = 10.0) -> list[OutletSpec]:
    """The outlets of a replay web: its manifest at ``URL/replay/outlets.yaml``."""
    import urllib.error
    import urllib.request

    manifest = url.rstrip("/") + "/replay/outlets.yaml"
    if not manifest.startswith(("http://", "https://")):
        raise RegistryError(f"not a replay web URL: {url!r} (expected http://HOST:PORT)")
    try:
        with urllib.request.urlopen(manifest, timeout=timeout) as response:
            text = response.read().decode("utf-8")
    except (urllib.error.URLError, OSError) as exc:
        raise RegistryError(f"cannot read the replay manifest {manifest}: {exc}") from exc
    return load_registry(text=text)
