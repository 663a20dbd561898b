"""Dialect-aware ``INSERT ... ON CONFLICT`` for SQLite and PostgreSQL.

The one way rows are written: on the natural key, either nothing happens (``update=()``) or
the listed columns are overwritten, optionally only when a guard column differs, so that
writing identical data twice touches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Session


def table_of(model: type[DeclarativeBase] | Table) -> Table:
    """The table of a mapped class (declarative types ``__table__`` as any FromClause)."""
    if isinstance(model, Table):
        return model
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def upsert(
    conn: Connection | Session,
    model: type[DeclarativeBase] | Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    key: Sequence[str],
    update: Iterable[str] = (),
    when_changed: Sequence[str] = (),
    only_if: ColumnElement[bool] | None = None,
    returning: Sequence[str] = (),
) -> list[Any]:
    """Insert ``rows``; on a conflict on ``key`` update ``update`` (or do nothing).

    ``when_changed`` limits the update to rows where one of those columns differs;
    ``only_if`` is a further condition on the existing row (a compare-and-set).
    ``returning`` names columns to return for the rows inserted or updated.
    """
    if not rows:
        return []
    table = table_of(model)
    update = list(update)
    dialect = conn.get_bind().dialect.name if isinstance(conn, Session) else conn.dialect.name
    ins_mod = {"sqlite": sqlite, "postgresql": postgresql}.get(dialect)
    if ins_mod is None:
        raise ValueError(f"upsert is not supported on {dialect}")
    # One statement executed with many parameter sets: SQLAlchemy compiles it once and
    # batches the rows into multi-VALUES inserts ("insertmanyvalues") on both backends.
    stmt = ins_mod.insert(table)
    if update:
        guards = []
        if when_changed:
            guards.append(
                or_(*[table.c[c].is_distinct_from(stmt.excluded[c]) for c in when_changed]))
        if only_if is not None:
            guards.append(only_if)
        where = and_(*guards) if guards else None
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key),
            set_={c: stmt.excluded[c] for c in update},
            where=where,
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
    out: list[Any] = []
    if returning:
        stmt = stmt.returning(*[table.c[c] for c in returning])
        out.extend(conn.execute(stmt, [dict(r) for r in rows]).all())
    else:
        conn.execute(stmt, [dict(r) for r in rows])
    return out


def key_filter(model: type[DeclarativeBase] | Table, key: Mapping[str, Any]):
    """A WHERE clause matching one natural key."""
    table = table_of(model)
    return and_(*[table.c[k] == v for k, v in key.items()])
