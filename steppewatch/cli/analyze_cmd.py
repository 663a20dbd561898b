"""`steppewatch analyze`: the per-article analysis on JSON Lines, as in shared/CONTRACT.md.

No database and no network: the installed package and the seed profile only. Every input line
gets an output line in the same order; a line that cannot be analysed gets an error record,
a message on stderr naming the line, and the exit status is 1 at the end, whatever the
line holds: bytes that are not UTF-8, JSON nested too deeply, fields of the wrong type, lone
surrogates, or more than ``--max-bytes`` (skipped without being held in memory).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import IO, Any

import click

from steppewatch.cli.context import AppContext, pass_app


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


DEFAULT_MAX_BYTES = 256 * 1024  # a long news article is 50 KB; analysis time grows with size
_CHUNK = 64 * 1024


class LineError(ValueError):
    """This line gets an error record; the others go on."""


def _lines(inp: IO[bytes], max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """Lines of at most ``max_bytes`` (``None`` for a longer one, skipped without keeping it in
    memory), each with its size in bytes."""
    while True:
        line = inp.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or (line.endswith(b"\n") and len(line) == max_bytes + 1):
            yield line, len(line)
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = inp.readline(_CHUNK)
            if not line:
                break
            size += len(line)
        yield None, size


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}") from None
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"not JSON: {exc}") from exc
    except RecursionError:
        raise LineError("not JSON this program accepts: nested too deeply") from None
    if not isinstance(row, dict):
        raise LineError("a line must be a JSON object")
    return row


def _check_text(row: dict[str, Any]) -> None:
    rid = row.get("id")
    if rid is None or isinstance(rid, dict | list) or not isinstance(row.get("text"), str):
        raise LineError("'id' (a string or number) and a string 'text' are required")
    for name in ("title", "lang"):
        if row.get(name) is not None and not isinstance(row[name], str):
            raise LineError(f"'{name}' must be a string")
    for name in ("id", "text", "title"):
        value = row.get(name)
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise LineError(f"'{name}' is not valid Unicode: a lone surrogate at "
                                f"{exc.start}") from None


def _dump(record: dict[str, Any]) -> str:
    text = json.dumps(record, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # an id with a lone surrogate: escaped, still valid JSON
        text = json.dumps(record)
    return text


def run(inp: IO[bytes], out: IO[str], analyzer, *, progress: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """Analyse every line of ``inp`` into ``out``; returns the number of failed lines."""
    failed = 0
    for n, (raw, size) in enumerate(_lines(inp, max_bytes), 1):
        if raw is not None and not raw.strip():
            continue
        rid = None
        try:
            if raw is None:
                raise LineError(f"line too long: {size} bytes, the limit is {max_bytes} "
                                "(--max-bytes)")
            row = _parse(raw)
            rid = row.get("id")
            _check_text(row)
            targets = _target_spans(row.get("targets"), row["text"])
            result = analyzer.analyze(text=row["text"], title=row.get("title") or "",
                                      lang_hint=row.get("lang"), targets=targets)
            record = {"id": rid, **result.to_contract()}
        except Exception as exc:  # one line never stops the others (the contract)
            failed += 1
            why = str(exc) if isinstance(exc, ValueError) else f"analysis failed: {exc!r}"
            click.echo(f"line {n}: {why}".encode("utf-8", "backslashreplace").decode(),
                       err=True)
            record = {"id": rid if isinstance(rid, str | int | float) else None, "line": n,
                      "error": why}
        out.write(_dump(record) + "\n")
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
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES,
              show_default=True,
              help="Longest input line analysed; a longer one gets an error record (this "
                   "bounds the time and memory one article may take).")
@pass_app
def command(app: AppContext, input_path: str, output_path: str, entities: str,
            max_bytes: int) -> None:
    """Analyse articles from JSON Lines: language, relevance, topics, partners, entities,
    tone (see CONTRACT.md)."""
    from pipeline.analyze import Analyzer
    from pipeline.profile import load_profile

    profile = load_profile(app.settings.profile_path)
    analyzer = Analyzer(profile, entities=entities)
    with contextlib.ExitStack() as stack:
        try:
            inp = sys.stdin.buffer if input_path == "-" else \
                stack.enter_context(open(input_path, "rb"))
        except OSError as exc:
            raise click.UsageError(f"cannot read {input_path}: {exc.strerror}") from exc
        try:
            out = sys.stdout if output_path == "-" else \
                stack.enter_context(open(output_path, "w", encoding="utf-8"))
        except OSError as exc:
            raise click.UsageError(f"cannot write {output_path}: {exc.strerror}") from exc
        failed = run(inp, out, analyzer, progress=output_path != "-" and sys.stderr.isatty(),
                     max_bytes=max_bytes)
    if failed:
        click.echo(f"{failed} line(s) could not be analysed", err=True)
        sys.exit(1)
