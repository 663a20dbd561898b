"""Conditional-GET validators per endpoint, kept between runs in ``endpoint_states``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from pipeline.store.db import session_scope
from pipeline.store.models import EndpointState
from pipeline.store.upsert import upsert


@dataclass(frozen=True, kw_only=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def load_validators(engine: Engine, url: str) -> Validators:
    with engine.connect() as conn:
        row = conn.execute(select(EndpointState.etag, EndpointState.last_modified)
                           .where(EndpointState.url == url)).first()
    return Validators(etag=row[0], last_modified=row[1]) if row else Validators()


def save_validators(engine: Engine, *, url: str, outlet_id: str, status: int,
                    validators: Validators) -> None:
    """Remember what the server sent; a 304 keeps the validators stored before."""
    row = {"url": url, "outlet_id": outlet_id, "etag": validators.etag,
           "last_modified": validators.last_modified, "last_status": status,
           "checked_at": datetime.now(UTC)}
    update = ["last_status", "checked_at"] if status == 304 else \
        ["etag", "last_modified", "last_status", "checked_at"]
    with session_scope(engine) as session:
        upsert(session, EndpointState, [row], key=["url"], update=update)
