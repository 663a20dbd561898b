"""The dashboard web application (Flask): one server-rendered page, JSON endpoints and CSV/JSON
exports of the data behind every chart and table.

``create_app(engine, settings, profile)`` is the library entry point (the CLI, compose and
tests use it). The engine should be read-only (``make_engine(url, read_only=True)``): the
dashboard never writes. Chart JavaScript is plotly.js from the plotly wheel, served by the app
itself, so the page works without internet access.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, render_template, request
from plotly.offline import get_plotlyjs
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from pipeline.config import Settings
from pipeline.store.db import database_problem
from pipeline.store.models import OUTLET_GROUPS
from reports.dashboard import coverage, export
from reports.dashboard.auth import guard
from reports.dashboard.cache import ResponseCache
from reports.dashboard.drill import Drill, load_drill
from reports.dashboard.entities import Entities, load_entities
from reports.dashboard.flags import Flag, Flags, FlagSource
from reports.dashboard.params import LANGS, TONES, Filters, ParamError, parse
from reports.dashboard.sources import SourceRow, load_sources
from reports.dashboard.trends import Trend, Unanswerable, load_trend
from reports.dashboard.vocab import Vocabulary, VocabularyCache

HERE = Path(__file__).resolve().parent
CACHED = ("/api/", "/export/")  # and the page itself, "/"
MAX_LINES = 10  # lines drawn per chart (the export carries every series)
MAX_PANELS = 12  # partners drawn as small multiples in the tone and alarm view
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


@dataclass(kw_only=True)
class Dashboard:
    """What a request needs: the store, the settings and the caches over them."""

    engine: Engine
    settings: Settings
    profile_version: str
    vocab: VocabularyCache
    flag_source: FlagSource

    def filters(self) -> tuple[Filters, Vocabulary]:
        vocab = self.vocab.get()
        return parse(request.args.to_dict(flat=False), vocab), vocab

    def trend(self, f: Filters, vocab: Vocabulary) -> Trend:
        return load_trend(self.engine, f, vocab, self.profile_version)

    def tone(self, f: Filters, vocab: Vocabulary) -> Trend:
        if f.topic:
            raise Unanswerable("tone per partner cannot be narrowed to a topic: the daily "
                               "aggregates keep topics and partners apart")
        return load_trend(self.engine, f, vocab, self.profile_version, by="partner")

    def flags(self, f: Filters, vocab: Vocabulary) -> Flags:
        if f.grain != "week":
            return Flags()
        flags = self.flag_source.flags(f, vocab)
        if flags.pending:
            g.uncacheable = True  # to be filled in when the background weeks are done
        return flags

    def drill(self, f: Filters, vocab: Vocabulary) -> Drill | None:
        return load_drill(self.engine, f, vocab, self.profile_version, self.settings.tz)

    def entities(self, f: Filters, vocab: Vocabulary) -> Entities:
        return load_entities(self.engine, f, vocab, self.profile_version, self.settings.tz,
                             baseline_weeks=self.settings.digest.baseline_weeks)

    def sources(self) -> list[SourceRow]:
        return load_sources(self.engine)


def create_app(engine: Engine, settings: Settings, profile: Any, *,
               profile_version: str | None = None, inline_flags: bool = False) -> Flask:
    """The WSGI app. ``inline_flags`` computes the digest's shifts of weeks without a stored
    digest inside the request instead of in the background (deterministic, for tests)."""
    version = profile_version or profile.version
    dash = Dashboard(engine=engine, settings=settings, profile_version=version,
                     vocab=VocabularyCache(engine, profile, version, settings.tz),
                     flag_source=FlagSource(engine, settings, version, inline=inline_flags))
    app = Flask(__name__, static_folder=str(HERE / "static"), static_url_path="/static",
                template_folder=str(HERE / "templates"))
    app.jinja_env.autoescape = True  # every template, whatever its file name
    app.jinja_env.filters["utc"] = _utc
    app.extensions["steppewatch_dashboard"] = dash
    cache = ResponseCache(engine, generation=lambda: dash.flag_source.generation)
    app.extensions["steppewatch_cache"] = cache
    plotly_js = get_plotlyjs().encode()

    @app.before_request
    def _guard() -> BaseResponse | None:
        return guard(request, settings.dashboard)

    @app.before_request
    def _cached() -> BaseResponse | None:  # after the guard: only for who may see it
        if request.method != "GET" or not (request.path == "/" or request.path.startswith(CACHED)):
            return None
        version = cache.version()
        if version is None:
            return None
        g.cache_key = (version, request.full_path)
        hit = cache.get(g.cache_key)
        if hit is None:
            return None
        g.cache_hit = True
        status, body, headers = hit
        return Response(body, status=status, headers=headers)

    @app.after_request
    def _keep(resp: Response) -> Response:
        key = g.get("cache_key")
        if (key is not None and not g.get("cache_hit") and not g.get("uncacheable")
                and resp.status_code == 200 and not resp.is_streamed):
            cache.put(key, resp.status_code, resp.get_data(),
                      [(k, v) for k, v in resp.headers.items() if k != "Content-Length"])
        return resp

    @app.after_request
    def _headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["X-Frame-Options"] = "DENY"
        return resp

    @app.errorhandler(ParamError)
    def _bad_param(exc: ParamError) -> tuple[Any, int]:
        if request.path.startswith(("/api/", "/export/")):
            return {"error": "bad_request", "message": str(exc)}, 400
        return render_template("error.html", message=str(exc), status=400), 400

    @app.errorhandler(SQLAlchemyError)
    def _store_down(exc: SQLAlchemyError) -> tuple[Any, int]:
        # The store is unusable (not a database, gone, locked): say so on every page, once
        # in the log, rather than a bare 500.
        message = database_problem(exc)
        app.logger.error("dashboard: %s", message)
        if request.path.startswith(("/api/", "/export/")):
            return {"error": "store_unavailable", "message": message}, 503
        return render_template("error.html", message=message, status=503), 503

    @app.errorhandler(Unanswerable)
    def _unanswerable(exc: Unanswerable) -> tuple[Any, int]:
        return {"error": "bad_request", "message": str(exc)}, 400

    @app.get("/vendor/plotly.min.js")
    def _plotly() -> Response:
        resp = Response(plotly_js, mimetype="text/javascript")
        resp.headers["Cache-Control"] = "public, max-age=86400"
        return resp

    @app.get("/")
    def index() -> str:
        f, vocab = dash.filters()
        return render_template("dashboard.html", **_page(dash, f, vocab))

    @app.get("/api/<name>")
    def api(name: str) -> Response:
        f, vocab = dash.filters()
        return Response(_json(dash, name, f, vocab), mimetype="application/json")

    @app.get("/export/<name>.<fmt>")
    def download(name: str, fmt: str) -> Response:
        if fmt not in ("csv", "json"):
            raise ParamError(f"unknown export format {fmt[:20]!r}: use .csv or .json")
        f, vocab = dash.filters()
        if fmt == "json":
            body, mimetype = _json(dash, name, f, vocab), "application/json"
        else:
            body, mimetype = export.to_csv(*_table(dash, name, f, vocab)), "text/csv"
        resp = Response(body, mimetype=mimetype)
        resp.headers["Content-Disposition"] = (
            f'attachment; filename="steppewatch-{name}-{f.start}-{f.end}.{fmt}"')
        return resp

    return app


def _utc(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def _check(name: str) -> None:
    if name not in export.DATASETS:
        raise ParamError(f"unknown data set {name[:30]!r} (known: {', '.join(export.DATASETS)})")


def _json(dash: Dashboard, name: str, f: Filters, vocab: Vocabulary) -> str:
    _check(name)
    data: Any
    if name == "trend":
        data = export.trend_json(dash.trend(f, vocab), _chart_flags(dash, f, vocab))
    elif name == "tone":
        data = export.tone_json(dash.tone(f, vocab), _chart_flags(dash, f, vocab))
    elif name == "articles":
        data = export.articles_json(dash.drill(f, vocab))
    elif name == "entities":
        data = export.plain(dash.entities(f, vocab))
    elif name == "health":
        data = export.health_json(dash.sources())
    else:
        data = export.plain(dash.flags(f, vocab))  # {"items": [...], "pending": [weeks]}
    return json.dumps({"filters": _filters_json(f), "data": data}, ensure_ascii=False)


def _table(dash: Dashboard, name: str, f: Filters, vocab: Vocabulary
           ) -> tuple[list[str], list[list[Any]]]:
    _check(name)
    if name == "trend":
        return export.trend_rows(dash.trend(f, vocab))
    if name == "tone":
        return export.tone_rows(dash.tone(f, vocab))
    if name == "articles":
        return export.article_rows(dash.drill(f, vocab))
    if name == "entities":
        return export.entity_rows(dash.entities(f, vocab))
    if name == "health":
        return export.health_rows(dash.sources())
    return export.shift_rows(dash.flags(f, vocab).items)


def _filters_json(f: Filters) -> dict[str, Any]:
    return export.plain(dataclasses.asdict(f))


def _chart_flags(dash: Dashboard, f: Filters, vocab: Vocabulary) -> Flags:
    """The digest's flags apply to unfiltered weekly series; elsewhere they would mislead."""
    if f.grain != "week" or _narrowed(f):
        return Flags()
    return dash.flags(f, vocab)


