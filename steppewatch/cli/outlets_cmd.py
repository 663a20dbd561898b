"""`steppewatch outlets list|check`: the outlet registry and whether its addresses answer."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from crawlers.probe import check_outlets
from crawlers.registry import RegistryError, load_registry, select
from pipeline.store.models import OUTLET_GROUPS
from steppewatch.cli.context import AppContext, pass_app


def _load(ids: tuple[str, ...] = (), group: str | None = None):
    try:
        return select(load_registry(), ids, group)
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("outlets")
def command() -> None:
    """The outlet registry (crawlers/outlets.yaml)."""


@command.command("list")
@click.option("--group", type=click.Choice(OUTLET_GROUPS), help="Only outlets of this group.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (registry entries).")
def list_(group: str | None, as_json: bool) -> None:
    """Show the registered outlets with their endpoints and evidence."""
    outlets = _load(group=group)
    if as_json:
        rows = [{**vars(o.to_record()), "languages": list(o.languages), "notes": o.notes}
                for o in outlets]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{len(outlets)} outlets")
    for col in ("id", "name", "group", "country", "lang", "primary endpoints (evidence)",
                "fallbacks"):
        table.add_column(col, overflow="fold")
    for o in outlets:
        primary = ", ".join(f"{e.kind}:{e.lang or '-'} ({e.evidence})"
                            for e in o.endpoints if e.primary)
        table.add_row(o.id, o.name, o.group, o.country, ",".join(o.languages), primary,
                      str(sum(1 for e in o.endpoints if not e.primary)))
    Console().print(table)


@command.command("check")
@click.option("--outlet", "ids", multiple=True, help="Outlet id (repeatable; default: all).")
@click.option("--group", type=click.Choice(OUTLET_GROUPS), help="Only outlets of this group.")
@click.option("--timeout", type=float, default=10.0, show_default=True,
              help="Seconds to wait for each endpoint.")
@pass_app
def check(app: AppContext, ids: tuple[str, ...], group: str | None, timeout: float) -> None:
    """Fetch every endpoint once: status, latency, items, newest item; flags dead or stale
    outlets. Without internet it says so per outlet and still exits 0."""
    outlets = _load(ids, group)
    probes = check_outlets(outlets, timeout=timeout, user_agent=app.settings.crawl.user_agent)
    table = Table(title="endpoint check")
    for col in ("outlet", "verdict", "kind", "role", "evidence", "status", "ms", "items",
                "newest", "url / message"):
        table.add_column(col, overflow="fold")
    colours = {"ok": "green", "stale": "yellow", "dead": "red", "offline": "magenta"}
    for outlet in probes:
        if outlet.verdict == "offline":
            # One line per outlet: every endpoint failed the same way, before any HTTP.
            reason = outlet.endpoints[0].message if outlet.endpoints else ""
            table.add_row(outlet.outlet_id, "[magenta]offline[/]", "all", "", "", "-", "-", "0",
                          "-", f"{len(outlet.endpoints)} endpoint(s) unreachable: {reason}")
            continue
        for i, p in enumerate(outlet.endpoints):
            verdict = f"[{colours[outlet.verdict]}]{outlet.verdict}[/]" if i == 0 else ""
            table.add_row(outlet.outlet_id if i == 0 else "", verdict, p.kind, p.role,
                          p.evidence, str(p.status or "-"), str(p.latency_ms or "-"),
                          str(p.items), p.newest.strftime("%Y-%m-%d") if p.newest else "-",
                          p.url if p.outcome == "ok" else f"{p.url}\n{p.outcome}: {p.message}")
    console = Console()
    console.print(table)
    counts = {v: sum(1 for o in probes if o.verdict == v) for v in colours}
    console.print(", ".join(f"{n} {v}" for v, n in counts.items()))
    if counts["offline"] == len(probes):
        console.print("[magenta]no endpoint could be resolved: this machine seems to have no "
                      "internet access; nothing was judged dead.[/]")
