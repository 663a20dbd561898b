"""`steppewatch digest`: a thin wrapper over reports.deliver."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner

from pipeline.config import Settings
from pipeline.store.db import make_engine
from pipeline.store.migrate import upgrade
from reports.weeks import IsoWeek
from steppewatch.cli import digest_cmd
from steppewatch.cli.context import AppContext
from tests.reports.builders import PV, scenario, write, write_outlets


def _app(tmp_path) -> AppContext:
    settings = Settings(var_dir=tmp_path / "var",
                        database_url=f"sqlite:///{tmp_path / 'var' / 'steppewatch.db'}")
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    write_outlets(engine)
    write(engine, *scenario())
    engine.dispose()
    return AppContext(_settings=settings)


def _run(app: AppContext, *args: str):
    return CliRunner().invoke(digest_cmd.command, list(args), obj=app, catch_exceptions=False)


def test_preview_then_outbox_then_already_sent(tmp_path):
    app = _app(tmp_path)
    out = _run(app, "--week", "2025-W24", "--preview", "--profile-version", PV)
    assert out.exit_code == 0, out.output
    assert "preview written" in out.output and "digest-2025-W24-preview.html" in out.output
    out = _run(app, "--week", "2025-W24", "--profile-version", PV)
    assert out.exit_code == 0, out.output
    assert "no SMTP configured" in out.output
    assert str(tmp_path / "var" / "outbox" / "digest-2025-W24.eml") in out.output
    out = _run(app, "--week", "2025-W24", "--profile-version", PV)
    assert "already sent" in out.output and "--resend" in out.output
    # Partner names come from the seed profile.
    html = (tmp_path / "var" / "outbox" / "digest-2025-W24.html").read_text(encoding="utf-8")
    assert "[1] Turkey and Turkish arms / Turkey: coverage rose" in html
    assert "<b>Partner Turkey</b>: coverage rose: rate ratio" in html


def test_bad_week_is_a_usage_error(tmp_path):
    out = CliRunner().invoke(digest_cmd.command, ["--week", "2025-24"],
                             obj=AppContext(_settings=Settings(var_dir=tmp_path)))
    assert out.exit_code == 2 and "not an ISO week" in out.output


def test_default_week_is_the_one_that_just_ended():
    assert IsoWeek.last_completed(Settings().tz, datetime(2025, 6, 16, 3, tzinfo=UTC)) \
        == IsoWeek(year=2025, week=24)


def test_help_documents_every_option():
    out = CliRunner().invoke(digest_cmd.command, ["--help"])
    for opt in ("--week", "--send / --preview", "--to", "--resend", "--profile-version"):
        assert opt in out.output
