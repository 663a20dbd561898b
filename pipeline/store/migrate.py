"""Apply and inspect the Alembic migrations that ship inside the package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from pipeline.store.db import StoreError, check_connection

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@dataclass(frozen=True, kw_only=True)
class MigrationStatus:
    current: str | None
    head: str
    pending: list[tuple[str, str]]  # (revision, message), oldest first

    @property
    def up_to_date(self) -> bool:
        return not self.pending


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> MigrationStatus:
    """Bring the schema to ``revision``; each migration runs in its own transaction."""
    check_connection(engine)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        # DBAPI errors carry the driver's own error in ``orig``; other SQLAlchemy errors
        # (an invalid request, a compile error) have no such attribute.
        cause = getattr(exc, "orig", None) or exc
        raise StoreError(f"migration failed: {exc.__class__.__name__}: {cause}") from exc
    return status(engine)


def status(engine: Engine) -> MigrationStatus:
    check_connection(engine)
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    head = script.get_current_head()
    assert head is not None, "the package ships no migrations"
    pending: list[tuple[str, str]] = []
    for rev in script.walk_revisions(base="base", head="heads"):
        if current is not None and rev.revision == current:
            break
        pending.append((rev.revision, rev.doc or ""))
    pending.reverse()
    return MigrationStatus(current=current, head=head, pending=pending)


def ensure_schema(engine: Engine) -> None:
    """Apply pending migrations (used by commands that write, so a fresh setup just works)."""
    if not status(engine).up_to_date:
        upgrade(engine)


def require_schema(engine: Engine) -> None:
    """Refuse a database whose schema is behind, in one line. Code below the entry points
    (the crawl worker, Scrapy's own command) calls this instead of migrating."""
    if not status(engine).up_to_date:
        raise StoreError("the database schema is not up to date: run "
                         "'steppewatch db upgrade' (commands and DAG tasks do it)")
