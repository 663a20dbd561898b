"""`steppewatch seeds build|show`: the seed profile."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.config import PROJECT_ROOT
from steppewatch.cli.context import AppContext, pass_app


@click.group("seeds")
def command() -> None:
    """The seed profile: topics, entities, partners and framing terms."""


@command.command("build")
@click.option("--seeds", "seed_dir", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT_ROOT / "seeds", show_default=True,
              help="Folder of seed documents (*.txt).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the draft (default: seeds/profile.draft.yaml).")
@click.option("--top", "top_n", default=40, show_default=True,
              help="Key terms and phrases to keep per list.")
def build(seed_dir: Path, output: Path | None, top_n: int) -> None:
    """Derive a draft profile from the seed documents (entities by NER, key terms and
    phrases by lemma statistics against general news) for an analyst to compare with the
    curated seeds/profile.yaml. The curated profile is never overwritten."""
    from pipeline.profile_build import write_draft

    if not any(seed_dir.glob("*.txt")):
        raise click.UsageError(f"no seed documents (*.txt) in {seed_dir}")
    try:
        path = write_draft(seed_dir, output, top_n=top_n)
    except FileExistsError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"draft profile written to {path}; compare it with {seed_dir / 'profile.yaml'}")


@command.command("show")
@pass_app
def show(app: AppContext) -> None:
    """Summarise the curated profile and print its version."""
    from pipeline.profile import load_profile

    p = load_profile(app.settings.profile_path)
    click.echo(f"profile {p.source} version {p.version}")
    click.echo(f"  {len(p.topics)} topics: {', '.join(t.id for t in p.topics)}")
    click.echo(f"  {len(p.partners)} partners: {', '.join(x.id for x in p.partners)}")
    click.echo(f"  {len(p.entities)} entities")
