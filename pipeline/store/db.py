"""Engines and sessions for SQLite (embedded default) and PostgreSQL (production).

Everything that opens the database goes through here, so that the expected failures (a
malformed URL, an unreachable server, a missing driver) become one clear ``StoreError``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool


class StoreError(RuntimeError):
    """The database cannot be used; the message says why in words an operator can act on."""


def make_engine(url: str, *, read_only: bool = False, echo: bool = False) -> Engine:
    """Create an engine for ``url``; SQLite files get their folder created (unless read-only)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r} ({exc})") from exc
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise StoreError(f"unsupported database '{backend}': use sqlite:/// or postgresql+psycopg://")
    try:
        if backend == "sqlite":
            return _sqlite_engine(parsed, read_only=read_only, echo=echo)
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        connect_args: dict[str, Any] = {"connect_timeout": 10}
        if read_only:
            connect_args["options"] = "-c default_transaction_read_only=on"
        return create_engine(parsed, echo=echo, pool_pre_ping=True, connect_args=connect_args)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"no driver for {parsed.drivername}: {exc}") from exc


def _sqlite_engine(parsed, *, read_only: bool, echo: bool) -> Engine:
    database = parsed.database or ""
    if database and database != ":memory:":
        path = Path(database)
        if read_only:
            if not path.is_file():
                raise StoreError(f"SQLite database not found: {path}")
            uri = f"file:{path.resolve()}?mode=ro"
            # A pool of file connections shared by threads: the default for a creator-made
            # "sqlite://" engine would be one connection per thread, closed under the feet
            # of a sixth thread (a dashboard serving many readers).
            engine = create_engine(
                "sqlite://", echo=echo, poolclass=QueuePool, pool_size=8, max_overflow=56,
                creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False,
                                                timeout=30))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, echo=echo, connect_args={"timeout": 30})
    else:
        engine = create_engine(parsed, echo=echo)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if not read_only and database and database != ":memory:":
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def check_connection(engine: Engine) -> None:
    """Connect once, turning the usual failures into a ``StoreError``."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        from pipeline.config import mask_url

        where = mask_url(engine.url.render_as_string(hide_password=False))
        raise StoreError(f"cannot reach the database at {where}: {reason}") from exc
    except SQLAlchemyError as exc:
        raise StoreError(f"database error: {exc}") from exc


def database_problem(exc: SQLAlchemyError) -> str:
    """One line an operator can act on, for a database error met under any command."""
    orig = getattr(exc, "orig", None)
    reason = (str(orig) if orig is not None else str(exc)).strip().splitlines()
    reason_text = reason[0] if reason else type(exc).__name__
    hints = {"file is not a database": "the database file is not an SQLite database",
             "unable to open database file": "cannot open the SQLite database file (a "
             "directory, or a folder that does not exist or cannot be read)",
             "readonly database": "the database is read-only for this user",
             "read-only transaction": "the database is read-only for this connection",
             "no such table": "the database has no steppewatch schema: run "
             "`steppewatch db upgrade`"}
    for needle, hint in hints.items():
        if needle in reason_text:
            return f"database: {hint} ({reason_text})"
    return f"database: {reason_text}"


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


# Ids per ``IN (...)`` list: below SQLite's and psycopg's bound-parameter limits.
ID_CHUNK = 5000


def id_chunks(ids: Sequence[int], size: int = ID_CHUNK) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]
