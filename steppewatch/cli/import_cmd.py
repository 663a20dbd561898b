"""`steppewatch import PATH...`: load archives (JSON Lines, CSV, Telegram exports)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from pipeline.store.models import OUTLET_GROUPS
from steppewatch.cli.context import AppContext, pass_app


@click.command("import")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "telegram"]),
              help="Format of every file (default: from the name: .jsonl, .csv, .json = "
                   "Telegram Desktop export).")
@click.option("--outlet", help="Outlet id for files without an 'outlet' field (and the "
                               "outlet of a Telegram export; default: from its name).")
@click.option("--outlet-group", type=click.Choice(OUTLET_GROUPS),
              help="Group of outlets the store does not know yet (created; Telegram "
                   "exports default to 'telegram').")
@click.option("--outlet-url", help="Telegram: the channel's address (https://t.me/NAME), "
                                   "so posts get their public links.")
@click.option("--lang", help="Language of pieces without a 'lang' field (ru, kk, ...).")
@click.option("--country", default="KZ", show_default=True,
              help="Country of outlets created by the import.")
@pass_app
def command(app: AppContext, paths: tuple[Path, ...], fmt: str | None, outlet: str | None,
            outlet_group: str | None, outlet_url: str | None, lang: str | None,
            country: str) -> None:
    """Load dated pieces from archive files through the crawler's own clean-up,
    de-duplication (URL, content hash, near copies, same-event flashes) and store steps.

    JSON Lines and CSV carry the fields url, outlet, published (ISO 8601 or Unix seconds;
    without a zone the configured time zone), text, and optionally title, lang, author.
    Every file is checked whole first: a bad line is reported with its number and nothing
    is stored. A rerun adds nothing. Run `steppewatch process` afterwards to analyse the
    pieces for the brief.
    """
    from crawlers.ingest.archive import ImportOptions, ensure_outlets, import_pieces, read_all
    from crawlers.ingest.formats import ArchiveError
    from pipeline.store.migrate import ensure_schema

    opts = ImportOptions(fmt=fmt, tz=app.settings.tz, outlet=outlet, outlet_group=outlet_group,
                         outlet_url=outlet_url, lang=lang, country=country.upper())
    engine = app.engine()
    ensure_schema(engine)
    try:
        pieces = read_all(paths, opts)
        created = ensure_outlets(engine, pieces, opts)
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from None
    console = Console(stderr=True)
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as bar:
        task = bar.add_task("import", total=len(pieces))
        summary = import_pieces(engine, pieces,
                                progress=lambda done, total: bar.update(task, completed=done))
    if created:
        click.echo(f"outlets created (imported): {', '.join(created)}")
    click.echo(summary.line())
