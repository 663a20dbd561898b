"""Archive formats read by ``steppewatch import``: JSON Lines, CSV with a header, and
Telegram Desktop's channel export (``result.json``).

Each reader yields ``Piece`` records with the line (or message) they came from, and raises
``ArchiveError`` naming the file and line for anything it cannot use: a file is read whole
and checked before anything is stored, so a bad line stores nothing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

FIELDS = ("url", "outlet", "published", "title", "text", "lang", "author")
REQUIRED = ("url", "outlet", "published", "text")


class ArchiveError(ValueError):
    """An archive that cannot be imported; the message names the file and line."""


@dataclass(frozen=True, kw_only=True)
class Piece:
    url: str
    outlet: str
    published: datetime
    text: str
    title: str = ""
    lang: str | None = None
    author: str | None = None
    line: int = 0
    kind: str = "archive"  # the source kind stored: archive | telegram
    outlet_name: str | None = None
    file: str = ""


def detect(path: Path) -> str:
    """jsonl | csv | telegram, from the name and (for .json) the content."""
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".json"):
        return "telegram"
    raise ArchiveError(f"{path}: unknown format (expected .jsonl, .csv or a Telegram "
                       "export result.json); give --format")


def parse_time(value: Any, tz: ZoneInfo, where: str) -> datetime:
    """ISO 8601 (a zone-less time is taken in ``tz``) or Unix seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    text = str(value or "").strip()
    if not text:
        raise ArchiveError(f"{where}: 'published' is empty")
    if text.isdigit():
        return datetime.fromtimestamp(int(text), UTC)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ArchiveError(f"{where}: 'published' is not a date: {text[:40]!r}") from None
    return when.replace(tzinfo=tz) if when.tzinfo is None else when


def _piece(row: dict[str, Any], where: str, line: int, tz: ZoneInfo,
           defaults: dict[str, str | None]) -> Piece:
    values = {k: row.get(k) if row.get(k) not in ("", None) else defaults.get(k)
              for k in FIELDS}
    missing = [k for k in REQUIRED if not values.get(k)]
    if missing:
        raise ArchiveError(f"{where}: missing {', '.join(missing)}")
    for key in FIELDS:
        if values[key] is not None and not isinstance(values[key], str):
            raise ArchiveError(f"{where}: '{key}' must be text")
    url = str(values["url"]).strip()
    if not url.startswith(("http://", "https://")):
        raise ArchiveError(f"{where}: 'url' is not an http(s) address: {url[:60]!r}")
    return Piece(url=url, outlet=str(values["outlet"]).strip(),
                 published=parse_time(row.get("published"), tz, where),
                 text=str(values["text"]), title=str(values["title"] or ""),
                 lang=values["lang"], author=values["author"], line=line)


def read_jsonl(path: Path, tz: ZoneInfo, defaults: dict[str, str | None]) -> Iterator[Piece]:
    with path.open(encoding="utf-8") as handle:
        for n, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            where = f"{path.name} line {n}"
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ArchiveError(f"{where}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise ArchiveError(f"{where}: expected a JSON object")
            yield _piece(row, where, n, tz, defaults)


def read_csv(path: Path, tz: ZoneInfo, defaults: dict[str, str | None]) -> Iterator[Piece]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [k for k in REQUIRED if k not in header and not defaults.get(k)]
        if missing:
            raise ArchiveError(f"{path.name} line 1: the header lacks {', '.join(missing)}")
        for row in reader:
            where = f"{path.name} line {reader.line_num}"
            if None in row:
                raise ArchiveError(f"{where}: more fields than the header names")
            yield _piece(row, where, reader.line_num, tz, defaults)


def _telegram_text(value: Any) -> str:
    """Telegram's text is a string or a list of strings and {"type", "text"} entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else str(part.get("text", ""))
                       for part in value)
    return ""


def read_telegram(path: Path, tz: ZoneInfo,
                  defaults: dict[str, str | None]) -> Iterator[Piece]:
    """A Telegram Desktop channel export: the channel's messages, service messages and empty
    posts (photos without caption) skipped. Post addresses are t.me links: by the channel's
    username when given (--outlet-url), else t.me/c/<channel id>/<message id>."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"{path.name} line {exc.lineno}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ArchiveError(f"{path.name}: not a Telegram channel export (no 'messages' list)")
    channel = data.get("id")
    base = defaults.get("url") or (f"https://t.me/c/{channel}" if channel else None)
    if not base:
        raise ArchiveError(f"{path.name}: the export has no channel id; give --outlet-url")
    outlet = defaults.get("outlet") or _slug(str(data.get("name") or ""))
    if not outlet:
        raise ArchiveError(f"{path.name}: the export has no channel name; give --outlet")
    for i, message in enumerate(data["messages"], 1):
        where = f"{path.name} message {i}"
        if not isinstance(message, dict):
            raise ArchiveError(f"{where}: expected an object")
        if message.get("type") != "message":
            continue
        text = _telegram_text(message.get("text")).strip()
        if not text:
            continue
        if "id" not in message:
            raise ArchiveError(f"{where}: no message id")
        when = message.get("date_unixtime") or message.get("date")
        yield Piece(url=f"{base.rstrip('/')}/{message['id']}", outlet=outlet,
                    published=parse_time(when, tz, where), text=text, title="",
                    lang=defaults.get("lang"), author=message.get("author"), line=i,
                    kind="telegram", outlet_name=str(data.get("name") or outlet))


def _slug(name: str) -> str:
    keep = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return "-".join(part for part in keep.split("-") if part)[:64]


READERS = {"jsonl": read_jsonl, "csv": read_csv, "telegram": read_telegram}


def read(path: Path, fmt: str, tz: ZoneInfo, defaults: dict[str, str | None]) -> list[Piece]:
    """Every piece of the file, or ArchiveError for the first bad line."""
    try:
        return [replace(p, file=path.name) for p in READERS[fmt](path, tz, defaults)]
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"{path.name}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise ArchiveError(f"{path}: {exc.strerror or exc}") from None
