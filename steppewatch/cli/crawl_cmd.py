"""`steppewatch crawl`: collect new articles from the registry (or a replay web)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from crawlers.context import default_range
from crawlers.dates import FUTURE_TOLERANCE
from crawlers.registry import OutletSpec, RegistryError, load_manifest, load_registry, select
from crawlers.runner import CrawlError, CrawlEvent, CrawlSummary, crawl
from reports.weeks import MAX_YEAR, MIN_YEAR
from steppewatch.cli.context import AppContext, pass_app


def _day(value: str | None, tz, *, end: bool) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.UsageError(f"not a date: {value!r} (expected YYYY-MM-DD)") from exc
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise click.UsageError(f"{value}: the year must be between {MIN_YEAR} and {MAX_YEAR}")
    if parsed.tzinfo is None:
        if len(value) <= 10:  # a bare day means the whole day in the product's time zone
            parsed = datetime.combine(parsed.date(), time.max if end else time.min)
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


@click.command("crawl")
@click.option("--outlet", "ids", multiple=True, help="Outlet id (repeatable; default: all active).")
@click.option("--since", help="Earliest publication day, YYYY-MM-DD (default: 7 days ago).")
@click.option("--until", help="Latest publication day, YYYY-MM-DD (default: now).")
@click.option("--replay", "replay_url", metavar="URL",
              help="Crawl the outlets of a replay web (URL/replay/outlets.yaml) instead of "
                   "the live registry.")
@click.option("--run-key", help="Name of this run in crawl_runs (default: a timestamp).")
@pass_app
def command(app: AppContext, ids: tuple[str, ...], since: str | None, until: str | None,
            replay_url: str | None, run_key: str | None) -> None:
    """Collect new articles: feeds, sitemaps, archives and Telegram previews of each outlet,
    with progress and a per-outlet summary. Articles already stored are not fetched again."""
    tz = app.settings.tz
    now = datetime.now(UTC)
    low, high = default_range(now)
    start = _day(since, tz, end=False) or low
    end = _day(until, tz, end=True) or high
    if start > now or end > now + FUTURE_TOLERANCE:
        raise click.UsageError("--since/--until lie in the future: nothing is published there yet")
    end = min(end, now)  # "--until today" means up to now
    if start > end:
        raise click.UsageError(f"--since ({since or 'default'}) is after --until ({until or 'now'})")
    try:
        registry = load_manifest(replay_url) if replay_url else load_registry()
        outlets = select(registry, ids)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc
    if not outlets:
        raise click.ClickException("no outlets to crawl")
    from pipeline.store.migrate import ensure_schema

    ensure_schema(app.engine())
    console = Console(stderr=True)
    console.print(f"crawling {len(outlets)} outlet(s), {start:%Y-%m-%d %H:%M} .. "
                  f"{end:%Y-%m-%d %H:%M} UTC")
    try:
        summary = _with_progress(app, outlets, start, end, run_key, console)
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from exc
    Console().print(summary_table(summary))


def _with_progress(app: AppContext, outlets: list[OutletSpec], start: datetime, end: datetime,
                   run_key: str | None, console: Console) -> CrawlSummary:
    columns = (SpinnerColumn(), TextColumn("{task.description:<24}"), BarColumn(),
               TextColumn("{task.fields[state]}"))
    with Progress(*columns, console=console, transient=False) as bar:
        tasks = {o.id: bar.add_task(o.id, total=None, state="waiting") for o in outlets}
        stored = dict.fromkeys(tasks, 0)

        def on_event(event: CrawlEvent) -> None:
            oid = event.outlet
            task = tasks.get(oid) if oid is not None else None
            if oid is None or task is None:
                return
            if event.kind == "started":
                bar.update(task, state="crawling")
            elif event.kind == "stored":
                stored[oid] += 1
                bar.update(task, state=f"{stored[oid]} stored")
            elif event.kind == "finished":
                bar.update(task, total=1, completed=1,
                           state=f"{event.data.get('status')}: {stored[oid]} stored, "
                                 f"{event.data.get('errors', 0)} errors")

        return crawl(app.settings, outlets, start, end, run_key=run_key, progress=on_event)


def summary_table(summary: CrawlSummary) -> Table:
    table = Table(title=f"crawl {summary.run_key} ({summary.seconds:.0f} s)")
    cols = ("outlet", "status", "listed", "skipped known", "fetched", "new", "syndicated",
            "near-dup", "dropped", "no text", "re-decoded", "errors", "newest")
    for col in cols:
        table.add_column(col, justify="left" if col in ("outlet", "status") else "right")
    for run in summary.outlets:
        c = run.counts
        kinds = sorted({e.get("kind", "?") for e in run.errors})
        table.add_row(
            run.outlet_id, run.status, str(c.get("listed", 0)), str(c.get("skip/known_url", 0)),
            str(c.get("fetched", 0)), str(c.get("stored/new", 0)),
            str(c.get("stored/syndicated", 0)), str(c.get("stored/near_duplicate", 0)),
            str(run.count("drop/")),
            # pages judged not an article (menus, stubs) and pages or feeds whose declared
            # charset was overruled: both are part of "dropped"/"new", shown apart for the
            # operator
            str(run.count("no_text/")), str(run.count("encoding/")),
            f"{len(run.errors)} ({', '.join(kinds)})" if run.errors else "0",
            run.newest_published_at.strftime("%Y-%m-%d") if run.newest_published_at else "-")
    return table
