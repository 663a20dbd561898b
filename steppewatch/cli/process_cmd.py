"""`steppewatch process`: analyse stored articles and maintain the daily aggregates."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from steppewatch.cli.context import AppContext, pass_app


@click.command("process")
@click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True,
              help="Articles per transaction; an interruption loses at most one batch.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Stop after this many articles.")
@click.option("--rebuild-aggregates", is_flag=True,
              help="Also recompute every day's aggregates (after a time-zone change).")
@pass_app
def command(app: AppContext, batch_size: int, limit: int | None,
            rebuild_aggregates: bool) -> None:
    """Analyse stored articles that have no result for the current seed profile (or whose
    text changed), store the results and update the daily aggregates. Safe to rerun."""
    from pipeline.analyze import Analyzer
    from pipeline.process import process
    from pipeline.process import rebuild_aggregates as rebuild
    from pipeline.profile import load_profile
    from pipeline.store.migrate import ensure_schema

    engine = app.engine()
    ensure_schema(engine)
    profile = load_profile(app.settings.profile_path)
    analyzer = Analyzer(profile, entities="relevant")
    console = Console(stderr=True)
    with Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("analyse", total=None)
        summary = process(engine, analyzer, tz=app.settings.tz, batch_size=batch_size,
                          limit=limit,
                          progress=lambda done, total: bar.update(task, completed=done,
                                                                  total=total))
    days = rebuild(engine, profile.version, app.settings.tz) if rebuild_aggregates \
        else summary.days_rebuilt
    click.echo(f"profile {profile.version}: {summary.analysed} analysed, "
               f"{summary.relevant} relevant, {summary.failed} failed; "
               f"aggregates of {days} day(s) rebuilt")
    for err in summary.errors[:20]:
        click.echo(f"  {err}", err=True)
    if summary.failed:
        raise SystemExit(1)