def _narrowed(f: Filters) -> bool:
    # The tone filter narrows the article list only; the counts cover every tone.
    return any((f.topic, f.partner, f.lang, f.group, f.outlet))


def _page(dash: Dashboard, f: Filters, vocab: Vocabulary) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "f": f, "vocab": vocab, "query": f.query(), "trend_note": None, "tone_note": None,
        "lang_options": [(x, vocab.name("lang", x)) for x in LANGS],
        "group_options": [(x, vocab.name("group", x)) for x in OUTLET_GROUPS],
        "tone_options": [(x, x) for x in TONES]}
    charts: dict[str, Any] = {"query": f.query(at=None, series=None, page=None),
                              "by": f.by, "grain": f.grain}
    flags = dash.flags(f, vocab)
    chart_flags = [] if _narrowed(f) else flags.items
    ctx["empty"] = coverage.empty_note(f, vocab, narrowed=_narrowed(f))
    try:
        trend = dash.trend(f, vocab)
        ctx["trend"] = trend
        charts["trend"] = _chart(trend, [x for x in chart_flags if x.metric == "volume"
                                         and x.kind == f.by], "pieces")
    except Unanswerable as exc:
        ctx["trend"], ctx["trend_note"] = None, str(exc)
    try:
        tone = dash.tone(f, vocab)
        ctx["tone"] = tone
        tone_flags = [x for x in chart_flags if x.metric in ("tone", "alarm")
                      and x.kind == "partner"]
        charts["tone"] = _chart(coverage.flagged_first(tone, tone_flags), tone_flags,
                                "polarity", limit=MAX_PANELS)
    except Unanswerable as exc:
        ctx["tone"], ctx["tone_note"] = None, str(exc)
    ctx["markers_off"] = f.grain != "week" or _narrowed(f)
    ctx["flags"] = flags.items
    ctx["flags_pending"] = flags.pending
    ctx["drill"] = dash.drill(f, vocab)
    ctx["entities"] = dash.entities(f, vocab)
    ctx["sources"] = dash.sources()
    ctx["charts"] = charts
    return ctx


def _chart(trend: Trend, flags: list[Flag], value: str, *, limit: int = MAX_LINES
           ) -> dict[str, Any]:
    lines = trend.lines[:limit]
    out: dict[str, Any] = {
        "periods": [p.isoformat() for p in trend.periods],
        "lines": [{"key": ln.key, "label": ln.label, "pieces": ln.pieces, "copies": ln.copies,
                   "polarity": ln.polarity, "alarm": ln.alarm} for ln in lines],
        "hidden": max(0, len(trend.lines) - limit), "markers": [],
        "flagged": sorted({flag.key for flag in flags})}
    index = {p: i for i, p in enumerate(trend.periods)}
    for flag in flags:
        line = trend.line(flag.key if flag.kind != "all" else "")
        i = index.get(flag.monday)
        if line is None or i is None or line not in lines:
            continue
        y = getattr(line, value)[i]
        out["markers"].append({
            "key": line.key, "x": flag.monday.isoformat(), "y": y,
            "direction": flag.direction,
            "text": f"{flag.label}: {flag.metric} {flag.direction} "
                    f"({'x' if flag.metric == 'volume' else 'Δ'}{flag.estimate}, "
                    f"q={flag.q_value}; {flag.source})"})
    return out
