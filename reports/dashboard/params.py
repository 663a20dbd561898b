"""The dashboard's state, parsed from the URL and written back into it.

Every view is a pure function of the query string, so that a view can be shared by copying
the address. Parsing is strict: query strings come from anyone who can reach the port, so an
unknown name, a repeated name or a malformed value is refused with a message that says what
was wrong (HTTP 400), never guessed at.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from pipeline.store.models import OUTLET_GROUPS
from reports.dashboard.vocab import Vocabulary
from reports.weeks import MAX_YEAR, MIN_YEAR

GRAINS = ("week", "day")
BREAKDOWNS = ("all", "topic", "partner", "lang", "group", "outlet")
TONES = ("positive", "neutral", "negative")
LANGS = ("kk", "ru", "en", "other")
DEFAULT_WEEKS = 26
# A view spans at most this many days: bounds the work of one request whatever the URL says.
MAX_SPAN_DAYS = 3 * 366
MAX_PAGE = 1000
_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PAGE = re.compile(r"^[0-9]{1,6}$")
# Names accepted besides the filters: the access token, consumed by the guard.
PASSTHROUGH = frozenset({"token"})


class ParamError(ValueError):
    """A query parameter is malformed or unknown; the message is shown to the user."""


@dataclass(frozen=True, kw_only=True)
class Filters:
    start: date  # first local day (a Monday for weekly views)
    end: date  # last local day, inclusive (a Sunday for weekly views)
    grain: str = "week"
    by: str = "topic"
    topic: str | None = None
    partner: str | None = None
    lang: str | None = None
    group: str | None = None
    outlet: str | None = None
    tone: str | None = None
    at: date | None = None  # drill-down: first day of the clicked period
    series: str | None = None  # drill-down: key of the clicked series within ``by``
    page: int = 1

    def period_end(self, first: date) -> date:
        """Last day of the period that starts on ``first``."""
        return first + timedelta(days=6 if self.grain == "week" else 0)

    def drill_scope(self) -> Filters | None:
        """The filters of the drill-down: the clicked series becomes one more filter."""
        if self.at is None:
            return None
        scoped = dataclasses.replace(self, start=self.at, end=self.period_end(self.at))
        if self.by != "all" and self.series:
            scoped = dataclasses.replace(scoped, **{self.by: self.series})  # type: ignore[arg-type]
        return scoped

    def query(self, **changes: object) -> str:
        """The query string of this state with ``changes`` (None removes a parameter)."""
        values: dict[str, object] = {
            "from": self.start.isoformat(), "to": self.end.isoformat(), "grain": self.grain,
            "by": self.by, "topic": self.topic, "partner": self.partner, "lang": self.lang,
            "group": self.group, "outlet": self.outlet, "tone": self.tone,
            "at": self.at.isoformat() if self.at else None, "series": self.series,
            "page": self.page if self.page != 1 else None,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


NAMES = frozenset({"from", "to", "grain", "by", "topic", "partner", "lang", "group", "outlet",
                   "tone", "at", "series", "page"})


def parse(args: Mapping[str, Sequence[str]], vocab: Vocabulary) -> Filters:
    """Filters from a multi-valued mapping (``request.args.to_dict(flat=False)``)."""
    unknown = sorted(set(args) - NAMES - PASSTHROUGH)
    if unknown:
        raise ParamError(f"unknown parameter '{unknown[0]}' (known: {', '.join(sorted(NAMES))})")
    one: dict[str, str] = {}
    for name, values in args.items():
        if len(values) > 1:
            raise ParamError(f"parameter '{name}' given {len(values)} times; give it once")
        value = values[0].strip() if values else ""
        if value:
            one[name] = value

    grain = _choice(one, "grain", GRAINS, "week")
    by = _choice(one, "by", BREAKDOWNS, "topic")
    end = _date(one, "to") or vocab.latest_day
    start = _date(one, "from") or end - timedelta(weeks=DEFAULT_WEEKS, days=-1)
    if start > end:
        raise ParamError(f"'from' ({start}) is after 'to' ({end})")
    if grain == "week":
        # Weeks are whole ISO weeks, as in the digest: a partial week would fake a drop.
        start -= timedelta(days=start.weekday())
        end += timedelta(days=6 - end.weekday())
    if (end - start).days + 1 > MAX_SPAN_DAYS:
        raise ParamError(f"the range {start} .. {end} is longer than {MAX_SPAN_DAYS} days")

    at = _date(one, "at")
    if at is not None:
        if grain == "week":
            at -= timedelta(days=at.weekday())
        if not start <= at <= end:
            raise ParamError(f"'at' ({at}) is outside the range {start} .. {end}")
    series = one.get("series")
    if series is not None:
        if at is None:
            raise ParamError("'series' needs 'at' (the period that was clicked)")
        if by == "all":
            raise ParamError("'series' is not used when 'by' is 'all'")
        series = _member(series, "series", _allowed(by, vocab))

    page_text = one.get("page", "1")
    if not _PAGE.match(page_text) or not 1 <= int(page_text) <= MAX_PAGE:
        raise ParamError(f"'page' must be a whole number from 1 to {MAX_PAGE}, "
                         f"not {_show(page_text)}")

    return Filters(
        start=start, end=end, grain=grain, by=by,
        topic=_opt(one, "topic", vocab.topics), partner=_opt(one, "partner", vocab.partners),
        lang=_opt(one, "lang", LANGS), group=_opt(one, "group", OUTLET_GROUPS),
        outlet=_opt(one, "outlet", vocab.outlets), tone=_opt(one, "tone", TONES),
        at=at, series=series, page=int(page_text))


def _allowed(by: str, vocab: Vocabulary) -> Collection[str]:
    return {"topic": vocab.topics, "partner": vocab.partners, "lang": LANGS,
            "group": OUTLET_GROUPS, "outlet": vocab.outlets}[by]


def _choice(one: Mapping[str, str], name: str, allowed: Sequence[str], default: str) -> str:
    value = one.get(name, default)
    if value not in allowed:
        raise ParamError(f"'{name}' must be one of {', '.join(allowed)}, not {_show(value)}")
    return value


def _opt(one: Mapping[str, str], name: str, allowed: Collection[str]) -> str | None:
    value = one.get(name)
    return None if value is None else _member(value, name, allowed)


def _member(value: str, name: str, allowed: Collection[str]) -> str:
    if not _KEY.match(value):
        raise ParamError(f"'{name}' is malformed: letters, digits and _.:- only, "
                         "at most 64 characters")
    if value not in allowed:
        raise ParamError(f"unknown {name} {_show(value)}")
    return value


def _show(value: str) -> str:
    # The offending value is echoed back to help the user; long junk is cut short.
    return repr(value if len(value) <= 60 else value[:60] + "…")


def _date(one: Mapping[str, str], name: str) -> date | None:
    value = one.get(name)
    if value is None:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise ParamError(f"'{name}' must be a date as YYYY-MM-DD, not {_show(value)}") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:  # beyond, week and range arithmetic overflows
        raise ParamError(f"'{name}' must lie between {MIN_YEAR} and {MAX_YEAR}, not {value}")
    return day
