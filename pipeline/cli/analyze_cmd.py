"""`steppewatch analyze`: the per-article analysis on JSON Lines, as in shared/CONTRACT.md.

No database and no network: the installed package and the seed profile only. Every input line
gets an output line in the same order; a line that cannot be analysed gets an error record,
a message on stderr naming the line, and the exit status is 1 at the end.
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import IO, Any

import click

from pipeline.cli.context import AppContext, pass_app


def _target_spans(raw: Any, text: str) -> list[tuple[int, int]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValueError("'targets' must be a list of {start, end}")
    spans = []
    for t in raw:
        if not isinstance(t, dict) or not isinstance(t.get("start"), int) or \
                not isinstance(t.get("end"), int):
            raise ValueError("each target needs integer 'start' and 'end'")
        if not 0 <= t["start"] < t["end"] <= len(text):
            raise ValueError(f"target {t['start']}-{t['end']} is outside the text")
        spans.append((t["start"], t["end"]))
    return spans


def run(inp: IO[str], out: IO[str], analyzer, *, progress: bool = False) -> int:
    """Analyse every line of ``inp`` into ``out``; returns the number of failed lines."""
    failed = 0
    for n, line in enumerate(inp, 1):
        if not line.strip():
            continue
        rid = None
        try:
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not JSON: {exc}") from exc
            if not isinstance(row, dict):
                raise ValueError("a line must be a JSON object")
            rid = row.get("id")
            if rid is None or not isinstance(row.get("text"), str):
                raise ValueError("'id' and a string 'text' are required")
            targets = _target_spans(row.get("targets"), row["text"])
            result = analyzer.analyze(text=row["text"], title=row.get("title") or "",
                                      lang_hint=row.get("lang"), targets=targets)
            record = {"id": rid, **result.to_contract()}
        except ValueError as exc:
            failed += 1
            click.echo(f"line {n}: {exc}", err=True)
            record = {"id": rid, "line": n, "error": str(exc)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        if progress and n % 100 == 0:
            click.echo(f"{n} lines", err=True)
    out.flush()
    return failed


@click.command("analyze")
@click.option("--input", "input_path", default="-", show_default=True,
              help="JSON Lines file of articles ('-' for standard input).")
@click.option("--output", "output_path", default="-", show_default=True,
              help="Where to write one JSON line per input line ('-' for standard output).")
@click.option("--entities", type=click.Choice(["all", "relevant"]), default="all",
              show_default=True,
              help="Run named-entity recognition on every article, or only on relevant ones "
                   "(faster; what `process` does).")
@pass_app
def command(app: AppContext, input_path: str, output_path: str, entities: str) -> None:
    """Analyse articles from JSON Lines: language, relevance, topics, partners, entities,
    tone (see CONTRACT.md)."""
    from pipeline.analyze import Analyzer
    from pipeline.profile import load_profile

    profile = load_profile(app.settings.profile_path)
    analyzer = Analyzer(profile, entities=entities)
    with contextlib.ExitStack() as stack:
        try:
            inp = sys.stdin if input_path == "-" else \
                stack.enter_context(open(input_path, encoding="utf-8"))
        except OSError as exc:
            raise click.UsageError(f"cannot read {input_path}: {exc.strerror}") from exc
        try:
            out = sys.stdout if output_path == "-" else \
                stack.enter_context(open(output_path, "w", encoding="utf-8"))
        except OSError as exc:
            raise click.UsageError(f"cannot write {output_path}: {exc.strerror}") from exc
        failed = run(inp, out, analyzer, progress=output_path != "-" and sys.stderr.isatty())
    if failed:
        click.echo(f"{failed} line(s) could not be analysed", err=True)
        sys.exit(1)
