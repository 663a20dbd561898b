"""`steppewatch backfill`: collect, analyse and report a past period, resumably."""

from __future__ import annotations

from datetime import UTC, date, datetime

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from steppewatch.cli.context import AppContext, pass_app


def _date(value: str, name: str) -> date:
    from reports.weeks import MAX_YEAR, MIN_YEAR

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"not a date: {value!r} (expected YYYY-MM-DD)",
                                 param_hint=name) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise click.BadParameter(f"the year must be between {MIN_YEAR} and {MAX_YEAR}",
                                 param_hint=name)
    return day


@click.command("backfill")
@click.option("--from", "day_from", required=True, help="First day, YYYY-MM-DD (local time).")
@click.option("--to", "day_to", required=True, help="Last day, YYYY-MM-DD (inclusive).")
@click.option("--outlet", "ids", multiple=True,
              help="Outlet id (repeatable; default: every active outlet).")
@click.option("--replay", "replay_url", metavar="URL",
              help="Backfill the outlets of a replay web instead of the live registry.")
@click.option("--digests", is_flag=True,
              help="Also render the digests of the ISO weeks completed inside the range.")
@click.option("--send", is_flag=True, help="Send those digests (default: write previews).")
@click.option("--chunk-days", default=7, show_default=True,
              help="Days collected per crawl; a checkpoint is written after each.")
@click.option("--restart", is_flag=True,
              help="Ignore the checkpoints of earlier runs and collect everything again.")
@pass_app
def command(app: AppContext, day_from: str, day_to: str, ids: tuple[str, ...],
            replay_url: str | None, digests: bool, send: bool, chunk_days: int,
            restart: bool) -> None:
    """Collect a past period from sitemaps, archives and Telegram pagination, analyse it,
    rebuild its aggregates and (with --digests) render the digests of its completed weeks.
    Resumable: Ctrl-C or a crash, then the same command, continues where it stopped."""
    from crawlers.registry import RegistryError, load_manifest, load_registry, select
    from crawlers.runner import CrawlError
    from steppewatch.backfill import BackfillError, validate_range

    if send and not digests:
        raise click.UsageError("--send needs --digests")
    if chunk_days < 1:
        raise click.BadParameter("must be at least 1", param_hint="--chunk-days")
    first, last = _date(day_from, "--from"), _date(day_to, "--to")
    settings = app.settings
    try:
        validate_range(first, last, datetime.now(UTC).astimezone(settings.tz).date())
    except BackfillError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        registry = load_manifest(replay_url) if replay_url else load_registry()
        known = {o.id for o in registry}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise click.UsageError(f"unknown outlet(s): {', '.join(unknown)} "
                                   "(see `steppewatch outlets list`)")
        outlets = select(registry, ids)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    console = Console(stderr=True)
    try:
        run(app, outlets, first, last, chunk_days=chunk_days, restart=restart,
            digests=digests, send=send, console=console)
    except CrawlError as exc:
        raise click.ClickException(f"{exc} (rerun the same command to continue)") from exc
    except KeyboardInterrupt:
        console.print("[yellow]interrupted: rerun the same command to continue[/]")
        raise SystemExit(130) from None


def run(app: AppContext, outlets, first: date, last: date, *, chunk_days: int,
        restart: bool, digests: bool, send: bool, console: Console) -> None:
    from pipeline.analyze import Analyzer
    from pipeline.process import process
    from pipeline.profile import load_profile
    from pipeline.store.articles import save_outlets
    from pipeline.store.db import session_scope
    from pipeline.store.migrate import ensure_schema
    from steppewatch.backfill import ChunkEvent, chunks, collect

    settings = app.settings
    engine = app.engine()
    ensure_schema(engine)
    with session_scope(engine) as s:
        save_outlets(s, [o.to_record() for o in outlets])
    n_chunks = len(chunks(first, last, chunk_days))
    console.print(f"backfill {first} .. {last}: {len(outlets)} outlet(s), {n_chunks} chunk(s) "
                  f"of {chunk_days} day(s)")
    columns = (TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[state]}"), TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as bar:
        overall = bar.add_task("all outlets", total=n_chunks * len(outlets), state="")
        per = {o.id: bar.add_task(o.id, total=n_chunks, state="") for o in outlets}
        stored = dict.fromkeys(per, 0)

        def on_event(ev: ChunkEvent) -> None:
            if ev.kind == "chunk_start":
                bar.update(overall, state=f"{ev.first} .. {ev.last}")
                for oid in per:
                    if oid not in ev.outlets:  # checkpointed by an earlier run
                        bar.advance(per[oid])
                        bar.advance(overall)
            elif ev.kind == "crawl" and ev.crawl is not None:
                oid = ev.crawl.outlet or ""
                if oid not in per:
                    return
                if ev.crawl.kind == "stored":
                    stored[oid] += 1
                    bar.update(per[oid], state=f"{stored[oid]} new")
                elif ev.crawl.kind == "finished":
                    bar.advance(per[oid])
                    bar.advance(overall)

        summary = collect(settings, engine, outlets, first, last, chunk_days=chunk_days,
                          restart=restart, progress=on_event)

    profile = load_profile(settings.profile_path)
    with Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("analyse", total=None)
        done = process(engine, Analyzer(profile, entities="relevant"), tz=settings.tz,
                       progress=lambda d, t: bar.update(task, completed=d, total=t))
    summary.analysed, summary.relevant = done.analysed, done.relevant

    if digests:
        summary.digests = _digests(app, profile, first, last, send=send)
    Console().print(_table(summary))
    console.print(f"{summary.new_articles} new article(s); {summary.analysed} analysed, "
                  f"{summary.relevant} relevant")
    for week, status in summary.digests:
        console.print(f"digest {week}: {status}")


def _digests(app: AppContext, profile, first: date, last: date, *,
             send: bool) -> list[tuple[str, str]]:
    from reports.deliver import DeliveryError, deliver
    from reports.labels import labels_from_profile
    from reports.weeks import IsoWeek

    settings = app.settings
    labels = labels_from_profile(profile, settings.digest.language)
    week = IsoWeek.of(first)
    if week.monday < first:
        week = week.shift(1)
    out = []
    latest = IsoWeek.last_completed(settings.tz)
    while week.sunday <= last and week <= latest:
        try:
            res = deliver(app.engine(), settings, week, profile_version=profile.version,
                          send=send, labels=labels)
            where = ", ".join(str(p) for p in res.paths)
            out.append((str(week), f"{res.status} {where}".strip()))
        except DeliveryError as exc:
            out.append((str(week), f"failed: {exc}"))
        week = week.shift(1)
    return out


def _table(summary) -> Table:
    table = Table(title=f"backfill {summary.day_from} .. {summary.day_to}")
    for col in ("outlet", "chunks done", "skipped (done before)", "failed", "new",
                "syndicated", "near-dup", "errors"):
        table.add_column(col, justify="left" if col == "outlet" else "right")
    for t in summary.outlets.values():
        table.add_row(t.outlet_id, str(t.chunks_done), str(t.chunks_skipped),
                      str(t.chunks_failed), str(t.new), str(t.syndicated),
                      str(t.near_duplicate), str(t.errors))
    return table
